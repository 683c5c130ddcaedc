"""Brute-force references for the risk tests (O(n^2) and O(2^p n^2); small tables only)."""

from __future__ import annotations

import itertools

import numpy as np


def compatible(a: np.ndarray, b: np.ndarray) -> bool:
    """Every key equal or missing (-1) on either side."""
    return bool(np.all((a == b) | (a < 0) | (b < 0)))


def brute_fk(codes: np.ndarray, weights=None, *, liveness: bool = True) -> np.ndarray:
    """fk (or Fk) by comparing every pair of records; sdcMicro's all-missing rule optional."""
    n, p = codes.shape
    w = np.ones(n) if weights is None else np.asarray(weights, float)
    out = np.zeros(n)
    for i in range(n):
        for j in range(n):
            if not compatible(codes[i], codes[j]):
                continue
            if liveness and p >= 2 and (codes[i] >= 0).all() and (codes[j] < 0).all():
                continue
            out[i] += w[j]
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
