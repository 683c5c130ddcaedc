"""Crosswalk codes mapped to missing, to several codes at once, and countries written any way;
a crosswalk mapping to an unknown code is refused naming the file, line and code."""

from __future__ import annotations

import pandas as pd
import pytest

from htwork.cli import main
from htwork.errors import CrosswalkError
from htwork.standards.crosswalk import load_crosswalk

YAML = """\
name: ngo_sheet
defaults:
  missing: ["-99"]
columns:
  ID: cas_CaseId
  Sex:
    field: prs_Gender
    codes: {F: Female, M: Male, "9": null}
  Nationality: prs_Citizenship
  Exploitation:
    field: vic_TypeOfExploitation
    separator: "|"
    codes:
      labour: ForcedLabour
      sex: SexualExploitation
      "sex and labour": [SexualExploitation, ForcedLabour]
      unclear: null
  Country:
    field: vic_CountryOfExploitation
    missing: ["not known"]
"""


def _raw(rows: dict[str, list]) -> pd.DataFrame:
    df = pd.DataFrame(rows, dtype=object)
    df.index = range(2, len(df) + 2)
    df.attrs["htwork"] = {"file": "sheet.csv", "read_problems": []}
    return df


@pytest.fixture()
def crosswalk(tmp_path):
    path = tmp_path / "ngo_sheet.yaml"
    path.write_text(YAML, encoding="utf-8")
    return load_crosswalk(path)


def test_codes_map_to_missing_and_to_several_codes(crosswalk):
    raw = _raw({"ID": ["a", "b", "c", "d"], "Sex": ["F", "9", "-99", "M"],
                "Nationality": ["Viet Nam", "KHM", "Burma", "-99"],
                "Exploitation": ["sex and labour", "unclear", "labour|unclear", "-99"],
                "Country": ["Thailand", "not known", "MYS", "TH"]})
    out = crosswalk.apply(raw)
    assert out["prs_Gender"].tolist() == ["Female", None, None, "Male"]
    # one agency code -> two standard codes, in the schema's category order
    assert out["vic_TypeOfExploitation"].tolist() == [
        "ForcedLabour;SexualExploitation", None, "ForcedLabour", None]
    # countries in any spelling become alpha-2; the crosswalk's missing codes become empty
    assert out["prs_Citizenship"].tolist() == ["VN", "KH", "MM", None]
    assert out["vic_CountryOfExploitation"].tolist() == ["TH", None, "MY", "TH"]
    # writing back: codes mapped to missing or to several codes have no way back
    back = crosswalk.export(out)
    assert back["Sex"].tolist() == ["F", None, None, "M"]
    assert back["Exploitation"].tolist() == ["labour|sex", None, "labour", None]


def test_code_to_several_codes_is_refused_on_a_single_value_field(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: bad\ncolumns:\n  s:\n    field: prs_Gender\n"
                    "    codes: {x: [Male, Female]}\n", encoding="utf-8")
    with pytest.raises(CrosswalkError, match="holds one value per cell"):
        load_crosswalk(path)


@pytest.mark.parametrize("codes, bad", [
    ("{m: Mail}", "'Mail'"),
    ("{m: [ForcedLabour, Slavery]}", "'Slavery'"),
])
def test_unknown_target_code_names_file_line_and_code(tmp_path, codes, bad):
    field = "vic_TypeOfExploitation" if "Forced" in codes else "prs_Gender"
    path = tmp_path / "bad.yaml"
    path.write_text(f"name: bad\ncolumns:\n  ID: cas_CaseId\n  s:\n    field: {field}\n"
                    f"    codes:\n      other: null\n      {codes[1:-1]}\n", encoding="utf-8")
    with pytest.raises(CrosswalkError) as err:
        load_crosswalk(path)
    msg = str(err.value)
    assert str(path) in msg and "line 8" in msg and bad in msg and "'m'" in msg


def test_cli_refuses_a_bad_crosswalk_and_writes_nothing(tmp_path, capsys):
    data = tmp_path / "cases.csv"
    data.write_text("ID,Sex\na,F\n", encoding="utf-8")
    cw = tmp_path / "bad.yaml"
    cw.write_text("name: bad\ncolumns:\n  ID: cas_CaseId\n  Sex:\n    field: prs_Gender\n"
                  "    codes: {F: Femme}\n", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    status = main(["validate", str(data), "--crosswalk", str(cw)])
    err = capsys.readouterr().err
    assert status == 2
    assert str(cw) in err and "line 6" in err and "'Femme'" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
