"""htwork.standards.profile and ``htwork profile``: types, missing codes and roles of any table."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from htwork.cli import main
from htwork.errors import InputError, StandardError
from htwork.standards import Standard, TableSchema, load_standard, profile

SD2011 = Path(__file__).resolve().parents[3] / "shared" / "realdata" / "sd2011.csv"
if not SD2011.is_file():  # worktrees sit beside /work/shared; the main repository too
    SD2011 = Path("/work/shared/realdata/sd2011.csv")
needs_sd2011 = pytest.mark.skipif(
    not SD2011.is_file(), reason="the real table ../shared/realdata/sd2011.csv is not here")


def _case_sheet(n: int = 40) -> pd.DataFrame:
    first = ["Somchai", "Malee", "Dara", "Sokha", "Aung", "Thida", "Nguyen", "Linh"]
    last = ["Srisuk", "Chan", "Kyaw", "Tran", "Phan", "Win", "Lim", "Soe"]
    return pd.DataFrame({
        "full_name": [f"{first[i % 8]} {last[(i * 3) % 8]}{i}" for i in range(n)],
        "phone": [f"08{i % 10}-{1000 + i:04d}-{5000 + i * 7:04d}" for i in range(n)],
        "gender": ["Female", "Male", "-99", "Female"] * (n // 4),
        "citizenship": ["KH", "MM", "TH", "-99"] * (n // 4),
        "yearOfRegistration": [str(2015 + i % 6) for i in range(n)],
        "isForcedLabour": ["0", "1", "-99", "0"] * (n // 4),
        "date_of_interview": [f"2021-0{1 + i % 9}-1{i % 10}" for i in range(n)],
        "survey_wgt": [f"{1.5 + i / 7:.3f}" for i in range(n)],
        "temperature": [str(-5 + i) for i in range(n)],
        "notes": [f"met at the shelter on visit {i}, said the broker kept her papers"
                  for i in range(n)],
    })


def test_types_missing_codes_and_roles_of_a_case_sheet() -> None:
    s = profile(_case_sheet())
    assert isinstance(s, Standard) and TableSchema is Standard
    assert s.role("full_name") == "direct_identifier"
    assert s.role("phone") == "direct_identifier"
    assert s.role("notes") == "free_text"
    assert s.role("gender") == "quasi_identifier"
    assert s.role("citizenship") == "quasi_identifier"
    assert s.role("survey_wgt") == "weight"
    assert s.role("isForcedLabour") == "sensitive"
    assert all(s.role_reason(n) for n in s.field_names)
    assert s.field("yearOfRegistration")["type"] == "year"
    assert s.field("date_of_interview")["type"] == "date"
    assert s.field("survey_wgt")["type"] == "number"
    assert s.field("isForcedLabour")["type"] == "integer"
    assert s.domain("isForcedLabour") == [0, 1]
    assert s.domain("gender") == ["Female", "Male"]
    assert "-99" in s.missing_codes("gender") and "-99" in s.missing_codes("citizenship")
    # -5..34: negative values that are data, and no survey code among them
    assert s.field("temperature")["type"] == "integer"
    assert s.missing_codes("temperature") == [""]


def test_negative_code_is_kept_where_other_values_are_negative_too() -> None:
    df = pd.DataFrame({"balance": ["-8", "-120", "40", "3"]})
    assert profile(df).missing_codes("balance") == [""]


def test_text_missing_codes_but_not_the_answer_none() -> None:
    df = pd.DataFrame({"status": ["yes", "N/A", "no", "Unknown", "yes"],
                       "english": ["NONE", "ACTIVE", "PASSIVE", "NONE", "ACTIVE"]})
    s = profile(df)
    assert set(s.missing_codes("status")) == {"", "N/A", "Unknown"}
    assert s.domain("status") == ["no", "yes"]
    assert "NONE" in s.domain("english")


def test_profile_rejects_bad_tables() -> None:
    with pytest.raises(InputError, match="no columns"):
        profile(pd.DataFrame())
    df = pd.DataFrame([[1, 2]], columns=["a", "a"])
    with pytest.raises(InputError, match="'a'"):
        profile(df)


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_saved_schema_loads_as_the_same_standard(tmp_path: Path, suffix: str) -> None:
    s = profile(_case_sheet())
    out = s.save(tmp_path / f"schema{suffix}")
    back = load_standard(out)
    assert back.descriptor == s.descriptor
    assert back.quasi_identifiers == s.quasi_identifiers
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary file left


def test_save_rejects_other_extensions(tmp_path: Path) -> None:
    with pytest.raises(StandardError, match=r"\.yaml"):
        profile(_case_sheet()).save(tmp_path / "schema.txt")
    assert not list(tmp_path.iterdir())


def test_profiled_schema_is_a_valid_frictionless_schema() -> None:
    frictionless = pytest.importorskip("frictionless")
    descriptor = profile(_case_sheet()).to_frictionless(public=True)
    schema = frictionless.Schema.from_descriptor(descriptor)
    assert [f.name for f in schema.fields] == list(_case_sheet().columns)


@needs_sd2011
def test_sd2011_types_and_roles_a_reader_agrees_with() -> None:
    s = profile(SD2011)
    types = {n: s.field(n)["type"] for n in s.field_names}
    for n in ("age", "income", "height", "weight", "nofriend", "unempdur", "depress"):
        assert types[n] == "integer", n
    assert types["bmi"] == "number"
    assert types["ymarr"] == types["ysepdiv"] == "year"
    for n in ("sex", "agegr", "placesize", "region", "edu", "marital", "eduspec", "trust"):
        assert types[n] == "string" and s.domain(n), n
    assert s.domain("sex") == ["FEMALE", "MALE"]
    for n in ("income", "unempdur", "nociga", "nofriend"):
        assert "-8.0" in s.missing_codes(n), n
    assert "-8" in s.missing_codes("wkabdur")
    assert "-8" not in (s.domain("wkabdur") or [])
    for n in ("sex", "age", "agegr", "placesize", "region", "edu", "marital"):
        assert s.role(n) == "quasi_identifier", n
    for n in ("income", "depress", "alcabuse", "smoke"):
        assert s.role(n) == "sensitive", n
    assert s.direct_identifiers == [] and s.columns_with_role("free_text") == []
    assert s.role("weight") == "other"  # body weight in kg, not a survey weight
    prof = s.field("income")["htwork:profile"]
    assert prof["present"] + prof["missing"] == 5000 and prof["missing"] > 600


def test_cli_profile_writes_an_editable_schema(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "sheet.csv"
    _case_sheet().to_csv(src, index=False)
    out = tmp_path / "out" / "schema.yaml"
    out.parent.mkdir()
    assert main(["profile", str(src), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "full_name" in text and "direct_identifier" in text
    assert load_standard(out).role("phone") == "direct_identifier"
    assert main(["profile", str(src), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["fields"][0]["name"] == "full_name"


def test_cli_profile_bad_input_writes_nothing(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "sheet.csv"
    _case_sheet().to_csv(src, index=False)
    assert main(["profile", str(tmp_path / "absent.csv"), "--out",
                 str(tmp_path / "s.yaml")]) == 2
    assert "absent.csv" in capsys.readouterr().err
    assert main(["profile", str(src), "--out", str(tmp_path / "s.txt")]) == 2
    assert "s.txt" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheet.csv"]


def test_phone_check_does_not_crash_on_a_lone_zero() -> None:
    """A cell ``0`` (CTDC's 0/1 flags) crashed the phone pattern and so ``htwork scan``."""
    from htwork.standards.patterns import is_phone

    assert is_phone("0") is False
    assert is_phone("0", lenient=True) is False


def test_scan_against_a_file_with_a_zero_cell(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """``htwork scan DIR --against FILE`` crashed (IndexError) on a CSV ``flag\\n0\\n1``."""
    src = tmp_path / "in.csv"
    src.write_text("flag\n0\n1\n", encoding="utf-8")
    folder = tmp_path / "release"
    folder.mkdir()
    (folder / "data.csv").write_text("a\n1\n", encoding="utf-8")
    assert main(["scan", str(folder), "--against", str(src)]) == 0
    assert "nothing found" in capsys.readouterr().out


def test_flag_families_are_found_and_share_the_family_role():
    # CTDC's multi-select questions: one 0/1 column per answer. Words inside an answer
    # ("Sex", "Children") must not make a flag a quasi-identifier.
    n = 40
    flags = ["meansOfControlDebtBondage", "meansOfControlThreats", "meansOfControlUsesChildren",
             "typeOfSexProstitution", "typeOfSexPornography", "typeOfSexPrivateSexualServices",
             "isForcedLabour", "isSexAndLabour", "isOrganRemoval", "hasPhone", "hasRadio",
             "hasBicycle"]
    df = pd.DataFrame({f: [str((i * (j + 3)) % 2) for i in range(n)] for j, f in
                       enumerate(flags)})
    df["gender"] = ["Female", "Male"] * (n // 2)
    df["typeOfSexConcatenated"] = ["Prostitution", "Pornography"] * (n // 2)
    s = profile(df)
    for f in flags[:9] + ["typeOfSexConcatenated"]:
        assert s.role(f) == "sensitive", (f, s.role_reason(f))
    assert s.field("meansOfControlUsesChildren")["htwork:family"] == "means_of_control"
    assert s.field("isOrganRemoval")["htwork:family"] == "is"
    assert "family" in s.role_reason("isSexAndLabour")
    # a family that names nothing sensitive keeps each column's own role
    assert {s.role(f) for f in flags[9:]} == {"other"}
    assert s.field("hasPhone")["htwork:family"] == "has"
    assert s.role("gender") == "quasi_identifier" and "htwork:family" not in s.field("gender")
