"""One call from a capture table to a population estimate: select, fit, interval, checks."""

from __future__ import annotations

import math
from typing import Any

from htwork.errors import InputError
from htwork.prevalence.bootstrap import bootstrap_selection
from htwork.prevalence.loglinear import Design, fit_loglinear
from htwork.prevalence.model import Model
from htwork.prevalence.results import MSEResult
from htwork.prevalence.selection import RULES, Selection
from htwork.prevalence.table import CaptureTable

__all__ = ["estimate", "METHODS", "default_max_order"]

METHODS = ("stepwise", "bic", "aic", "downhill", "main", "bhs")
EXHAUSTIVE_MAX_LISTS = 6

_RULE_NAMES = {
    "stepwise": "SparseMSE stepwise (one-sided Poisson p-values)",
    "bic": "lowest BIC over all hierarchical models",
    "aic": "lowest AIC over all hierarchical models",
    "downhill": "downhill BIC search",
    "main": "main effects (independent lists)",
    "bhs": "Bales-Hesketh-Silverman (AIC forward, 5% significance)",
}


def default_max_order(n_lists: int) -> int:
    """MultipleSystemsEstimation's default largest interaction order for exhaustive search.

    1 for two lists, 2 for three, 3 for four or five, 2 for six or more.
    """
    return {2: 1, 3: 2, 4: 3, 5: 3}.get(n_lists, 2)


def _top_hierarchies(sel: Selection, k: int) -> list[str]:
    return [f.model.hierarchy() for f in sel.considered[:k]]


def estimate(table: CaptureTable, method: str = "stepwise", *, pthresh: float = 0.02,
             max_order: int | None = None, model: Model | str | list | None = None,
             nboot: int = 0, seed: int | None = None, level: float = 0.95,
             interval: str = "wald", n_jobs: int = 2, progress: bool = False,
             ntop: int | None = None) -> MSEResult:
    """Estimate a population size by log-linear multiple systems estimation.

    Parameters
    ----------
    table : CaptureTable
        The data.
    method : {"stepwise", "bic", "aic", "downhill", "main", "bhs", "fixed"}
        How the model is chosen (see :mod:`htwork.prevalence.selection`); ``fixed`` uses
        ``model``.
    pthresh : float
        Threshold of the stepwise rule (default 0.02, as SparseMSE).
    max_order : int, optional
        Largest interaction order for ``bic``/``aic``/``downhill`` (default: 2 for two-list
        terms only with three lists, 3 for four or five lists, as MultipleSystemsEstimation).
    model : Model, str or list, optional
        The model for ``method="fixed"``.
    nboot : int
        Bootstrap replicates; with ``nboot > 0`` the interval is a BCa bootstrap that repeats
        the selection in every replicate (model-aware). With 0, a conditional interval.
    seed : int, optional
        Bootstrap seed.
    level : float
        Interval coverage.
    interval : {"wald", "profile"}
        Conditional interval kind when ``nboot == 0``.
    n_jobs : int
        Bootstrap worker processes.
    progress : bool
        Show a progress bar during the bootstrap.
    ntop : int, optional
        For ``bic``/``aic`` with a bootstrap: replicates choose among the ``ntop`` best models
        on the original data (all models for up to three lists, 20 for four, 100 for more,
        as MultipleSystemsEstimation).

    Returns
    -------
    MSEResult
    """
    if method not in METHODS + ("fixed",):
        raise InputError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    design = Design.of(table)
    m = table.n_lists
    options: dict[str, Any] = {}
    notes: list[str] = []
    if method == "fixed":
        fit = fit_loglinear(table, model)
        sel = Selection(fit, "fixed", [fit], criterion="none")
    else:
        if method == "stepwise":
            options["pthresh"] = pthresh
        elif method in ("bic", "aic", "downhill"):
            options["max_order"] = max_order or default_max_order(m)
        rule = method
        if method in ("bic", "aic") and m > EXHAUSTIVE_MAX_LISTS:
            rule = "downhill"
            options["criterion"] = method
            notes.append(f"{m} lists are too many for an exhaustive search; greedy downhill "
                         f"{method.upper()} search used instead")
        sel = RULES[rule](design, **options)
        fit = sel.fit
    warnings = table.warnings() + notes
    if not fit.ok:
        warnings.append(f"the chosen model cannot be used: {fit.check.message}")
    boot = None
    if nboot > 0 and fit.ok:
        bopts = dict(options)
        if method in ("bic", "aic") and rule != "downhill":
            k = ntop or (10 ** 9 if m <= 3 else 20 if m == 4 else 100)
            bopts["models"] = _top_hierarchies(sel, k)
            bopts.pop("max_order", None)
        if method == "fixed":
            bopts = {"models": [fit.model.hierarchy()]}
            rule = "bic"
        boot = bootstrap_selection(table, rule, bopts, nboot=nboot, seed=seed, level=level,
                                   n_jobs=n_jobs, progress=progress, estimate=fit.estimate)
        lo, hi = boot.ci_low, boot.ci_high
        if method in ("fixed", "main"):
            kind = f"BCa bootstrap ({nboot} replicates), conditional on the model"
        else:
            kind = (f"BCa bootstrap ({nboot} replicates) repeating the model selection in every "
                    "replicate: model-aware")
            if "models" in bopts and rule in ("bic", "aic"):
                kind += f" (among the {len(bopts['models'])} best models on the data)"
        if boot.failed:
            warnings.append(f"{boot.failed} of {nboot} bootstrap replicates had no usable model "
                            "and were left out")
    else:
        if interval == "profile":
            lo, hi = fit.profile_interval(level)
            kind = "profile likelihood"
        else:
            lo, hi = fit.wald_interval(level)
            kind = "log-normal Wald"
        kind += (", conditional on the chosen model (ignores model selection)"
                 if method not in ("main", "fixed") else ", conditional on the model")
    extra: dict[str, Any] = {
        "rule": _RULE_NAMES.get(method, "fixed model"),
        "aic": fit.aic, "bic": fit.bic, "deviance": fit.deviance, "df": fit.df,
    }
    if method == "stepwise":
        extra["pthresh"] = pthresh
    if "max_order" in options:
        extra["max_order"] = options["max_order"]
    if sel.path:
        extra["path"] = [{k: v for k, v in step.items() if k != "candidates"}
                         for step in sel.path]
    if boot is not None:
        extra.update({"nboot": nboot, "seed": seed, "bca_acceleration": boot.acceleration,
                      "bca_z0": boot.bias_z0, "bootstrap_failed": boot.failed,
                      "bootstrap_replicates": boot.replicates})
    est = fit.estimate if fit.ok else math.nan
    return MSEResult(
        estimate=est, ci_low=lo, ci_high=hi, level=level, interval_kind=kind, method=method,
        observed=table.observed, lists=list(table.lists), model=fit.terms,
        hierarchy=fit.model.hierarchy(), checks=fit.check.to_dict(), warnings=warnings,
        models=sel.table(), extra=extra, fit=fit,
    )
