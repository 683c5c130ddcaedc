"""BCa bootstrap intervals that repeat model selection in every replicate.

Following Chan, Silverman and Vincent (2021) and SparseMSE's ``estimatepopulation``: the
observed people are resampled (multinomial with the observed pattern proportions), the whole
selection rule is rerun on each replicate, and the BCa interval (Efron 1987; DiCiccio and Efron
1996) is read off the replicate estimates, with the bias correction ``z0`` from the share of
replicates below the estimate and the acceleration from a delete-one-person jackknife (one
deletion per observed pattern, weighted by its count). Quantiles are R's type 8 (median
unbiased). All replicate tables are drawn up front from one seeded generator, so results do not
depend on how the work is split across processes.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import Any

import numpy as np
from scipy import stats

from htwork.prevalence.table import CaptureTable

__all__ = ["BootstrapResult", "bca_interval", "bootstrap_selection", "selection_estimate"]


@dataclass
class BootstrapResult:
    """Replicates and the BCa interval.

    Attributes
    ----------
    estimate : float
        Estimate on the original data.
    replicates : ndarray
        Estimates from the bootstrap replicates (NaN where no model could be fitted).
    jackknife : ndarray
        Delete-one estimates, one per observed pattern.
    acceleration : float
        BCa acceleration ``a``.
    bias_z0 : float
        BCa bias correction ``z0``.
    ci_low, ci_high : float
        Interval bounds.
    level : float
        Coverage.
    seed : int or None
        Seed used.
    failed : int
        Replicates where no model could be fitted (left out).
    """

    estimate: float
    replicates: np.ndarray
    jackknife: np.ndarray
    acceleration: float
    bias_z0: float
    ci_low: float
    ci_high: float
    level: float
    seed: int | None
    failed: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def _quantile_type8(x: np.ndarray, q: np.ndarray) -> np.ndarray:
    return np.quantile(x, q, method="median_unbiased")


def bca_interval(replicates: np.ndarray, estimate: float, acceleration: float,
                 level: float = 0.95) -> tuple[float, float, float]:
    """BCa bounds from bootstrap replicates.

    Parameters
    ----------
    replicates : ndarray
        Bootstrap estimates (finite values are used).
    estimate : float
        Estimate on the original data.
    acceleration : float
        Jackknife acceleration.
    level : float
        Coverage.

    Returns
    -------
    low, high, z0 : float
    """
    reps = np.asarray(replicates, dtype=float)
    reps = reps[np.isfinite(reps)]
    if reps.size < 2:
        return (math.nan, math.nan, math.nan)
    share = float(np.mean(reps < estimate))
    share = min(max(share, 0.5 / reps.size), 1 - 0.5 / reps.size)
    z0 = float(stats.norm.ppf(share))
    a = acceleration if math.isfinite(acceleration) else 0.0
    alpha = np.array([(1 - level) / 2, (1 + level) / 2])
    za = stats.norm.ppf(alpha) + z0
    q = stats.norm.cdf(z0 + za / (1 - a * za))
    lo, hi = _quantile_type8(reps, q)
    return (float(lo), float(hi), z0)


def jackknife_acceleration(jack: np.ndarray, weights: np.ndarray) -> float:
    """SparseMSE's weighted jackknife acceleration.

    ``a = sum w d**3 / (6 (sum w d**2) ** 1.5)`` with ``d`` the weighted mean minus each
    delete-one estimate and ``w`` the pattern counts.
    """
    ok = np.isfinite(jack) & (weights > 0)
    if not ok.any():
        return math.nan
    j, w = jack[ok], weights[ok]
    d = (w * j).sum() / w.sum() - j
    denom = 6.0 * (w * d ** 2).sum() ** 1.5
    return float((w * d ** 3).sum() / denom) if denom > 0 else 0.0


def selection_estimate(lists: tuple[str, ...], counts: np.ndarray, method: str,
                       options: dict[str, Any]) -> float:
    """Estimate from one table by a named selection rule (what each replicate runs)."""
    from htwork.prevalence.loglinear import Design
    from htwork.prevalence.model import Model
    from htwork.prevalence.selection import RULES

    if counts.sum() == 0:
        return math.nan
    design = Design(counts, lists)
    opts = dict(options)
    if "models" in opts:
        opts["models"] = [Model.from_hierarchy(h, len(lists)) for h in opts["models"]]
    sel = RULES[method](design, **opts)
    return float(sel.fit.estimate) if sel.fit.ok else math.nan


def _run_chunk(lists: tuple[str, ...], tables: np.ndarray, method: str,
               options: dict[str, Any]) -> np.ndarray:
    return np.array([selection_estimate(lists, row, method, options) for row in tables])


def _map(fn: Callable, lists: tuple[str, ...], tables: np.ndarray, method: str,
         options: dict[str, Any], n_jobs: int, progress: bool, desc: str) -> np.ndarray:
    from htwork.progress import progress_bar

    n = tables.shape[0]
    chunk = max(1, min(25, math.ceil(n / (4 * max(n_jobs, 1)))))
    pieces = [tables[i:i + chunk] for i in range(0, n, chunk)]
    out: list[np.ndarray | None] = [None] * len(pieces)
    bar = progress_bar(n, desc=desc, leave=False, progress=progress)
    if n_jobs <= 1 or n < 2 * chunk:
        for k, p in enumerate(pieces):
            out[k] = fn(lists, p, method, options)
            bar.update(p.shape[0])
    else:
        method_ctx = "fork" if os.name == "posix" else "spawn"
        with ProcessPoolExecutor(max_workers=n_jobs, mp_context=get_context(method_ctx)) as ex:
            futs = {ex.submit(fn, lists, p, method, options): k for k, p in enumerate(pieces)}
            from concurrent.futures import as_completed

            for f in as_completed(futs):
                k = futs[f]
                out[k] = f.result()
                bar.update(pieces[k].shape[0])
    bar.close()
    done = [o for o in out if o is not None]  # every piece, by now
    return np.concatenate(done) if done else np.array([])


def bootstrap_selection(table: CaptureTable, method: str, options: dict[str, Any] | None = None,
                        nboot: int = 1000, seed: int | None = None, level: float = 0.95,
                        n_jobs: int = 2, progress: bool = True,
                        estimate: float | None = None) -> BootstrapResult:
    """BCa bootstrap of an estimate, repeating the selection rule in every replicate.

    Parameters
    ----------
    table : CaptureTable
        The data.
    method : str
        Selection rule name (``stepwise``, ``bic``, ``aic``, ``downhill``, ``bhs``, ``main``).
    options : dict, optional
        Options of the rule (``pthresh``, ``max_order``, ``models`` as hierarchy strings).
    nboot : int
        Number of replicates.
    seed : int, optional
        Seed of the replicate draws (numpy ``default_rng``).
    level : float
        Coverage.
    n_jobs : int
        Worker processes (2 by default).
    progress : bool
        Show a progress bar (where one can be seen: see :func:`htwork.progress.progress_bar`).
    estimate : float, optional
        Estimate on the original data (computed when omitted).

    Returns
    -------
    BootstrapResult
    """
    options = dict(options or {})
    lists = table.lists
    counts = table.cell_counts
    n = int(counts.sum())
    if estimate is None:
        estimate = selection_estimate(lists, counts, method, options)
    rng = np.random.default_rng(seed)
    probs = counts / n
    boot = rng.multinomial(n, probs, size=nboot).astype(np.int64)
    pos = np.flatnonzero(counts > 0)
    jack_tables = np.repeat(counts[None, :], pos.size, axis=0)
    jack_tables[np.arange(pos.size), pos] -= 1
    both = np.vstack([boot, jack_tables])
    est = _map(_run_chunk, lists, both, method, options, n_jobs, progress,
               f"bootstrap ({method})")
    reps, jack = est[:nboot], est[nboot:]
    a = jackknife_acceleration(jack, counts[pos].astype(float))
    lo, hi, z0 = bca_interval(reps, estimate, a, level)
    return BootstrapResult(estimate=float(estimate), replicates=reps, jackknife=jack,
                           acceleration=a, bias_z0=z0, ci_low=lo, ci_high=hi, level=level,
                           seed=seed, failed=int((~np.isfinite(reps)).sum()))
