"""Agency crosswalks: loading and checking YAML, applying, exporting, round trips."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from htwork.errors import CrosswalkError
from htwork.simulate import simulate, write_extract
from htwork.standards import validate
from htwork.standards.crosswalk import Crosswalk, list_crosswalks, load_crosswalk

SHIPPED = ["kh_identification_form", "th_cross_ministerial"]


def test_shipped_crosswalks_are_listed_and_load():
    assert set(SHIPPED) <= set(list_crosswalks())
    for name in SHIPPED:
        cw = load_crosswalk(name)
        assert isinstance(cw, Crosswalk) and cw.name == name
        assert len(cw.columns) == 39  # every input field has an agency column
    assert load_crosswalk("th_cross_ministerial").file["encoding"] == "cp874"
    assert load_crosswalk("th_cross_ministerial").defaults["calendar"] == "buddhist"
    assert load_crosswalk("kh_identification_form").file["header_row"] == 3


@pytest.fixture(scope="module", params=SHIPPED)
def round_trip(request, tmp_path_factory):
    name = request.param
    df = simulate(500, 20261125, agency_format=name)
    cw = load_crosswalk(name)
    ext = cw.file["format"]
    path = write_extract(df, tmp_path_factory.mktemp(name) / f"cases.{ext}", agency_format=name)
    return name, df, path, cw.read(path)


def test_round_trip_gives_the_same_standard_frame(round_trip):
    _, df, _, back = round_trip
    assert list(back.columns) == list(df.columns)
    pd.testing.assert_frame_equal(back.reset_index(drop=True), df, check_dtype=False)


def test_round_trip_validates_without_problems(round_trip):
    _, _, path, back = round_trip
    report = validate(back)
    assert report.ok and len(report.to_frame()) == 0, report.summary()
    meta = back.attrs["htwork"]
    assert meta["file"] == str(path) and meta["read_problems"] == []
    assert meta["unmapped_columns"] == []
    assert back.index[0] == (4 if path.suffix == ".xlsx" else 2)  # spreadsheet row numbers


def test_agency_files_look_like_agency_files(round_trip):
    name, _, path, back = round_trip
    cols = back.attrs["htwork"]["columns"]
    if name == "th_cross_ministerial":
        raw = path.read_bytes()
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        text = raw.decode("cp874")
        assert text.startswith("เลขที่คดี,") and "/25" in text  # Buddhist-Era years
        assert cols["prs_FirstName"] == "ชื่อ" and cols["prs_Birthdate"] == "วันเกิด"
    else:
        from openpyxl import load_workbook

        ws = load_workbook(path, read_only=True)["Identification"]
        rows = list(ws.iter_rows(min_row=1, max_row=4, values_only=True))
        assert "Kingdom of Cambodia" in rows[0][0] and rows[2][0] == "លេខករណី / Case No."
        assert any(v in ("ប្រុស / Male", "ស្រី / Female") for v in rows[3])
        assert cols["prs_FirstName"] == "ឈ្មោះ / Name"


def test_export_uses_first_agency_code_and_agency_separators():
    cw = load_crosswalk("th_cross_ministerial")
    std = pd.DataFrame({"prs_Citizenship": ["MM", "XX", None],
                        "vic_MethodsOfControl": ["DebtBondage;WithholdsDocuments", None, "Other"],
                        "prs_Birthdate": ["2000-01-31", None, "not a date"]})
    out = cw.export(std)
    assert out["สัญชาติ"].tolist() == ["เมียนมา", "XX", None]  # not the older name พม่า
    assert out["รูปแบบการควบคุม"].tolist() == ["หนี้สิน|ยึดเอกสาร", None, "อื่นๆ"]
    assert out["วันเกิด"].tolist() == ["31/01/2543", None, "not a date"]
    assert out["ชื่อ"].isna().all()  # a field the frame lacks: empty column


def _raw(data: dict, rows: list[int], file: str = "agency.csv") -> pd.DataFrame:
    raw = pd.DataFrame(data, index=rows, dtype=object)
    raw.attrs["htwork"] = {"file": file, "columns": {}, "read_problems": [
        {"column": None, "row": 9, "value": None, "code": "earlier", "message": "kept"}]}
    return raw


def test_apply_passes_unknown_codes_and_bad_dates_through():
    cw = load_crosswalk("th_cross_ministerial")
    raw = _raw({"เลขที่คดี": ["1/2566", "2/2566"], "เพศ": ["ชาย", "มนุษย์ต่างดาว"],
                "วันเกิด": ["15/03/2540", "31/02/2540"],
                "รูปแบบการควบคุม": ["หนี้สิน | ยึดเอกสาร", "หนี้สิน|ขู่ฆ่า"],
                "สัญชาติ": ["พม่า", " กัมพูชา "], "คอลัมน์เกิน": ["x", "y"]}, [2, 3])
    out = cw.apply(raw)
    assert out.index.tolist() == [2, 3]
    assert out.prs_Gender.tolist() == ["Male", "มนุษย์ต่างดาว"]
    assert out.prs_Birthdate.tolist() == ["1997-03-15", "31/02/2540"]
    assert out.vic_MethodsOfControl.tolist() == ["DebtBondage;WithholdsDocuments",
                                                 "DebtBondage;ขู่ฆ่า"]
    assert out.prs_Citizenship.tolist() == ["MM", "KH"]
    meta = out.attrs["htwork"]
    assert meta["file"] == "agency.csv" and meta["unmapped_columns"] == ["คอลัมน์เกิน"]
    assert meta["columns"]["prs_Gender"] == "เพศ"
    codes = [p["code"] for p in meta["read_problems"]]
    assert codes[0] == "earlier" and "bad_date" in codes
    bad = next(p for p in meta["read_problems"] if p["code"] == "bad_date")
    assert bad["row"] == 3 and bad["column"] == "วันเกิด"
    report = validate(out).to_frame()
    gender = report[report.column == "prs_Gender"]
    assert len(gender) == 1 and gender.iloc[0].row == 3
    assert gender.iloc[0].source_column == "เพศ"  # validation names the agency's column


def test_missing_expected_column_is_reported_by_its_agency_name():
    cw = load_crosswalk("th_cross_ministerial")
    out = cw.apply(_raw({"ชื่อ": ["Aung"]}, [2]))
    assert "cas_CaseId" not in out.columns
    assert out.attrs["htwork"]["columns"]["cas_CaseId"] == "เลขที่คดี"
    report = validate(out).to_frame()
    missing = report[(report.code == "missing_column") & (report.column == "cas_CaseId")]
    assert len(missing) == 1 and missing.iloc[0].source_column == "เลขที่คดี"


def test_headers_match_loosely_and_constants_fill_fields(tmp_path):
    path = tmp_path / "mini.yaml"
    path.write_text(
        "name: mini\n"
        "columns:\n"
        "  Case Number: cas_CaseId\n"
        "  Sex:\n"
        "    field: prs_Gender\n"
        "    codes: {M: Male, F: Female}\n"
        "constants:\n"
        "  org_Type: NGO\n", encoding="utf-8")
    cw = load_crosswalk(path)
    out = cw.apply(_raw({"case  number": ["A1"], "SEX": ["f"]}, [2]))
    assert out.cas_CaseId.tolist() == ["A1"] and out.prs_Gender.tolist() == ["Female"]
    assert out.org_Type.tolist() == ["NGO"]
    assert list(cw.export(out).columns) == ["Case Number", "Sex"]


BAD = {
    "syntax": ("name: bad\ncolumns:\n  a: [unclosed\n", "not valid YAML"),
    "duplicate_key": ("name: bad\ncolumns:\n  a: cas_CaseId\n  a: prs_Gender\n",
                      "given twice"),
    "unknown_field": ("name: bad\ncolumns:\n  Name: prs_Firstname\n",
                      "'prs_Firstname' is not a field"),
    "calendar": ("name: bad\ndefaults:\n  calendar: lunar\ncolumns:\n  a: cas_CaseId\n",
                 "'lunar' is not a calendar"),
    "column_calendar": ("name: bad\ncolumns:\n  d:\n    field: prs_Birthdate\n"
                        "    calendar: julian\n", "is not a calendar"),
    "duplicate_target": ("name: bad\ncolumns:\n  a: cas_CaseId\n  b: cas_CaseId\n",
                         "already fills"),
    "unknown_top_key": ("name: bad\ncolums:\n  a: cas_CaseId\n", "not a crosswalk setting"),
    "bad_code": ("name: bad\ncolumns:\n  s:\n    field: prs_Gender\n    codes: {m: Mail}\n",
                 "'Mail' is not an allowed value"),
    "bad_country": ("name: bad\ncolumns:\n  c:\n    field: prs_Citizenship\n"
                    "    codes: {Burma: BU}\n", "not an allowed value"),
    "name_mismatch": ("name: other\ncolumns:\n  a: cas_CaseId\n", "file is named 'bad'"),
    "no_columns": ("name: bad\n", "'columns'"),
    "date_on_text": ("name: bad\ncolumns:\n  a:\n    field: cas_CaseId\n"
                     "    date_format: '%d/%m/%Y'\n", "not a date field"),
    "format": ("name: bad\nfile:\n  format: docx\ncolumns:\n  a: cas_CaseId\n",
               "'docx' is not one of"),
    "encoding": ("name: bad\nfile:\n  encoding: klingon\ncolumns:\n  a: cas_CaseId\n",
                 "not a known text encoding"),
    "constant_twice": ("name: bad\ncolumns:\n  t: org_Type\nconstants:\n  org_Type: NGO\n",
                       "also filled"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_malformed_yaml_is_refused_with_file_and_key(tmp_path, case):
    text, expected = BAD[case]
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CrosswalkError) as err:
        load_crosswalk(path)
    msg = str(err.value)
    assert expected in msg, msg
    assert str(path) in msg  # the YAML file is named


def test_unknown_field_error_suggests_the_nearest_name(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD["unknown_field"][0], encoding="utf-8")
    with pytest.raises(CrosswalkError) as err:
        load_crosswalk(path)
    assert "prs_FirstName" in str(err.value) and "'Name'" in str(err.value)


def test_unknown_name_and_missing_file():
    with pytest.raises(CrosswalkError) as err:
        load_crosswalk("th_cross_ministeriel")
    assert "th_cross_ministerial" in str(err.value)
    with pytest.raises(CrosswalkError):
        load_crosswalk(Path("/nonexistent/x.yaml"))


def test_thai_crosswalk_covers_every_province_and_is_cp874():
    from htwork.standards.codelists import asean_regions

    cw = load_crosswalk("th_cross_ministerial")
    state = next(c for c in cw.columns if c.field == "prs_MailingState")
    assert set(state.codes.values()) == set(asean_regions("TH").code)
    assert len(state.codes) == 78  # 76 provinces, Bangkok and Pattaya
    text = Path(cw.source).read_text(encoding="utf-8") if Path(cw.source).exists() else ""
    text.encode("cp874")
    for c in cw.columns:
        c.header.encode("cp874")
        for k in c.codes:
            k.encode("cp874")


def test_an_unreadable_agency_date_is_reported_once(tmp_path):
    from htwork.io import read_table
    from htwork.standards import validate
    from htwork.standards.crosswalk import load_crosswalk

    src = "datasets/demo/cases_th_cross_ministerial.csv"
    cw = load_crosswalk("th_cross_ministerial")
    df = read_table(Path(__file__).resolve().parents[1] / src, encoding="cp874")
    birth = next(c for c in df.columns if "เกิด" in c)
    df.loc[df.index[4], birth] = "31/02/2566"
    report = validate(cw.apply(df), "input")
    problems = report.problems
    assert len(problems) == 1
    assert problems.iloc[0]["code"] == "bad_date" and problems.iloc[0]["row"] == df.index[4]
