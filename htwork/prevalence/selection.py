"""Model selection rules for log-linear multiple systems estimation.

Each rule works on a :class:`~htwork.prevalence.loglinear.Design` (so the bootstrap can call it
thousands of times) and returns a :class:`Selection`: the chosen fit plus the ranked table of
every model it considered.

* ``stepwise``: SparseMSE's rule (Chan, Silverman and Vincent 2021). From main effects, add the
  two-list term whose observed overlap is least likely under the current model (one-sided
  Poisson p-value, the smaller tail), skipping terms that would break existence or
  identifiability, while that p-value is below ``pthresh`` (default 0.02).
* ``exhaustive``: fit every hierarchical model up to an order and rank by BIC or AIC
  (MultipleSystemsEstimation's ``estimate_population_bic``, Rcapture's ``closedpMS.t``);
  models failing the checks are left out.
* ``downhill``: greedy search from main effects to the best neighbouring model (one term added
  or one generator removed) while BIC decreases (MultipleSystemsEstimation's
  ``downhill_fit``), for more lists than exhaustive search can handle.
* ``bhs``: the rule of Bales, Hesketh and Silverman (2015) used for the UK Home Office
  estimate: forward selection of two-list terms by AIC, stopping when AIC no longer falls or
  when the added term is not significant (likelihood-ratio p-value above ``alpha`` = 0.05).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import special, stats

from htwork.prevalence.batch import fit_many
from htwork.prevalence.loglinear import Design, LogLinearFit
from htwork.prevalence.model import Model, all_models, term_name, two_list_terms
from htwork.prevalence.results import ModelTable

__all__ = ["Selection", "stepwise", "exhaustive", "downhill", "bhs", "main_effects", "RULES"]


@dataclass
class Selection:
    """Outcome of a model-selection rule.

    Attributes
    ----------
    fit : LogLinearFit
        The chosen model's fit.
    rule : str
        Name of the rule.
    considered : list of LogLinearFit
        Fits the rule looked at, in the order of ``table``.
    path : list of dict
        Steps taken (for step-by-step rules): term added, its p-value or criterion.
    criterion : str
        What ``table`` is ranked by.
    """

    fit: LogLinearFit
    rule: str
    considered: list[LogLinearFit] = field(default_factory=list)
    path: list[dict] = field(default_factory=list)
    criterion: str = "bic"
    extra_columns: dict[str, list] = field(default_factory=dict)

    @property
    def estimate(self) -> float:
        """Population estimate of the chosen model."""
        return self.fit.estimate

    def table(self) -> ModelTable:
        """Ranked table of the models considered (best first)."""
        rows = []
        for f in self.considered:
            rows.append({
                "hierarchy": f.model.hierarchy(),
                "model": " + ".join(f.terms) if f.terms else "main effects",
                "estimate": f.estimate,
                "aic": f.aic,
                "bic": f.bic,
                "deviance": f.deviance,
                "df": f.df,
                "n_params": f.model.n_params,
                "order": f.model.order,
                "check_code": f.check.code,
            })
        df = pd.DataFrame(rows)
        for k, v in self.extra_columns.items():
            df[k] = v
        if self.criterion in ("aic", "bic") and len(df):
            df = df.sort_values([self.criterion, "n_params"], kind="stable",
                                 na_position="last")
        df.insert(0, "rank", np.arange(1, len(df) + 1))
        return ModelTable(df, self.criterion)


def _fits_ok(fits: list[LogLinearFit]) -> list[LogLinearFit]:
    return [f for f in fits if f.ok]


def main_effects(design: Design) -> Selection:
    """The independence model, no selection."""
    f = design.fit(Model.main_effects(design.m))
    return Selection(f, "main", [f], criterion="none")


def poisson_pvalues(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """SparseMSE's one-sided Poisson p-values: the smaller of P(X <= n) and P(X >= n)."""
    observed = np.asarray(observed, dtype=float)
    expected = np.maximum(np.asarray(expected, dtype=float), 1e-300)
    lower = special.pdtr(observed, expected)
    upper = np.where(observed > 0, special.pdtrc(observed - 1, expected), 1.0)
    return np.minimum(lower, upper)


def stepwise(design: Design, pthresh: float = 0.02) -> Selection:
    """SparseMSE's stepwise rule with one-sided Poisson p-values.

    Parameters
    ----------
    design : Design
        The table.
    pthresh : float
        Add a term only while its p-value is below this (0 gives main effects; 1 gives all
        two-list terms when that model passes the checks).

    Returns
    -------
    Selection
        ``path`` lists each step's added term and p-value; ``table()`` lists the models
        along the path, in order, with the p-value of the term added.
    """
    m = design.m
    ints = two_list_terms(m)
    full = Model(m, frozenset(ints))
    if pthresh >= 1 and design.fit(full).ok:
        f = design.fit(full)
        return Selection(f, "stepwise", [f], criterion="path")
    model = Model.main_effects(m)
    fit = design.fit(model)
    path: list[dict] = []
    considered = [fit]
    pcol: list[float] = [math.nan]
    if pthresh <= 0:
        return Selection(fit, "stepwise", considered, path, "path", {"p_value": pcol})
    nstar = np.array([design.margin(t) for t in ints])
    cover = np.array([design.covers(t) for t in ints], dtype=float)
    while fit.ok:
        mu = fit.fitted_cells()
        expected = cover @ mu
        pvals = poisson_pvalues(nstar, expected)
        free = [j for j, t in enumerate(ints) if t not in model.terms]
        # candidates in order of p-value (ties: first pair), checked only until one passes:
        # the same choice as checking every candidate first, as SparseMSE does
        order = sorted(free, key=lambda j: (pvals[j], j))
        steps = {j: {"term": term_name(ints[j], design.lists), "observed": float(nstar[j]),
                     "expected": float(expected[j]), "p_value": float(pvals[j]),
                     "check_code": None} for j in free}
        chosen = None
        for j in order:
            if pvals[j] >= pthresh:
                break
            cand = design.fit(model.add(ints[j]), start=fit)
            steps[j]["check_code"] = cand.check.code
            if cand.check.ok and cand.converged:
                chosen = j
                break
        cands = [steps[j] for j in free]
        if chosen is None:
            left = [pvals[j] for j in order if steps[j]["check_code"] in (None, 0)]
            path.append({"added": None, "p_value": float(min(left, default=1.0)),
                         "candidates": cands})
            break
        model = model.add(ints[chosen])
        fit = design.fit(model)
        considered.append(fit)
        pcol.append(float(pvals[chosen]))
        path.append({"added": term_name(ints[chosen], design.lists),
                     "p_value": float(pvals[chosen]), "candidates": cands})
    return Selection(fit, "stepwise", considered, path, "path", {"p_value": pcol})


def exhaustive(design: Design, criterion: str = "bic", max_order: int | None = 2,
               models: list[Model] | None = None, n_jobs: int = 2) -> Selection:
    """Fit every hierarchical model up to ``max_order`` and rank them.

    Parameters
    ----------
    design : Design
        The table.
    criterion : {"bic", "aic"}
        Ranking criterion (BIC with the number observed as sample size).
    max_order : int, optional
        Largest interaction order; 2 gives all models with two-list terms (1,024 for five
        lists); ``None`` gives all estimable orders (``n_lists - 1``).
    models : list of Model, optional
        Search only these models instead.
    n_jobs : int
        Worker processes for long model lists (2,000 models or more).

    Returns
    -------
    Selection
        Models failing the existence or identifiability check are excluded.
    """
    if criterion not in ("bic", "aic"):
        raise ValueError("criterion must be 'bic' or 'aic'")
    if models is None:
        if design.m > 6 or (design.m == 6 and (max_order or 5) > 2):
            raise ValueError(
                f"exhaustive search over {design.m} lists is too large; use downhill search")
        models = all_models(design.m, max_order)
    fits = _fits_ok(fit_many(design, models, n_jobs=n_jobs))
    if not fits:
        fits = [design.fit(Model.main_effects(design.m))]
    key = (lambda f: (f.bic, f.model.n_params)) if criterion == "bic" else (
        lambda f: (f.aic, f.model.n_params))
    fits.sort(key=key)
    return Selection(fits[0], f"{criterion}", fits, criterion=criterion)


def downhill(design: Design, criterion: str = "bic", max_order: int | None = None,
             max_iter: int = 100) -> Selection:
    """Greedy search over hierarchical models from main effects (MultipleSystemsEstimation).

    At each step every neighbour of the current model (one term added or one generator
    removed, staying hierarchical) is fitted; the search moves to the best one while the
    criterion falls.
    """
    cur = design.fit(Model.main_effects(design.m))
    seen = {cur.model.terms: cur}
    path = [{"model": cur.model.hierarchy(), criterion: getattr(cur, criterion)}]
    for _ in range(max_iter if cur.ok else 0):
        neigh = [nb for nb in cur.model.neighbours(max_order) if nb.terms not in seen]
        if not neigh:
            break
        fits = fit_many(design, neigh)
        for f in fits:
            seen[f.model.terms] = f
        ok = _fits_ok(fits)
        if not ok:
            break
        best = min(ok, key=lambda f: (getattr(f, criterion), f.model.n_params))
        if getattr(best, criterion) >= getattr(cur, criterion):
            break
        cur = best
        path.append({"model": cur.model.hierarchy(), criterion: getattr(cur, criterion)})
    fits = sorted(_fits_ok(list(seen.values())),
                  key=lambda f: (getattr(f, criterion), f.model.n_params))
    return Selection(cur, "downhill", fits, path, criterion)


def bhs(design: Design, alpha: float = 0.05) -> Selection:
    """Bales-Hesketh-Silverman rule: AIC forward selection with a significance stop.

    From main effects, the two-list term giving the lowest AIC is added while it lowers AIC
    and its likelihood-ratio p-value is at most ``alpha``; terms breaking existence or
    identifiability are skipped.
    """
    m = design.m
    model = Model.main_effects(m)
    fit = design.fit(model)
    considered = [fit]
    pcol = [math.nan]
    path: list[dict] = []
    for _ in range(len(two_list_terms(m)) if fit.ok else 0):
        cands = fit_many(design, [model.add(t) for t in two_list_terms(m) if t not in model.terms])
        cands = _fits_ok(cands)
        if not cands:
            break
        best = min(cands, key=lambda f: f.aic)
        lr = max(fit.deviance - best.deviance, 0.0) if best.df < fit.df else 0.0
        dfd = max(fit.df - best.df, 1)
        p = float(stats.chi2.sf(lr, dfd))
        added = [n for n in best.terms if n not in fit.terms]
        step = {"added": added, "aic": best.aic, "p_value": p}
        if best.aic >= fit.aic or p > alpha:
            step["accepted"] = False
            path.append(step)
            break
        step["accepted"] = True
        path.append(step)
        model, fit = best.model, best
        considered.append(fit)
        pcol.append(p)
    return Selection(fit, "bhs", considered, path, "path", {"p_value": pcol})


RULES: dict[str, Callable[..., Selection]] = {
    "stepwise": stepwise,
    "bic": exhaustive,
    "aic": lambda d, **kw: exhaustive(d, criterion="aic", **kw),
    "downhill": downhill,
    "bhs": bhs,
    "main": main_effects,
}
