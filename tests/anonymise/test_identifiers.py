"""Direct identifiers: detection by schema, header (several languages) and values; dropping."""

from __future__ import annotations

import pandas as pd
import pytest

from htwork.anonymise import DropIdentifiers, IdentifierReport, detect_identifiers
from htwork.errors import InputError
from htwork.standards import patterns as P

QUASI = ["prs_Gender", "prs_Birthdate", "prs_Citizenship", "vic_LocationOfExploitation",
         "vic_AgeWhenTrafficked"]


def _agency(cases: pd.DataFrame) -> pd.DataFrame:
    """The same people in an agency's own columns (Thai headers, no schema)."""
    return pd.DataFrame(
        {
            "ชื่อ": cases["prs_FirstName"],
            "เบอร์โทรศัพท์": cases["prs_MobilePhone"],
            "อีเมล": cases["prs_Email"],
            "เลขบัตรประชาชน": cases["prs_IdentityDocumentNumber"],
            "ที่อยู่": cases["prs_MailingStreet"],
            "เพศ": cases["prs_Gender"],
            "สัญชาติ": cases["prs_Citizenship"],
            "จังหวัด": cases["vic_LocationOfExploitation"],
            "อายุ": cases["vic_AgeWhenTrafficked"],
            "หมายเหตุ": cases["cas_Notes"],
        }
    )


def test_schema_roles_decide_in_the_standard(cases):
    report = detect_identifiers(cases)
    assert set(report.identifiers) == {
        "cas_CaseId", "prs_FirstName", "prs_SecondName", "prs_Aliases", "prs_MobilePhone",
        "prs_Email", "prs_IdentityDocumentNumber", "prs_MailingStreet",
    }
    assert report.free_text == ["cas_Notes"]
    assert not set(report.columns) & set(QUASI)
    assert report["prs_MobilePhone"].kind == "phone"
    assert report["prs_MobilePhone"].confidence == "schema"


def test_planted_columns_found_without_schema_thai_headers(cases):
    df = _agency(cases)
    report = detect_identifiers(df, schema=False)
    assert report.identifiers == ["ชื่อ", "เบอร์โทรศัพท์", "อีเมล", "เลขบัตรประชาชน", "ที่อยู่"]
    assert report.free_text == ["หมายเหตุ"]
    kinds = {f.column: f.kind for f in report.findings if f.detected}
    assert kinds["ชื่อ"] == "name"
    assert kinds["เบอร์โทรศัพท์"] == "phone"
    assert kinds["อีเมล"] == "email"
    assert kinds["เลขบัตรประชาชน"] == "id_number"
    assert report["เบอร์โทรศัพท์"].share == 1.0
    for col in ["เพศ", "สัญชาติ", "จังหวัด", "อายุ"]:
        assert not report[col].detected, report[col]


@pytest.mark.parametrize(
    "header, kind",
    [
        ("prs_FirstName", "name"), ("ឈ្មោះ", "name"), ("nama lengkap", "name"),
        ("Họ và tên", "name"), ("ຊື່", "name"), ("အမည်", "name"),
        ("Phone number", "phone"), ("ទូរស័ព្ទ", "phone"), ("ဖုန်း", "phone"),
        ("Số điện thoại", "phone"), ("E-mail", "email"), ("Passport No", "passport"),
        ("หนังสือเดินทาง", "passport"), ("National ID", "id_number"), ("NRC", "id_number"),
        ("Address", "address"), ("អាសយដ្ឋាន", "address"), ("alamat", "address"),
        ("Case notes", "free_text"), ("หมายเหตุ", "free_text"),
    ],
)
def test_headers_in_many_languages(header, kind):
    found, _, excluded = P.header_kind(header)
    assert found == kind and not excluded


@pytest.mark.parametrize(
    "header",
    ["prs_Gender", "Nationality", "Age", "Province", "prs_Birthdate", "vic_TypeOfExploitation"],
)
def test_quasi_identifier_headers_are_not_identifiers(header):
    kind, _, excluded = P.header_kind(header)
    assert kind is None or excluded


def test_organisation_and_type_headers_are_excluded():
    assert P.header_kind("ชื่อหน่วยงาน")[2]  # "name of the agency"
    assert P.header_kind("Organisation name")[2]
    assert P.header_kind("prs_IdentityDocumentType")[2]


def test_values_alone_reveal_identifiers():
    df = pd.DataFrame(
        {
            "c1": ["081 234 5678", "+855 12 345 678", "09-4567-8901", "+84 912 345 678"] * 5,
            "c2": ["a@b.co", "x.y@mail.co.th", "z@q.org", "w@e.com"] * 5,
            "c3": ["1103700012346", "1-1037-00012-34-6", "12/OUKAMA(N)123456",
                   "3201234567890001"] * 5,
            "c4": ["Male", "Female", "Male", "Unknown"] * 5,
            "c5": ["TH-10", "TH-85", "KH-12", "MM-02"] * 5,
        }
    )
    report = detect_identifiers(df, schema=False)
    assert [report[c].kind for c in report.identifiers] == ["phone", "email", "id_number"]
    assert report["c1"].confidence == "high"


def test_measurements_are_not_identifiers():
    import numpy as np

    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        {
            "income": rng.lognormal(11, 0.5, 500),  # 81234.5678...
            "debt": rng.integers(60_000_000, 99_999_999, 500),  # 8 digits, not phones
            "hours": rng.integers(8, 18, 500).astype(str),
            "registered": pd.date_range("2020-01-01", periods=500).strftime("%Y-%m-%d"),
        }
    )
    assert detect_identifiers(df, schema=False).columns == []


def test_phone_numbers_in_a_quasi_identifier_column_are_reported(cases):
    df = cases.copy()
    df["prs_Citizenship"] = ["081 234 5678"] * len(df)
    report = detect_identifiers(df)
    assert "prs_Citizenship" in report.identifiers
    assert "wrong column" in " ".join(report["prs_Citizenship"].evidence)


def test_report_views(cases):
    report = detect_identifiers(cases)
    assert isinstance(report, IdentifierReport)
    frame = report.to_frame()
    assert list(frame.columns) == [
        "column", "detected", "role", "kind", "confidence", "share", "n_values", "evidence"
    ]
    assert len(frame) == cases.shape[1]
    d = report.to_dict()
    assert d["identifiers"] == report.identifiers and len(d["findings"]) == cases.shape[1]
    assert "direct identifier" in report.summary()
    assert "<table>" in report._repr_html_()
    assert "IdentifierReport" in repr(report)


@pytest.mark.parametrize(
    "value",
    ["+66 81 234 5678", "081-234-5678", "(02) 123 4567", "+855 12 345 678", "012 345 678",
     "09 4567 8901", "၀၉၄၅၆၇၈၉၀၁", "020 5555 1234", "+62 812-3456-7890", "0917 123 4567",
     "0066 81 234 5678", "+673 712 3456", "9123 4567", "๐๘๑๒๓๔๕๖๗๘"],
)
def test_phone_formats(value):
    assert P.is_phone(value)


@pytest.mark.parametrize(
    "value", ["2024-01-05", "1990", "34", "TH-85", "1103700012346", "001089012345", "12/05/2023"]
)
def test_not_phones(value):
    assert not P.is_phone(value)


def test_thai_id_check_digit():
    assert P.thai_id_check_digit("110370001234") == 6
    assert P.is_thai_id("1-1037-00012-34-6")
    assert not P.is_thai_id("1-1037-00012-34-5")


def test_drop_identifiers_defaults_to_detected(cases):
    before = cases.copy()
    drop = DropIdentifiers().fit(cases)
    out = drop.transform(cases)
    assert set(drop.columns_) == set(detect_identifiers(cases).columns)
    assert list(out.columns) == ["prs_Gender", "prs_Birthdate", "prs_Citizenship",
                                 "vic_LocationOfExploitation", "vic_AgeWhenTrafficked"]
    assert out.attrs["htwork"]["file"] == "cases.csv"
    pd.testing.assert_frame_equal(cases, before)  # input untouched
    keep_notes = DropIdentifiers(drop_free_text=False).fit_transform(cases)
    assert "cas_Notes" in keep_notes.columns


def test_drop_identifiers_unknown_column(cases):
    with pytest.raises(InputError, match="no such column") as err:
        DropIdentifiers(columns=["prs_FirstName", "nope"]).fit(cases)
    assert err.value.column == "nope"


def test_roles_come_from_any_schema_the_standards_load(cases, tmp_path):
    """A Standard, a descriptor dict, a shipped name or a YAML file: the same roles."""
    import yaml

    from htwork.errors import StandardError
    from htwork.standards import load_standard

    df = pd.DataFrame({"ref": cases["cas_CaseId"], "comments": cases["prs_Gender"],
                       "phone": cases["prs_MobilePhone"]})
    descriptor = {"name": "mine", "fields": [
        {"name": "ref", "htwork:role": "direct_identifier"},
        {"name": "comments", "htwork:role": "free_text"},
        {"name": "phone", "htwork:role": "other"}]}
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(descriptor), encoding="utf-8")
    for schema in (descriptor, path, load_standard(descriptor)):
        report = detect_identifiers(df, schema=schema)
        assert report.identifiers == ["ref", "phone"] and report.free_text == ["comments"]
        assert report["ref"].confidence == "schema"
        # a role that should hold no identifiers, but the values are phone numbers
        assert report["phone"].confidence == "high" and "wrong column" in report[
            "phone"].evidence[0]
    assert detect_identifiers(cases, schema="htcds_input").identifiers == detect_identifiers(
        cases).identifiers
    descriptor["fields"][0]["htwork:role"] = "identifier"
    with pytest.raises(StandardError, match="unknown role"):
        detect_identifiers(df, schema=descriptor)


def test_each_branch_of_the_decision(cases):
    """Header, values, excluded headers and weak hints each decide as documented."""
    n = 200
    df = pd.DataFrame({
        "case notes": ["the person said that she was brought across the border by a broker"] * n,
        "ID number": [f"{i % 3 + 1}" for i in range(n)],    # codes, not identifiers
        "mobile": [f"+66 81 234 {i:04d}" for i in range(n)],
        "agency name": [f"Agency {i % 4}" for i in range(n)],  # a name header, excluded
        "contact": [f"a{i}@example.org" if i < 30 else "-" for i in range(n)],
        "respondent": [f"{first} {chr(65 + i // 26)}{chr(97 + i % 26)}" for i, first in
                       enumerate(["Somchai", "Malee", "Aung", "Thida", "Dara"] * 40)],
    })
    report = detect_identifiers(df, schema=False)
    f = {c: report[c] for c in df.columns}
    assert (f["case notes"].kind, f["case notes"].confidence) == ("free_text", "high")
    assert (f["ID number"].detected, f["ID number"].confidence) == (False, "low")
    assert "codes, not identifiers" in f["ID number"].evidence[-1]
    assert (f["mobile"].kind, f["mobile"].confidence, f["mobile"].share) == ("phone", "high", 1.0)
    assert not f["agency name"].detected
    assert "organisation" in f["agency name"].evidence[0]
    assert (f["contact"].detected, f["contact"].kind, f["contact"].confidence) == (
        False, "email", "low")
    assert (f["respondent"].kind, f["respondent"].confidence) == ("name", "medium")
