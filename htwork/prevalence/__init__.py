"""Prevalence estimation by multiple systems estimation (MSE) from overlapping agency lists.

Start with a :class:`CaptureTable`, then:

* :func:`estimate` — choose a log-linear model (SparseMSE stepwise, BIC/AIC over all
  hierarchical models, downhill BIC, Bales-Hesketh-Silverman, or main effects), fit it with the
  extended MLE, check existence and identifiability, and give a conditional interval or a BCa
  bootstrap interval that repeats the selection in every replicate;
* :func:`fit_loglinear` — one given model; :func:`stepwise`, :func:`exhaustive`,
  :func:`downhill`, :func:`bhs` — the selection rules with their ranked model tables;
* :func:`lincoln_petersen`, :func:`chapman`, :func:`chao_lower_bound` — closed forms;
* :func:`fit_lcm` — the Bayesian latent-class model of LCMCR (heterogeneous catchability);
* :func:`sensitivity` — the estimate under other thresholds, list omission and merging;
  figures in :mod:`htwork.prevalence.plots`;
* :func:`simulate_lists` — lists drawn from a population of known size, to test all of them.

Example
-------
>>> from htwork.prevalence import CaptureTable, estimate
>>> table = CaptureTable.from_dict({"10": 40, "01": 30, "11": 10}, lists=["Police", "NGO"])
>>> round(estimate(table, "main").estimate, 1)
200.0
"""

from htwork.prevalence.bootstrap import BootstrapResult, bca_interval, bootstrap_selection
from htwork.prevalence.checks import ModelCheck
from htwork.prevalence.estimate import METHODS, estimate
from htwork.prevalence.lcm import LatentClassFit, fit_lcm
from htwork.prevalence.loglinear import Design, LogLinearFit, fit_loglinear
from htwork.prevalence.model import Model, all_models
from htwork.prevalence.results import ModelTable, MSEResult
from htwork.prevalence.sdg import per_100k
from htwork.prevalence.selection import Selection, bhs, downhill, exhaustive, main_effects, stepwise
from htwork.prevalence.sensitivity import sensitivity
from htwork.prevalence.simulate import Simulation, simulate_lists
from htwork.prevalence.table import CaptureTable
from htwork.prevalence.twolist import chao_lower_bound, chapman, lincoln_petersen

__all__ = [
    "CaptureTable",
    "Model",
    "all_models",
    "Design",
    "LogLinearFit",
    "fit_loglinear",
    "ModelCheck",
    "Selection",
    "stepwise",
    "exhaustive",
    "downhill",
    "bhs",
    "main_effects",
    "estimate",
    "METHODS",
    "MSEResult",
    "ModelTable",
    "BootstrapResult",
    "bootstrap_selection",
    "bca_interval",
    "lincoln_petersen",
    "chapman",
    "chao_lower_bound",
    "Simulation",
    "simulate_lists",
    "fit_lcm",
    "LatentClassFit",
    "sensitivity",
    "per_100k",
]
