"""Column helpers shared by validation and the release mapping."""

from __future__ import annotations

import numpy as np
import pandas as pd


def factorize(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes and distinct values of a column; missing and empty cells get code -1."""
    codes, found = pd.factorize(s, use_na_sentinel=True)
    uniques = np.asarray(found, dtype=object)
    empty = np.flatnonzero(uniques == "")
    if len(empty):
        k = int(empty[0])
        codes = np.where(codes == k, -1, np.where(codes > k, codes - 1, codes))
        uniques = np.delete(uniques, k)
    return codes, uniques
