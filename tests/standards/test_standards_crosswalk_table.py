"""The input -> release crosswalk shipped as data (htcds_to_ctdc.csv)."""

from __future__ import annotations

import pandas as pd
import pytest

import htwork.standards as standards
from htwork.standards import crosswalk_table, load_standard, to_release
from htwork.standards import release as release_module

KINDS = {"exact", "merge", "none"}


@pytest.fixture(scope="module")
def cw():
    return crosswalk_table()


def test_columns_and_kinds(cw):
    assert list(cw.columns) == ["source_field", "source_value", "target_field", "target_value",
                                "kind", "note"]
    assert set(cw["kind"]) <= KINDS
    assert not cw.duplicated(["source_field", "source_value", "target_field"]).any()


def test_sources_exist_in_input(cw):
    inp = load_standard("input")
    for r in cw.itertuples():
        assert r.source_field in inp, r.source_field
        if r.source_value != "*":
            assert r.source_value in inp.categories(r.source_field), (r.source_field,
                                                                     r.source_value)


def test_targets_exist_in_release(cw):
    rel = load_standard("release")
    for r in cw.itertuples():
        if r.kind == "none" and not r.target_field:
            continue
        assert r.target_field in rel, r.target_field
        cats = [str(c) for c in rel.categories(r.target_field)]
        if r.target_value not in ("", "*"):
            assert r.target_value in cats, (r.target_field, r.target_value)


def test_every_input_field_and_every_release_field_appears(cw):
    assert set(load_standard("input").field_names) == set(cw["source_field"])
    assert set(load_standard("release").field_names) <= set(cw["target_field"])


def test_none_rows_say_why(cw):
    none = cw[cw["kind"] == "none"]
    assert (none["note"].str.len() > 10).all()
    assert (none["target_value"] == "").all()
    # direct identifiers and free text never reach the release
    inp = load_standard("input")
    for f in inp.direct_identifiers + inp.columns_with_role("free_text"):
        rows = cw[cw["source_field"] == f]
        assert set(rows["kind"]) == {"none"}, f


def test_picklists_that_reach_the_release_are_covered_code_by_code(cw):
    inp = load_standard("input")
    for field, rows in cw[cw["source_value"] != "*"].groupby("source_field"):
        assert sorted(rows["source_value"]) == sorted(inp.categories(field)), field


def test_merge_and_exact_are_consistent(cw):
    """exact: one source code per target value; merge: several (or a derived value)."""
    flags = cw[(cw["source_value"] != "*") & (cw["kind"] != "none")]
    n_sources = flags.groupby(["target_field", "target_value"])["source_value"].transform("size")
    assert ((flags["kind"] == "exact") == (n_sources == 1)).all()


@pytest.mark.parametrize("source,value,target,kind", [
    ("prs_Gender", "Male", "gender", "exact"),
    ("prs_Gender", "Unknown", "gender", "none"),
    ("vic_MethodsOfControl", "DebtBondage", "meansDebtBondageEarnings", "merge"),
    ("vic_MethodsOfControl", "TakesEarnings", "meansDebtBondageEarnings", "merge"),
    ("vic_MethodsOfControl", "ThreatensChildrenFamily", "meansThreats", "merge"),
    ("vic_MethodsOfControl", "SexualAbuse", "meansAbusePsyPhySex", "merge"),
    ("vic_MethodsOfControl", "FalsePromises", "meansFalsePromises", "exact"),
    ("vic_MethodsOfControl", "PsychoactiveSubstance", "meansDrugsAlcohol", "exact"),
    ("vic_MethodsOfControl", "RestrictsFinancialAccess", "meansDenyBasicNeeds", "merge"),
    ("vic_MethodsOfControl", "WithholdsDocuments", "meansWithholdDocs", "exact"),
    ("vic_MethodsOfControl", "Other", "", "none"),
    ("vic_TypeOfExploitation", "ForcedLabour", "isForcedLabour", "exact"),
    ("vic_TypeOfExploitation", "OrganRemoval", "isOtherExploit", "merge"),
    ("vic_TypeOfLabourExploitation", "Fishing", "typeOfLabourAquafarming", "merge"),
    ("vic_TypeOfLabourExploitation", "OnlineScamOperations", "typeOfLabourIllicitActivities",
     "merge"),
    ("vic_TypeOfLabourExploitation", "Other", "typeOfLabourOther", "exact"),
    ("vic_RelationshipToTrafficker", "Stranger", "recruiterRelationOther", "merge"),
    ("vic_RelationshipToTrafficker", "FriendOrAcquaintance", "recruiterRelationFriend", "exact"),
    ("vic_RelationshipToTrafficker", "Unknown", "", "none"),
    ("prs_Citizenship", "*", "citizenship", "exact"),
    ("vic_CountryOfExploitation", "*", "CountryOfExploitation", "exact"),
    ("cas_RegistrationDate", "*", "yearOfRegistration", "merge"),
    ("vic_AgeWhenTrafficked", "*", "ageBroad", "merge"),
])
def test_named_mappings(cw, source, value, target, kind):
    rows = cw[(cw["source_field"] == source) & (cw["source_value"] == value)
              & (cw["target_field"] == target)]
    assert len(rows) == 1 and rows["kind"].iloc[0] == kind


def test_merges_are_never_expanded_back():
    """No public function offers to turn a release back into input codes."""
    suspicious = ("from_release", "to_input", "expand", "inverse", "unmerge", "to_htcds",
                  "release_to")
    for module in (standards, release_module):
        for name, obj in vars(module).items():
            if callable(obj) and not name.startswith("_"):
                assert not any(s in name.lower() for s in suspicious), name


def test_merged_codes_cannot_be_told_apart_in_the_release():
    """Inputs differing only inside a merge give identical releases: nothing could invert it."""
    base = {"cas_RegistrationDate": ["2023-01-01"] * 2, "prs_Gender": ["Male"] * 2}
    a = pd.DataFrame({**base, "vic_MethodsOfControl": ["DebtBondage", "PhysicalThreats"],
                      "vic_TypeOfLabourExploitation": ["Fishing", "OnlineScamOperations"]})
    b = pd.DataFrame({**base, "vic_MethodsOfControl": ["TakesEarnings", "ThreatsLawEnforcement"],
                      "vic_TypeOfLabourExploitation": ["Aquafarming", "IllicitActivities"]})
    pd.testing.assert_frame_equal(to_release(a), to_release(b))
