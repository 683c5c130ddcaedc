"""The comparison levels of the linkage model, computed in numpy on sampled pairs.

splink computes the levels in SQL on candidate pairs. To estimate the u probabilities (how often
each level occurs among pairs that are *not* the same person) the same levels are computed here
on pairs of records drawn at random from different lists, where true matches are a negligible
share. Doing it here, with a seeded numpy generator, gives the same u on DuckDB and Spark (each
engine's own random sampling would give different ones).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["level_codes", "estimate_u"]

_POP8 = np.array([bin(i).count("1") for i in range(256)], dtype=np.int64)


def _popcount_rows(x: np.ndarray) -> np.ndarray:
    """Number of set bits in each row of an int64 matrix."""
    b = np.ascontiguousarray(x).view(np.uint8)
    return _POP8[b].sum(axis=1)


def _eq(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a == b) & pd.notna(a) & pd.notna(b)


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
    bf = [f"bf_{i}" for i in range(words)]
    lnull = left["bf_0"].isna().to_numpy()
    rnull = right["bf_0"].isna().to_numpy()
    lb = left[bf].fillna(0).to_numpy(dtype=np.int64)
    rb = right[bf].fillna(0).to_numpy(dtype=np.int64)
    common = _popcount_rows(lb & rb)
    n_levels = len(name_levels)
    name = np.zeros(len(left), dtype=np.int64)
    for k, t in enumerate(sorted(name_levels)):        # ascending: later levels overwrite
        name[common >= math.ceil(t * weight)] = k + 1
    name[_eq(left["h_name"].to_numpy(dtype=object), right["h_name"].to_numpy(dtype=object))] = \
        n_levels + 1
    name[lnull | rnull] = -1

    def col(df, c):
        return df[c].to_numpy(dtype=object)

    ly, ry = col(left, "h_y"), col(right, "h_y")
    dob = np.zeros(len(left), dtype=np.int64)
    # most similar first, so assign from the least similar up and let later ones overwrite
    dob[_eq(col(left, "h_y1"), ry) | _eq(ly, col(right, "h_y1"))] = 1
    dob[_eq(ly, ry)] = 2
    dob[_eq(col(left, "h_ym"), col(right, "h_ym"))] = 3
    dob[_eq(col(left, "h_dob_swap"), col(right, "h_dob"))
        | _eq(col(left, "h_dob"), col(right, "h_dob_swap"))] = 4
    dob[_eq(col(left, "h_dob"), col(right, "h_dob"))] = 5
    dob[pd.isna(ly) | pd.isna(ry)] = -1
    ls, rs = col(left, "h_sex"), col(right, "h_sex")
    sex = np.where(_eq(ls, rs), 1, 0)
    sex[pd.isna(ls) | pd.isna(rs)] = -1
    return {"name": name, "dob": dob, "sex": sex}


def estimate_u(frames: Sequence[pd.DataFrame], *, words: int, weight: int,
               name_levels: Sequence[float], max_pairs: int = 2_000_000, seed: int = 0,
               chunk: int = 200_000) -> dict[str, np.ndarray]:
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
    sizes = [len(f) for f in frames]
    combos = [(a, b) for a in range(len(frames)) for b in range(a + 1, len(frames))]
    total = sum(sizes[a] * sizes[b] for a, b in combos)
    counts = {"name": np.zeros(len(name_levels) + 2), "dob": np.zeros(6), "sex": np.zeros(2)}
    for a, b in combos:
        k = int(round(max_pairs * sizes[a] * sizes[b] / total)) if total else 0
        k = min(k, sizes[a] * sizes[b])
        done = 0
        while done < k:
            m = min(chunk, k - done)
            ia = rng.integers(0, sizes[a], m)
            ib = rng.integers(0, sizes[b], m)
            codes = level_codes(frames[a].iloc[ia], frames[b].iloc[ib], words=words,
                                weight=weight, name_levels=name_levels)
            for c, arr in codes.items():
                arr = arr[arr >= 0]
                counts[c] += np.bincount(arr, minlength=len(counts[c]))[: len(counts[c])]
            done += m
    out = {}
    for c, cnt in counts.items():
        cnt = np.where(cnt == 0, 0.5, cnt)
        u = cnt / cnt.sum()
        out[c] = u[::-1]       # most similar level first
    return out
