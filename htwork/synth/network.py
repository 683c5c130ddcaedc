"""Discrete Bayesian networks over coded columns: counting, scoring and ancestral sampling.

Shared by the default synthesizer (:mod:`htwork.synth.bayesnet`) and the differentially
private one (:mod:`htwork.synth.dp`): both end in a :class:`Network` of conditional probability
tables (CPTs), one per column, sampled parent-first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Network", "counts", "mutual_information", "joint_index"]


def joint_index(codes: np.ndarray, cols: tuple[int, ...], cards: np.ndarray) -> np.ndarray:
    """Mixed-radix index of the value combination of ``cols`` in each row (0 if no columns)."""
    idx = np.zeros(len(codes), dtype=np.int64)
    for c in cols:
        idx = idx * int(cards[c]) + codes[:, c]
    return idx


def counts(codes: np.ndarray, cols: tuple[int, ...], cards: np.ndarray) -> np.ndarray:
    """Contingency table of ``cols`` as an array of shape ``cards[cols]``."""
    size = int(np.prod([cards[c] for c in cols])) if cols else 1
    flat = np.bincount(joint_index(codes, cols, cards), minlength=size).astype(float)
    return flat.reshape([int(cards[c]) for c in cols]) if cols else flat


def _entropy(p: np.ndarray) -> float:
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())


def mutual_information(table: np.ndarray) -> float:
    """Mutual information (nats) between the rows and columns of a 2-D count table."""
    total = table.sum()
    if total <= 0:
        return 0.0
    p = table / total
    return _entropy(p.sum(axis=1)) + _entropy(p.sum(axis=0)) - _entropy(p.ravel())


@dataclass
class Network:
    """A discrete Bayesian network ready to sample.

    Attributes
    ----------
    cards : ndarray
        Number of codes per column.
    order : list of int
        Columns in sampling order (parents before children).
    parents : dict
        Column -> tuple of parent columns.
    cdfs : dict
        Column -> array ``(n_parent_configs, cards[col])`` of cumulative probabilities.
    """

    cards: np.ndarray
    order: list[int]
    parents: dict[int, tuple[int, ...]]
    cdfs: dict[int, np.ndarray]

    @classmethod
    def from_cpts(
        cls, cards: np.ndarray, order: list[int], parents: dict[int, tuple[int, ...]],
        cpts: dict[int, np.ndarray],
    ) -> Network:
        """Build from conditional probability tables ``(n_parent_configs, cards[col])``."""
        cdfs = {}
        for j, cpt in cpts.items():
            cpt = np.asarray(cpt, dtype=float).reshape(-1, int(cards[j]))
            cpt = np.clip(cpt, 0, None)
            s = cpt.sum(axis=1, keepdims=True)
            bad = s[:, 0] <= 0
            if bad.any():  # unreachable configurations: uniform, never used in practice
                cpt[bad] = 1.0
                s = cpt.sum(axis=1, keepdims=True)
            cdf = np.cumsum(cpt / s, axis=1)
            cdf[:, -1] = 1.0
            cdfs[j] = cdf
        return cls(np.asarray(cards), list(order), dict(parents), cdfs)

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """Draw ``n`` rows of codes, shape ``(n, d)``."""
        d = len(self.cards)
        out = np.zeros((n, d), dtype=np.int32)
        if n == 0:
            return out
        for j in self.order:
            cdf = self.cdfs[j]
            cfg = joint_index(out, self.parents[j], self.cards)
            u = rng.random(n)
            if cdf.shape[0] == 1:
                out[:, j] = np.searchsorted(cdf[0], u, side="right")
            else:
                rows = cdf[cfg]
                out[:, j] = (rows <= u[:, None]).sum(axis=1)
            np.minimum(out[:, j], self.cards[j] - 1, out=out[:, j])
        return out

    def log_likelihood(self, codes: np.ndarray, floor: float = 1e-6) -> np.ndarray:
        """Log-probability of each row of ``codes`` under the network (nats).

        Probabilities below ``floor`` (a value never seen where the network was fitted) count
        as ``floor``, so that one unseen value does not make a whole comparison infinite.
        """
        out = np.zeros(len(codes))
        for j in self.order:
            cdf = self.cdfs[j]
            cfg = joint_index(codes, self.parents[j], self.cards) if cdf.shape[0] > 1 else 0
            v = codes[:, j]
            hi = cdf[cfg, v]
            lo = np.where(v > 0, cdf[cfg, np.maximum(v - 1, 0)], 0.0)
            out += np.log(np.maximum(hi - lo, floor))
        return out

    def describe(self, names: list[str]) -> list[str]:
        """One line per column: ``child <- parent, parent``."""
        lines = []
        for j in self.order:
            ps = ", ".join(names[p] for p in self.parents[j]) or "(none)"
            lines.append(f"{names[j]} <- {ps}")
        return lines
