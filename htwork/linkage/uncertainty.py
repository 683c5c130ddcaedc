"""Carry the linkage's uncertainty into the population estimate.

A capture table made at one threshold treats every link as certain. Here the clustering is
re-drawn many times: in each draw every scored pair is a link with its match probability
(independently, seeded), the links are clustered as in :mod:`.cluster` (most probable first,
one record per list per person), the capture table is rebuilt and the population estimated
with :func:`htwork.prevalence.estimate`. The draws' estimates are combined as a mixture: the
interval is the quantiles of the average of the draws' log-normal sampling distributions (the
conditional Wald interval of each draw), so it holds both the sampling uncertainty of MSE and
the uncertainty of who is who. Beside it, the estimate from the linkage at its threshold with
the interval that ignores linkage uncertainty.

When every probability is 0 or 1 every draw is the same clustering as the threshold's, and the
result reproduces the capture-table estimate and its interval exactly.

``scheme="thresholds"`` draws instead the clusterings at a grid of thresholds (a sensitivity
analysis rather than a probability model).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from htwork.core.results import Result, warnings_html
from htwork.errors import InputError
from htwork.linkage.cluster import cluster_links, pattern_counts
from htwork.linkage.link import LinkResult, _nodes, edge_arrays, read_links
from htwork.progress import progress_bar

__all__ = ["estimate_with_links", "LinkageEstimate", "SCHEMES"]

SCHEMES = ("sample", "thresholds")
_DEFAULT_THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


@dataclass
class LinkageEstimate(Result):
    """A population estimate with an interval that includes the linkage's uncertainty.

    Attributes
    ----------
    estimate : float
        Median of the draws' estimates.
    ci_low, ci_high : float
        Interval including linkage uncertainty (mixture of the draws' sampling distributions).
    level : float
        Interval coverage.
    naive : htwork.prevalence.MSEResult
        The estimate from the capture table at the linkage's threshold, with its interval that
        ignores linkage uncertainty.
    draws : DataFrame
        One row per draw: ``observed``, ``estimate``, ``ci_low``, ``ci_high``, ``links``,
        ``ok``.
    method, scheme : str
        Estimator (as :func:`htwork.prevalence.estimate`) and how clusterings were drawn.
    seed : int
        Seed of the draws.
    """

    estimate: float
    ci_low: float
    ci_high: float
    level: float
    naive: Any
    draws: pd.DataFrame
    method: str
    scheme: str
    seed: int | None
    lists: list[str]
    threshold: float
    warnings: list[str] = field(default_factory=list)

    @property
    def n_draws(self) -> int:
        return len(self.draws)

    def _data(self) -> dict[str, Any]:
        def clean(v: float) -> float | None:
            return None if v is None or not math.isfinite(v) else float(v)

        ok = self.draws["ok"]
        return {
            "lists": self.lists,
            "method": self.method,
            "scheme": self.scheme,
            "draws": int(self.n_draws),
            "draws_used": int(ok.sum()),
            "seed": self.seed,
            "level": self.level,
            "threshold": self.threshold,
            "with_linkage_uncertainty": {
                "estimate": clean(self.estimate), "ci_low": clean(self.ci_low),
                "ci_high": clean(self.ci_high),
                "observed_median": clean(float(self.draws.loc[ok, "observed"].median()))
                if ok.any() else None},
            "ignoring_linkage_uncertainty": {
                "estimate": clean(self.naive.estimate), "ci_low": clean(self.naive.ci_low),
                "ci_high": clean(self.naive.ci_high), "observed": int(self.naive.observed),
                "interval": self.naive.interval_kind},
            "warnings": list(self.warnings),
        }

    def to_frame(self) -> pd.DataFrame:
        """Two rows: the estimate with and without linkage uncertainty."""
        return pd.DataFrame([
            {"interval": "with linkage uncertainty", "estimate": self.estimate,
             "ci_low": self.ci_low, "ci_high": self.ci_high},
            {"interval": "ignoring linkage uncertainty", "estimate": self.naive.estimate,
             "ci_low": self.naive.ci_low, "ci_high": self.naive.ci_high},
        ])

    def summary(self) -> str:
        pct = round(self.level * 100)
        lines = [
            f"Population estimate from linked lists ({', '.join(self.lists)}), method "
            f"{self.method}",
            f"  with linkage uncertainty:     {self.estimate:,.0f}  ({pct}% interval "
            f"{self.ci_low:,.0f} to {self.ci_high:,.0f}); {int(self.draws['ok'].sum())} of "
            f"{self.n_draws} {'draws' if self.scheme == 'sample' else 'thresholds'}"
            + (f", seed {self.seed}" if self.scheme == "sample" else ""),
            f"  ignoring linkage uncertainty: {self.naive.estimate:,.0f}  ({pct}% interval "
            f"{self.naive.ci_low:,.0f} to {self.naive.ci_high:,.0f}); links at probability >= "
            f"{self.threshold}",
        ]
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"LinkageEstimate(estimate={self.estimate:.1f}, ci=({self.ci_low:.1f}, "
                f"{self.ci_high:.1f}), naive={self.naive.estimate:.1f}, draws={self.n_draws})")

    def _repr_html_(self) -> str:
        return ("<p><b>Population estimate from linked lists</b></p>"
                + self.to_frame().to_html(index=False, float_format=lambda v: f"{v:,.0f}")
                + warnings_html(self.warnings))


def _mixture_interval(obs: np.ndarray, dark: np.ndarray, se: np.ndarray,
                      level: float) -> tuple[float, float]:
    """Quantiles of the average of log-normal distributions ``obs + exp(N(log dark, se))``."""
    log_dark = np.log(dark)

    def cdf(x: float) -> float:
        d = x - obs
        out = np.zeros(len(obs))
        pos = d > 0
        with np.errstate(divide="ignore"):
            z = (np.log(d[pos]) - log_dark[pos]) / np.where(se[pos] > 0, se[pos], np.inf)
        out[pos] = stats.norm.cdf(z)
        zero_se = pos & (se <= 0)
        out[zero_se] = (d[zero_se] >= dark[zero_se]).astype(float)
        return float(out.mean())

    alpha = (1 - level) / 2
    lo_b = float((obs + dark * np.exp(-12 * np.maximum(se, 1e-9))).min())
    hi_b = float((obs + dark * np.exp(12 * np.maximum(se, 1e-9))).max())
    bounds = []
    for q in (alpha, 1 - alpha):
        bounds.append(optimize.brentq(lambda x, q=q: cdf(x) - q, lo_b, hi_b, xtol=1e-9,
                                      rtol=1e-12, maxiter=500))
    return bounds[0], bounds[1]


def _one(table, method: str, level: float, kwargs: dict[str, Any]):
    from htwork.prevalence import estimate

    res = estimate(table, method, level=level, **kwargs)
    fit = res.fit
    ok = bool(fit is not None and getattr(fit, "ok", False) and math.isfinite(res.estimate))
    if ok:
        dark = float(fit.dark)
        se = float(fit.intercept_se)
        ok = dark > 0 and math.isfinite(se)
    else:
        dark, se = math.nan, math.nan
    return res, ok, dark, se


def _check_arguments(method: str, draws: int | None, level: float,
                     estimate_kwargs: dict[str, Any], what: str) -> None:
    """The arguments every estimate over draws refuses (``draws=None``: not checked)."""
    from htwork.prevalence import METHODS

    if method not in METHODS + ("fixed",):
        raise InputError(f"method {method!r} cannot be used with {what}; use one of "
                         f"{', '.join(METHODS)}")
    if draws is not None and draws < 1:
        raise InputError("draws must be at least 1", hint="200 draws is a good default")
    if not 0 < level < 1:
        raise InputError(f"level must lie between 0 and 1, got {level}")
    for bad in ("nboot", "interval"):
        if bad in estimate_kwargs:
            raise InputError(f"{bad}= is not used with {what} (each draw uses the "
                             "conditional Wald interval)")


def _pool_draws(draws: Iterable[tuple[dict[str, Any], Any]], n: int, method: str,
                level: float, estimate_kwargs: dict[str, Any], desc: str,
                progress: bool | None) -> tuple[pd.DataFrame, float, float, list[str]]:
    """Estimate each draw's capture table (once per distinct table) and pool them.

    Parameters
    ----------
    draws : iterable of (dict, CaptureTable)
        Each draw's own columns (``draw``...) and its table; ``n`` of them.

    Returns
    -------
    tuple
        One row per draw (its columns, ``observed``, ``estimate``, ``ci_low``, ``ci_high``,
        ``ok``, ``dark``, ``se_log_dark``); the interval pooled over the usable draws (the
        quantiles of their sampling distributions mixed); and a warning when some draws had
        no usable model.

    Raises
    ------
    htwork.errors.InputError
        No draw gave a usable estimate.
    """
    cache: dict[bytes, tuple] = {}
    rows = []
    bar = progress_bar(n, desc=desc, unit="draw", progress=progress)
    for own, table in draws:
        bar.update(1)
        key = table.cell_counts.tobytes()
        if key not in cache:
            res, ok, dark, se = _one(table, method, level, estimate_kwargs)
            cache[key] = (res.estimate, res.ci_low, res.ci_high, ok, dark, se)
        est, lo, hi, ok, dark, se = cache[key]
        rows.append({**own, "observed": table.observed, "estimate": est, "ci_low": lo,
                     "ci_high": hi, "ok": ok, "dark": dark, "se_log_dark": se})
    bar.close()
    df = pd.DataFrame(rows)
    good = df[df["ok"]]
    if good.empty:
        raise InputError("no draw gave a usable estimate", hint="try method='main' or check "
                         "the capture table's warnings")
    warnings = []
    if len(good) < len(df):
        warnings.append(f"{len(df) - len(good)} of {len(df)} draws had no usable model and were "
                        "left out")
    lo, hi = _mixture_interval(good["observed"].to_numpy(float), good["dark"].to_numpy(float),
                               good["se_log_dark"].to_numpy(float), level)
    return df, lo, hi, warnings


def estimate_with_links(links: str | Path | LinkResult, *, method: str = "stepwise",
                        draws: int = 200, seed: int | None = 0, level: float = 0.95,
                        scheme: str = "sample", thresholds: tuple[float, ...] | None = None,
                        progress: bool | None = None, **estimate_kwargs: Any) -> LinkageEstimate:
    """Estimate the population from a linkage, with and without the linkage's uncertainty.

    This is ``htwork mse --links links/ [--method M] [--draws N] [--seed S]``.

    Parameters
    ----------
    links : path or LinkResult
        The folder written by :func:`htwork.linkage.link_files` (or the result itself).
    method : str
        Model choice of :func:`htwork.prevalence.estimate` (``stepwise``, ``bic``, ``aic``,
        ``downhill``, ``main``, ``bhs``); repeated in every draw (model uncertainty included).
    draws : int
        Number of clusterings drawn (``scheme="sample"``).
    seed : int, optional
        Seed of the draws.
    level : float
        Interval coverage.
    scheme : {"sample", "thresholds"}
        Draw each link with its probability, or take the clusterings at ``thresholds``.
    thresholds : tuple of float, optional
        Thresholds of ``scheme="thresholds"`` (0.1 to 0.9 by 0.1 by default).
    progress : bool, optional
        Show a progress bar over the draws (:func:`htwork.progress.progress_bar`).
    **estimate_kwargs
        Passed to :func:`htwork.prevalence.estimate` (``pthresh``, ``max_order``...); the
        conditional (Wald) interval is used in each draw.

    Returns
    -------
    LinkageEstimate

    Raises
    ------
    htwork.errors.InputError
        A bad folder, method, number of draws, level or scheme.
    """
    from htwork.prevalence import CaptureTable

    if scheme not in SCHEMES:
        raise InputError(f"unknown scheme {scheme!r}; use 'sample' or 'thresholds'")
    _check_arguments(method, draws if scheme == "sample" else None, level, estimate_kwargs,
                     "linkage draws")
    result = links if isinstance(links, LinkResult) else read_links(links)
    lists = list(result.lists)
    recs = _nodes(result.clusters, lists)
    left, right, prob, order = edge_arrays(recs, result.pairs)
    node_list = recs["list_no"].to_numpy()
    m = len(lists)
    threshold = result.threshold

    def table_for(keep: np.ndarray) -> CaptureTable:
        labels = cluster_links(node_list, left, right, keep, order)
        return CaptureTable(lists, pattern_counts(node_list, labels, m))

    naive_table = table_for(prob >= threshold)
    naive, _, _, _ = _one(naive_table, method, level, estimate_kwargs)
    if scheme == "sample":
        rng = np.random.default_rng(seed)
        settings = [rng.random(len(prob)) < prob for _ in range(draws)]
    else:
        ts = tuple(thresholds or _DEFAULT_THRESHOLDS)
        if not ts or not all(0 < t < 1 for t in ts):
            raise InputError("thresholds must lie between 0 and 1")
        settings = [prob >= t for t in ts]
    def tables():
        for i, keep in enumerate(settings):
            yield {"draw": i, "links": int(keep.sum())}, table_for(keep)

    df, lo, hi, warnings = _pool_draws(tables(), len(settings), method, level,
                                       estimate_kwargs, "linkage draws", progress)
    est = float(np.median(df.loc[df["ok"], "estimate"]))
    warnings += [w for w in naive.warnings if w not in warnings]
    return LinkageEstimate(est, lo, hi, level, naive, df.drop(columns=["dark", "se_log_dark"]),
                           method, scheme, seed if scheme == "sample" else None, lists,
                           threshold, warnings)
