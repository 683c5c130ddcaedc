"""SUDA2: special uniques, SUDA scores, DIS-SUDA and per-variable contributions.

Definitions (sdcMicro 5.8.1, ``suda2()`` with its defaults, which follow Elliot et al.):

* A set ``S`` of keys is a *sample unique* for a record when no other record has the same
  values on ``S``; it is a *minimal sample unique* (MSU) when no proper subset of ``S`` is one.
  Only sets up to the full key set are searched (``MaxK`` = number of keys).
* Missing values (sdcMicro's convention, ``missing="sdcmicro"``): a key the record misses is
  never part of its MSUs, and a missing value never equals a value (two records that both miss
  a key are equal there only for the full-duplicate check below). ``missing="wildcard"`` uses
  the wildcard rule of :func:`htwork.risk.frequencies` instead.
* The SUDA score of a record with ``M`` keys adds ``(M - |S|)!`` for each of its MSUs
  (``original_scores=False`` gives the IHSN scaling ``(2**(M-|S|) - 1) |S|! (M-|S|)! / M!``).
  Records that share their full key combination with another record score 0.
* Contributions: for each record the raw contribution of a key adds the weight of each MSU
  containing it; divided by the score this is sdcMicro's ``ContributionPercent`` (a fraction
  per key; they sum to the mean MSU size, not to 1). The *attribute contribution* of a key is
  ``100 * sum(raw contributions) / sum(scores)``, so the keys' percentages sum to more than
  100. sdcMicro's C++ engine keeps one value (item) per set of values that pick out exactly
  the same records and multiplies the MSUs found with it; contributions then follow its rules,
  reproduced here: for a 2-key MSU each key gets ``(1 + correlated items of the other)`` times
  the weight and every correlated item once; for larger MSUs each kept item gets the product
  ``prod(1 + correlated items)`` times the weight and correlated items nothing.
* DIS-SUDA (``DisFraction`` = sampling fraction, 0.01 by default)::

      dis = U f / (U f + P (1 - f));   Q = 1 + (8 - M) / 20
      DIS = 1 / (1 + (U / dis - U) / (score**Q * sum(score**-Q over scoring records)))

  with ``P`` the number of records in pairs of identical key combinations and ``U`` the
  number of sample uniques. sdcMicro counts as unique only the records that are alone in
  their bucket of a 16-bit hash of the values; ``dis_uniques="sdcmicro"`` (default)
  reproduces that count, ``"exact"`` uses the true number of sample uniques. The hash needs
  sdcMicro's numeric codes: a categorical column's category position + 1, a numeric column's
  integer value, text ranked in sorted order (numerically when every value is a number).
  Intermediate float precision follows the C++ code.
* With fewer than three keys sdcMicro pads the data with constant keys, so ``M`` is 3 in the
  formulas; this is reproduced, with a note.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from htwork.core.keys import KeyCodes, encode_keys
from htwork.core.numbers import to_numbers
from htwork.core.wildcard import class_sizes, combine_codes, dense_or_factorize, wildcard_counts
from htwork.errors import InputError
from htwork.risk._result import RiskResult, plural

__all__ = ["Suda2Result", "suda2", "suda_weights"]

_MISSING_R = -999


def suda_weights(m: int, original_scores: bool = True) -> np.ndarray:
    """Score added by an MSU of size ``1 .. m`` (index 0 is size 1)."""
    if original_scores:
        return np.array([math.factorial(m - s) for s in range(1, m + 1)], dtype=np.float64)
    out = []
    for s in range(1, m + 1):
        n = m - s
        a = 2.0**n - 1.0
        b = math.factorial(s) * math.factorial(n) / math.factorial(m)
        out.append(a * b)
    return np.array(out, dtype=np.float64)


def _r_codes(df: pd.DataFrame, kc: KeyCodes) -> np.ndarray:
    """The numbers sdcMicro's C++ code sees for each key (``-999`` for missing)."""
    cols = []
    for j, name in enumerate(kc.keys):
        col = df[name]
        codes = kc.codes[:, j].astype(np.int64)
        miss = codes < 0
        if isinstance(col.dtype, pd.CategoricalDtype):
            c = col.cat.codes.to_numpy().astype(np.int64) + 1
        elif pd.api.types.is_bool_dtype(col.dtype):
            c = col.fillna(False).astype(int).to_numpy().astype(np.int64)
        elif pd.api.types.is_numeric_dtype(col.dtype):
            c = np.trunc(np.nan_to_num(col.to_numpy(dtype=float))).astype(np.int64)
        else:  # text: rank among the sorted categories, numerically if all are numbers
            levels = kc.levels[j]
            num = to_numbers([str(v).strip() for v in levels])
            if len(levels) and not num.isna().any():
                order = np.argsort(num.to_numpy(dtype=float), kind="stable")
            else:
                order = np.argsort(np.array([str(v) for v in levels], dtype=str), kind="stable")
            rank = np.empty(len(levels), dtype=np.int64)
            rank[order] = np.arange(1, len(levels) + 1)
            c = rank[np.where(miss, 0, codes)] if len(levels) else np.zeros(len(codes), np.int64)
        cols.append(np.where(miss, _MISSING_R, c))
    return np.stack(cols, axis=1)


def _hash_singletons(values: np.ndarray) -> int:
    """Records alone in their bucket of sdcMicro's 16-bit rolling hash."""
    h = np.zeros(values.shape[0], dtype=np.int64)
    for j in range(values.shape[1]):
        carry = (h >> 15) & 1
        h = ((h << 1) + values[:, j] + carry) & 0xFFFF
    counts = np.bincount(h, minlength=1 << 16)
    return int((counts == 1).sum())


def _dis_scores(score: np.ndarray, m: int, uniques: int, pairs: int, fraction: float) -> np.ndarray:
    """DIS-SUDA with the C++ code's single-precision intermediates."""
    f32 = np.float32
    frac = f32(fraction) if fraction != 0 else f32(0.5)
    u = f32(uniques)
    with np.errstate(divide="ignore", invalid="ignore"):
        dis = (u * frac) / (u * frac + f32(pairs) * (f32(1.0) - frac))
        term = float(f32(u / dis) - u)
    q = float(f32(1.0) + (f32(8.0) - f32(m)) / f32(20.0))
    pos = score > 0
    out = np.zeros(len(score), dtype=np.float64)
    if not pos.any():
        return out
    powq = np.power(score[pos], q)
    adj = float(np.sum(1.0 / powq))
    with np.errstate(divide="ignore", invalid="ignore"):
        out[pos] = 1.0 / (1.0 + term / (powq * adj))
    return out


def _subset_counts(
    cell_codes: np.ndarray, cell_n: np.ndarray, cols: list[int], targets: np.ndarray
) -> np.ndarray:
    """For the target cells, how many records share their values on ``cols`` (missing a value)."""
    key, space = combine_codes(cell_codes, cols)
    ids, _ = dense_or_factorize(key, space)
    sums = np.bincount(ids, weights=cell_n)
    return np.rint(sums[ids[targets]]).astype(np.int64)


def _correlation(codes: np.ndarray, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """sdcMicro's correlated items, seen from each target record.

    Returns ``rep`` (for each target and key, the key of the first item with exactly the same
    records as the target's item on this key, itself if none) and ``ncorr`` (for a kept item,
    how many other items pick out the same records).
    """
    n, m = codes.shape
    freq = np.zeros((len(targets), m), dtype=np.int64)
    for v in range(m):
        _, sizes = class_sizes(codes[:, [v]])
        freq[:, v] = sizes[targets]
    obs = codes[targets] >= 0
    item = obs & (freq >= 2) & (freq != n)
    rep = np.tile(np.arange(m), (len(targets), 1))
    found = np.zeros((len(targets), m), dtype=bool)
    for u, v in itertools.combinations(range(m), 2):
        both = item[:, u] & item[:, v] & (freq[:, u] == freq[:, v]) & ~found[:, v]
        if not both.any():
            continue
        _, sizes = class_sizes(codes[:, [u, v]])
        same = both & (sizes[targets] == freq[:, u])
        rep[same, v] = u
        found[same, v] = True
    ncorr = np.zeros((len(targets), m), dtype=np.int64)
    for v in range(m):
        for u in range(v):
            ncorr[:, u] += rep[:, v] == u
    return rep, ncorr


@dataclass(repr=False)
class Suda2Result(RiskResult):
    """SUDA scores, DIS-SUDA scores and contributions.

    Attributes
    ----------
    keys : list of str
        The quasi-identifiers.
    score : numpy.ndarray
        SUDA score of each record.
    dis_score : numpy.ndarray
        DIS-SUDA score of each record.
    contribution : numpy.ndarray
        ``(n, keys)`` sdcMicro's ``ContributionPercent``: raw contribution / score.
    msu_counts : numpy.ndarray
        ``(n, keys)`` number of MSUs of size 1, 2, ... of each record.
    attribute_contributions : pandas.Series
        Percent of the total score each key contributes.
    attribute_level_contributions : pandas.DataFrame
        Percent of a key's contribution coming from each of its categories.
    """

    keys: list[str]
    score: np.ndarray
    dis_score: np.ndarray
    contribution: np.ndarray
    msu_counts: np.ndarray
    attribute_contributions: pd.Series
    attribute_level_contributions: pd.DataFrame
    index: pd.Index
    missing: str
    uniques_for_dis: int
    pairs_for_dis: int
    dis_fraction: float
    padded: bool = False
    title: str = field(default="SUDA2 special uniques", init=False)

    @property
    def records_above_zero(self) -> int:
        """Records with at least one minimal sample unique."""
        return int((self.score > 0).sum())

    @property
    def total_score(self) -> float:
        """Sum of the SUDA scores."""
        return float(self.score.sum())

    @property
    def total_dis_score(self) -> float:
        """Sum of the DIS-SUDA scores."""
        return float(np.nansum(self.dis_score))

    def dis_table(self) -> pd.DataFrame:
        """Records by DIS-SUDA interval, as sdcMicro prints them."""
        edges = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]
        labels = ["== 0"] + [f"({a:.1f}, {b:.1f}]" for a, b in itertools.pairwise(edges)]
        labels.append("> 0.7")
        eps = np.finfo(float).eps
        cuts = np.r_[-1.0, np.array(edges) + eps, np.inf]
        counts = pd.cut(pd.Series(self.dis_score), cuts).value_counts(sort=False).to_numpy()
        return pd.DataFrame({"interval": labels, "records": counts})

    def to_frame(self) -> pd.DataFrame:
        """One row per record: score, DIS score, and each key's contribution."""
        data: dict[str, Any] = {"suda_score": self.score, "dis_suda_score": self.dis_score}
        for j, k in enumerate(self.keys):
            data[f"{k}_contribution"] = self.contribution[:, j]
        return pd.DataFrame(data, index=self.index)

    def _data(self) -> dict[str, Any]:
        """JSON-ready totals and contributions."""
        return {
            "records_above_zero": self.records_above_zero,
            "total_score": self.total_score,
            "total_dis_score": self.total_dis_score,
            "max_score": float(self.score.max()) if len(self.score) else 0.0,
            "contributions": {k: float(v) for k, v in self.attribute_contributions.items()},
            "dis_fraction": self.dis_fraction,
            "missing": self.missing,
            "msus_by_size": {
                str(s + 1): int(self.msu_counts[:, s].sum())
                for s in range(self.msu_counts.shape[1])
            },
        }

    def top_contributor(self) -> tuple[str, float] | None:
        """The key contributing most, and its percentage (None when no record scores)."""
        if self.total_score <= 0:
            return None
        key = str(self.attribute_contributions.idxmax())
        return key, float(self.attribute_contributions[key])

    def _headline(self) -> str:
        top = self.top_contributor()
        if top is None:
            return "No record is special-unique on these keys."
        return (
            f"{plural(self.records_above_zero, 'record')} "
            f"{'is' if self.records_above_zero == 1 else 'are'} unique on some combination of "
            f"keys; {top[0]} accounts for {top[1]:.0f}% of special uniqueness."
        )

    def _summary_rows(self) -> list[tuple[str, Any]]:
        rows: list[tuple[str, Any]] = [
            ("records with SUDA score > 0", self.records_above_zero),
            ("total SUDA score", self.total_score),
            ("total DIS-SUDA score", self.total_dis_score),
        ]
        rows += [(f"contribution of {k} (%)", v) for k, v in self.attribute_contributions.items()]
        return rows

    def _notes(self) -> list[str]:
        notes = [
            "contributions sum to more than 100 %: an MSU counts for every key in it",
        ]
        if self.padded:
            notes.append("fewer than 3 keys: padded with constant keys as sdcMicro does")
        return notes


def _msu_search(
    codes: np.ndarray,
    weights_by_size: np.ndarray,
    missing: str,
) -> tuple[np.ndarray, np.ndarray, list[tuple[tuple[int, ...], np.ndarray, np.ndarray]]]:
    """Scores and MSUs of every record.

    Returns the score per record, MSU counts by size per record, and for each key subset
    the candidate rows for which it is an MSU.
    """
    n, m = codes.shape
    if missing == "wildcard":
        full = wildcard_counts(codes, liveness=False)
        targets = np.flatnonzero(full == 1)
    else:
        _, class_n = class_sizes(codes)
        targets = np.flatnonzero(class_n == 1)
    score = np.zeros(n, dtype=np.float64)
    counts = np.zeros((n, m), dtype=np.int64)
    found: list[tuple[tuple[int, ...], np.ndarray, np.ndarray]] = []
    if len(targets) == 0:
        return score, counts, found

    if missing == "wildcard":
        cell_codes, cell_n, tcells = codes, np.ones(n), targets
    else:
        key, space = combine_codes(codes)
        ids, sizes = dense_or_factorize(key, space)
        first = np.full(len(sizes), -1, dtype=np.int64)
        first[ids[::-1]] = np.arange(n - 1, -1, -1)
        cell_codes, cell_n, tcells = codes[first], sizes.astype(float), ids[targets]

    tobs = codes[targets] >= 0
    alive = np.ones(len(targets), dtype=bool)
    prev: dict[tuple[int, ...], np.ndarray] = {}
    for size in range(1, m + 1):
        cur: dict[tuple[int, ...], np.ndarray] = {}
        any_alive = False
        for subset in itertools.combinations(range(m), size):
            cols = list(subset)
            observed = tobs[:, cols].all(axis=1)
            if missing == "wildcard":
                cnt = wildcard_counts(codes[:, cols], liveness=False)[targets]
            else:
                cnt = _subset_counts(cell_codes, cell_n, cols, tcells)
            uniq = (cnt == 1) & observed
            cur[subset] = uniq
            msu = uniq & alive
            if size > 1:
                for v in subset:
                    msu &= ~prev[tuple(c for c in subset if c != v)]
            if msu.any():
                rows = np.flatnonzero(msu)
                score[targets[rows]] += weights_by_size[size - 1]
                counts[targets[rows], size - 1] += 1
                found.append((subset, rows, targets[rows]))
            any_alive = any_alive or bool((alive & ~uniq).any())
        # a target unique on every set of this size has no larger MSU
        all_unique = np.ones(len(targets), dtype=bool)
        for u in cur.values():
            all_unique &= u
        alive &= ~all_unique
        prev = cur
        if not alive.any():
            break
    return score, counts, found


def suda2(
    df: pd.DataFrame,
    keys: str | Iterable[str],
    *,
    missing: Literal["sdcmicro", "wildcard"] = "sdcmicro",
    dis_fraction: float = 0.01,
    original_scores: bool = True,
    dis_uniques: Literal["sdcmicro", "exact"] = "sdcmicro",
) -> Suda2Result:
    """SUDA2 scores, DIS-SUDA scores and per-key contributions, as sdcMicro computes them.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    keys : str or iterable of str
        The quasi-identifiers (all subsets up to the full set are searched: 2^keys passes).
    missing : {"sdcmicro", "wildcard"}
        How missing values are treated (see the module notes).
    dis_fraction : float
        Sampling fraction for DIS-SUDA (sdcMicro's ``DisFraction``, 0.01).
    original_scores : bool
        Elliot's ``(M - size)!`` weights (sdcMicro's default) or the IHSN scaling.
    dis_uniques : {"sdcmicro", "exact"}
        Count of sample uniques used in DIS-SUDA (see the module notes).

    Returns
    -------
    Suda2Result

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"a": [2, 1, 1], "b": [0, 3, 0], "c": [0, 6, 0]})
    >>> suda2(df, ["a", "b", "c"]).attribute_contributions.round(1).tolist()
    [50.0, 37.5, 37.5]
    """
    if missing not in ("sdcmicro", "wildcard"):
        raise InputError(f"missing must be 'sdcmicro' or 'wildcard', not {missing!r}.")
    if dis_uniques not in ("sdcmicro", "exact"):
        raise InputError(f"dis_uniques must be 'sdcmicro' or 'exact', not {dis_uniques!r}.")
    if not (0 <= dis_fraction < 1):
        raise InputError(f"dis_fraction must be in [0, 1), not {dis_fraction!r}.")
    kc = encode_keys(df, keys)
    n, p = kc.codes.shape
    codes = kc.codes
    rvals = _r_codes(df, kc)
    padded = p < 3
    if padded:
        extra = 3 - p
        codes = np.hstack([codes, np.zeros((n, extra), dtype=codes.dtype)])
        rvals = np.hstack([rvals, np.ones((n, extra), dtype=np.int64)])
    m = codes.shape[1]
    g = suda_weights(m, original_scores)

    score, msu_counts, found = _msu_search(codes, g, missing)

    # contributions
    raw = np.zeros((n, m), dtype=np.float64)
    if found:
        if missing == "sdcmicro":
            targets = np.unique(np.concatenate([t for _, _, t in found]))
            rep, ncorr = _correlation(codes, targets)
            where = np.searchsorted(targets, np.arange(n))
        for subset, _, rows in found:
            s = len(subset)
            w = g[s - 1]
            if missing != "sdcmicro":
                for v in subset:
                    raw[rows, v] += w
                continue
            t = where[rows]
            keep = np.ones(len(rows), dtype=bool)
            for v in subset:
                keep &= rep[t, v] == v
            rows_k, t_k = rows[keep], t[keep]
            if len(rows_k) == 0:
                continue
            if s == 1:
                raw[rows_k, subset[0]] += w
            elif s == 2:
                v, u = subset
                raw[rows_k, v] += (1 + ncorr[t_k, u]) * w
                raw[rows_k, u] += (1 + ncorr[t_k, v]) * w
                for x in range(m):
                    if x in subset:
                        continue
                    mate = (rep[t_k, x] == v) | (rep[t_k, x] == u)
                    raw[rows_k[mate], x] += w
            else:
                mult = np.ones(len(rows_k), dtype=np.float64)
                for v in subset:
                    mult *= 1 + ncorr[t_k, v]
                for v in subset:
                    raw[rows_k, v] += mult * w

    with np.errstate(divide="ignore", invalid="ignore"):
        contribution = np.where(score[:, None] > 0, raw / score[:, None], 0.0)
    total = score.sum()
    contribution = contribution[:, :p]
    raw = raw[:, :p]
    msu_counts = msu_counts[:, :m]
    if total > 0:
        attr = 100.0 * (contribution * score[:, None]).sum(axis=0) / total
    else:
        attr = np.zeros(p)
    attribute = pd.Series(attr, index=list(kc.keys), name="contribution")

    level_rows = []
    col_tot = raw.sum(axis=0)
    for j, name in enumerate(kc.keys):
        c = codes[:, j]
        sums = np.bincount(c[c >= 0], weights=raw[c >= 0, j], minlength=len(kc.levels[j]))
        for lev, val in zip(kc.levels[j], sums, strict=True):
            pct = 100.0 * val / col_tot[j] if col_tot[j] > 0 else 0.0
            level_rows.append({"variable": name, "category": lev, "contribution": pct})
    levels = pd.DataFrame(level_rows, columns=["variable", "category", "contribution"])

    # DIS-SUDA
    _, size = class_sizes(codes)
    if missing == "wildcard":
        fk = wildcard_counts(codes, liveness=False)
        exact_u, pairs = int((fk == 1).sum()), int((fk == 2).sum())
    else:
        exact_u, pairs = int((size == 1).sum()), int((size == 2).sum())
    uniques = _hash_singletons(rvals) if dis_uniques == "sdcmicro" else exact_u
    dis = _dis_scores(score, m, uniques, pairs, dis_fraction)

    return Suda2Result(
        keys=list(kc.keys),
        score=score,
        dis_score=dis,
        contribution=contribution,
        msu_counts=msu_counts,
        attribute_contributions=attribute,
        attribute_level_contributions=levels,
        index=df.index,
        missing=missing,
        uniques_for_dis=uniques,
        pairs_for_dis=pairs,
        dis_fraction=dis_fraction,
        padded=padded,
    )
