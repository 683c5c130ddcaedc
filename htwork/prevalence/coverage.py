"""Coverage study: simulate lists from a known population, estimate, compare with the truth.

For each scenario (capture probabilities, dependence, heterogeneity) and each replicate, every
method estimates the population size; the study reports how often each method's interval
contains the true size, and the median and spread of its relative error.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from htwork.prevalence.estimate import estimate
from htwork.prevalence.results import MSEResult
from htwork.prevalence.simulate import simulate_lists
from htwork.prevalence.table import CaptureTable
from htwork.prevalence.twolist import chapman

__all__ = ["Scenario", "coverage_study", "DEFAULT_SCENARIOS", "DEFAULT_METHODS"]


@dataclass(frozen=True)
class Scenario:
    """A simulation setting.

    Attributes
    ----------
    name : str
        Label.
    n : int
        True population size.
    probs : tuple of float
        Capture probability per list.
    dependence : dict
        Pairwise log odds ratios (``{"A:B": 1.0}``).
    heterogeneity : float
        Standard deviation of individual catchability (logit scale).
    """

    name: str
    n: int
    probs: tuple[float, ...]
    dependence: Mapping[str, float] = field(default_factory=dict)
    heterogeneity: float = 0.0


DEFAULT_SCENARIOS = (
    Scenario("independent", 3000, (0.08, 0.12, 0.2, 0.06, 0.1)),
    Scenario("dependent A:B, C:D", 3000, (0.08, 0.12, 0.2, 0.06, 0.1),
             {"A:B": 1.2, "C:D": 0.8}),
    Scenario("heterogeneous", 3000, (0.08, 0.12, 0.2, 0.06, 0.1), heterogeneity=1.0),
)

MethodFn = Callable[[CaptureTable, int], MSEResult]

DEFAULT_METHODS: dict[str, MethodFn] = {
    "main effects": lambda t, s: estimate(t, "main"),
    "stepwise (conditional)": lambda t, s: estimate(t, "stepwise"),
    "BIC (conditional)": lambda t, s: estimate(t, "bic", max_order=2),
    "BHS (conditional)": lambda t, s: estimate(t, "bhs"),
    "Chapman, first two lists": lambda t, s: chapman(t, lists=t.lists[:2]),
}


def coverage_study(scenarios: Sequence[Scenario] = DEFAULT_SCENARIOS,
                   methods: Mapping[str, MethodFn] | None = None, replicates: int = 200,
                   seed: int = 0, progress: bool = False) -> pd.DataFrame:
    """Run the study.

    Parameters
    ----------
    scenarios : sequence of Scenario
        Settings to simulate.
    methods : mapping of str to callable, optional
        ``name -> f(table, seed) -> MSEResult``; :data:`DEFAULT_METHODS` when omitted.
    replicates : int
        Simulated data sets per scenario.
    seed : int
        Seed of the whole study.
    progress : bool
        Show a progress bar.

    Returns
    -------
    DataFrame
        One row per scenario and method: ``coverage`` (share of intervals containing the
        truth), ``median_rel_error``, ``mean_abs_rel_error``, ``median_width_rel`` (interval
        width / truth), ``failed`` (no usable estimate), ``replicates``.
    """
    from htwork.progress import progress_bar

    methods = dict(methods or DEFAULT_METHODS)
    seeds = np.random.SeedSequence(seed).generate_state(len(scenarios) * replicates)
    rows: list[dict[str, Any]] = []
    bar = progress_bar(len(scenarios) * replicates, desc="coverage", progress=progress)
    k = 0
    for sc in scenarios:
        records: dict[str, list[tuple[float, float, float]]] = {m: [] for m in methods}
        for _ in range(replicates):
            s = int(seeds[k])
            k += 1
            sim = simulate_lists(sc.n, sc.probs, dependence=dict(sc.dependence),
                                 heterogeneity=sc.heterogeneity, seed=s)
            for name, fn in methods.items():
                try:
                    r = fn(sim.table, s)
                    records[name].append((r.estimate, r.ci_low, r.ci_high))
                except Exception:  # noqa: BLE001 - a failed replicate is counted, not fatal
                    records[name].append((math.nan, math.nan, math.nan))
            bar.update(1)
        for name, rec in records.items():
            arr = np.array(rec, dtype=float)
            ok = np.isfinite(arr).all(axis=1)
            est, lo, hi = arr[ok].T if ok.any() else (np.array([]),) * 3
            rel = est / sc.n - 1
            rows.append({
                "scenario": sc.name, "method": name, "replicates": replicates,
                "coverage": float(np.mean((lo <= sc.n) & (sc.n <= hi))) if ok.any() else math.nan,
                "median_rel_error": float(np.median(rel)) if ok.any() else math.nan,
                "mean_abs_rel_error": float(np.mean(np.abs(rel))) if ok.any() else math.nan,
                "median_width_rel": float(np.median((hi - lo) / sc.n)) if ok.any() else math.nan,
                "failed": int((~ok).sum()),
            })
    bar.close()
    return pd.DataFrame(rows)
