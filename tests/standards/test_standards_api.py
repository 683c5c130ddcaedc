"""The standards API other modules ask: roles with reasons, domains, flag families, rules
between fields, release inputs; any schema (JSON, YAML, dict) through the same object."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from htwork.errors import StandardError
from htwork.standards import ROLES, Implication, crosswalk_table, load_standard, release_inputs

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", params=["input", "release"])
def std(request):
    return load_standard(request.param)


def test_every_field_has_a_role_and_a_reason(std):
    for name in std.field_names:
        assert std.role(name) in ROLES, name
        reason = std.role_reason(name)
        assert reason and len(reason) > 20 and reason.endswith("."), name
    assert sorted(sum((std.columns_with_role(r) for r in ROLES), [])) == sorted(std.field_names)


def test_roles_of_the_input_standard():
    inp = load_standard("input")
    assert inp.role("prs_FirstName") == "direct_identifier"
    assert inp.role("cas_Notes") == "free_text"
    assert inp.role("prs_Birthdate") == "quasi_identifier"
    assert inp.role("vic_MethodsOfControl") == "sensitive"
    assert inp.role("cas_Status") == "other"
    assert inp.columns_with_role("free_text") == ["cas_Notes"]
    with pytest.raises(StandardError, match="Unknown role"):
        inp.columns_with_role("identifier")


def test_domains():
    rel = load_standard("release")
    assert rel.domain("ageBroad")[:2] == ["0--8", "9--17"]
    assert rel.domain("isForcedLabour") == [0, 1]
    assert rel.domain("yearOfRegistration") is None
    assert "MMR" in rel.domain("citizenship")
    got = rel.domains(["gender", "yearOfRegistration", "not_a_field", 7])
    assert got == {"gender": ["Female", "Male", "Transgender/NonConforming"]}
    inp = load_standard("input")
    assert "DebtBondage" in inp.domain("vic_MethodsOfControl")  # item codes of a multi-select
    assert inp.domain("prs_FirstName") is None


def test_flag_families_and_rules_between_fields():
    rel = load_standard("release")
    fams = rel.flag_families()
    assert rel.family_of("meansThreats") == "means" and rel.family_of("gender") is None
    assert rel.family_of("not_a_field") is None
    assert fams["typeOfSex"] == [c for c in rel.field_names if c.startswith("typeOfSex")]
    rules = rel.implications()
    age = [r for r in rules if r.field == "ageBroad"]
    assert [(r.then, r.value, r.or_missing) for r in age] == [("majorityStatus", "Minor", False),
                                                              ("majorityStatus", "Adult", False)]
    assert set(age[0].when) | set(age[1].when) == set(rel.categories("ageBroad"))
    assert not set(age[0].when) & set(age[1].when)
    labour = [r for r in rules if r.then == "isForcedLabour"]
    assert [r.field for r in labour] == fams["typeOfLabour"]
    assert str(labour[0]) == "typeOfLabourAgriculture = 1 implies isForcedLabour = 1 or missing"
    assert rel.implications(["ageBroad", "isForcedLabour"]) == []
    assert rel.implications(["typeOfSexPornography", "isSexualExploit"]) == [
        Implication("typeOfSexPornography", (1,), "isSexualExploit", 1, True)]


def test_public_descriptors_carry_no_htwork_properties():
    rel = load_standard("release")
    f = rel.public_field("ageBroad")
    assert f["name"] == "ageBroad" and f["categoriesOrdered"] is True
    assert not [k for k in f if k.startswith("htwork:")]
    f["categories"].clear()
    assert rel.categories("ageBroad"), "public_field must return a copy"
    text = json.dumps(rel.to_frictionless(public=True))
    assert "htwork:" not in text and "isForcedLabour" in text


def test_release_inputs_are_the_crosswalks_sources():
    cw = crosswalk_table()
    assert set(release_inputs()) == set(cw.loc[cw["target_field"] != "", "source_field"])
    assert {"cas_RegistrationDate", "prs_Birthdate", "vic_AgeWhenTrafficked"} <= set(
        release_inputs())
    inp = load_standard("input")
    assert not set(release_inputs()) & set(inp.direct_identifiers + inp.columns_with_role(
        "free_text"))


def test_any_schema_loads_through_the_same_object(tmp_path):
    descriptor = {"name": "survey", "fields": [
        {"name": "id", "type": "string", "htwork:role": "direct_identifier",
         "htwork:roleReason": "The respondent's number."},
        {"name": "w", "type": "number", "htwork:role": "weight"},
        {"name": "sex", "type": "string", "htwork:role": "quasi_identifier",
         "constraints": {"enum": ["1", "2"]}},
        {"name": "note", "type": "string"}]}
    y = tmp_path / "survey.schema.yaml"
    y.write_text(yaml.safe_dump(descriptor), encoding="utf-8")
    for s in (load_standard(descriptor), load_standard(y), load_standard(str(y))):
        assert s.name == "survey"
        assert s.columns_with_role("weight") == ["w"]
        assert s.role("note") is None and s.roles == {"id": "direct_identifier", "w": "weight",
                                                      "sex": "quasi_identifier"}
        assert s.domain("sex") == ["1", "2"] and s.flag_families() == {}
    assert load_standard("htcds_input") is load_standard("input")
    assert load_standard("ctdc_release") is load_standard("release")


@pytest.mark.parametrize("change, message", [
    ({"htwork:role": "identifier"}, "unknown role 'identifier'"),
    ({"htwork:implies": [{"when": [1], "field": "nope", "value": 1}]}, "does not have"),
    ({"htwork:implies": {"field": "b"}}, "must be a list"),
    ({"htwork:implies": [{"when": "x", "field": "b", "value": 1}]}, "a list of values"),
])
def test_bad_schemas_say_file_and_field(tmp_path, change, message):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"fields": [{"name": "a", **change}, {"name": "b"}]}),
                    encoding="utf-8")
    with pytest.raises(StandardError, match=message) as info:
        load_standard(path)
    assert "bad.json" in str(info.value) and "'a'" in str(info.value)
    broken = tmp_path / "broken.yaml"
    broken.write_text("fields: [name: a\n", encoding="utf-8")
    with pytest.raises(StandardError, match="not valid YAML"):
        load_standard(broken)


def test_no_module_outside_standards_reads_a_schema_file():
    """Domain knowledge is asked of htwork.standards, never parsed elsewhere."""
    pattern = re.compile(r"\.schema\.json|htwork:(family|implies|role)\b")
    offenders = []
    for path in (REPO / "htwork").rglob("*.py"):
        if "standards" in path.relative_to(REPO / "htwork").parts[:1]:
            continue
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if pattern.search(code) and "``" not in code:
                offenders.append(f"{path.relative_to(REPO)}:{i}: {line.strip()}")
    assert offenders == []


def test_preset_keys_are_the_release_standards_quasi_identifiers():
    from htwork.release.policy import RELEASE_QUASI

    assert sorted(RELEASE_QUASI) == sorted(load_standard("release").quasi_identifiers)
