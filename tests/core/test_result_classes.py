"""Every result class of the package is on the one base, and its JSON is valid."""

from __future__ import annotations

import importlib
import json
import pkgutil

import numpy as np
import pandas as pd

import htwork
from htwork.core.results import Result
from htwork.prevalence import CaptureTable, estimate


def _all_subclasses(cls: type) -> set[type]:
    out = set()
    for sub in cls.__subclasses__():
        out |= {sub, *_all_subclasses(sub)}
    return out


def test_the_result_classes_share_the_base():
    for info in pkgutil.walk_packages(htwork.__path__, "htwork."):
        if info.name.endswith((".cli", "__main__")):
            continue
        importlib.import_module(info.name)
    names = {c.__name__ for c in _all_subclasses(Result)}
    expected = {"RiskReport", "FrequencyResult", "IndividualRiskResult", "Suda2Result",
                "LDiversityResult", "TClosenessResult", "Explanation", "MSEResult",
                "ModelTable", "CaptureTable", "LogLinearFit", "ModelCheck", "QuarterlyReport",
                "ReportTable", "SuppressionResult", "EvaluationResult", "AnalysisComparison",
                "ValidationReport", "RedactionReport", "ScanResult"}
    assert expected <= names, expected - names


def test_an_estimate_without_a_finite_answer_is_valid_json():
    # two lists that never overlap: no finite Lincoln-Petersen estimate
    t = CaptureTable.from_dict({"10": 30, "01": 40})
    r = estimate(t, "main")
    assert not np.isfinite(r.estimate)
    text = r.to_json()
    assert json.loads(text)["estimate"] is None
    fit = r.fit
    if fit is not None:
        assert "NaN" not in fit.to_json() and fit.summary()


def test_loglinear_fit_has_a_summary():
    from htwork.prevalence.loglinear import fit_loglinear

    t = CaptureTable.from_dict({"100": 20, "010": 25, "001": 30, "110": 6, "101": 5,
                                "011": 7, "111": 2})
    fit = fit_loglinear(t, None)
    text = fit.summary()
    assert text.startswith("Log-linear model: main effects")
    assert "(Intercept)" in text and f"{fit.observed:,}" in text
    assert list(fit.to_frame().columns) == ["estimate", "std_error"]
    assert repr(fit).startswith("LogLinearFit(")
    assert json.loads(fit.to_json())["observed"] == 95


def test_validation_report_json_has_no_nan():
    from htwork.standards import validate

    df = pd.DataFrame({"cas_CaseId": ["a", "a"], "prs_Gender": ["Zebra", None]})
    rep = validate(df)
    json.loads(rep.to_json())
    assert rep.to_dict()["problems"]
