"""Rules and domains the synthesizers use are asked of the release standard."""

from __future__ import annotations

import pandas as pd

from htwork.standards import load_standard
from htwork.synth import FlagFamily, Implies, case_rules, release_domain
from htwork.synth.constraints import rules_report


def test_case_rules_are_the_standards_implications_and_families():
    std = load_standard("release")
    cols = std.field_names
    rules = case_rules(cols)
    implies = [r for r in rules if isinstance(r, Implies)]
    families = [r for r in rules if isinstance(r, FlagFamily)]
    assert len(implies) == len(std.implications()) == 2 + 12 + 4
    assert {f.family: list(f.flags) for f in families} == std.flag_families()
    names = [str(r) for r in implies]
    assert names[:2] == ["minors (ageBroad 0--17) have majorityStatus Minor",
                         "adults (ageBroad 18+) have majorityStatus Adult"]
    assert "typeOfSexPornography = 1 implies isSexualExploit = 1 or missing" in names
    strict = [str(r) for r in case_rules(cols, strict=True) if isinstance(r, Implies)]
    assert "typeOfSexPornography = 1 implies isSexualExploit = 1" in strict


def test_case_rules_follow_the_tables_columns_and_order():
    cols = ["typeOfLabourBegging", "isForcedLabour", "typeOfLabourAgriculture", "gender"]
    names = [str(r) for r in case_rules(cols)]
    assert names == ["typeOfLabourBegging = 1 implies isForcedLabour = 1 or missing",
                     "typeOfLabourAgriculture = 1 implies isForcedLabour = 1 or missing",
                     "flag family typeOfLabour: all recorded or all missing"]
    assert case_rules(["ageBroad", "gender"]) == []


def test_rules_decide_rows_as_the_standard_says():
    df = pd.DataFrame({"ageBroad": ["9--17", "9--17", "30--38", "48+"],
                       "majorityStatus": ["Minor", "Adult", "Adult", None],
                       "typeOfSexProstitution": [1, 1, 0, None],
                       "isSexualExploit": [1, 0, None, None]})
    report = {r["rule"]: r["rows_breaking"] for r in rules_report(df, case_rules(df.columns))}
    assert report["minors (ageBroad 0--17) have majorityStatus Minor"] == 1
    assert report["adults (ageBroad 18+) have majorityStatus Adult"] == 1  # missing is no adult
    assert report["typeOfSexProstitution = 1 implies isSexualExploit = 1 or missing"] == 1


def test_release_domain_is_the_standards():
    std = load_standard("release")
    got = release_domain([*std.field_names, "caseKey"])
    assert got == std.domains(std.field_names)
    assert "yearOfRegistration" not in got and "caseKey" not in got
    assert got["ageBroad"] == std.categories("ageBroad")
