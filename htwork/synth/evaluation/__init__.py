"""Evaluation of synthetic tables against a holdout of real rows the synthesizer never saw."""

from htwork.synth.evaluation.result import EvaluationResult, evaluate

__all__ = ["evaluate", "EvaluationResult"]
