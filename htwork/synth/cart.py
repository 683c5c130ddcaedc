"""A synthpop-style CART sequence: each column predicted from the ones before it.

Columns are visited in order (first column drawn from its 1-way frequencies); for every later
column a classification tree on the earlier columns' codes is grown with at least ``min_leaf``
training rows per leaf, and synthetic values are drawn from the class frequencies of the leaf a
synthetic row falls into (synthpop draws a donor from the leaf, which has the same
distribution). Kept as a measured alternative: deep trees reproduce rare training combinations.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from htwork.synth.base import Synthesizer

__all__ = ["CARTSynthesizer"]


class CARTSynthesizer(Synthesizer):
    """Sequential classification trees with a minimum leaf size.

    Parameters
    ----------
    min_leaf : int
        Fewest training rows in a leaf (synthpop's ``minbucket``).
    order : "given" or "cardinality"
        Visit columns as given, or fewest categories first.
    **kwargs
        See :class:`Synthesizer`.
    """

    name = "cart"

    def __init__(self, min_leaf: int = 10, order: str = "given", **kwargs) -> None:
        super().__init__(**kwargs)
        self.min_leaf = min_leaf
        self.order = order

    def _fit_codes(self, codes: np.ndarray, df: pd.DataFrame) -> None:
        from sklearn.tree import DecisionTreeClassifier

        d = codes.shape[1]
        cards = self.codec_.cardinalities
        if self.order == "cardinality":
            self.order_ = [int(j) for j in np.argsort(cards, kind="stable")]
        else:
            self.order_ = list(range(d))
        first = self.order_[0]
        freq = np.bincount(codes[:, first], minlength=cards[first]).astype(float)
        self.first_cdf_ = np.cumsum(freq / freq.sum())
        # (column, parents, constant code or None, tree or None, (leaf cdf, classes) or None)
        self.trees_: list[tuple[int, list[int], int | None, Any,
                                tuple[np.ndarray, np.ndarray] | None]] = []
        for pos in range(1, d):
            j = self.order_[pos]
            prev = self.order_[:pos]
            y = codes[:, j]
            if len(np.unique(y)) == 1:
                self.trees_.append((j, prev, int(y[0]), None, None))
                continue
            tree = DecisionTreeClassifier(min_samples_leaf=self.min_leaf, random_state=0)
            tree.fit(codes[:, prev], y)
            leaf_cdf = np.cumsum(tree.tree_.value[:, 0, :] / tree.tree_.value[:, 0, :].sum(
                axis=1, keepdims=True), axis=1)
            leaf_cdf[:, -1] = 1.0
            self.trees_.append((j, prev, None, tree, (leaf_cdf, tree.classes_)))

    def _sample_codes(self, n: int, rng: np.random.Generator) -> np.ndarray:
        out = np.zeros((n, len(self.codec_.columns)), dtype=np.int32)
        if n == 0:
            return out
        out[:, self.order_[0]] = np.searchsorted(self.first_cdf_, rng.random(n), side="right")
        for j, prev, constant, tree, leaf in self.trees_:
            if tree is None or leaf is None:
                out[:, j] = constant
                continue
            leaf_cdf, classes = leaf
            leaves = tree.apply(out[:, prev])
            u = rng.random(n)
            pick = (leaf_cdf[leaves] <= u[:, None]).sum(axis=1)
            out[:, j] = classes[np.minimum(pick, len(classes) - 1)]
        return out
