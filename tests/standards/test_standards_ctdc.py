"""The shipped CTDC global schema (the dataset's own columns and codes) and :func:`to_ctdc`."""

from __future__ import annotations

import json
import runpy
from pathlib import Path

import frictionless
import numpy as np
import pandas as pd
import pytest

from htwork.release.policy import PRESETS
from htwork.simulate import simulate
from htwork.standards import load_standard, to_ctdc, validate
from htwork.standards.ctdc import ctdc_label

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "htwork" / "standards" / "data"
#: The columns of the CTDC global dataset, codebook v6 (63 columns, in its order).
CODEBOOK_V6 = (
    "yearOfRegistration Datasource gender ageBroad majorityStatus majorityStatusAtExploit "
    "majorityEntry citizenship meansOfControlDebtBondage meansOfControlTakesEarnings "
    "meansOfControlRestrictsFinancialAccess meansOfControlThreats "
    "meansOfControlPsychologicalAbuse meansOfControlPhysicalAbuse meansOfControlSexualAbuse "
    "meansOfControlFalsePromises meansOfControlPsychoactiveSubstances "
    "meansOfControlRestrictsMovement meansOfControlRestrictsMedicalCare "
    "meansOfControlExcessiveWorkingHours meansOfControlUsesChildren "
    "meansOfControlThreatOfLawEnforcement meansOfControlWithholdsNecessities "
    "meansOfControlWithholdsDocuments meansOfControlOther meansOfControlNotSpecified "
    "meansOfControlConcatenated isForcedLabour isSexualExploit isOtherExploit isSexAndLabour "
    "isForcedMarriage isForcedMilitary isOrganRemoval isSlaveryAndPractices "
    "typeOfExploitConcatenated typeOfLabourAgriculture typeOfLabourAquafarming "
    "typeOfLabourBegging typeOfLabourConstruction typeOfLabourDomesticWork "
    "typeOfLabourHospitality typeOfLabourIllicitActivities typeOfLabourManufacturing "
    "typeOfLabourMiningOrDrilling typeOfLabourPeddling typeOfLabourTransportation "
    "typeOfLabourOther typeOfLabourNotSpecified typeOfLabourConcatenated typeOfSexProstitution "
    "typeOfSexPornography typeOfSexRemoteInteractiveServices typeOfSexPrivateSexualServices "
    "typeOfSexConcatenated isAbduction RecruiterRelationship CountryOfExploitation "
    "recruiterRelationIntimatePartner recruiterRelationFriend recruiterRelationFamily "
    "recruiterRelationOther recruiterRelationUnknown"
).split()


@pytest.fixture(scope="module")
def native() -> pd.DataFrame:
    return to_ctdc(simulate(3000, seed=12))


def test_schema_has_the_codebook_columns_in_order():
    std = load_standard("ctdc")
    assert load_standard("ctdc_global") is std
    assert std.field_names == CODEBOOK_V6
    assert std.missing_codes("gender") == ["", "-99"]
    assert set(std.flag_families()) == {"meansOfControl", "typeOfExploit", "typeOfLabour",
                                        "typeOfSex", "recruiterRelation"}
    # the release standard keeps its own name; "ctdc" no longer points at it
    assert load_standard("ctdc_release").name == "release"


def test_shipped_file_matches_the_generator():
    ns = runpy.run_path(str(ROOT / "tools" / "build_standard_schemas.py"), run_name="not_main")
    shipped = json.loads((DATA / "ctdc_global.schema.json").read_text(encoding="utf-8"))
    assert shipped["fields"] == json.loads(json.dumps(ns["ctdc_fields"]()))
    assert shipped["missingValues"] == ["", "-99"]


def test_ctdc_k11_finds_its_keys_in_the_ctdc_schema_by_name():
    std = load_standard("ctdc")
    policy = PRESETS["ctdc_k11"]
    assert set(policy.quasi_identifiers) <= set(std.quasi_identifiers)
    assert set(policy.sensitive) <= set(std.sensitive)
    assert set(policy.importance) <= set(std.field_names)


def test_a_ctdc_native_table_validates(native):
    report = validate(native, "ctdc")
    assert report.ok, report.summary()
    assert all(len(c) == 2 and c.isupper() for c in set(native["citizenship"]) - {"-99"})
    assert (native == "-99").to_numpy().any()
    flags = [f for names in load_standard("ctdc").flag_families().values() for f in names]
    assert set(np.unique(native[flags].to_numpy())) <= {"0", "1", "-99"}


def test_the_old_behaviour_is_gone_ctdc_codes_were_rejected(native):
    """Issue 12: validate rejected CTDC's own codes (alpha-2 citizenship, -99). The release
    standard still does (it is htwork's alpha-3 release shape); the ctdc schema does not."""
    cols = ["yearOfRegistration", "gender", "ageBroad", "citizenship", "isForcedLabour"]
    table = pd.DataFrame({"yearOfRegistration": ["2019", "-99"], "gender": ["Female", "-99"],
                          "ageBroad": ["9--17", "-99"], "citizenship": ["VN", "-99"],
                          "isForcedLabour": ["1", "-99"]})
    assert validate(table[cols], "ctdc").ok
    assert not validate(table[cols], "release").ok


def test_bad_values_are_reported(native):
    bad = native.copy()
    bad.loc[bad.index[0], "citizenship"] = "Viet Nam"
    bad.loc[bad.index[1], "isForcedLabour"] = "2"
    bad.loc[bad.index[2], "ageBroad"] = "9-17"
    report = validate(bad, "ctdc")
    codes = set(report.problems["code"])
    assert {"unknown_country", "not_in_categories"} <= codes
    hit = report.problems[report.problems["code"] == "unknown_country"]
    assert hit["suggestion"].tolist() == ["VN"]


def test_to_ctdc_flags_follow_the_input(native):
    df = simulate(3000, seed=12)
    labour = df["vic_TypeOfExploitation"].fillna("")
    is_fl = labour.str.contains("ForcedLabour")
    recorded = labour != ""
    assert (native.loc[is_fl, "isForcedLabour"] == "1").all()
    assert (native.loc[recorded & ~is_fl, "isForcedLabour"] == "0").all()
    assert (native.loc[~recorded, "isForcedLabour"] == "-99").all()
    both = (native["isForcedLabour"] == "1") & (native["isSexualExploit"] == "1")
    assert ((native["isSexAndLabour"] == "1") == both).all()
    assert (native.loc[native["meansOfControlDebtBondage"] == "1",
                       "meansOfControlConcatenated"].str.contains("Debt Bondage")).all()
    assert ctdc_label("recruiterRelationIntimatePartner") == "Intimate Partner"


def test_frictionless_validates_a_native_csv(native, tmp_path):
    from htwork.simulate import write_standard_csv

    path = write_standard_csv(native.reset_index(drop=True), tmp_path / "ctdc.csv")
    schema = load_standard("ctdc").to_frictionless(public=True)
    resource = frictionless.Resource(path=path.name, basepath=str(tmp_path),
                                     schema=frictionless.Schema.from_descriptor(schema))
    report = frictionless.validate(resource)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
