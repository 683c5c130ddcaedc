"""Releasing a table in its own schema: keys by role or column, absent keys, policies already
met, typed outputs, empty columns, and bad input stopped before anything is written."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml

from htwork.cli import main
from htwork.errors import InputError
from htwork.release import Policy, release
from htwork.release.keys import resolve_keys
from htwork.release.policy import Thresholds, load_policy
from htwork.release.steps import mostly_southeast_asia, protect_table
from htwork.risk import frequencies
from htwork.standards import load_standard


def _survey(n: int = 400, seed: int = 3) -> pd.DataFrame:
    """A small survey-like table: keys, a number, a date, a survey missing code, a name,
    a note and an empty column."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "name": [f"Person{i:04d} Surname{i * 7 % 9973:04d}" for i in range(n)],
        "sex": rng.choice(["F", "M"], n),
        "agegroup": rng.choice(["16-24", "25-44", "45-64", "65+"], n),
        "district": rng.choice([f"D{i}" for i in range(12)], n),
        "income": np.where(rng.random(n) < 0.1, "-8",
                           rng.integers(500, 5000, n).astype(str)),
        "bmi": np.round(rng.normal(25, 4, n), 2).astype(str),
        "visit": pd.date_range("2020-01-01", periods=n, freq="D").strftime("%Y-%m-%d"),
        "notes": [f"seen at home, said the neighbour {i} knows" for i in range(n)],
        "unused": [""] * n,
    })


def _schema() -> dict:
    return {"name": "survey", "missingValues": [""], "fields": [
        {"name": "name", "type": "string", "htwork:role": "direct_identifier"},
        {"name": "sex", "type": "string", "constraints": {"enum": ["F", "M"]},
         "htwork:role": "quasi_identifier"},
        {"name": "agegroup", "type": "string", "htwork:role": "quasi_identifier"},
        {"name": "district", "type": "string", "htwork:role": "quasi_identifier"},
        {"name": "income", "type": "integer", "missingValues": ["", "-8"],
         "htwork:role": "sensitive"},
        {"name": "bmi", "type": "number", "htwork:role": "other"},
        {"name": "visit", "type": "date", "htwork:role": "other"},
        {"name": "notes", "type": "string", "htwork:role": "free_text"},
        {"name": "unused", "type": "string", "htwork:role": "other"},
    ]}


@pytest.fixture(scope="module")
def survey_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("survey")
    _survey().to_csv(d / "survey.csv", index=False)
    (d / "schema.yaml").write_text(yaml.safe_dump(_schema(), sort_keys=False), "utf-8")
    (d / "k3.yaml").write_text(yaml.safe_dump({
        "name": "survey_k3", "route": "anonymise",
        "quasi_identifiers": {"role": "quasi_identifier"},
        "sensitive": {"role": "sensitive"}, "suppress_k": 3, "thresholds": {"k": 3}}), "utf-8")
    return d


@pytest.fixture(scope="module")
def survey_release(survey_files, tmp_path_factory):
    out = tmp_path_factory.mktemp("rel") / "folder"
    code = main(["release", str(survey_files / "survey.csv"), "--schema",
                 str(survey_files / "schema.yaml"), "--policy", str(survey_files / "k3.yaml"),
                 "--out", str(out), "--quiet"])
    assert code == 0
    return out


def test_own_schema_release_publishes_the_tables_own_columns(survey_release):
    data = pd.read_csv(survey_release / "data.csv", dtype=str, keep_default_na=False)
    # identifiers and free text dropped by role, the empty column left out, nothing mapped
    assert list(data.columns) == ["sex", "agegroup", "district", "income", "bmi", "visit"]
    assert "-8" not in set(data["income"])          # the survey code became an empty cell
    assert (data["income"] == "").sum() >= 20
    sheet = (survey_release / "DATASHEET.md").read_text("utf-8")
    assert "unused" in sheet and "Left out because every cell is empty" in sheet
    assert "Southeast Asia" not in sheet and "phone numbers" not in sheet
    assert "direct identifiers (name)" in sheet and "free text (notes)" in sheet
    report = json.loads((survey_release / "risk_report.json").read_text("utf-8"))
    assert report["keys"]["quasi_identifiers"] == ["sex", "agegroup", "district"]
    assert report["keys"]["by_role"]["quasi_identifiers"] == {
        "quasi_identifier": ["sex", "agegroup", "district"]}


def test_own_schema_release_is_k_anonymous_with_wildcards(survey_release):
    data = pd.read_csv(survey_release / "data.csv", dtype=str, keep_default_na=False)
    keys = ["sex", "agegroup", "district"]
    seen = data[keys].replace({"suppressed": None, "": None})
    assert (np.asarray(frequencies(seen, keys).fk) >= 3).all()


def test_parquet_keeps_the_schema_types(survey_release):
    t = pq.read_table(survey_release / "data.parquet")
    types = {f.name: str(f.type) for f in t.schema}
    assert types["income"] == "int64"
    assert types["bmi"] == "double"
    assert types["visit"] == "date32[day]"
    assert types["sex"] == "string"


def test_datapackage_validates(survey_release):
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(survey_release / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "note"])[:5]
    dp = json.loads((survey_release / "datapackage.json").read_text("utf-8"))
    fields = {f["name"]: f for f in dp["resources"][0]["schema"]["fields"]}
    assert fields["income"]["type"] == "integer" and "missingValues" not in fields["income"]
    assert "human trafficking" not in dp["keywords"]


def test_replay_of_an_own_schema_release_is_identical(survey_files, survey_release,
                                                      tmp_path):
    from htwork.release import replay

    from .conftest import folder_bytes

    out = tmp_path / "again"
    replay(survey_release / "recipe.yaml", survey_files / "survey.csv", out=out,
           schema=survey_files / "schema.yaml", progress=False)
    assert folder_bytes(out) == folder_bytes(survey_release)


# --- keys by role or by column -------------------------------------------------------------

def test_policy_yaml_names_keys_by_role_and_round_trips():
    pol = Policy.from_dict({"name": "p", "quasi_identifiers": ["age", {"role": "quasi_identifier"}],
                            "thresholds": {"k": 5}})
    assert pol.quasi_identifiers == ("age",)
    assert pol.roles == {"quasi_identifiers": ("quasi_identifier",)}
    again = Policy.from_dict(pol.to_dict())
    assert again == pol
    assert Policy.from_dict({"name": "q", "quasi_identifiers": {"role": "quasi_identifier"},
                             "thresholds": {"k": 5}}).to_dict()["quasi_identifiers"] == {
        "role": "quasi_identifier"}
    with pytest.raises(InputError, match="unknown role"):
        Policy.from_dict({"name": "r", "quasi_identifiers": {"role": "quasi"},
                          "thresholds": {"k": 5}})


def test_presets_to_dict_unchanged_by_roles():
    d = load_policy("ctdc_k11").to_dict()
    assert "roles" not in d and isinstance(d["quasi_identifiers"], list)


def test_absent_key_goes_on_and_strict_refuses():
    pol = Policy(name="p", quasi_identifiers=("sex", "gender"), thresholds=_k(3))
    schema = load_standard(_schema())
    res = resolve_keys(pol, ["sex", "district"], schema)
    assert res.policy.quasi_identifiers == ("sex",)
    assert res.absent == {"quasi_identifiers": ["gender"]}
    assert "gender" in res.text()
    with pytest.raises(InputError, match="lacks"):
        resolve_keys(pol, ["sex", "district"], schema, strict=True)


def test_a_key_that_exists_nowhere_is_an_error():
    pol = Policy(name="p", quasi_identifiers=("sex", "distrcit"), thresholds=_k(3))
    with pytest.raises(InputError, match="distrcit.*no column") as err:
        resolve_keys(pol, ["sex", "district"], load_standard(_schema()), policy_file="p.yaml")
    assert err.value.column == "quasi_identifiers"


def test_quasi_override_replaces_the_keys_and_must_name_columns():
    pol = load_policy("ctdc_k11")
    res = resolve_keys(pol, ["sex", "district"], None, quasi=["district"])
    assert res.policy.quasi_identifiers == ("district",)
    with pytest.raises(InputError, match="--quasi"):
        resolve_keys(pol, ["sex", "district"], None, quasi=["age"])


def test_no_key_present_is_an_error():
    with pytest.raises(InputError, match="none of its quasi-identifiers"):
        resolve_keys(load_policy("ctdc_k11"), ["sex", "district"], load_standard(_schema()))


def _k(k: int) -> Thresholds:
    return Thresholds(k=k)


def test_release_with_an_absent_key_says_so(survey_files, tmp_path, capsys):
    pol = tmp_path / "p.yaml"
    pol.write_text(yaml.safe_dump({"name": "p", "quasi_identifiers": ["sex", "agegroup",
                                                                       "gender"],
                                   "suppress_k": 3, "thresholds": {"k": 3}}), "utf-8")
    out = tmp_path / "rel"
    code = main(["release", str(survey_files / "survey.csv"), "--schema",
                 str(survey_files / "schema.yaml"), "--policy", str(pol), "--out", str(out),
                 "--quiet"])
    assert code == 0
    assert "absent from the table, not used: quasi_identifiers gender" in capsys.readouterr().out
    report = json.loads((out / "risk_report.json").read_text("utf-8"))
    assert report["keys"]["absent"] == {"quasi_identifiers": ["gender"]}
    assert "absent from the input, so not used: gender" in (out / "DATASHEET.md").read_text()
    strict = tmp_path / "strict"
    assert main(["release", str(survey_files / "survey.csv"), "--schema",
                 str(survey_files / "schema.yaml"), "--policy", str(pol), "--out",
                 str(strict), "--quiet", "--strict"]) == 2
    assert not strict.exists()


def test_cli_quasi_overrides_the_policy(survey_files, tmp_path):
    out = tmp_path / "rel"
    assert main(["release", str(survey_files / "survey.csv"), "--schema",
                 str(survey_files / "schema.yaml"), "--policy", str(survey_files / "k3.yaml"),
                 "--quasi", "sex,agegroup", "--out", str(out), "--quiet"]) == 0
    report = json.loads((out / "risk_report.json").read_text("utf-8"))
    assert report["risk_after"]["quasi_identifiers"] == ["sex", "agegroup"]
    assert report["keys"]["quasi_override"] == ["sex", "agegroup"]


# --- a policy already met changes nothing ---------------------------------------------------

def _mostly_safe() -> pd.DataFrame:
    """1,000 records: four groups of 248 and eight unique records; global risk about 1.2%."""
    rows = [("F", "A")] * 248 + [("F", "B")] * 248 + [("M", "A")] * 248 + [("M", "B")] * 248
    rows += [("X", f"u{i}") for i in range(8)]
    return pd.DataFrame(rows, columns=["sex", "group"], dtype=object)


def test_a_policy_already_met_suppresses_nothing():
    base = _mostly_safe()
    pol = Policy(name="risk3", quasi_identifiers=("sex", "group"), suppress_k="auto",
                 thresholds=Thresholds(global_risk=0.03))
    out = protect_table(base, pol)
    assert out.mask is not None and int(out.mask.to_numpy().sum()) == 0
    assert out.table.equals(base)
    assert [r["step"] for r in out.records] == ["already_met"]


def test_a_policy_not_met_still_suppresses():
    base = _mostly_safe()
    pol = Policy(name="k3", quasi_identifiers=("sex", "group"), suppress_k=3, thresholds=_k(3))
    out = protect_table(base, pol)
    assert out.mask is not None and int(out.mask.to_numpy().sum()) > 0


# --- outputs fit the data -------------------------------------------------------------------

def test_southeast_asia_only_when_the_countries_are_there():
    assert mostly_southeast_asia(pd.DataFrame({"CountryOfExploitation": ["THA", "KHM", "USA"]}))
    assert not mostly_southeast_asia(pd.DataFrame({"CountryOfExploitation": ["USA", "GBR",
                                                                             "THA"]}))
    assert not mostly_southeast_asia(pd.DataFrame({"sex": ["F"]}))


# --- bad input: a clear error, exit non-zero, nothing written ---------------------------------

@pytest.mark.parametrize("case", ["missing_column", "weight_on_text", "key_nowhere"])
def test_bad_input_stops_the_release(case, survey_files, tmp_path, capsys):
    schema = _schema()
    policy = str(survey_files / "k3.yaml")
    if case == "missing_column":
        schema["fields"].append({"name": "household", "type": "integer"})
        field = "household"
    elif case == "weight_on_text":
        schema["fields"][3]["htwork:role"] = "weight"
        field = "district"
    else:
        policy = str(tmp_path / "typo.yaml")
        (tmp_path / "typo.yaml").write_text(yaml.safe_dump(
            {"name": "typo", "quasi_identifiers": ["sex", "agegrop"],
             "thresholds": {"k": 3}}), "utf-8")
        field = "agegrop"
    path = tmp_path / "schema.yaml"
    path.write_text(yaml.safe_dump(schema, sort_keys=False), "utf-8")
    out = tmp_path / "rel"
    code = main(["release", str(survey_files / "survey.csv"), "--schema", str(path),
                 "--policy", policy, "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert field in err
    assert ("survey.csv" in err) or ("typo.yaml" in err)
    assert not out.exists()


def test_validate_with_a_schema(survey_files, tmp_path, capsys):
    assert main(["validate", str(survey_files / "survey.csv"), "--schema",
                 str(survey_files / "schema.yaml")]) == 0
    bad = _schema()
    bad["fields"][2]["constraints"] = {"enum": ["16-24"]}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(bad), "utf-8")
    assert main(["validate", str(survey_files / "survey.csv"), "--schema", str(path)]) == 1
    assert "agegroup" in capsys.readouterr().out


def test_validate_infers_a_schema_for_a_table_not_in_the_input_standard(survey_files, capsys):
    assert main(["validate", str(survey_files / "survey.csv")]) == 0
    err = capsys.readouterr().err
    assert "inferred schema: 9 columns" in err and "quasi-identifiers:" in err


def test_release_without_schema_infers_one(survey_files, tmp_path, capsys, monkeypatch):
    import htwork.standards as standards

    calls = []
    real = standards.profile
    monkeypatch.setattr(standards, "profile", lambda *a, **k: calls.append(1) or real(*a, **k))
    out = tmp_path / "rel"
    assert main(["release", str(survey_files / "survey.csv"), "--policy",
                 str(survey_files / "k3.yaml"), "--out", str(out), "--quiet"]) == 0
    assert len(calls) == 1  # inferred once: printed, then handed to release()
    assert "inferred schema" in capsys.readouterr().err
    recipe = yaml.safe_load((out / "recipe.yaml").read_text("utf-8"))
    assert recipe["schema"]["inferred"] is True
    assert "name" not in pd.read_csv(out / "data.csv").columns


def test_release_rejects_an_inferred_dataframe_schema_error(tmp_path):
    df = _survey(50)
    path = tmp_path / "t.csv"
    df.to_csv(path, index=False)
    schema = _schema()
    schema["fields"][4]["type"] = "date"  # income is no date
    with pytest.raises(InputError, match="income"):
        release(path, {"name": "p", "quasi_identifiers": ["sex"], "thresholds": {"k": 2}},
                schema=schema, out=tmp_path / "rel", progress=False)
    assert not (tmp_path / "rel").exists()


# --- the input-standard route says only what the extract held ---------------------------------

@pytest.mark.slow
def test_input_route_datasheet_names_only_identifiers_the_input_had(extract, tmp_path):
    df = pd.read_csv(extract, dtype=str, keep_default_na=False)
    gone = ["prs_MobilePhone", "prs_Aliases", "prs_Email", "cas_Notes"]
    path = tmp_path / "fewer.csv"
    df.drop(columns=gone).to_csv(path, index=False)
    out = tmp_path / "rel"
    release(path, "ctdc_k11", out=out, progress=False)
    sheet = (out / "DATASHEET.md").read_text("utf-8")
    for words in ("phone numbers", "aliases", "e-mail", "case notes"):
        assert words not in sheet, words
    assert "names" in sheet and "identity document numbers" in sheet
    assert "street addresses" in sheet


def test_assess_takes_the_keys_from_the_schema(survey_files, capsys):
    assert main(["assess", str(survey_files / "survey.csv"), "--schema",
                 str(survey_files / "schema.yaml"), "--no-suda", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["quasi_identifiers"] == ["sex", "agegroup", "district"]
    bad = _schema()
    bad["fields"][3]["htwork:role"] = "weight"  # a weight on a text column
    path = survey_files.parent / "bad-assess.yaml"
    path.write_text(yaml.safe_dump(bad), "utf-8")
    assert main(["assess", str(survey_files / "survey.csv"), "--schema", str(path)]) == 2
    assert "district" in capsys.readouterr().err


@pytest.mark.slow
def test_input_route_leaves_out_empty_columns_and_goes_on_without_their_keys(extract,
                                                                               tmp_path):
    df = pd.read_csv(extract, dtype=str, keep_default_na=False)
    df["vic_CountryOfExploitation"] = ""
    path = tmp_path / "no-country.csv"
    df.to_csv(path, index=False)
    out = tmp_path / "rel"
    result = release(path, "ctdc_k11", out=out, progress=False)
    data = pd.read_csv(out / "data.csv", dtype=str)
    assert "CountryOfExploitation" not in data.columns
    report = json.loads((out / "risk_report.json").read_text("utf-8"))
    assert report["keys"]["absent"]["quasi_identifiers"] == ["CountryOfExploitation"]
    assert "CountryOfExploitation" not in report["risk_after"]["quasi_identifiers"]
    sheet = (out / "DATASHEET.md").read_text("utf-8")
    assert "Left out because every cell is empty in the input: CountryOfExploitation" in sheet
    assert "absent from the input, so not used: CountryOfExploitation" in sheet
    assert "CountryOfExploitation" in str(result)


def test_southeast_asia_is_recognised_in_any_country_spelling():
    """alpha-2 (a CTDC-native table), alpha-3 (the release standard) and English names."""
    import pandas as pd

    from htwork.release.steps import mostly_southeast_asia

    for codes in (["TH", "KH", "VN", "US"], ["THA", "KHM", "VNM", "USA"],
                  ["Thailand", "Cambodia", "Viet Nam", "United States"]):
        assert mostly_southeast_asia(pd.DataFrame({"CountryOfExploitation": codes}))
    assert not mostly_southeast_asia(pd.DataFrame({"citizenship": ["US", "GB", "TH"]}))
