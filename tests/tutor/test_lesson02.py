"""Lesson 2's checks: validation counts, a fixed table, the Thai export through its crosswalk."""

from __future__ import annotations

import pandas as pd
import pytest

from htwork.io import read_table
from htwork.standards import validate
from htwork.standards.crosswalk import load_crosswalk
from htwork.tutor import lesson02
from tests.tutor.conftest import accepts, rejects


@pytest.fixture(scope="module")
def typed():
    return pd.DataFrame({
        "cas_CaseId": [f"TR-00{i}" for i in range(1, 7)],
        "cas_IdentifyingOrganisation": ["Training NGO (fictional)"] * 6,
        "cas_RegistrationDate": ["2024-02-01", "2024-02-03", "03/02/2024", "2024-02-05",
                                 "2024-02-30", "2024-02-09"],
        "prs_Gender": ["Female", "female", "Male", "M", "Female", "Unknown"],
        "prs_Citizenship": ["MM", "Myanmar", "Thailand", "LA", "MM", "KH"],
        "vic_TypeOfExploitation": ["ForcedLabour", "Forced labour", "SexualExploitation",
                                   "ForcedLabour;ForcedMarriage", "ForcedLabour",
                                   "ForcedLabour"],
    }, index=range(2, 8))


def test_typed_table(typed):
    report = validate(typed)
    ex = lesson02.exercises(typed, report)
    accepts(ex.n_errors, len(report.problems))
    rejects(ex.n_errors, report.problems["row"].nunique(), "more than one problem")
    rejects(ex.n_errors, len(report.groups()), "kinds of problem")

    fixed = typed.copy()
    fixed.loc[3, ["prs_Gender", "prs_Citizenship", "vic_TypeOfExploitation"]] = [
        "Female", "MM", "ForcedLabour"]
    fixed.loc[4, ["cas_RegistrationDate", "prs_Citizenship"]] = ["2024-02-03", "TH"]
    fixed.loc[5, "prs_Gender"] = "Male"
    fixed.loc[6, "cas_RegistrationDate"] = "2024-02-29"
    accepts(ex.fixed, fixed)
    rejects(ex.fixed, typed, "still finds errors")
    rejects(ex.fixed, fixed.drop(index=[3]), "removed records")


@pytest.mark.slow
def test_thai_export(cases, repo_root):
    path = repo_root / "datasets" / "demo" / "cases_th_cross_ministerial.csv"
    raw = read_table(path)
    th = load_crosswalk("th_cross_ministerial").read(path)
    ex = lesson02.thai_exercises(cases, raw, th)
    year = th["cas_RegistrationDate"].str[:4]
    accepts(ex.thai_2023, (year == "2023").sum())
    raw_date = raw[th.attrs["htwork"]["columns"]["cas_RegistrationDate"]]
    rejects(ex.thai_2023, raw_date.str.endswith("/2023").sum(), "Buddhist Era")
    rejects(ex.thai_2023, (cases["cas_RegistrationDate"].str[:4] == "2023").sum(), "regional")
    rejects(ex.thai_2023, (year == "2022").sum(), "2566 - 543")

    accepts(ex.thai_myanmar, (th["prs_Citizenship"] == "MM").sum())
    raw_nat = raw[th.attrs["htwork"]["columns"]["prs_Citizenship"]]
    rejects(ex.thai_myanmar, (raw_nat == "MM").sum(), "Thai words")
    rejects(ex.thai_myanmar, (cases["prs_Citizenship"] == "MM").sum(), "regional")

    accepts(ex.quiz, {1: "a", 2: "b", 3: "b"})
    rejects(ex.quiz, {1: "a", 2: "b", 3: "a"}, "subtract 543")
