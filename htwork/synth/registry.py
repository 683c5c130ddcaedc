"""Synthesizers by name, for the command line and the benchmark."""

from __future__ import annotations

from typing import Any

from htwork.synth.base import Synthesizer

__all__ = ["METHODS", "make_synthesizer"]

#: name -> (module, class, fixed keyword arguments, one-line description)
METHODS: dict[str, tuple[str, str, dict[str, Any], str]] = {
    "default": ("htwork.synth.bayesnet", "BayesNetSynthesizer", {},
                "htwork's default: Bayesian network, <= 4 parents, backed-off counts"),
    "bayesnet": ("htwork.synth.bayesnet", "BayesNetSynthesizer", {},
                 "the same, by its own name"),
    "tree": ("htwork.synth.bayesnet", "BayesNetSynthesizer", {"max_parents": 1},
             "Chow-Liu tree (one parent per column)"),
    "independent": ("htwork.synth.bayesnet", "IndependentSynthesizer", {},
                    "independent 1-way marginals (baseline)"),
    "cart": ("htwork.synth.cart", "CARTSynthesizer", {},
             "synthpop-style CART sequence, minimum leaf 10"),
    "dp": ("htwork.synth.dp", "DPSynthesizer", {},
           "differentially private (MST-style, zCDP); needs epsilon"),
    "gaussiancopula": ("htwork.synth.sdv", "SDVSynthesizer", {"model": "gaussiancopula"},
                       "SDV GaussianCopula (optional extra htwork[sdv], BUSL-1.1)"),
    "ctgan": ("htwork.synth.sdv", "SDVSynthesizer", {"model": "ctgan"},
              "SDV CTGAN (optional extra; set epochs)"),
    "tvae": ("htwork.synth.sdv", "SDVSynthesizer", {"model": "tvae"},
             "SDV TVAE (optional extra; set epochs)"),
}


def make_synthesizer(method: str = "default", **params: Any) -> Synthesizer:
    """A synthesizer by name (see :data:`METHODS`), with hyperparameters.

    Parameters
    ----------
    method : str
        One of :data:`METHODS`.
    **params
        Passed to the synthesizer's constructor (e.g. ``epsilon=1`` for ``"dp"``,
        ``epochs=300`` for ``"ctgan"``).
    """
    import importlib

    key = method.lower().replace("-", "").replace("_", "")
    if key not in METHODS:
        raise ValueError(f"unknown synthesis method {method!r}; choose from {sorted(METHODS)}")
    module, cls, fixed, _ = METHODS[key]
    return getattr(importlib.import_module(module), cls)(**{**fixed, **params})
