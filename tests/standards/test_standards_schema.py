"""The shipped schemas: loadable by frictionless, enums real, the generator up to date."""

from __future__ import annotations

import csv
import json
import runpy
from pathlib import Path

import frictionless
import pytest

from htwork.errors import StandardError
from htwork.standards import ROLES, Standard, load_standard

DATA = Path(__file__).resolve().parents[2] / "htwork" / "standards" / "data"
TOOLS = Path(__file__).resolve().parents[2] / "tools"
BANDS = ["0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+"]


@pytest.fixture(scope="module", params=["input", "release"])
def std(request) -> Standard:
    return load_standard(request.param)


def test_frictionless_reads_both(std):
    schema = frictionless.Schema.from_descriptor(std.to_frictionless())
    assert [f.name for f in schema.fields] == std.field_names
    assert frictionless.Schema.from_descriptor(str(DATA / Path(std.source).name))


def test_single_select_enum_equals_categories(std):
    for f in std.fields:
        if f.get("categories") and not f.get("htwork:multiple"):
            assert f["constraints"]["enum"] == std.categories(f["name"]), f["name"]
        if f.get("htwork:multiple"):
            assert "enum" not in f.get("constraints", {})
            assert f["constraints"]["pattern"], f["name"]


def test_codelist_files_exist_and_roles_valid(std):
    roles = set(ROLES)
    for f in std.fields:
        assert f.get("htwork:role") in roles, f["name"]
        assert f.get("description"), f["name"]
        if f.get("htwork:codelist"):
            assert (DATA / f"{f['htwork:codelist']}.csv").is_file()
        if f.get("htwork:country_field"):
            assert f["htwork:country_field"] in std


def test_release_shape():
    rel = load_standard("ctdc_release")
    assert rel.categories("ageBroad") == BANDS
    assert rel.categories("gender") == ["Female", "Male", "Transgender/NonConforming"]
    assert rel.categories("majorityStatus") == ["Adult", "Minor"]
    assert len(rel.categories("citizenship")) == 249 and "MMR" in rel.categories("citizenship")
    fams = rel.flag_families()
    assert set(fams) == {"exploitation", "means", "typeOfLabour", "typeOfSex",
                         "recruiterRelation"}
    assert len(fams["means"]) == 8 and len(fams["typeOfLabour"]) == 12
    for name in sum(fams.values(), []):
        f = rel.field(name)
        assert f["type"] == "integer" and rel.categories(name) == [0, 1]
        assert f["htwork:role"] == "sensitive"
    assert set(rel.quasi_identifiers) == {"yearOfRegistration", "gender", "ageBroad",
                                          "majorityStatus", "citizenship",
                                          "CountryOfExploitation"}


def test_standard_api():
    s = load_standard("htcds")
    assert s is load_standard("input") and s.name == "input"
    assert s.required == ["cas_CaseId", "cas_IdentifyingOrganisation", "cas_RegistrationDate",
                          "prs_Gender"]
    assert s.primary_key == ["cas_CaseId"]
    assert s.is_multiple("vic_MethodsOfControl") and not s.is_multiple("prs_Gender")
    assert s.separator("vic_MethodsOfControl") == ";"
    assert "prs_FirstName" in s.direct_identifiers and "cas_Notes" not in s.direct_identifiers
    assert "prs_Birthdate" in s.quasi_identifiers
    assert s.roles["cas_Notes"] == "free_text"
    assert s.codelist("prs_Citizenship") == "iso3166"
    d = s.to_frictionless()
    d["fields"].clear()
    assert s.fields, "to_frictionless must return a copy"
    with pytest.raises(StandardError, match="prs_Gender"):
        s.field("prs_Gendr")


def test_load_by_path_and_unknown(tmp_path):
    p = tmp_path / "mine.schema.json"
    p.write_text(json.dumps({"name": "mine", "fields": [{"name": "a", "type": "string"}]}))
    assert load_standard(p).field_names == ["a"]
    with pytest.raises(StandardError) as err:
        load_standard("hcdts")
    for known in ("input", "release", "htcds", "ctdc"):
        assert known in str(err.value)
    with pytest.raises(StandardError, match="no such schema file"):
        load_standard(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(StandardError, match="not valid JSON"):
        load_standard(bad)
    notable = tmp_path / "notable.json"
    notable.write_text(json.dumps({"name": "x"}))
    with pytest.raises(StandardError, match="not a table schema"):
        load_standard(notable)


def _validate_csv(tmp_path, std, header, rows):
    p = tmp_path / "t.csv"
    with open(p, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    descriptor = std.to_frictionless()
    by_name = {f["name"]: f for f in descriptor["fields"]}
    descriptor["fields"] = [by_name[h] for h in header]
    descriptor.pop("primaryKey", None)
    resource = frictionless.Resource(path=p.name, basepath=str(tmp_path),
                                     schema=frictionless.Schema.from_descriptor(descriptor))
    return frictionless.validate(resource)


def test_frictionless_enforces_release_enums(tmp_path):
    rel = load_standard("release")
    header = ["yearOfRegistration", "gender", "ageBroad", "citizenship", "isForcedLabour"]
    good = _validate_csv(tmp_path, rel, header, [["2021", "Female", "9--17", "MMR", "1"],
                                                 ["2022", "", "48+", "", ""]])
    assert good.valid, good.flatten(["type", "note"])
    for bad_row in (["2021", "Female", "9-17", "MMR", "1"],      # band spelled wrong
                    ["2021", "female", "9--17", "MMR", "1"],     # gender not a category
                    ["2021", "Female", "9--17", "MM", "1"],      # alpha-2, not alpha-3
                    ["2021", "Female", "9--17", "MMR", "2"]):    # flag not 0/1
        report = _validate_csv(tmp_path, rel, header, [bad_row])
        assert not report.valid, bad_row
        assert {e[0] for e in report.flatten(["type"])} == {"constraint-error"}, bad_row


def test_frictionless_enforces_input_patterns(tmp_path):
    inp = load_standard("input")
    header = ["vic_MethodsOfControl", "prs_Citizenship", "vic_LocationOfExploitation"]
    good = _validate_csv(tmp_path, inp, header, [["DebtBondage;TakesEarnings", "MM", "TH-85"]])
    assert good.valid, good.flatten(["type", "note"])
    for bad_row in (["DebtBondage; TakesEarnings", "MM", "TH-85"],
                    ["Debt", "MM", "TH-85"], ["Other", "MMR", "TH-85"], ["Other", "MM", "85"]):
        report = _validate_csv(tmp_path, inp, header, [bad_row])
        assert {e[0] for e in report.flatten(["type"])} == {"constraint-error"}, bad_row


def test_shipped_files_match_the_generator():
    ns = runpy.run_path(str(TOOLS / "build_standard_schemas.py"), run_name="not_main")
    shipped = json.loads((DATA / "htcds_input.schema.json").read_text(encoding="utf-8"))
    assert shipped == json.loads(json.dumps(ns["SCHEMA"]))
    shipped = json.loads((DATA / "ctdc_release.schema.json").read_text(encoding="utf-8"))
    assert shipped["fields"] == json.loads(json.dumps(ns["release_fields"]()))
    with open(DATA / "htcds_to_ctdc.csv", encoding="utf-8", newline="") as fh:
        assert list(csv.DictReader(fh)) == ns["crosswalk_rows"]()
