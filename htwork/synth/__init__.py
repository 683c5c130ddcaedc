"""Synthetic case data: synthesizers, and their evaluation against a holdout.

>>> from htwork.synth import make_synthesizer, evaluate              # doctest: +SKIP
>>> syn = make_synthesizer("default").fit(train)                     # doctest: +SKIP
>>> fake = syn.sample(len(train), seed=1)                            # doctest: +SKIP
>>> print(evaluate(train, fake, holdout).summary())                  # doctest: +SKIP
"""

from htwork.synth.base import SynthesisError, Synthesizer
from htwork.synth.bayesnet import BayesNetSynthesizer, IndependentSynthesizer
from htwork.synth.cart import CARTSynthesizer
from htwork.synth.constraints import FlagFamily, Implies, Range, Rule, RuleWarning, case_rules
from htwork.synth.dp import DPSynthesizer, DPWarning, release_domain
from htwork.synth.evaluation import (
    AnalysisComparison,
    AnalysisError,
    EvaluationResult,
    compare_analysis,
    evaluate,
    regression,
)
from htwork.synth.registry import METHODS, make_synthesizer
from htwork.synth.relations import Check, Derived, Required
from htwork.synth.sdv import SDVSynthesizer, sdv_available
from htwork.synth.types import ColumnType, infer_types

__all__ = [
    "Synthesizer",
    "SynthesisError",
    "BayesNetSynthesizer",
    "IndependentSynthesizer",
    "CARTSynthesizer",
    "DPSynthesizer",
    "DPWarning",
    "release_domain",
    "SDVSynthesizer",
    "sdv_available",
    "Rule",
    "Implies",
    "FlagFamily",
    "Range",
    "Check",
    "Derived",
    "Required",
    "RuleWarning",
    "ColumnType",
    "infer_types",
    "case_rules",
    "evaluate",
    "EvaluationResult",
    "compare_analysis",
    "regression",
    "AnalysisComparison",
    "AnalysisError",
    "make_synthesizer",
    "METHODS",
]
