"""Vectorised sampling helpers shared by the simulator's modules."""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np
import pandas as pd


def child_rng(seed: int, name: str) -> np.random.Generator:
    """An independent generator for one part of the simulation.

    Each part draws from its own stream (``SeedSequence([seed, crc32(name)])``), so changing
    how one part draws does not shift the numbers another part sees.
    """
    return np.random.default_rng(np.random.SeedSequence([int(seed) & 0xFFFFFFFFFFFFFFFF,
                                                         zlib.crc32(name.encode())]))


def lookup(key: np.ndarray, tables: Sequence[np.ndarray], idx: np.ndarray) -> np.ndarray:
    """``tables[key[i]][idx[i]]`` for every row, vectorised."""
    lens = np.array([len(t) for t in tables], dtype=np.int64)
    offs = np.r_[0, np.cumsum(lens)[:-1]]
    flat = np.concatenate([np.asarray(t) for t in tables])
    return flat[offs[key] + idx]


def grouped_choice(rng: np.random.Generator, keys: np.ndarray,
                   probs: Sequence[np.ndarray]) -> np.ndarray:
    """For each row draw an index with the probabilities of its key.

    Parameters
    ----------
    keys : array of int
        Key of each row (0 .. len(probs) - 1).
    probs : sequence of 1-d arrays
        Probabilities per key (need not have the same length; need not sum to 1).
    """
    keys = np.asarray(keys)
    out = np.zeros(len(keys), dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    sk = keys[order]
    bounds = np.flatnonzero(np.diff(sk)) + 1
    starts = np.r_[0, bounds]
    ends = np.r_[bounds, len(sk)]
    for s, e in zip(starts, ends, strict=True):
        if s == e:
            continue
        k = int(sk[s])
        p = np.asarray(probs[k], dtype=float)
        p = p / p.sum()
        out[order[s:e]] = rng.choice(len(p), size=e - s, p=p)
    return out


def masks_to_strings(masks: np.ndarray, codes: Sequence[str], sep: str = ";") -> np.ndarray:
    """Join the codes whose bits are set, in ``codes`` order; mask 0 gives ``None``."""
    inv, uniq = pd.factorize(np.asarray(masks, dtype=np.int64))
    text = np.empty(len(uniq), dtype=object)
    for i, m in enumerate(uniq.tolist()):
        text[i] = sep.join(c for b, c in enumerate(codes) if m >> b & 1) or None
    return text[inv]


def options_to_masks(options: Sequence[Sequence[str]], codes: Sequence[str]) -> np.ndarray:
    """Bit mask of each option (a tuple of codes) over ``codes``."""
    pos = {c: i for i, c in enumerate(codes)}
    return np.array([sum(1 << pos[c] for c in opt) for opt in options], dtype=np.int64)


def skewed_int(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Integers in ``[lo, hi]`` skewed towards ``lo`` (``lo + floor((hi-lo+1) u^2)``)."""
    u = rng.random(len(lo))
    return np.minimum(lo + np.floor((hi - lo + 1) * u * u).astype(np.int64), hi)


def digits(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    """``n`` x ``k`` random decimal digits."""
    return rng.integers(0, 10, size=(n, k), dtype=np.int8)


def digits_to_str(d: np.ndarray) -> np.ndarray:
    """Rows of digits as strings (object array)."""
    if d.shape[1] == 0:
        return np.full(d.shape[0], "", dtype=object)
    raw = (d.astype(np.uint8) + ord("0")).tobytes()
    k = d.shape[1]
    return np.array([raw[i:i + k].decode() for i in range(0, len(raw), k)], dtype=object)


def factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (in order of first appearance) and the distinct values; fast for objects.

    Missing values (``None``) get the last code, after every present value.
    """
    codes, uniques = pd.factorize(np.asarray(values), use_na_sentinel=True)
    codes = codes.astype(np.int64)
    uniques = np.asarray(uniques, dtype=object)
    if (codes < 0).any():
        codes[codes < 0] = len(uniques)
        uniques = np.append(uniques, None)  # type: ignore[arg-type]  # numpy stubs: None is an object scalar
    return codes, uniques


def map_values(values: np.ndarray, fn) -> np.ndarray:
    """``fn`` applied once per distinct value, broadcast back (object array)."""
    codes, uniques = factorize(values)
    out = np.empty(len(uniques), dtype=object)
    out[:] = [fn(u) for u in uniques.tolist()]
    return out[codes]


def str_pool(values: np.ndarray, fmt) -> np.ndarray:
    """Format each distinct value once and share the string objects (saves memory)."""
    codes, uniques = pd.factorize(np.asarray(values))
    text = np.empty(len(uniques), dtype=object)
    text[:] = [fmt(v) for v in uniques.tolist()]
    return text[codes]
