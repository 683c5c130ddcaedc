"""Counting compatible records when missing values are wildcards.

Shared by :mod:`htwork.risk` (frequencies, SUDA2, l-diversity) and
:mod:`htwork.anonymise` (local suppression), on the codes of :mod:`htwork.core.keys`.

Record ``j`` is *compatible* with record ``i`` when, for every key, their values are equal or
either is missing (sdcMicro's ``freqCalc`` with ``alpha = 1``). ``fk[i]`` is the number of
records compatible with ``i`` (itself included) and ``Fk[i]`` their total weight.

Comparing every pair is O(n^2). Instead records are grouped by *missingness pattern* (the set
of keys they miss) and, inside a pattern, into *cells* of identical observed values. Two cells
with patterns ``A`` and ``B`` are compatible exactly when their values agree on the keys both
observe, ``S = obs(A) & obs(B)``; summing over every pair of patterns gives the brute-force
definition term by term, with no approximation.

Cells carry one mixed-radix integer code (keys ordered by increasing number of categories, the
first key most significant; a missing key contributes digit 0). Within a pattern the codes are
sorted, so the cells of the larger pattern ``A`` that agree with one cell of ``B`` on ``S`` form
a few contiguous runs: the digits after the last key of ``S`` are free and contiguous, the
free digits before it are enumerated. A pair of patterns then costs a binary search per run,
plus prefix sums and a difference array over ``A``. When the runs would be too many, the pair
falls back to projecting both sides on ``S`` and joining with a hash table.

sdcMicro's deployed counter has one exception, kept by default (``liveness=True``): with two
or more keys, a record whose keys are *all* missing is not counted towards records with no
missing key. It still counts towards records with some key missing, and its own count is the
number of records.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["class_sizes", "combine_codes", "dense_or_factorize", "wildcard_counts"]

_MAX_CODE = 2**62
_DENSE_LIMIT = 2**23  # largest code space counted with a dense bincount


def _radix(cards: np.ndarray) -> tuple[np.ndarray, int]:
    """Mixed-radix multipliers (last key least significant) and the size of the code space."""
    p = len(cards)
    radix = np.ones(p, dtype=np.int64)
    total = 1
    for j in range(p - 1, -1, -1):
        radix[j] = min(total, _MAX_CODE)
        total *= max(int(cards[j]), 1)
    return radix, total


def _mix(block: np.ndarray, radix: np.ndarray) -> np.ndarray:
    """``block @ radix`` for integer blocks, column by column (faster than integer matmul)."""
    out = np.zeros(block.shape[0], dtype=np.int64)
    for j in range(block.shape[1]):
        if radix[j]:
            out += block[:, j].astype(np.int64) * radix[j]
    return out


def dense_or_factorize(code: np.ndarray, space: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Group ids (``0 .. g-1``) and group sizes for int64 codes.

    Codes are sorted into groups in increasing code order when the code space is small enough
    for a dense count, else numbered in order of first appearance by hashing.
    """
    if space is not None and 0 < space <= max(_DENSE_LIMIT, 4 * len(code)):
        counts = np.bincount(code, minlength=space)
        present = counts > 0
        lut = np.cumsum(present) - 1
        return lut[code], counts[present]
    ids, uniques = pd.factorize(code)
    return ids.astype(np.int64), np.bincount(ids, minlength=len(uniques))


def combine_codes(
    codes: np.ndarray, cols: list[int] | np.ndarray | None = None
) -> tuple[np.ndarray, int | None]:
    """One exact int64 code per row for the combination of the given columns.

    Missing (``-1``) is a value of its own here. Returns the codes and the size of the code
    space (``None`` when the columns had to be combined by re-factorisation).
    """
    n = codes.shape[0]
    if cols is None:
        cols = list(range(codes.shape[1]))
    cols = [int(c) for c in cols]
    if not cols:
        return np.zeros(n, dtype=np.int64), 1
    block = codes[:, cols]
    cards = (block.max(axis=0).astype(np.int64) + 2) if n else np.ones(len(cols), np.int64)
    radix, total = _radix(cards)
    if total < _MAX_CODE:
        return _mix(block + 1, radix), int(total)
    out = block[:, 0].astype(np.int64) + 1
    for j in range(1, len(cols)):
        out = out * int(cards[j]) + block[:, j] + 1
        if j + 1 < len(cols) and (int(out.max()) + 1) * int(cards[j + 1]) >= _MAX_CODE:
            out = pd.factorize(out)[0].astype(np.int64)
    return out, None


def class_sizes(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exact class of each record (missing is a value) and the size of that class.

    Returns
    -------
    class_id : numpy.ndarray
        Dense class number of each record, ``0 .. n_classes - 1``.
    size : numpy.ndarray
        Number of records in the record's class.
    """
    key, space = combine_codes(codes)
    class_id, counts = dense_or_factorize(key, space)
    return class_id, counts[class_id]


@dataclass
class _Pattern:
    """The cells of one missingness pattern (keys in internal, permuted order)."""

    mask: int  # bit j set when key j is missing
    obs: np.ndarray  # observed key positions
    code: np.ndarray  # sorted unique cell codes
    values: np.ndarray  # (cells, p) digits of each cell, -1 where missing
    weight: np.ndarray  # giver weight of each cell
    rows: np.ndarray  # receiver rows in this pattern
    cell_of_row: np.ndarray  # cell of each receiver row

    @property
    def size(self) -> int:
        return len(self.code)


def _pattern_masks(missing: np.ndarray) -> np.ndarray:
    p = missing.shape[1]
    if p <= 8:
        return np.packbits(missing, axis=1, bitorder="little")[:, 0]
    out = np.zeros(missing.shape[0], dtype=np.int64)
    for j in range(p):
        out |= missing[:, j].astype(np.int64) << j
    return out


def _build_patterns(
    codes: np.ndarray,
    radix: np.ndarray,
    space: int,
    giver_w: np.ndarray,
    is_receiver: np.ndarray,
) -> list[_Pattern]:
    p = codes.shape[1]
    masks = _pattern_masks(codes < 0)
    if not masks.any():
        groups = [(0, np.arange(len(masks)))]
    else:
        order = np.argsort(masks, kind="stable")
        sm = masks[order].astype(np.int64)
        starts = np.flatnonzero(np.r_[True, sm[1:] != sm[:-1]])
        ends = np.r_[starts[1:], len(order)]
        groups = [(int(sm[a]), order[a:b]) for a, b in zip(starts, ends, strict=True)]
    out: list[_Pattern] = []
    for mask, rows in groups:
        obs = np.array([j for j in range(p) if not (mask >> j) & 1], dtype=np.int64)
        block = codes[rows][:, obs] if len(rows) != len(codes) else codes[:, obs]
        code = _mix(block, radix[obs]) if len(obs) else np.zeros(len(rows), np.int64)
        if space <= min(_DENSE_LIMIT, 8 * len(rows)):
            counts = np.bincount(code, minlength=space)
            ucode = np.flatnonzero(counts)
            lut = np.zeros(space, dtype=np.int64)
            lut[ucode] = np.arange(len(ucode))
            inv = lut[code]
        else:
            ucode, inv = np.unique(code, return_inverse=True)
        weight = np.bincount(inv, weights=giver_w[rows], minlength=len(ucode))
        values = np.full((len(ucode), p), -1, dtype=np.int64)
        for j in obs:
            values[:, j] = (ucode // radix[j]) % _card(radix, space, int(j))
        rec = is_receiver[rows]
        out.append(_Pattern(mask, obs, ucode.astype(np.int64), values, weight, rows[rec], inv[rec]))
    return out


def _card(radix: np.ndarray, space: int, j: int) -> int:
    """Cardinality of key ``j`` recovered from the radix."""
    upper = space if j == 0 else int(radix[j - 1])
    return upper // int(radix[j])


def _offsets(keys: list[int], radix: np.ndarray, space: int) -> np.ndarray:
    """Every code offset that the digits of ``keys`` can take (cartesian product)."""
    off = np.zeros(1, dtype=np.int64)
    for j in keys:
        digits = np.arange(_card(radix, space, j), dtype=np.int64) * radix[j]
        off = (off[:, None] + digits[None, :]).ravel()
    return off


class _Accumulator:
    """Per-pattern sums, with a difference array for run updates."""

    def __init__(self, patterns: list[_Pattern]) -> None:
        self.direct = [np.zeros(pt.size) for pt in patterns]
        self.delta = [np.zeros(pt.size + 1) for pt in patterns]
        self.prefix = [np.r_[0.0, np.cumsum(pt.weight)] for pt in patterns]

    def finish(self, i: int) -> np.ndarray:
        return self.direct[i] + np.cumsum(self.delta[i][:-1])


def _pair_runs(
    anchor: _Pattern,
    other: _Pattern,
    ia: int,
    io: int,
    acc: _Accumulator,
    need_anchor: bool,
    need_other: bool,
    radix: np.ndarray,
    space: int,
    common: list[int],
) -> None:
    """Sum a pair of patterns with binary searches in the anchor's sorted codes."""
    t = max(common)
    drop = [j for j in other.obs if (anchor.mask >> j) & 1]
    base = other.code
    if drop:
        base = base - _mix(other.values[:, drop], radix[drop])
    free_before = [int(j) for j in anchor.obs if (other.mask >> j) & 1 and j < t]
    off = _offsets(free_before, radix, space)
    starts = (base[:, None] + off[None, :]).ravel()
    lo = np.searchsorted(anchor.code, starts, side="left")
    hi = np.searchsorted(anchor.code, starts + radix[t], side="left")
    if need_anchor:
        w = np.repeat(other.weight, len(off))
        m = anchor.size + 1
        if len(lo) * 16 < m:
            np.add.at(acc.delta[ia], lo, w)
            np.subtract.at(acc.delta[ia], hi, w)
        else:
            acc.delta[ia] += np.bincount(lo, weights=w, minlength=m)
            acc.delta[ia] -= np.bincount(hi, weights=w, minlength=m)
    if need_other:
        pref = acc.prefix[ia]
        got = (pref[hi] - pref[lo]).reshape(other.size, len(off)).sum(axis=1)
        acc.direct[io] += got


def _lookup(table: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """Position of each query in the sorted unique array ``table``, or -1."""
    if len(table) == 0:
        return np.full(len(queries), -1, dtype=np.int64)
    if len(queries) > 20_000:
        return pd.Index(table).get_indexer(pd.Index(queries))
    pos = np.searchsorted(table, queries)
    pos[pos == len(table)] = 0
    return np.where(table[pos] == queries, pos, -1)


def _pair_brute(
    pa: _Pattern,
    pb: _Pattern,
    ia: int,
    ib: int,
    acc: _Accumulator,
    need_a: bool,
    need_b: bool,
) -> None:
    """Sum a pair of small patterns by comparing every pair of cells."""
    va = pa.values[:, None, :]
    vb = pb.values[None, :, :]
    compat = ((va == vb) | (va < 0) | (vb < 0)).all(axis=2)
    if need_a:
        acc.direct[ia] += compat @ pb.weight
    if need_b:
        acc.direct[ib] += pa.weight @ compat


def _pair_hash(
    pa: _Pattern,
    pb: _Pattern,
    ia: int,
    ib: int,
    acc: _Accumulator,
    need_a: bool,
    need_b: bool,
    radix: np.ndarray,
) -> None:
    """Sum a pair of patterns by projecting both on the common keys and hashing the smaller."""
    if pa.size < pb.size:
        pa, pb, ia, ib, need_a, need_b = pb, pa, ib, ia, need_b, need_a
    drop_a = [j for j in pa.obs if (pb.mask >> j) & 1]
    drop_b = [j for j in pb.obs if (pa.mask >> j) & 1]
    ca = pa.code - _mix(pa.values[:, drop_a], radix[drop_a]) if drop_a else pa.code
    cb = pb.code - _mix(pb.values[:, drop_b], radix[drop_b]) if drop_b else pb.code
    if drop_b:
        ub, inv_b = np.unique(cb, return_inverse=True)
        wb = np.bincount(inv_b, weights=pb.weight, minlength=len(ub))
    else:
        ub, inv_b, wb = cb, None, pb.weight
    pos = _lookup(ub, ca)
    hit = pos >= 0
    if need_a:
        got = np.zeros(len(ca))
        got[hit] = wb[pos[hit]]
        acc.direct[ia] += got
    if need_b:
        back = np.bincount(pos[hit], weights=pa.weight[hit], minlength=len(ub))
        acc.direct[ib] += back if inv_b is None else back[inv_b]


def wildcard_counts(
    codes: np.ndarray,
    weights: np.ndarray | None = None,
    *,
    givers: np.ndarray | None = None,
    receivers: np.ndarray | None = None,
    liveness: bool = True,
) -> np.ndarray:
    """Total weight of the records compatible with each record (missing values are wildcards).

    Parameters
    ----------
    codes : numpy.ndarray
        ``(n, p)`` integer codes ``0 .. card-1``, ``-1`` for missing.
    weights : numpy.ndarray, optional
        Weight of each record; counts (int64 result) when omitted.
    givers : numpy.ndarray of bool, optional
        Which records count towards others (default: all).
    receivers : numpy.ndarray of bool, optional
        For which records to compute (default: all); other entries of the result are 0.
    liveness : bool
        sdcMicro's rule: with two or more keys, a record with every key missing does not count
        towards records with no key missing.

    Returns
    -------
    numpy.ndarray
        One value per record (int64 counts, or float64 weight sums).
    """
    codes = np.asarray(codes)
    n, p = codes.shape
    as_count = weights is None
    giver_w = np.ones(n, dtype=np.float64) if weights is None else np.asarray(weights, np.float64)
    if givers is not None:
        giver_w = np.where(np.asarray(givers, bool), giver_w, 0.0)
    is_receiver = np.ones(n, dtype=bool) if receivers is None else np.asarray(receivers, bool)
    if n == 0 or not is_receiver.any():
        return np.zeros(n, dtype=np.int64 if as_count else np.float64)

    if not (codes < 0).any():  # no wildcard: plain class counts
        key, space = combine_codes(codes)
        ids, _ = dense_or_factorize(key, space)
        sums = np.bincount(ids, weights=giver_w)
        out = np.where(is_receiver, sums[ids], 0.0)
        return np.rint(out).astype(np.int64) if as_count else out

    cards = np.maximum(codes.max(axis=0).astype(np.int64) + 1, 1)
    order = np.argsort(cards, kind="stable")  # fewest categories most significant
    codes = codes[:, order]
    cards = cards[order]
    radix, space = _radix(cards)
    if space >= _MAX_CODE:
        return _wildcard_counts_wide(codes, giver_w, is_receiver, liveness, as_count)

    patterns = _build_patterns(codes, radix, space, giver_w, is_receiver)
    full = (1 << p) - 1
    acc = _Accumulator(patterns)
    totals = [float(pt.weight.sum()) for pt in patterns]
    recv = [len(pt.rows) > 0 for pt in patterns]
    give = [t != 0 for t in totals]

    for a, pa in enumerate(patterns):
        for b in range(a, len(patterns)):
            pb = patterns[b]
            need_a = recv[a] and give[b]
            need_b = a != b and recv[b] and give[a]
            if liveness and p >= 2:
                if pa.mask == 0 and pb.mask == full:
                    need_a = False
                if pb.mask == 0 and pa.mask == full:
                    need_b = False
            if not (need_a or need_b):
                continue
            if a == b:
                acc.direct[a] += pa.weight  # cells are unique within a pattern
                continue
            if (pa.mask | pb.mask) == full:  # no key observed by both: all compatible
                if need_a:
                    acc.direct[a] += totals[b]
                if need_b:
                    acc.direct[b] += totals[a]
                continue
            if pa.size * pb.size <= 4096:
                _pair_brute(pa, pb, a, b, acc, need_a, need_b)
                continue
            common = [j for j in range(p) if not ((pa.mask | pb.mask) >> j) & 1]
            if pa.size >= pb.size:
                anchor, other, ia, io, na, no = pa, pb, a, b, need_a, need_b
            else:
                anchor, other, ia, io, na, no = pb, pa, b, a, need_b, need_a
            t = max(common)
            runs = 1
            for j in anchor.obs:
                if (other.mask >> j) & 1 and j < t:
                    runs *= _card(radix, space, int(j))
            if other.size * runs * 3 <= anchor.size:
                _pair_runs(anchor, other, ia, io, acc, na, no, radix, space, common)
            else:
                _pair_hash(pa, pb, a, b, acc, need_a, need_b, radix)

    result = np.zeros(n, dtype=np.float64)
    for i, pt in enumerate(patterns):
        if len(pt.rows):
            result[pt.rows] = acc.finish(i)[pt.cell_of_row]
    if as_count:
        return np.rint(result).astype(np.int64)
    return result


def _wildcard_counts_wide(
    codes: np.ndarray,
    giver_w: np.ndarray,
    is_receiver: np.ndarray,
    liveness: bool,
    as_count: bool,
) -> np.ndarray:
    """Same result for key spaces too large for one int64 code (pattern pairs, exact grouping)."""
    n, p = codes.shape
    masks = _pattern_masks(codes < 0)
    full = (1 << p) - 1
    result = np.zeros(n, dtype=np.float64)
    patterns = np.unique(masks)
    for ma in patterns:
        ra = np.flatnonzero((masks == ma) & is_receiver)
        if len(ra) == 0:
            continue
        for mb in patterns:
            gb = np.flatnonzero((masks == mb) & (giver_w != 0))
            if len(gb) == 0:
                continue
            if liveness and p >= 2 and ma == 0 and mb == full:
                continue
            common = [j for j in range(p) if not ((int(ma) | int(mb)) >> j) & 1]
            if not common:
                result[ra] += giver_w[gb].sum()
                continue
            both = np.concatenate([ra, gb])
            key, _ = combine_codes(codes[both], common)
            ka, kb = key[: len(ra)], key[len(ra) :]
            ub, inv = np.unique(kb, return_inverse=True)
            wsum = np.bincount(inv, weights=giver_w[gb], minlength=len(ub))
            pos = pd.Index(ub).get_indexer(pd.Index(ka))
            hit = pos >= 0
            add = np.zeros(len(ra))
            add[hit] = wsum[pos[hit]]
            result[ra] += add
    if as_count:
        return np.rint(result).astype(np.int64)
    return result
