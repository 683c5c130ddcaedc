"""The links a linkage misses, and the population estimate corrected for them.

A missed link splits a person into two "persons", one of them seen on fewer lists: the capture
table then holds too few people seen on three and four lists and too many seen on one, and the
log-linear model, which extrapolates from the overlaps, puts the population far too high. On four
simulated lists of 10,000 records, pairwise recall 0.89 (precision 0.99) puts the stepwise
estimate a third above the estimate from the true links; drawing the links from their match
probabilities does not help (+29%), because the pairs the model is unsure of are as often two
people as one.

This module estimates how many links were missed and where, and corrects the capture table for
them before the log-linear model is fitted, in the spirit of Di Consiglio and Tuoto (2018,
*Population size estimation and linkage errors: the multiple lists case*, Journal of Official
Statistics 34(4)), who correct the observed table for linkage error rates estimated apart.

**How many links were missed.** For each pair of lists, the true pairs they hold are estimated
from the linkage alone (:mod:`.true_pairs`: a capture-recapture on the birth date and the name,
which counts the pairs no blocking rule joined too). Less the true pairs in the linkage's
clusters (the pairs linked, less the false ones the clustering is expected to hold), that is the
number of true pairs missed.

**Where.** Two clusters the linkage left apart that could be one person (no list in common) and
between which it scored a pair are a *candidate merge*, weighted by the best probability of a
pair between them. Those probabilities say which clusters belong together, but they are not the
probabilities of merges: summed, they fall short of the links missed (the pairs no blocking
rule scored are not among them, and on the simulated lists the true merges among candidates run
above their probabilities: 56% true among candidates at 0.3 to 0.5). So they give the *shape*
of the missed links (which patterns of lists join which), and the counts above give the
*number*: the weights are the probabilities times one factor (for a cluster whose candidates'
probabilities add up to ``P``, at most ``1 / P``), the factor chosen so
that the true pairs the merges restore (``|A| * |B|`` per merge, one for each pair of lists
across it) match the pairs missed, by least squares over the pairs of lists; a cluster's
merges are shrunk together so that they weigh at most 1 in all (a record with a common name and
no birth date has many candidates, at most one of which is its person; without this the
correction merged too many people seen once, and on four lists of 10,000 it put the estimate
1-6% low). The corrected
table moves each merge's weight from the two clusters' patterns to their union. Candidate
merges follow the errors the records actually hold (a name in a native script is cut off from
all of its person's other records, a typo from one of them), where a model of error rates
would have to assume how they fall. (A model of that kind, each list's records cut off from
their person at a rate fitted to the pairs missed, under-corrected: a person on four lists
loses fewer pairs than one on two, a third record bridging a missed pair; with twice the
recording errors it left the estimate 8-13% high, where the candidate merges leave it -4% to
+1% off.)

**The interval.** The true-pair counts are drawn from their sampling distributions (log-normal:
binomial thinning, the model's variance, the variance of the date-agreement share), the scale
and the table are re-derived and refitted in each draw, and the interval is the quantiles of the
draws' sampling distributions mixed (as :mod:`.uncertainty`). It does not hold the error of the
correction itself (see ``benchmarks/README.md``).

Assumptions, to be weighed on real lists: the probabilities are calibrated; among true pairs,
the birth date agreeing does not depend on the name agreeing or on the year being recorded; the
missed pairs no blocking rule scored join patterns as the scored ones do; a person broken in
three is mended pair by pair; false links are few (they are not undone: on the simulated lists
the 1,192 false links lower the estimate by 0.7%). Figures in ``benchmarks/README.md``.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize

from htwork.core.results import Result, warnings_html
from htwork.errors import InputError
from htwork.linkage.cluster import Joins, cluster_joins, pattern_counts
from htwork.linkage.link import (
    LinkResult,
    _nodes,
    coincidence_warning,
    edge_arrays,
    read_links,
)
from htwork.linkage.true_pairs import true_pairs
from htwork.linkage.uncertainty import _check_arguments, _one, _pool_draws

__all__ = ["estimate_with_linkage_errors", "LinkageErrorEstimate", "merged_table", "FEW_PAIRS"]

#: Below this many estimated true pairs for some pair of lists the correction warns that its
#: counts are noisy (on simulated lists of about 2,200 records each, with 923 to 1,522 true pairs
#: per pair of lists, it was 5% low to 12% high; with 1,875 or more, within 4.6%).
FEW_PAIRS = 1_500

def _candidate_merges(node_list: np.ndarray, labels: np.ndarray, left: np.ndarray,
                      right: np.ndarray, prob: np.ndarray) -> pd.DataFrame:
    """Pairs of clusters the linkage left apart that could be one person (no list in common)
    and between which a pair was scored: their patterns and the best probability between them.

    Returns
    -------
    DataFrame
        ``a``, ``b`` (cluster labels, ``a < b``), ``pattern_a``, ``pattern_b``, ``p``.
    """
    bits = np.zeros(len(labels), dtype=np.int64)
    np.bitwise_or.at(bits, labels, 1 << node_list.astype(np.int64))
    ca, cb = labels[left], labels[right]
    sel = (ca != cb) & ((bits[ca] & bits[cb]) == 0)
    lo, hi = np.minimum(ca[sel], cb[sel]), np.maximum(ca[sel], cb[sel])
    cand = (pd.DataFrame({"a": lo, "b": hi, "p": prob[sel]})
            .groupby(["a", "b"], sort=True)["p"].max().reset_index())
    cand["pattern_a"] = bits[cand["a"].to_numpy()]
    cand["pattern_b"] = bits[cand["b"].to_numpy()]
    return cand


def _restored_pairs(pattern_a: np.ndarray, pattern_b: np.ndarray,
                    pairs_ix: list[tuple[int, int]]) -> np.ndarray:
    """For each pair of lists (rows) and each merge (columns), the true pairs the merge
    restores: 1 when one side holds a record of the one list and the other of the other."""
    out = np.zeros((len(pairs_ix), len(pattern_a)))
    for r, (i, j) in enumerate(pairs_ix):
        ai, aj = (pattern_a >> i) & 1, (pattern_a >> j) & 1
        bi, bj = (pattern_b >> i) & 1, (pattern_b >> j) & 1
        out[r] = (ai & bj) | (aj & bi)
    return out


def merged_table(observed: np.ndarray, pattern_a: np.ndarray, pattern_b: np.ndarray,
                 weight: np.ndarray) -> np.ndarray:
    """The capture table with each merge's weight moved from its two patterns to their union.

    Parameters
    ----------
    observed : ndarray
        Counts by bit-mask pattern (entry 0 unused).
    pattern_a, pattern_b : ndarray of int
        The patterns of the two clusters of each merge (no list in common).
    weight : ndarray of float
        Expected number of true merges each stands for.

    Returns
    -------
    ndarray of float
        The corrected counts (may hold small negative values where weights exceed a cell).
    """
    out = np.asarray(observed, dtype=float).copy()
    np.subtract.at(out, pattern_a, weight)
    np.subtract.at(out, pattern_b, weight)
    np.add.at(out, pattern_a | pattern_b, weight)
    out[0] = 0.0
    return out


def _merge_weights(ends: tuple[np.ndarray, np.ndarray], prob: np.ndarray,
                   scale: float) -> np.ndarray:
    """Each candidate merge's weight: its probability times ``scale``, shrunk so that no
    cluster's merges weigh more than 1 in all (a record with a common name and no birth date
    has many candidates, of which at most one is its person).

    A cluster whose probabilities add up to ``P`` has them scaled by ``min(scale, 1 / P)``
    (the smaller factor of a merge's two clusters), so every weight lies in [0, 1] and grows
    with ``scale`` up to its share ``p / P``: the pairs restored grow with ``scale``, and the
    least squares that sets it has one solution."""
    a, b = ends
    n = int(max(a.max(initial=-1), b.max(initial=-1))) + 1
    total = np.bincount(a, prob, n) + np.bincount(b, prob, n)
    most = np.maximum(total[a], total[b])
    return prob * np.minimum(scale, 1.0 / np.maximum(most, 1e-300))


def one_to_one_probabilities(node_list: np.ndarray, left: np.ndarray, right: np.ndarray,
                              prob: np.ndarray) -> np.ndarray:
    """Each link's probability of being a true pair given its rivals, each list holding a
    person once.

    A record of list ``A`` is one person on list ``B`` at most. Of the pairs a record ``a``
    has with ``B`` and ``b`` has with ``A``, at most one is true; with the pairs' odds ``o``
    (``p / (1 - p)``) and ``pi``, the share of records of each list that have a true pair on
    the other (the sum of the probabilities between the two lists over each list's size,
    averaged), the pair ``(a, b)`` is true with probability about
    ``o / (1 - pi + o + sum of its rivals' odds on both sides)``: a link with no rival is
    stronger than its probability, one with a strong rival weaker.

    Parameters
    ----------
    node_list : ndarray of int
        The list of each record.
    left, right : ndarray of int
        The two records of each link.
    prob : ndarray of float
        The links' match probabilities.

    Returns
    -------
    ndarray of float
        The probabilities, in [0, 1].
    """
    p = np.clip(np.asarray(prob, dtype=float), 1e-12, 1 - 1e-12)
    odds = p / (1 - p)
    list_l, list_r = node_list[left], node_list[right]
    own_l = pd.Series(odds).groupby([left, list_r]).transform("sum").to_numpy()
    own_r = pd.Series(odds).groupby([right, list_l]).transform("sum").to_numpy()
    sizes = np.bincount(node_list, minlength=int(node_list.max(initial=0)) + 1)
    between = pd.Series(p).groupby([list_l, list_r]).transform("sum").to_numpy()
    pi = np.clip((between / sizes[list_l] + between / sizes[list_r]) / 2, 0.0, 1.0)
    out = np.clip(odds / ((1 - pi) + own_l + own_r - odds), 0.0, 1.0)
    prob = np.asarray(prob, dtype=float)
    out[prob >= 1.0] = 1.0          # certain links stay certain, impossible ones impossible
    out[prob <= 0.0] = 0.0
    return out


def _joined_pairs(joins: Joins, prob: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """From the clustering's joins: pairs of records of lists ``a`` and ``b`` in one cluster, and
    how many of them are expected false.

    A join of two clusters by a link makes ``|A| * |B|`` pairs, all false when the link is. A
    join is a link that was the best left for both its clusters, so it is true more often than
    its probability says, and a link whose rivals are strong less often: the joins' false ones
    are ``1 - p`` summed with ``p`` from :func:`one_to_one_probabilities` (``prob`` here). On
    four simulated lists of 10,000 (seed 14, a fixed key) that gave 186 false joins where 201
    were; the links' own probabilities gave 242, and the total of ``1 - p`` over the links kept
    less the links the clustering refused (nearly all false), used before, 14: it is the
    difference of two near numbers, and a model a little over-confident at the top wipes it
    out (the estimate corrected for missed links was then 2% high)."""
    p_join = prob[joins.link]
    linked = np.zeros((k, k))
    false = np.zeros((k, k))
    for i, j in itertools.combinations(range(k), 2):
        across = ((((joins.lists_a >> i) & 1) & ((joins.lists_b >> j) & 1))
                  | (((joins.lists_a >> j) & 1) & ((joins.lists_b >> i) & 1))).astype(bool)
        linked[i, j] = across.sum()
        false[i, j] = (1 - p_join[across]).sum()
    return linked, false


@dataclass
class LinkageErrorEstimate(Result):
    """A population estimate from a capture table corrected for the links the linkage missed.

    Attributes
    ----------
    estimate, ci_low, ci_high : float
        The estimate from the corrected table, and an interval that holds the uncertainty of
        the estimated true-pair counts and the sampling uncertainty of the model (not the
        error of the correction itself).
    level : float
        Interval coverage.
    corrected : htwork.prevalence.CaptureTable
        The capture table corrected for missed links (rounded to whole persons).
    uncorrected : htwork.prevalence.MSEResult
        The estimate from the linkage's own capture table (links at the threshold).
    pairs : DataFrame
        By pair of lists: ``linked`` (pairs in one cluster), ``expected_false`` among them,
        ``true_pairs`` (estimated), ``missed`` and ``missed_share`` (true pairs not linked),
        ``restored`` (pairs the correction's merges restore).
    merges : float
        Expected true merges of clusters the correction makes (persons seen twice, joined).
    candidates : int
        Candidate merges (pairs of clusters with a scored pair between them and no list in
        common).
    scale : float
        Factor from the candidates' probabilities to merge weights.
    draws : DataFrame
        One row per draw of the true-pair counts: ``observed``, ``estimate``, ``ci_low``,
        ``ci_high``, ``ok``.
    """

    estimate: float
    ci_low: float
    ci_high: float
    level: float
    corrected: Any
    uncorrected: Any
    pairs: pd.DataFrame
    merges: float
    candidates: int
    scale: float
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
            "merges": round(float(self.merges), 3), "candidates": int(self.candidates),
            "scale": round(float(self.scale), 6),
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
        missed = float(self.pairs["missed"].clip(lower=0).sum())
        true = float(self.pairs["true_pairs"].sum())
        lines = [
            f"Population estimate corrected for missed links ({', '.join(self.lists)}), "
            f"method {self.method}",
            f"  corrected for missed links: {self.estimate:,.0f}  ({pct}% interval "
            f"{self.ci_low:,.0f} to {self.ci_high:,.0f}); {self.corrected.observed:,} persons "
            f"seen after correction; {int(self.draws['ok'].sum())} of {len(self.draws)} draws "
            "of the true-pair counts",
            f"  as linked:                  {self.uncorrected.estimate:,.0f}  ({pct}% interval "
            f"{self.uncorrected.ci_low:,.0f} to {self.uncorrected.ci_high:,.0f}); "
            f"{self.uncorrected.observed:,} persons seen; links at probability >= "
            f"{self.threshold}",
            f"  true pairs missed: about {missed:,.0f} of {true:,.0f} ({missed / true:.1%}); "
            f"{self.merges:,.0f} persons seen twice joined back, over {self.candidates:,} "
            "candidate merges",
        ]
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"LinkageErrorEstimate(estimate={self.estimate:.1f}, ci=({self.ci_low:.1f}, "
                f"{self.ci_high:.1f}), uncorrected={self.uncorrected.estimate:.1f})")

    def _repr_html_(self) -> str:
        return ("<p><b>Population estimate corrected for missed links</b></p>"
                + self.to_frame().to_html(index=False, float_format=lambda v: f"{v:,.0f}")
                + "<p>True pairs by pair of lists</p>"
                + self.pairs.to_html(index=False, float_format=lambda v: f"{v:,.3f}")
                + warnings_html(self.warnings))


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
        Draws of the true-pair counts for the interval.
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
        the correction needs (an older ``htwork link``); or
        a pair of lists with no pair of the same birth date to measure it on.
    """
    from htwork.prevalence import CaptureTable

    _check_arguments(method, draws, level, estimate_kwargs, "draws of the true-pair counts")
    result = links if isinstance(links, LinkResult) else read_links(links)
    stats = result.meta.get("missed_links")
    if not stats:
        raise InputError("this linkage holds no counts of missed links (it was written by an "
                         "older 'htwork link')", hint="link the encoded lists again")
    lists = list(result.lists)
    k = len(lists)
    recs = _nodes(result.clusters, lists)
    left, right, prob, order = edge_arrays(recs, result.pairs)
    node_list = recs["list_no"].to_numpy()
    threshold = result.threshold
    keep = prob >= threshold
    labels, joins = cluster_joins(node_list, left, right, keep, order)
    observed = pattern_counts(node_list, labels, k)
    uncorrected, _, _, _ = _one(CaptureTable(lists, observed), method, level, estimate_kwargs)
    linked, false = _joined_pairs(
        joins, one_to_one_probabilities(node_list, left, right, prob), k)

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
    cand = _candidate_merges(node_list, labels, left, right, prob)
    pat_a = cand["pattern_a"].to_numpy()
    pat_b = cand["pattern_b"].to_numpy()
    restores = _restored_pairs(pat_a, pat_b, pairs_ix)

    cand_p = cand["p"].to_numpy()
    cand_ab = (cand["a"].to_numpy(), cand["b"].to_numpy())

    def weights_for(sc: float) -> np.ndarray:
        return _merge_weights(cand_ab, cand_p, sc)

    def scale_for(n: np.ndarray) -> float:
        # least squares over the pairs of lists: pairs restored = pairs missed, no merge
        # weighing more than one
        need = n - true_linked
        if not len(cand_p) or float(need.sum()) <= 0:
            return 0.0
        top = 1.0 / float(cand_p.min(initial=1.0, where=cand_p > 0)) if (cand_p > 0).any() else 1.0
        found = optimize.minimize_scalar(
            lambda sc: float(((restores @ weights_for(sc) - need) ** 2).sum()),
            bounds=(0.0, max(top, 1.0)), method="bounded", options={"xatol": 1e-6})
        return float(found.x)

    def corrected_table(scale: float) -> tuple[np.ndarray, float]:
        c = merged_table(observed, pat_a, pat_b, weights_for(scale))
        neg = float(-c[c < 0].sum())
        counts = np.round(np.clip(c, 0, None)).astype(np.int64)
        counts[0] = 0
        return counts, neg

    warnings: list[str] = []
    if (says := coincidence_warning(result.meta.get("name_coincidence"))) is not None:
        warnings.append(says)
    missed = n_hat_a - true_linked
    if (missed < 0).any():
        low = [r["lists"] for r, x in zip(rows, missed, strict=True) if x < 0]
        warnings.append("more true links were found than estimated for "
                        f"{', '.join(low)} (the count of true pairs is noisy, and rests on "
                        "birth dates agreeing as often for true pairs with the same name as for "
                        "the others)")
    scale = scale_for(n_hat_a)
    if n_hat_a.min() < FEW_PAIRS:
        warnings.append(f"some pairs of lists hold fewer than {FEW_PAIRS:,} true pairs: the "
                        "counts the correction rests on are noisy at this size, and it can be off "
                        "by more than its interval says (on simulated lists of about 2,200 records "
                        "each it was 5% low to 12% high)")
    if (missed > 0).any() and cand.empty:
        warnings.append("links were missed but no pair of clusters left apart was scored: the "
                        "table is not corrected")
    weights = weights_for(scale)
    pair_frame = pd.DataFrame(rows).assign(missed=missed, missed_share=missed / n_hat_a,
                                           restored=restores @ weights)
    counts, neg = corrected_table(scale)
    if neg >= 0.5:
        warnings.append(f"the correction took {neg:,.0f} persons more than some patterns held; "
                        "those cells were set to 0")
    table = CaptureTable(lists, counts)
    res, ok, _, _ = _one(table, method, level, estimate_kwargs)
    if not ok:
        raise InputError("the corrected capture table gave no usable estimate",
                         hint="try method='main'")
    rng = np.random.default_rng(seed)

    def tables():
        for d in range(draws):
            n_draw = n_hat_a * np.exp(rng.normal(0.0, 1.0, len(n_hat_a)) * n_se_a)
            yield {"draw": d}, CaptureTable(lists, corrected_table(scale_for(n_draw))[0])

    df, lo, hi, left_out = _pool_draws(tables(), draws, method, level, estimate_kwargs,
                                       "true-pair draws", progress)
    warnings += left_out
    warnings += [w for w in res.warnings if w not in warnings]
    return LinkageErrorEstimate(
        float(res.estimate), lo, hi, level, table, uncorrected, pair_frame,
        float(weights.sum()), len(cand), scale,
        df.drop(columns=["dark", "se_log_dark"]), method, seed, lists, threshold, warnings)
