"""Brute-force references for the risk tests (O(n^2) and O(2^p n^2); small tables only)."""

from __future__ import annotations

import itertools

import numpy as np


def compatible(a: np.ndarray, b: np.ndarray) -> bool:
    """Every key equal or missing (-1) on either side."""
    return bool(np.all((a == b) | (a < 0) | (b < 0)))


def brute_fk(codes: np.ndarray, weights=None, *, liveness: bool = True) -> np.ndarray:
    """fk (or Fk) straight from the definition, record against every record (O(n^2)).

    With ``liveness`` (sdcMicro's rule, two or more keys), a record with every key missing
    does not count towards records with no key missing.
    """
    codes = np.asarray(codes)
    n, p = codes.shape
    w = np.ones(n) if weights is None else np.asarray(weights, float)
    all_missing = (codes < 0).all(axis=1)
    out = np.zeros(n)
    for i in range(n):
        compat = np.all((codes == codes[i]) | (codes < 0) | (codes[i] < 0), axis=1)
        if liveness and p >= 2 and (codes[i] >= 0).all():
            compat &= ~all_missing
        out[i] = w[compat].sum()
    return out


def brute_fk_pairs(codes: np.ndarray, *, liveness: bool = True) -> np.ndarray:
    """The same count, one pair of records at a time (the definition word for word)."""
    n, p = codes.shape
    out = np.zeros(n)
    for i in range(n):
        for j in range(n):
            if not compatible(codes[i], codes[j]):
                continue
            if liveness and p >= 2 and (codes[i] >= 0).all() and (codes[j] < 0).all():
                continue
            out[i] += 1
    return out


def brute_msus(codes: np.ndarray, i: int) -> list[tuple[int, ...]]:
    """Minimal sample uniques of record i, sdcMicro's convention for missing values.

    A set of keys S is a sample unique for i when i has a value on every key of S and no other
    record has the same values on S (a missing value never equals a value); it is minimal when
    no proper subset is one.
    """
    n, p = codes.shape
    uniques = []
    for size in range(1, p + 1):
        for subset in itertools.combinations(range(p), size):
            cols = list(subset)
            if (codes[i, cols] < 0).any():
                continue
            if any(set(u) <= set(subset) for u in uniques):
                continue
            same = np.all(codes[:, cols] == codes[i, cols], axis=1)
            if same.sum() == 1:
                uniques.append(subset)
    return uniques
