"""htwork's default synthesizer: a low-degree Bayesian network with backed-off counts.

Structure: columns join the network one at a time, greedily (as in PrivBayes' structure
search, without noise): at each step the (column, parent set) pair with the best penalised
mutual information joins, the parent set drawn from columns already in, with at most
``max_parents`` parents. The penalty is BIC's (half ``log n`` per free parameter), so a
parent set with many sparse configurations (say citizenship x country) must earn its keep.
With ``max_parents=1`` this is a Chow-Liu tree (Prim's maximum spanning tree on mutual
information); with ``max_parents=0`` independent marginals.

Conditional tables: each configuration's counts are shrunk toward the table of the next-smaller
parent set (hierarchical Dirichlet backoff, strength ``alpha``), and configurations seen fewer
than ``min_count`` times use the smaller table alone: a combination that describes only a
handful of people is never reproduced from their own counts. The root tables are the exact
1-way frequencies, so a value that never occurs (a missing cell in a complete column) is never
sampled.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from htwork.synth.base import Synthesizer
from htwork.synth.network import Network, counts, mutual_information

__all__ = ["BayesNetSynthesizer", "IndependentSynthesizer"]


class BayesNetSynthesizer(Synthesizer):
    """Low-degree Bayesian network over categorical columns (htwork's default).

    Parameters
    ----------
    max_parents : int
        Most parents per column (0 independent, 1 Chow-Liu tree; default 4).
    alpha : float
        Strength (pseudo-count) of the backoff toward the smaller parent set.
    min_count : int
        Parent configurations seen fewer times use the smaller parent set's table only.
    penalty : float
        Multiplier of the BIC penalty in structure search (0: plain mutual information;
        1: BIC). Default 0.25, chosen by measurement (``htwork/synth/README.md``).
    candidates : int
        Parent sets of two or more are formed from this many best single parents.
    **kwargs
        ``rules``, ``min_rows``, ``max_categories``, ``domain``: see :class:`Synthesizer`.

    Attributes
    ----------
    network_ : Network
        The fitted network.

    Examples
    --------
    >>> from htwork.synth import BayesNetSynthesizer
    >>> syn = BayesNetSynthesizer().fit(train)             # doctest: +SKIP
    >>> fake = syn.sample(len(train), seed=1)               # doctest: +SKIP
    """

    name = "bayesnet"

    def __init__(
        self,
        max_parents: int = 4,
        alpha: float = 2.0,
        min_count: int = 5,
        penalty: float = 0.25,
        candidates: int = 6,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.max_parents = max_parents
        self.alpha = alpha
        self.min_count = min_count
        self.penalty = penalty
        self.candidates = candidates

    # --- fit ----------------------------------------------------------------------------------

    def _fit_codes(self, codes: np.ndarray, df: pd.DataFrame) -> None:
        cards = self.codec_.cardinalities
        order, parents = self._structure(codes, cards)
        cpts = {j: self._cpt(codes, cards, j, parents[j]) for j in order}
        self.network_ = Network.from_cpts(cards, order, parents, cpts)

    def _sample_codes(self, n: int, rng: np.random.Generator) -> np.ndarray:
        return self.network_.sample(n, rng)

    def _score(self, codes, cards, child, pa, cache) -> float:
        key = (child, pa)
        if key not in cache:
            n = len(codes)
            if not pa:
                cache[key] = 0.0
            else:
                table = counts(codes, (*pa, child), cards).reshape(-1, int(cards[child]))
                table = table[table.sum(axis=1) > 0]
                used = (table.sum(axis=0) > 0).sum()
                mi = mutual_information(table)
                params = max(used - 1, 0) * table.shape[0]
                cache[key] = n * mi - self.penalty * 0.5 * np.log(n) * params
        return cache[key]

    def _structure(self, codes, cards) -> tuple[list[int], dict[int, tuple[int, ...]]]:
        d = codes.shape[1]
        cache: dict = {}
        if self.max_parents <= 0 or d == 1:
            return list(range(d)), {j: () for j in range(d)}
        pair = np.zeros((d, d))
        for a, b in combinations(range(d), 2):
            pair[a, b] = pair[b, a] = self._score(codes, cards, b, (a,), cache)
        root = int(np.argmax(np.clip(pair, 0, None).sum(axis=1)))
        order, parents = [root], {root: ()}
        remaining = [j for j in range(d) if j != root]
        while remaining:
            best = (-np.inf, None, ())
            for x in remaining:
                singles = sorted(order, key=lambda p, x=x: -pair[x, p])
                options: list[tuple[int, ...]] = [()] + [(p,) for p in singles]
                top = singles[: self.candidates]
                for size in range(2, self.max_parents + 1):
                    options += [tuple(sorted(c, key=lambda p, x=x: -pair[x, p]))
                                for c in combinations(top, size)]
                for pa in options:
                    s = self._score(codes, cards, x, pa, cache)
                    if s > best[0]:
                        best = (s, x, pa)
            _, x, pa = best
            order.append(x)
            parents[x] = pa
            remaining.remove(x)
        return order, parents

    def _cpt(self, codes, cards, child, pa) -> np.ndarray:
        k = int(cards[child])
        marginal = counts(codes, (child,), cards)
        probs = marginal / marginal.sum()
        if not pa:
            return probs[None, :]
        # back off through the prefixes of the parent tuple (strongest parent first)
        prev = probs[None, :]  # table over configs of pa[:0]
        for depth in range(1, len(pa) + 1):
            sub = pa[:depth]
            table = counts(codes, (*sub, child), cards).reshape(-1, k)
            n_cfg = table.sum(axis=1, keepdims=True)
            # expand previous table to the finer configurations (last parent varies fastest)
            prior = np.repeat(prev, int(cards[sub[-1]]), axis=0)
            cpt = (table + self.alpha * prior) / (n_cfg + self.alpha)
            rare = n_cfg[:, 0] < self.min_count
            cpt[rare] = prior[rare]
            prev = cpt
        return prev


class IndependentSynthesizer(BayesNetSynthesizer):
    """Every column drawn independently from its 1-way frequencies (a baseline)."""

    name = "independent"

    def __init__(self, **kwargs) -> None:
        kwargs.pop("max_parents", None)
        super().__init__(max_parents=0, **kwargs)

    def get_params(self) -> dict:
        params = super().get_params()
        params.pop("max_parents", None)
        return params
