"""Every check of every lesson knows at least two typical wrong answers, each with a hint."""

from __future__ import annotations

import pandas as pd
import pytest

from htwork.io import read_table
from htwork.prevalence import CaptureTable, simulate_lists
from htwork.standards import validate
from htwork.standards.crosswalk import load_crosswalk
from htwork.tutor import (
    Check,
    Quiz,
    lesson01,
    lesson02,
    lesson03,
    lesson04,
    lesson05,
    lesson06,
    lesson08,
    lesson10,
)


def all_checks(cases, repo_root):
    demo = repo_root / "datasets" / "demo"
    th_path = demo / "cases_th_cross_ministerial.csv"
    raw = read_table(th_path)
    th = load_crosswalk("th_cross_ministerial").read(th_path)
    typed = pd.DataFrame({"cas_CaseId": ["A", "B"], "cas_IdentifyingOrganisation": ["x", "x"],
                          "cas_RegistrationDate": ["2024-01-01", "01/02/2024"],
                          "prs_Gender": ["female", "Male"]}, index=[2, 3])
    two = simulate_lists(500, [0.3, 0.3], seed=1).table
    uk = CaptureTable.from_counts(repo_root / "datasets" / "mse" / "uk_2013.csv")
    spaces = [
        lesson01.exercises(cases),
        lesson02.exercises(typed, validate(typed)),
        lesson02.thai_exercises(cases, raw, th),
        lesson03.exercises(cases["vic_AgeWhenTrafficked"], th["cas_RegistrationDate"],
                           raw[th.attrs["htwork"]["columns"]["prs_Birthdate"]],
                           pd.Series(["a", "A", "b"]), cases),
        lesson04.exercises(cases),
        lesson05.exercises(cases),
        lesson06.exercises(lesson06.with_years(cases)),
        lesson08.two_lists(two),
        lesson08.dependence(two, 500),
        lesson08.several_lists(uk),
    ]
    out = []
    for ns in spaces:
        out += [(name, obj) for name, obj in vars(ns).items() if isinstance(obj, Check | Quiz)]
    return out


@pytest.mark.slow
def test_checks_know_typical_wrong_answers(cases, repo_root):
    checks = all_checks(cases, repo_root)
    assert len(checks) >= 25
    for name, obj in checks:
        if isinstance(obj, Quiz):
            for q in obj.questions:
                wrong = set(q.options) - {q.answer}
                assert wrong <= set(q.why), f"{name}: a wrong option has no explanation"
            continue
        assert len(obj.wrong) >= 2, f"{name}: fewer than two typical wrong answers"
        assert all(w.hint for w in obj.wrong), f"{name}: a wrong answer without a hint"
        assert obj.hint, f"{name}: no hint for an unanswered exercise"


@pytest.mark.slow
def test_lesson10_checks(cases):
    from htwork.anonymise import Pseudonymiser

    doc = Pseudonymiser(bytes(range(32)), columns=["prs_IdentityDocumentNumber"]).fit(cases)
    p = doc.transform(cases)
    ns = lesson10.exercises(cases, p, p["prs_IdentityDocumentNumber"].isna() & False, p)
    for name, obj in vars(ns).items():
        if isinstance(obj, Check):
            assert len(obj.wrong) >= 2 and obj.hint, name
