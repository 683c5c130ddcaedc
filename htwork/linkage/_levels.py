"""The comparison levels of the linkage model, computed in numpy on sampled pairs.

splink computes the levels in SQL on candidate pairs. To estimate the u probabilities (how often
each level occurs among pairs that are *not* the same person) the same levels are computed here
on pairs of records drawn at random from different lists. True matches are a negligible share of
them overall but not at the rarest levels; :func:`correct_u` takes them out. Doing it here, with
a seeded numpy generator, gives the same u on DuckDB and Spark (each engine's own random
sampling would give different ones).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["level_codes", "estimate_u", "correct_u", "block_level_counts"]

_POP8 = np.array([bin(i).count("1") for i in range(256)], dtype=np.int64)


def _popcount_rows(x: np.ndarray) -> np.ndarray:
    """Number of set bits in each row of an int64 matrix."""
    b = np.ascontiguousarray(x).view(np.uint8)
    return _POP8[b].sum(axis=1)


_GROUPS = {"h_name": "name", "h_single": "name", "h_dob": "dob", "h_dob_swap": "dob",
           "h_dob1": "dob", "h_ym": "ym", "h_y": "y", "h_y1": "y", "h_sex": "sex",
           "h_rt1": "rt", "h_rt2": "rt", "h_rt3": "rt"}
#: The rare-token columns (``link._mark_rare_tokens``).
_RARE = ("h_rt1", "h_rt2", "h_rt3")
#: Name levels per band of Dice similarity, least similar first: neither a rare token shared
#: nor a very rare one held; a very rare one held; a rare one shared; both
#: (``link.model_settings`` lists them most similar first).
_PER_BAND = 4


def _encode(frames: Sequence[pd.DataFrame], words: int) -> list[dict[str, np.ndarray]]:
    """Per frame: the Bloom filter matrix, its null mask and integer codes of the keyed fields
    (fields compared with each other share one code space; -1 is missing)."""
    out: list[dict[str, np.ndarray]] = [{} for _ in frames]
    bf = [f"bf_{i}" for i in range(words)]
    for d, f in zip(out, frames, strict=True):
        d["null"] = f["bf_0"].isna().to_numpy()
        d["low"] = (f["rt_low"].to_numpy(dtype=np.int64) == 1 if "rt_low" in f.columns
                    else np.zeros(len(f), dtype=bool))
        d["bf"] = f[bf].fillna(0).to_numpy(dtype=np.int64)
    for group in set(_GROUPS.values()):
        cols = [c for c, g in _GROUPS.items() if g == group]
        allv = pd.concat([f[c] if c in f.columns else pd.Series([None] * len(f), dtype=object)
                          for f in frames for c in cols], ignore_index=True)
        codes, _ = pd.factorize(allv, use_na_sentinel=True)
        pos = 0
        for d, f in zip(out, frames, strict=True):
            for c in cols:
                d[c] = codes[pos:pos + len(f)]
                pos += len(f)
    return out


def _codes(a: dict[str, np.ndarray], ia: np.ndarray, b: dict[str, np.ndarray], ib: np.ndarray,
           weight: int, name_levels: Sequence[float]) -> dict[str, np.ndarray]:
    def eq(x: str, y: str) -> np.ndarray:
        u, v = a[x][ia], b[y][ib]
        return (u == v) & (u >= 0)

    common = _popcount_rows(a["bf"][ia] & b["bf"][ib])
    band = np.zeros(len(ia), dtype=np.int64)
    for k, t in enumerate(sorted(name_levels)):        # ascending: later levels overwrite
        band[common >= math.ceil(t * weight)] = k + 1
    rare = np.zeros(len(ia), dtype=bool)
    for x in _RARE:
        for y in _RARE:
            rare |= eq(x, y)
    low = a["low"][ia] | b["low"][ib]
    # each band of similarity split four ways: whether a rare token is shared, and whether
    # either name has a token very few records hold ("names differ" is not split: matches
    # there are too few to tell its parts' m apart)
    name = np.where(band > 0, _PER_BAND * (band - 1) + 1 + 2 * rare + low, 0)
    top = _PER_BAND * len(name_levels) + 1
    name[eq("h_name", "h_name")] = top
    dob = np.zeros(len(ia), dtype=np.int64)
    # most similar last, so that it overwrites
    dob[eq("h_y1", "h_y") | eq("h_y", "h_y1")] = 1
    dob[eq("h_y", "h_y")] = 2
    dob[eq("h_y", "h_y") & ((a["h_dob"][ia] < 0) | (b["h_dob"][ib] < 0))] = 3
    dob[eq("h_ym", "h_ym")] = 4
    dob[eq("h_dob1", "h_dob") | eq("h_dob", "h_dob1")] = 5
    dob[eq("h_dob_swap", "h_dob") | eq("h_dob", "h_dob_swap")] = 6
    dob[eq("h_dob", "h_dob")] = 7
    dob[(a["h_y"][ia] < 0) | (b["h_y"][ib] < 0)] = -1
    # a name no list holds twice, when the dates do not differ (the settings' DATES_AGREE)
    name[eq("h_single", "h_single") & (dob != 0)] = top + 1
    name[a["null"][ia] | b["null"][ib]] = -1
    sex = np.where(eq("h_sex", "h_sex"), 1, 0)
    sex[(a["h_sex"][ia] < 0) | (b["h_sex"][ib] < 0)] = -1
    return {"name": name, "dob": dob, "sex": sex}


def level_codes(left: pd.DataFrame, right: pd.DataFrame, *, words: int, weight: int,
                name_levels: Sequence[float]) -> dict[str, np.ndarray]:
    """Comparison level of each pair of rows (``left[i]`` with ``right[i]``), coded as splink
    does: ``-1`` null, then ``k`` for the ``k``-th level counted from the least similar (0 =
    else).

    Returns
    -------
    dict
        ``name``, ``dob``, ``sex`` arrays of level codes.
    """
    a, b = _encode([left.reset_index(drop=True), right.reset_index(drop=True)], words)
    idx = np.arange(len(left))
    return _codes(a, idx, b, idx, weight, name_levels)


def estimate_u(frames: Sequence[pd.DataFrame], *, words: int, weight: int,
               name_levels: Sequence[float], max_pairs: int = 2_000_000, seed: int = 0,
               chunk: int = 250_000) -> dict[str, np.ndarray]:
    """u probabilities of every level from random pairs of records on different lists.

    Pairs are drawn for each pair of lists in proportion to the number of possible pairs. A
    level never seen gets half a count (so no u is zero).

    Returns
    -------
    dict
        ``name``, ``dob``, ``sex``: u of the non-null levels, most similar level first (the
        order of the settings).
    """
    rng = np.random.default_rng(seed)
    arrays = _encode(frames, words)
    sizes = [len(f) for f in frames]
    combos = [(a, b) for a in range(len(frames)) for b in range(a + 1, len(frames))]
    total = sum(sizes[a] * sizes[b] for a, b in combos)
    counts = {c: np.zeros(k) for c, k in _level_sizes(name_levels).items()}
    for a, b in combos:
        k = int(round(max_pairs * sizes[a] * sizes[b] / total)) if total else 0
        k = min(k, sizes[a] * sizes[b])
        done = 0
        while done < k:
            m = min(chunk, k - done)
            ia = rng.integers(0, sizes[a], m)
            ib = rng.integers(0, sizes[b], m)
            _add_counts(counts, _codes(arrays[a], ia, arrays[b], ib, weight, name_levels))
            done += m
    exact = _exact_shares(arrays, combos, weight, name_levels)
    out = {}
    for c, cnt in counts.items():
        cnt = np.where(cnt == 0, 0.5, cnt)
        u = cnt / cnt.sum()
        if c in exact:
            # the levels of exact equality are counted over every pair of lists; the sampled
            # levels share what is left, in their sampled proportions
            known = exact[c]
            rest = np.ones(len(u), dtype=bool)
            rest[list(known)] = False
            u[rest] *= (1.0 - sum(known.values())) / u[rest].sum()
            for code, share in known.items():
                u[code] = share
        out[c] = u[::-1]       # most similar level first
    return out


def _level_sizes(name_levels: Sequence[float]) -> dict[str, int]:
    """Number of non-null levels of each comparison (the codes of :func:`_codes` run from 0)."""
    return {"name": _PER_BAND * len(name_levels) + 3, "dob": 8, "sex": 2}


def shared_rare_codes(name_levels: Sequence[float]) -> list[int]:
    """The name level codes of :func:`_codes` at which a rare token is shared."""
    return [c for c in range(1, _PER_BAND * len(name_levels) + 1) if (c - 1) % _PER_BAND >= 2]


def _add_counts(counts: dict[str, np.ndarray], codes: dict[str, np.ndarray]) -> None:
    """Add the non-null level codes of some pairs to ``counts`` (least similar level first)."""
    for c, arr in codes.items():
        size = len(counts[c])
        counts[c] += np.bincount(arr[arr >= 0], minlength=size)[:size]


def _sharing(frames: Sequence[pd.DataFrame], column: str, a: int, b: int) -> tuple[np.ndarray,
                                                                                     np.ndarray]:
    """Rows of frame ``a`` and of frame ``b`` with the same non-missing ``column`` (each pair
    once when ``a == b``)."""
    left = pd.DataFrame({"v": frames[a][column].to_numpy(dtype=object),
                         "i": np.arange(len(frames[a]))}).dropna(subset=["v"])
    right = pd.DataFrame({"v": frames[b][column].to_numpy(dtype=object),
                          "j": np.arange(len(frames[b]))}).dropna(subset=["v"])
    m = left.merge(right, on="v")
    if a == b:
        m = m[m["i"] < m["j"]]
    return m["i"].to_numpy(), m["j"].to_numpy()


def block_level_counts(frames: Sequence[pd.DataFrame], blocks: dict[str, tuple[str, bool]], *,
                       words: int, weight: int, name_levels: Sequence[float],
                       max_pairs: int = 4_000_000,
                       seed: int = 0) -> dict[str, dict[str, np.ndarray]]:
    """Counts of each comparison level over the pairs of records with the same value of a column
    (a seeded sample of them above ``max_pairs`` for each block).

    Parameters
    ----------
    blocks : dict
        ``label: (column, within)``: the pairs of records on different lists with the same
        non-missing ``column``; or, with ``within``, the pairs of records of *one* list with the
        same value (a list holds each person once, so these are pairs of different people, known
        without the model).

    Returns
    -------
    dict
        For each label, ``name``, ``dob``, ``sex``: counts of the non-null levels, most similar
        level first (empty when no pair shares a value).
    """
    arrays = _encode(frames, words)
    sizes = _level_sizes(name_levels)
    n = len(frames)
    out: dict[str, dict[str, np.ndarray]] = {}
    for label, (column, within) in blocks.items():
        rng = np.random.default_rng(seed)
        found = [(a, b, *_sharing(frames, column, a, b))
                 for a in range(n) for b in (range(a, a + 1) if within else range(a + 1, n))]
        total = sum(len(x) for _, _, x, _ in found)
        counts = {c: np.zeros(k) for c, k in sizes.items()}
        for a, b, ia, ib in found:
            if total > max_pairs:
                keep = rng.random(len(ia)) < max_pairs / total
                ia, ib = ia[keep], ib[keep]
            for start in range(0, len(ia), 500_000):
                _add_counts(counts, _codes(arrays[a], ia[start:start + 500_000], arrays[b],
                                           ib[start:start + 500_000], weight, name_levels))
        out[label] = {c: v[::-1] for c, v in counts.items()} if total else {}
    return out


def _pair_count(x: np.ndarray, y: np.ndarray) -> float:
    """Pairs ``(i, j)`` with ``x[i] == y[j] >= 0``, from the two value counts."""
    cx = pd.Series(x[x >= 0]).value_counts()
    cy = pd.Series(y[y >= 0]).value_counts()
    both = cx.index.intersection(cy.index)
    return float((cx[both].to_numpy(float) * cy[both].to_numpy(float)).sum())


def _exact_shares(arrays: list[dict[str, np.ndarray]], combos: list[tuple[int, int]],
                  weight: int, name_levels: Sequence[float]) -> dict[str, dict[int, float]]:
    """Shares, among random pairs of records on different lists whose field is not missing, of
    the levels of exact equality: the same birth date; the same name no list holds twice
    (dates not differing) and the same name otherwise.

    Random pairs hold a few of each (on four lists of 12,000, about 2 of 2 million share a
    name no list holds twice), so their sampled shares moved by a factor of 3 with the key
    (which orders the records) and the trained model with them; counted over all pairs of
    lists from the value counts (and, for the names no list holds twice, from the pairs that
    share one, at most one record a list), they do not depend on the key."""
    top = _level_sizes(name_levels)["name"] - 1
    pairs = {"name": 0.0, "dob": 0.0}
    same: dict[str, float] = {"dob": 0.0, "name": 0.0, "single": 0.0}
    for a, b in combos:
        A, B = arrays[a], arrays[b]
        pairs["name"] += float((~A["null"]).sum()) * float((~B["null"]).sum())
        pairs["dob"] += float((A["h_y"] >= 0).sum()) * float((B["h_y"] >= 0).sum())
        same["dob"] += _pair_count(A["h_dob"], B["h_dob"])
        same["name"] += _pair_count(np.where(A["null"], -1, A["h_name"]),
                                    np.where(B["null"], -1, B["h_name"]))
        left = pd.DataFrame({"v": A["h_single"], "i": np.arange(len(A["h_single"]))})
        right = pd.DataFrame({"v": B["h_single"], "j": np.arange(len(B["h_single"]))})
        m = left[left["v"] >= 0].merge(right[right["v"] >= 0], on="v")
        if len(m):
            codes = _codes(A, m["i"].to_numpy(), B, m["j"].to_numpy(), weight, name_levels)
            same["single"] += float((codes["name"] == top).sum())
        _add_rare_levels(same, A, B, weight, name_levels)
    # a level no pair shows gets half a pair (no u is zero)
    out: dict[str, dict[int, float]] = {}
    if pairs["dob"] > 0:
        out["dob"] = {7: max(same["dob"], 0.5) / pairs["dob"]}
    if pairs["name"] > 0:
        out["name"] = {top: max(same["single"], 0.5) / pairs["name"],
                       top - 1: max(same["name"] - same["single"], 0.5) / pairs["name"]}
        for code in shared_rare_codes(name_levels):
            out["name"][code] = max(same.get(f"rare{code}", 0.0), 0.5) / pairs["name"]
    return out


#: Most pairs sharing a rare token enumerated for a pair of lists; beyond, a seeded sample of
#: them is compared and its counts scaled up.
RARE_MAX_PAIRS = 5_000_000


def _rare_pairs(A: dict[str, np.ndarray], B: dict[str, np.ndarray]) -> tuple[np.ndarray,
                                                                              np.ndarray]:
    """Rows of ``A`` and of ``B`` sharing a rare token (each pair once)."""
    def long(X: dict[str, np.ndarray], row: str) -> pd.DataFrame:
        parts = [pd.DataFrame({"v": X[c], row: np.arange(len(X[c]))}) for c in _RARE if c in X]
        d = pd.concat(parts, ignore_index=True)
        return d[d["v"] >= 0]

    m = long(A, "i").merge(long(B, "j"), on="v")[["i", "j"]].drop_duplicates()
    return m["i"].to_numpy(), m["j"].to_numpy()


def _add_rare_levels(same: dict[str, float], A: dict[str, np.ndarray], B: dict[str, np.ndarray],
                     weight: int, name_levels: Sequence[float]) -> None:
    """Count, over every pair of records of two lists sharing a rare token, the name levels
    "a rare token shared" (one for each band of similarity) into ``same["rare<code>"]``.

    Random pairs seldom share a rare token (a few in two million at the high bands), so those
    levels' u are counted over all such pairs, as the exact levels' are."""
    ia, ib = _rare_pairs(A, B)
    scale = 1.0
    if len(ia) > RARE_MAX_PAIRS:
        keep = np.random.default_rng(0).random(len(ia)) < RARE_MAX_PAIRS / len(ia)
        scale = len(ia) / max(int(keep.sum()), 1)
        ia, ib = ia[keep], ib[keep]
    for start in range(0, len(ia), 500_000):
        name = _codes(A, ia[start:start + 500_000], B, ib[start:start + 500_000], weight,
                      name_levels)["name"]
        split = name[np.isin(name, shared_rare_codes(name_levels))]
        for code, n in zip(*np.unique(split, return_counts=True), strict=True):
            same[f"rare{code}"] = same.get(f"rare{code}", 0.0) + scale * float(n)


def correct_u(u_raw: dict[str, np.ndarray], m: dict[str, np.ndarray], prior: float,
              floor: float = 0.02) -> dict[str, np.ndarray]:
    """u probabilities with the true matches among the random pairs taken out.

    A random pair of records from two lists is the same person with probability ``prior``, so
    the share of random pairs at a level is ``prior * m + (1 - prior) * u``. Where matches are
    few that is u; at the rarest levels (the same name, the same birth date) the matches are
    most of the share, and u from random pairs overstates it many times (the linkage becomes
    under-confident). Here ``u = (share - prior * m) / (1 - prior)``, kept at least ``floor``
    times the share (a level cannot be all matches), then renormalised.

    Parameters
    ----------
    u_raw : dict
        :func:`estimate_u`'s shares, most similar level first.
    m : dict
        m probabilities of the same levels, in the same order.
    prior : float
        Probability that two records of different lists are the same person.
    floor : float
        Smallest u kept, as a share of the raw share.

    Returns
    -------
    dict
        The corrected u, in the same order.
    """
    out = {}
    for c, share in u_raw.items():
        mm = np.asarray(m[c], dtype=float)
        u = (share - prior * mm) / (1 - prior)
        u = np.maximum(u, floor * share)
        out[c] = u / u.sum()
    return out
