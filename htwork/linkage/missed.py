"""The links a linkage misses, and the population estimate corrected for them.

A missed link splits a person into two "persons", one of them seen on fewer lists: the capture
table then holds too few people seen on three and four lists and too many seen on one, and the
log-linear model, which extrapolates from the overlaps, puts the population far too high. On four
simulated lists of 10,000 records, pairwise recall 0.89 (precision 0.99) puts the stepwise
estimate 34% above the estimate from the true links; drawing the links from their match
probabilities does not help (+29%), because the pairs the model is unsure of are as often two
people as one.

This module estimates how many links were missed and corrects the capture table for them, in
the spirit of Di Consiglio and Tuoto (2018, *Population size estimation and linkage errors: the
multiple lists case*, Journal of Official Statistics 34(4)): the observed table is a known linear
function of the true one given the linkage's error rates, which are estimated, and the equation
is solved for the true table before the log-linear model is fitted.

**How many true pairs each pair of lists holds** (:mod:`.true_pairs`): from the pairs with
the same birth date and the share of true pairs whose dates agree, measured on the pairs with
the same name; the pairs no blocking rule joined are counted too.

**Which records are cut off.** The pairs of ``a`` and ``b`` in one cluster, less the false ones
the clustering is expected to hold, over ``N``, is the share of true pairs linked. (A join of
two clusters makes all the pairs between them, all false when its link is; the links at the
threshold hold ``sum(1 - p)`` false ones, less those the clustering refused because a list would
hold a person twice.) Missed links come mostly from records the linkage cannot place at all (a
name in a native script against a romanisation, a nickname, no date): the fragments of a broken
person are one record and the rest, not random halves. So the error model is a per-list
*detachment* rate ``d``: each record of list ``a`` is cut off from the rest of its person with
probability ``d_a``; a pair of lists then loses ``1 - (1 - d_a)(1 - d_b)`` of its true pairs,
and the rates are fitted to the pairs of lists by least squares on the log scale.

**The corrected table.** A person on the lists ``S`` is seen, under that model, as the records
not cut off (one person, pattern ``T``, with probability ``prod(1 - d, T) * prod(d, S - T)``)
plus each record cut off (a person seen on one list). The observed table is ``M @ true`` with
that matrix, which is triangular; solving it gives the corrected table, fitted as any capture
table (:func:`htwork.prevalence.estimate`).

**The interval.** The true-pair counts ``N`` are drawn from their sampling distributions
(log-normal: binomial thinning of ``T``, the model's variance, the variance of ``m``), the rates
and the table are re-derived and refitted in each draw, and the interval is the quantiles of
the draws' sampling distributions mixed (as :mod:`.uncertainty`).

Assumptions, to be weighed on real lists: the probabilities are calibrated; among true pairs,
the birth date agreeing does not depend on the name agreeing or on the year being recorded;
a record is cut off at a rate that does not depend on how many lists its person is on (a person
on four lists in fact loses fewer pairs, a third record bridging a missed pair: with the true
shares missed the correction is still about 2% high on the simulated lists); false links are
few (they are not corrected for: on the simulated lists the 1,192 false links lower the
estimate by 0.7%). On four simulated lists of 10,000 records, seeds 14 to 21, the corrected
estimate is within 3% of the estimate from the true links on 6 of 8 runs (mean +1.9%, against
+29% to +35% as linked); see ``benchmarks/README.md``.
"""

from __future__ import annotations

import html
import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from htwork.core.results import Result
from htwork.errors import InputError
from htwork.linkage.cluster import cluster_links, pattern_counts
from htwork.linkage.link import LinkResult, _nodes, edge_arrays, read_links
from htwork.linkage.true_pairs import true_pairs
from htwork.linkage.uncertainty import _mixture_interval, _one
from htwork.progress import progress_bar

__all__ = ["estimate_with_linkage_errors", "LinkageErrorEstimate",
           "detachment_matrix", "MAX_LISTS"]

#: Lists the correction takes at most (its matrix has ``4 ** lists`` cells).
MAX_LISTS = 10
#: Largest share of a pair of lists' true pairs the correction takes as missed.
MAX_MISSED = 0.9


def detachment_matrix(rates: np.ndarray) -> np.ndarray:
    """Expected persons seen by pattern (rows) per true person by pattern (columns) when each
    record of list ``i`` is cut off from its person with probability ``rates[i]``.

    Parameters
    ----------
    rates : ndarray of float
        Detachment rate of each list.

    Returns
    -------
    ndarray
        ``(2 ** k, 2 ** k)``, indexed by bit-mask pattern; row and column 0 are zero.
    """
    rates = np.asarray(rates, dtype=float)
    k = len(rates)
    n = 1 << k
    pats = np.arange(n)
    bits = (pats[:, None] >> np.arange(k)) & 1                       # (pattern, list)
    with np.errstate(divide="ignore"):
        log_keep = np.where(bits == 1, np.log1p(-np.minimum(rates, 1.0)), 0.0).sum(1)
        log_cut = np.where(bits == 1, np.log(np.maximum(rates, 0.0)), 0.0).sum(1)
    t, s = np.meshgrid(pats, pats, indexing="ij")
    subset = ((t & s) == t) & (t > 0)
    # the records of T stay together, those of S - T are cut off
    m = np.where(subset, np.exp(log_keep[t] + log_cut[s & ~t]), 0.0)
    # and each record cut off is a person of its own
    for i in range(k):
        on = (pats >> i) & 1 == 1
        m[1 << i, on] += rates[i]
    return m


def _correct_table(observed: np.ndarray, rates: np.ndarray) -> np.ndarray:
    """Solve ``observed = M @ true`` for the true table (pattern 0 excluded)."""
    m = detachment_matrix(rates)[1:, 1:]
    return np.linalg.solve(m, observed[1:].astype(float))


def _fit_rates(missed: np.ndarray, pairs_ix: list[tuple[int, int]], k: int) -> np.ndarray:
    """Per-list detachment rates from each pair of lists' missed share (least squares on
    ``-log(1 - missed) = a_i + a_j``, ``a >= 0``)."""
    from scipy.optimize import nnls

    a = np.zeros((len(pairs_ix), k))
    for r, (i, j) in enumerate(pairs_ix):
        a[r, i] = a[r, j] = 1.0
    # a share below 0 (more true links found than estimated: the count is noisy) still pulls
    # the rates of its two lists down; the rates themselves stay at 0 or above
    b = -np.log1p(-np.clip(missed, -MAX_MISSED, MAX_MISSED))
    x, _ = nnls(a, b)
    return -np.expm1(-x)


def _joined_pairs(node_list: np.ndarray, left: np.ndarray, right: np.ndarray,
                  prob: np.ndarray, keep: np.ndarray, order: np.ndarray,
                  k: int) -> tuple[np.ndarray, np.ndarray]:
    """Replay the clustering: pairs of records of lists ``a`` and ``b`` in one cluster, and
    how many of them are expected false.

    A join of two clusters by a link of probability ``p`` makes ``|A| * |B|`` pairs, all false
    when the link is. The probabilities are calibrated, so the links at or above the threshold
    hold ``sum(1 - p)`` false ones; but the clustering refuses a link whose clusters already
    hold a record of the same list, and such a link is false unless an earlier join was (on
    the simulated lists 873 of 911 refused links are false). So the false links among the
    joins are about ``sum(1 - p) - refused``, and each join's ``1 - p`` is scaled to add up to
    that (links between records already in one cluster confirm it and are taken as true)."""
    n = len(node_list)
    parent = list(range(n))
    members: list[list[int]] = [[int(x)] for x in node_list]
    linked = np.zeros((k, k))
    false = np.zeros((k, k))

    def find(a: int) -> int:
        root = a
        while parent[root] != root:
            root = parent[root]
        while parent[a] != root:
            parent[a], a = root, parent[a]
        return root

    sel = order[keep[order]]
    refused = 0
    joins_false = 0.0
    for a, b, p in zip(left[sel].tolist(), right[sel].tolist(), prob[sel].tolist(),
                       strict=True):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        la, lb = members[ra], members[rb]
        if set(la) & set(lb):
            refused += 1
            continue
        joins_false += 1 - p
        for x in la:
            for y in lb:
                i, j = (x, y) if x < y else (y, x)
                linked[i, j] += 1
                false[i, j] += 1 - p
        if ra < rb:
            parent[rb] = ra
            members[ra] = la + lb
        else:
            parent[ra] = rb
            members[rb] = la + lb
    expected_false = float((1 - prob[sel]).sum())
    scale = max(expected_false - refused, 0.0) / joins_false if joins_false > 0 else 0.0
    return linked, false * min(scale, 1.0)


@dataclass
class LinkageErrorEstimate(Result):
    """A population estimate from a capture table corrected for the links the linkage missed.

    Attributes
    ----------
    estimate, ci_low, ci_high : float
        The estimate from the corrected table, and an interval that holds the uncertainty of
        the estimated error rates and the sampling uncertainty of the model.
    level : float
        Interval coverage.
    corrected : htwork.prevalence.CaptureTable
        The capture table corrected for missed links (rounded to whole persons).
    uncorrected : htwork.prevalence.MSEResult
        The estimate from the linkage's own capture table (links at the threshold).
    pairs : DataFrame
        By pair of lists: pairs linked, expected false among them, true pairs estimated, share
        missed, and the share the fitted detachment rates give.
    rates : Series
        Fitted detachment rate of each list (share of its records cut off from their person).
    draws : DataFrame
        One row per draw of the error rates: ``observed``, ``estimate``, ``ci_low``,
        ``ci_high``, ``ok``.
    """

    estimate: float
    ci_low: float
    ci_high: float
    level: float
    corrected: Any
    uncorrected: Any
    pairs: pd.DataFrame
    rates: pd.Series
    draws: pd.DataFrame
    method: str
    seed: int | None
    lists: list[str]
    threshold: float
    warnings: list[str] = field(default_factory=list)

    def _data(self) -> dict[str, Any]:
        def clean(v: float) -> float | None:
            return None if v is None or not math.isfinite(v) else float(v)

        return {
            "lists": self.lists, "method": self.method, "level": self.level,
            "threshold": self.threshold, "seed": self.seed,
            "draws": len(self.draws), "draws_used": int(self.draws["ok"].sum()),
            "corrected_for_missed_links": {
                "estimate": clean(self.estimate), "ci_low": clean(self.ci_low),
                "ci_high": clean(self.ci_high), "observed": int(self.corrected.observed)},
            "uncorrected": {
                "estimate": clean(self.uncorrected.estimate),
                "ci_low": clean(self.uncorrected.ci_low),
                "ci_high": clean(self.uncorrected.ci_high),
                "observed": int(self.uncorrected.observed)},
            "detachment_rates": {k: round(float(v), 6) for k, v in self.rates.items()},
            "pairs_of_lists": self.pairs.round(6).to_dict(orient="records"),
            "capture_table_corrected": self.corrected.to_dict()["counts"],
            "warnings": list(self.warnings),
        }

    def to_frame(self) -> pd.DataFrame:
        """Two rows: the corrected estimate and the linkage's own."""
        return pd.DataFrame([
            {"table": "corrected for missed links", "observed": self.corrected.observed,
             "estimate": self.estimate, "ci_low": self.ci_low, "ci_high": self.ci_high},
            {"table": "as linked", "observed": self.uncorrected.observed,
             "estimate": self.uncorrected.estimate, "ci_low": self.uncorrected.ci_low,
             "ci_high": self.uncorrected.ci_high},
        ])

    def summary(self) -> str:
        pct = round(self.level * 100)
        rates = ", ".join(f"{k} {v:.1%}" for k, v in self.rates.items())
        lines = [
            f"Population estimate corrected for missed links ({', '.join(self.lists)}), "
            f"method {self.method}",
            f"  corrected for missed links: {self.estimate:,.0f}  ({pct}% interval "
            f"{self.ci_low:,.0f} to {self.ci_high:,.0f}); {self.corrected.observed:,} persons "
            f"seen after correction; {int(self.draws['ok'].sum())} of {len(self.draws)} draws "
            "of the error rates",
            f"  as linked:                  {self.uncorrected.estimate:,.0f}  ({pct}% interval "
            f"{self.uncorrected.ci_low:,.0f} to {self.uncorrected.ci_high:,.0f}); "
            f"{self.uncorrected.observed:,} persons seen; links at probability >= "
            f"{self.threshold}",
            f"  records cut off from their person, by list: {rates}",
        ]
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"LinkageErrorEstimate(estimate={self.estimate:.1f}, ci=({self.ci_low:.1f}, "
                f"{self.ci_high:.1f}), uncorrected={self.uncorrected.estimate:.1f})")

    def _repr_html_(self) -> str:
        return ("<p><b>Population estimate corrected for missed links</b></p>"
                + self.to_frame().to_html(index=False, float_format=lambda v: f"{v:,.0f}")
                + "<p>Records cut off from their person, by list</p>"
                + self.rates.to_frame("rate").to_html(float_format=lambda v: f"{v:.1%}")
                + "".join(f"<p style='color:#a33'>warning: {html.escape(w)}</p>"
                          for w in self.warnings))


def estimate_with_linkage_errors(links: str | Path | LinkResult, *, method: str = "stepwise",
                                 draws: int = 200, seed: int | None = 0, level: float = 0.95,
                                 progress: bool | None = None,
                                 **estimate_kwargs: Any) -> LinkageErrorEstimate:
    """Estimate the population from a linkage, correcting the capture table for missed links.

    This is the first estimate ``htwork mse --links links/`` prints. The method is in the
    module's description (:mod:`htwork.linkage.missed`).

    Parameters
    ----------
    links : path or LinkResult
        The folder written by :func:`htwork.linkage.link_files` (or the result itself).
    method : str
        Model choice of :func:`htwork.prevalence.estimate` (``stepwise``, ``bic``, ``aic``,
        ``downhill``, ``main``, ``bhs``), repeated in every draw.
    draws : int
        Draws of the error rates for the interval.
    seed : int, optional
        Seed of the draws.
    level : float
        Interval coverage.
    progress : bool, optional
        Show a progress bar over the draws.
    **estimate_kwargs
        Passed to :func:`htwork.prevalence.estimate` (``pthresh``, ``max_order``...).

    Returns
    -------
    LinkageErrorEstimate

    Raises
    ------
    htwork.errors.InputError
        A bad folder, method, number of draws or level; a linkage written without the counts
        the correction needs (an older ``htwork link``); more than :data:`MAX_LISTS` lists; or
        a pair of lists with no pair of the same birth date to measure it on.
    """
    from htwork.prevalence import METHODS, CaptureTable

    if method not in METHODS + ("fixed",):
        raise InputError(f"method {method!r} cannot be used here; use one of "
                         f"{', '.join(METHODS)}")
    if draws < 1:
        raise InputError("draws must be at least 1", hint="200 draws is a good default")
    if not 0 < level < 1:
        raise InputError(f"level must lie between 0 and 1, got {level}")
    for bad in ("nboot", "interval"):
        if bad in estimate_kwargs:
            raise InputError(f"{bad}= is not used here (each draw uses the conditional Wald "
                             "interval)")
    result = links if isinstance(links, LinkResult) else read_links(links)
    stats = result.meta.get("missed_links")
    if not stats:
        raise InputError("this linkage holds no counts of missed links (it was written by an "
                         "older 'htwork link')", hint="link the encoded lists again")
    lists = list(result.lists)
    k = len(lists)
    if k > MAX_LISTS:
        raise InputError(f"the correction for missed links takes at most {MAX_LISTS} lists; "
                         f"this linkage has {k}")
    recs = _nodes(result.clusters, lists)
    left, right, prob, order = edge_arrays(recs, result.pairs)
    node_list = recs["list_no"].to_numpy()
    threshold = result.threshold
    keep = prob >= threshold
    labels = cluster_links(node_list, left, right, keep, order)
    observed = pattern_counts(node_list, labels, k)
    uncorrected, _, _, _ = _one(CaptureTable(lists, observed), method, level, estimate_kwargs)
    linked, false = _joined_pairs(node_list, left, right, prob, keep, order, k)

    pairs_ix = list(itertools.combinations(range(k), 2))
    rows, n_hat, n_se = [], [], []
    for i, j in pairs_ix:
        n, se = true_pairs(stats, lists[i], lists[j])
        if not math.isfinite(n):
            raise InputError(f"lists {lists[i]} and {lists[j]} have no pair with the same birth "
                             "date (or none with the same name and birth years): the share of "
                             "links missed cannot be estimated for them",
                             hint="use the estimate with linkage uncertainty "
                             "(htwork mse --links FOLDER --scheme sample) instead")
        n_hat.append(n)
        n_se.append(se)
        rows.append({"lists": f"{lists[i]}-{lists[j]}", "linked": linked[i, j],
                     "expected_false": false[i, j], "true_pairs": n})
    n_hat_a, n_se_a = np.array(n_hat), np.array(n_se)
    true_linked = np.array([linked[i, j] - false[i, j] for i, j in pairs_ix])

    def rates_for(n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        missed = 1 - true_linked / n
        return missed, _fit_rates(missed, pairs_ix, k)

    missed, rates = rates_for(n_hat_a)
    warnings: list[str] = []
    if (missed < 0).any():
        low = [r["lists"] for r, x in zip(rows, missed, strict=True) if x < 0]
        warnings.append("more true links were found than estimated for "
                        f"{', '.join(low)}: taken as none missed (the estimate of true pairs "
                        "rests on birth dates agreeing as often for pairs with the same name "
                        "as for the others)")
    fitted = 1 - np.array([(1 - rates[i]) * (1 - rates[j]) for i, j in pairs_ix])
    pair_frame = pd.DataFrame(rows).assign(missed_share=missed, fitted_missed_share=fitted)

    def corrected_table(r: np.ndarray) -> tuple[np.ndarray, float]:
        c = _correct_table(observed, r)
        neg = float(-c[c < 0].sum())
        counts = np.zeros(1 << k, dtype=np.int64)
        counts[1:] = np.round(np.clip(c, 0, None)).astype(np.int64)
        return counts, neg

    counts, neg = corrected_table(rates)
    if neg >= 0.5:
        warnings.append(f"the correction left {neg:,.0f} persons below zero in some patterns; "
                        "those cells were set to 0")
    table = CaptureTable(lists, counts)
    res, ok, _, _ = _one(table, method, level, estimate_kwargs)
    rng = np.random.default_rng(seed)
    out = []
    cache: dict[bytes, tuple] = {}
    bar = progress_bar(draws, desc="error-rate draws", unit="draw", progress=progress)
    for d in range(draws):
        bar.update(1)
        n_draw = n_hat_a * np.exp(rng.normal(0.0, 1.0, len(n_hat_a)) * n_se_a)
        _, r = rates_for(n_draw)
        c, _ = corrected_table(r)
        key = c.tobytes()
        if key not in cache:
            one, good, dark, se = _one(CaptureTable(lists, c), method, level, estimate_kwargs)
            cache[key] = (int(c.sum()), one.estimate, one.ci_low, one.ci_high, good, dark, se)
        obs, est, lo, hi, good, dark, se = cache[key]
        out.append({"draw": d, "observed": obs, "estimate": est, "ci_low": lo, "ci_high": hi,
                    "ok": good, "dark": dark, "se_log_dark": se})
    bar.close()
    df = pd.DataFrame(out)
    good_df = df[df["ok"]]
    if not ok or good_df.empty:
        raise InputError("the corrected capture table gave no usable estimate",
                         hint="try method='main'")
    if len(good_df) < len(df):
        warnings.append(f"{len(df) - len(good_df)} of {len(df)} draws had no usable model and "
                        "were left out")
    lo, hi = _mixture_interval(good_df["observed"].to_numpy(float),
                               good_df["dark"].to_numpy(float),
                               good_df["se_log_dark"].to_numpy(float), level)
    warnings += [w for w in res.warnings if w not in warnings]
    return LinkageErrorEstimate(
        float(res.estimate), lo, hi, level, table, uncorrected, pair_frame,
        pd.Series(rates, index=lists, name="detachment_rate"),
        df.drop(columns=["dark", "se_log_dark"]), method, seed, lists, threshold, warnings)
