"""A classification tree on small integer codes (CART, Gini), for the default's numbers.

The default draws each number from a classification tree on category ranks and earlier
numbers' bins (:mod:`htwork.synth.bayesnet`). Every feature is a small non-negative integer
(at most a few dozen values), so the best split of a node over *all* features at once is one
``bincount`` of (feature, value, class) keys and a cumulative sum: a tree on 2,500 rows and 35
features takes a few milliseconds. scikit-learn's ``DecisionTreeClassifier`` gives the same kind
of tree, but importing it loads SciPy's statistics and took 1-2 s of CPU on the development
machine, a third of the 5 s the issue allows for fit and sample on SD2011.

Splits are ``feature <= value`` (left) against ``> value`` (right), chosen to maximise the
gain in log-likelihood (information gain times the node's rows), keeping at least ``min_leaf``
rows on each side; ties go to the first feature and the lowest value. A node is split only when
the gain exceeds ``penalty * (classes - 1) * log(n) / 2`` (BIC's price of the split's new
shares, ``n`` the training rows): an unpruned tree splits on noise, and a synthetic number that
follows noisy splits on, say, region loses the effects an analysis looks for (on SD2011 the
income tree split 21 times on region and 4 times on education, and the education effect on
income fell by half).

With a ``target`` (one vector per class, e.g. a number's bins as the mean value of each bin),
splits instead maximise the fall in the sum of squared target vectors around their means, as a
regression tree does (synthpop's CART on a number, rpart's ``anova``): a split that separates
high from low incomes wins over one that only reshapes the bins' shares (on SD2011 the income
tree split by log-likelihood often on region, where the shares of 14 income bins differ by
chance). The price then does not apply: any fall splits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["CodeTree"]


def _xlogx(c: np.ndarray) -> np.ndarray:
    c = np.asarray(c, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(c > 0, c * np.log(np.where(c > 0, c, 1.0)), 0.0)


@dataclass
class CodeTree:
    """A fitted classification tree over integer features.

    Attributes
    ----------
    min_leaf : int
        Fewest training rows in a leaf.
    penalty : float
        Multiplier of the BIC price a split must beat (0: any gain).
    feature, threshold, left, right : ndarray
        Per node: the split (``feature <= threshold`` goes left); ``left`` is -1 at a leaf.
    leaf : ndarray
        Per node: its leaf number (``0 .. n_leaves-1``), -1 for inner nodes.
    counts : ndarray
        ``(n_leaves, n_classes)`` training rows of each class in each leaf.
    target : ndarray, optional
        ``(n_classes, d)``: each class's target vector; splits by the fall in squared error of
        it (None: by log-likelihood of the classes).
    """

    min_leaf: int = 20
    penalty: float = 1.0
    target: np.ndarray | None = None
    feature: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    threshold: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    left: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    right: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    leaf: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    counts: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))

    def fit(self, x: np.ndarray, y: np.ndarray, n_classes: int) -> CodeTree:
        """Grow the tree on features ``x`` (non-negative integers) and classes ``y``."""
        x = np.asarray(x, dtype=np.int64)
        y = np.asarray(y, dtype=np.int64)
        n, f = x.shape
        k = int(n_classes)
        width = int(x.max()) + 1 if x.size else 1
        offsets = (np.arange(f, dtype=np.int64) * width)[None, :]
        feature: list[int] = []
        threshold: list[int] = []
        left: list[int] = []
        right: list[int] = []
        leaf: list[int] = []
        counts: list[np.ndarray] = []
        stack = [(np.arange(n), -1, False)]  # rows, parent, is the right child
        lo = max(int(self.min_leaf), 1)
        price = float(self.penalty) * 0.5 * np.log(max(n, 2))
        emb = None if self.target is None else np.asarray(self.target, dtype=float).reshape(k, -1)
        while stack:
            rows, parent, is_right = stack.pop()
            node = len(feature)
            if parent >= 0:
                (right if is_right else left)[parent] = node
            total = np.bincount(y[rows], minlength=k).astype(float)
            split = (self._best(x[rows], y[rows], k, width, offsets, total, lo, price, emb)
                     if f else None)
            feature.append(-1 if split is None else split[0])
            threshold.append(-1 if split is None else split[1])
            left.append(-1)
            right.append(-1)
            if split is None:
                leaf.append(len(counts))
                counts.append(total)
                continue
            leaf.append(-1)
            go_left = x[rows, split[0]] <= split[1]
            stack.append((rows[~go_left], node, True))
            stack.append((rows[go_left], node, False))
        self.feature = np.array(feature, dtype=np.int64)
        self.threshold = np.array(threshold, dtype=np.int64)
        self.left = np.array(left, dtype=np.int64)
        self.right = np.array(right, dtype=np.int64)
        self.leaf = np.array(leaf, dtype=np.int64)
        self.counts = np.array(counts).reshape(len(counts), k)
        return self

    @staticmethod
    def _best(xs: np.ndarray, ys: np.ndarray, k: int, width: int, offsets: np.ndarray,
              total: np.ndarray, lo: int, price: float,
              emb: np.ndarray | None = None) -> tuple[int, int] | None:
        """The split of one node that gains most log-likelihood (or, with ``emb``, most fall in
        squared error of the classes' target vectors), if it beats its price."""
        m, f = xs.shape
        used = int((total > 0).sum())
        if m < 2 * lo or used < 2:
            return None
        keys = ((xs + offsets) * k + ys[:, None]).ravel()
        cnt = np.bincount(keys, minlength=f * width * k).reshape(f, width, k).astype(float)
        below = np.cumsum(cnt, axis=1)[:, :-1, :]  # rows with value <= v, for v < width - 1
        n_below = below.sum(axis=2)
        above = total[None, None, :] - below
        n_above = m - n_below
        ok = (n_below >= lo) & (n_above >= lo)
        if not ok.any():
            return None
        if emb is not None:  # fall in squared error: |sum|^2 / n of each side, less the node's
            sb, sa, st = below @ emb, above @ emb, total @ emb
            with np.errstate(divide="ignore", invalid="ignore"):
                gain = ((sb ** 2).sum(axis=2) / n_below + (sa ** 2).sum(axis=2) / n_above
                        - float((st ** 2).sum()) / m)
            price = 1e-9 * m / max(used - 1, 1)  # a fall, not rounding error
        else:
            # log-likelihood of each side's shares: sum c log(c / n)
            with np.errstate(divide="ignore", invalid="ignore"):
                ll = (_xlogx(below).sum(axis=2) - _xlogx(n_below)
                      + _xlogx(above).sum(axis=2) - _xlogx(n_above))
            gain = ll - (_xlogx(total).sum() - _xlogx(np.array(float(m))))
        gain = np.where(ok, gain, -np.inf)
        best = int(np.argmax(gain))
        if not gain.flat[best] > price * (used - 1):
            return None
        return best // (width - 1), best % (width - 1)

    def apply(self, x: np.ndarray) -> np.ndarray:
        """The leaf number of each row of ``x``."""
        x = np.asarray(x, dtype=np.int64)
        node = np.zeros(len(x), dtype=np.int64)
        rows = np.arange(len(x))
        active = self.left[node] >= 0
        while active.any():
            r, nd = rows[active], node[active]
            go_left = x[r, self.feature[nd]] <= self.threshold[nd]
            node[active] = np.where(go_left, self.left[nd], self.right[nd])
            active = self.left[node] >= 0
        return self.leaf[node]
