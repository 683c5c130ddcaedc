"""Evaluation of synthetic tables against a holdout of real rows the synthesizer never saw."""

from htwork.synth.evaluation.analysis import (
    AnalysisComparison,
    AnalysisError,
    compare_analysis,
    estimates_table,
    regression,
)
from htwork.synth.evaluation.result import EvaluationResult, evaluate

__all__ = [
    "evaluate",
    "EvaluationResult",
    "compare_analysis",
    "AnalysisComparison",
    "AnalysisError",
    "estimates_table",
    "regression",
]
