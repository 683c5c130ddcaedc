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

Multi-select questions: the columns of a flag family (the release standard's ``htwork:family``,
e.g. the twelve ``typeOfLabour*`` flags) enter the network as nodes of at most ``family_size``
flags whose values are the answer patterns seen in training (a pattern includes "not
recorded"), so that flags answered together are drawn together. A network of single flags with
at most ``max_parents`` parents cannot keep a long question recorded-for-all-or-none, and
rejection sampling then throws away most rows whose question was not recorded (measured on the
37-column release table: 3.3% of people with no exploitation type recorded became 0.2%).
Patterns seen fewer than ``min_count`` times are pooled; a pooled pattern is drawn flag by flag
from the pool's own frequencies, so a rare combination of answers is never copied whole from
the few people who gave it.

Penalty: chosen per table by held-out likelihood (``penalty="auto"``), because the right
strength depends on the table: on the 13-column benchmark table 0.25 keeps the copy share below
a fresh sample's while 0.1 copies 2-3 points more; on the 37-column release table 0.1-0.15 is
needed to keep detection near 0.5.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from itertools import combinations

import numpy as np
import pandas as pd

from htwork.synth.base import Synthesizer
from htwork.synth.constraints import question_nodes
from htwork.synth.network import Network, counts
from htwork.synth.numeric import LeafValues
from htwork.synth.trees import CodeTree

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
    penalty : float or "auto"
        Multiplier of the BIC penalty in structure search (0: plain mutual information;
        1: BIC). ``"auto"`` (default) picks it from ``penalties`` by held-out likelihood:
        networks are fitted to 80% of the training rows and scored on the other 20%, so the
        network chosen is the one closest to *new* people, neither missing structure (easy to
        tell from real rows) nor fitting the training rows' noise (copying them). The grid and
        why: ``htwork/synth/README.md``.
    penalties : sequence of float
        The grid ``penalty="auto"`` chooses from.
    candidates : int
        Parent sets of two or more are formed from this many best single parents.
    families : bool
        Model each flag family among the rules (:class:`~htwork.synth.constraints.FlagFamily`)
        as nodes of answer patterns (default True).
    family_size : int
        Most flags per pattern node: a longer question is cut into a few nodes of nearly equal
        size (default 3: eight ``means*`` flags become nodes of 3, 3 and 2 flags, each with at
        most 9 values, where one node would have ~150 patterns too sparse to condition on).
    numbers : {"chain", "tree", "network"}
        How a table with numbers or dates is drawn (a table of categories only is drawn by the
        network whatever this says). ``"chain"`` (default): every column is drawn in the
        table's order from a classification tree on every column drawn before it (synthpop's
        CART sequence, with htwork's :class:`~htwork.synth.trees.CodeTree`: leaves of at least
        ``min_leaf`` training people, leaf shares pulled toward the column's own by
        ``leaf_shrink``); a number is drawn as its bin or why it is missing, then a value within
        the bin (:mod:`htwork.synth.numeric`), and its tree splits by the fall in squared error
        of the bins' mean values (``tree_split``); a flag family is one node of answer
        patterns. The network is not fitted then. Why: on SD2011 the network's categories kept
        too little of the ties between education, sex, age and the columns a number's tree
        reads, and a regression of income on age, sex and education lost a third of the
        education effect (``htwork/synth/README.md``). ``"tree"`` (the default before): the
        network draws every column, numbers as coarse groups, then each number is drawn again
        from a tree on every category and every number drawn again before it. ``"network"``:
        numbers are drawn by the network alone. With ``max_parents`` below 2 (the independent
        and Chow-Liu baselines) they always are.
    min_leaf : int, optional
        Fewest training people in a leaf of a tree: 10 with ``numbers="chain"``, 20 with
        ``"tree"`` (default None: that).
    leaf_shrink : float, optional
        Pseudo-count pulling a leaf's shares toward the column's overall shares (a leaf has at
        least ``min_leaf`` people; a large pull weakens every effect, and along a chain the
        pulls add up: 0.5 kept 0.73 of the sex effect on income on SD2011, 0.1 kept 0.80).
        Default None: 0.1 with ``numbers="chain"``, 0.5 with ``"tree"``.
    tree_split : {"mean", "loglik"}
        How a number's tree chooses splits: ``"mean"`` (default) by the fall in squared error
        of the value (each bin as the mean training value in it; why a number is missing as an
        indicator beside it), as a regression tree; ``"loglik"`` by the log-likelihood of the
        bins' shares. Categories' trees split by log-likelihood.
    tree_penalty : float
        A split of a number's tree must gain more log-likelihood than this multiple of BIC's
        price (:class:`~htwork.synth.trees.CodeTree`); 0 (default) grows the tree to
        ``min_leaf``.
    leaf_values : int
        How the chain (``numbers="chain"``) draws a number's value once its tree has drawn the
        bin: 1 (default) near a training value of the *same leaf and bin*
        (:class:`~htwork.synth.numeric.LeafValues`: a value shared by at least 5 training
        people as it is, a rarer one smoothed within the bin and never copied; a leaf with no
        training value in the bin falls back to the bin's draw); 0 from the smoothed
        distribution of every training value in the bin, whoever they are (the behaviour
        before). A bin ignores the person, so 0 loses effects within a bin: on SD2011 the
        education effect on income within the wide top bins (``htwork/synth/README.md``).
    tree_features : int, optional
        A number's tree reads at most this many columns: those with the highest mutual
        information with it, beyond BIC's price. Default: every column. (On SD2011, 6 made the
        education effects on income a little closer but detection AUC rose from 0.55 to 0.66:
        heights, weights and years lost relations with the columns left out.)
    **kwargs
        ``rules``, ``min_rows``, ``max_categories``, ``domain``: see :class:`Synthesizer`.

    Attributes
    ----------
    penalty_ : float or None
        The penalty used (the one chosen when ``penalty="auto"``); None when the table is drawn
        by the chain of trees (no network is fitted).
    penalty_scores_ : dict
        Penalty -> mean held-out log-likelihood per row (``penalty="auto"`` only).
    network_ : Network
        The fitted network (over nodes: single columns and flag families); absent when the
        table is drawn by the chain.
    chain_ : list
        Per node, in the table's order: (node or number, the features it reads, its tree, its
        leaves' cumulative shares); empty unless the table has numbers and ``numbers="chain"``.
    leaf_values_ : dict
        Number's group node -> (its column, its training values by leaf and bin), with
        ``leaf_values=1`` and the chain; empty otherwise.
    nodes_ : list of tuple of int
        The columns (by position) behind each node of the network.

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
        penalty: float | str = "auto",
        penalties: tuple[float, ...] = (0.1, 0.15, 0.25, 0.5),
        candidates: int = 6,
        families: bool = True,
        family_size: int = 3,
        numbers: str = "chain",
        min_leaf: int | None = None,
        leaf_shrink: float | None = None,
        tree_penalty: float = 0.0,
        tree_features: int | None = None,
        tree_split: str = "mean",
        leaf_values: int = 1,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.leaf_values = leaf_values
        self.tree_split = tree_split
        self.tree_penalty = tree_penalty
        self.tree_features = tree_features
        self.numbers = numbers
        self.min_leaf = min_leaf
        self.leaf_shrink = leaf_shrink
        self.max_parents = max_parents
        self.alpha = alpha
        self.min_count = min_count
        self.penalty = penalty
        self.penalties = penalties
        self.candidates = candidates
        self.families = families
        self.family_size = family_size

    # --- fit ----------------------------------------------------------------------------------

    def _fit_codes(self, codes: np.ndarray, df: pd.DataFrame) -> None:
        if self.numbers not in ("chain", "tree", "network"):
            raise ValueError(f"numbers must be 'chain', 'tree' or 'network', not "
                             f"{self.numbers!r}")
        if self.tree_split not in ("mean", "loglik"):
            raise ValueError(f"tree_split must be 'mean' or 'loglik', not {self.tree_split!r}")
        if self.leaf_values not in (0, 1):
            raise ValueError(f"leaf_values must be 0 or 1, not {self.leaf_values!r}")
        ncodes, cards = self._nodes(codes)
        numeric = self._number_nodes() if self.numbers != "network" and \
            self.max_parents >= 2 else []
        # a number's bin-in-group node is left to its tree: the network keeps its group node,
        # which is what the categories depend on
        fine = {kf for _, kf, _, _ in numeric if kf is not None}
        self.graph_nodes_ = [k for k in range(ncodes.shape[1]) if k not in fine]
        self.values_ = self._bin_values(numeric, ncodes, df) if numeric else {}
        self.trees_, self.chain_ = [], []
        self.leaf_values_: dict[int, tuple[Hashable, LeafValues]] = {}
        if numeric and self.numbers == "chain":
            self.penalty_ = None
            self.chain_ = self._fit_chain(ncodes, cards, numeric)
            if self.leaf_values:
                self.leaf_values_ = self._fit_leaf_values(ncodes, numeric, df)
            return
        sub, subcards = ncodes[:, self.graph_nodes_], cards[self.graph_nodes_]
        self.penalty_ = self._choose_penalty(sub, subcards)
        self.network_ = self._network(sub, subcards, self.penalty_)
        self.trees_ = self._fit_trees(ncodes, cards, numeric)

    @property
    def _min_leaf(self) -> int:
        if self.min_leaf is not None:
            return int(self.min_leaf)
        return 10 if self.numbers == "chain" else 20

    def _bin_values(self, numeric: list, ncodes: np.ndarray, df: pd.DataFrame) -> dict:
        """Per number (by group node): the mean training value in each bin."""
        from htwork.synth.types import parse_values

        names = list(self.codec_.columns)
        out = {}
        for spec in numeric:
            kc, _, _, n_bins = spec
            col = names[self.nodes_[kc][0]]
            values = parse_values(df[col], self.plan_.types[col])[0]
            y = _combined(ncodes, spec).astype(np.int64)
            known = (y < n_bins) & ~np.isnan(values)
            cnt = np.bincount(y[known], minlength=n_bins)
            tot = np.bincount(y[known], weights=values[known], minlength=n_bins)
            out[kc] = tot / np.maximum(cnt, 1)
        return out

    def _fit_leaf_values(self, ncodes: np.ndarray, numeric: list, df: pd.DataFrame
                         ) -> dict[int, tuple[Hashable, LeafValues]]:
        """Per number of the chain: each training value's leaf (of the number's tree) and
        bin, to draw values near a training value of the same leaf and bin."""
        from htwork.synth.types import parse_values

        names = list(self.codec_.columns)
        by_group = {spec[0]: spec for spec in numeric}
        out = {}
        for what, (cats, ranks, nums), tree, _ in self.chain_:
            if not isinstance(what, tuple):
                continue
            kc, _, _, n_bins = what
            col = names[self.nodes_[kc][0]]
            values = parse_values(df[col], self.plan_.types[col])[0]
            leaf = _leaves(tree, _tree_matrix(ncodes, cats, ranks, nums))
            y = _combined(ncodes, by_group[kc]).astype(np.int64)
            out[kc] = (col, LeafValues.fit(leaf, y, values, n_bins))
        return out

    def _target(self, spec: tuple, y: np.ndarray, kk: int) -> np.ndarray | None:
        """A number's classes as vectors for a regression-like split (``tree_split="mean"``):
        a bin is its mean training value, standardised; a reason it is missing an indicator."""
        if self.tree_split != "mean":
            return None
        kc, _, _, n_bins = spec
        mean = self.values_[kc]
        cnt = np.bincount(y[y < n_bins], minlength=n_bins).astype(float)
        if cnt.sum() == 0:
            return None
        mu = float(np.average(mean, weights=cnt))
        sd = float(np.sqrt(np.average((mean - mu) ** 2, weights=cnt))) or 1.0
        emb = np.zeros((kk, 1 + kk - n_bins))
        emb[:n_bins, 0] = (mean - mu) / sd
        emb[np.arange(n_bins, kk), 1 + np.arange(kk - n_bins)] = 1.0
        return emb

    def _fit_chain(self, ncodes: np.ndarray, cards: np.ndarray, numeric: list) -> list:
        """One tree per node, in the table's order, on every node before it (``"chain"``)."""
        by_group = {spec[0]: spec for spec in numeric}
        cats: list[int] = []
        nums: list[tuple] = []
        out = []
        for k in self.graph_nodes_:  # nodes follow the table's columns
            spec = by_group.get(k)
            if spec is None:
                y = ncodes[:, k].astype(np.int64)
                kk = int(cards[k])
                ranks = [np.arange(int(cards[j])) for j in cats]
                target = None
            else:
                y = _combined(ncodes, spec).astype(np.int64)
                kk = spec[3] + int(cards[k]) - len(spec[2])
                ranks = [_mean_rank(ncodes[:, j], int(cards[j]), y, spec[3]) for j in cats]
                target = self._target(spec, y, kk)
            tree, cdf = self._grow(_tree_matrix(ncodes, cats, ranks, nums), y, kk, target)
            out.append((k if spec is None else spec, (list(cats), ranks, list(nums)), tree,
                        cdf))
            if spec is None:
                cats.append(k)
            else:
                nums.append(spec)
        return out

    def _grow(self, x: np.ndarray, y: np.ndarray, kk: int, target: np.ndarray | None = None
              ) -> tuple[CodeTree | None, np.ndarray]:
        """A tree for classes ``y`` on ``x``, and each leaf's cumulative shares (shrunk toward
        the overall shares); no tree when ``y`` has one value or there is nothing to read."""
        marg = np.bincount(y, minlength=kk) / max(len(y), 1)
        if len(np.unique(y)) <= 1 or x.shape[1] == 0:
            cdf = np.cumsum(marg)[None, :]
            cdf[:, -1] = 1.0
            return None, cdf
        tree = CodeTree(min_leaf=self._min_leaf, penalty=float(self.tree_penalty),
                        target=target).fit(x, y, kk)
        table = tree.counts
        shrink = float(self.leaf_shrink if self.leaf_shrink is not None else
                       0.1 if self.numbers == "chain" else 0.5)
        cdf = np.cumsum((table + shrink * marg) / (table.sum(axis=1, keepdims=True) + shrink),
                        axis=1)
        cdf[:, -1] = 1.0
        return tree, cdf

    def _number_nodes(self) -> list[tuple[int, int | None, np.ndarray, int]]:
        """Per number or date, in the table's order: its group node, its bin node (None in
        one-level mode), the first bin of each group and the number of bins."""
        plan = getattr(self, "plan_", None)
        if plan is None or not plan.binned:
            return []
        where = {cols[0]: k for k, cols in enumerate(self.nodes_) if len(cols) == 1}
        names = list(self.codec_.columns)
        out = []
        for c in plan.value_columns:
            if c not in plan.binned or c not in names or names.index(c) not in where:
                continue
            fine = plan.fine_name(c)
            kf = where.get(names.index(fine)) if fine in names else None
            b = plan.binned[c]
            out.append((where[names.index(c)], kf, np.asarray(b.starts), b.n_bins))
        return out

    def _fit_trees(self, ncodes: np.ndarray, cards: np.ndarray, numeric: list) -> list:
        """One classification tree per number (its bin, or why it is missing), on every
        category node and every number drawn again before it.

        The tree reads a category node through its categories ordered by the mean bin of the
        number (as CART orders a nominal predictor by the mean response, so that one split can
        separate any low-income from any high-income group), and a number drawn before as its
        bin.
        """
        if not numeric:
            return []

        trees = []
        skip = {k for kc, kf, _, _ in numeric for k in (kc, kf) if k is not None}
        cats = [k for k in range(ncodes.shape[1]) if k not in skip]
        done: list[tuple] = []
        for spec in numeric:
            kc, kf, starts, n_bins = spec
            y = _combined(ncodes, spec).astype(np.int64)
            kk = n_bins + int(cards[kc]) - len(starts)
            # categories ordered by the mean bin of the number
            ranks = [_mean_rank(ncodes[:, k], int(cards[k]), y, n_bins) for k in cats]
            x = _tree_matrix(ncodes, cats, ranks, done)
            keep = (np.arange(x.shape[1]) if self.tree_features is None
                    else _strongest(x, y, int(self.tree_features)))
            tree, cdf = self._grow(x[:, keep], y, kk, self._target(spec, y, kk))
            trees.append((spec, (list(cats), ranks, list(done), keep), tree, cdf))
            done.append(spec)
        return trees

    def _network(self, ncodes: np.ndarray, cards: np.ndarray, penalty: float,
                 stats: dict | None = None) -> Network:
        order, parents = self._structure(ncodes, cards, penalty, {} if stats is None else stats)
        cpts = {j: self._cpt(ncodes, cards, j, parents[j]) for j in order}
        return Network.from_cpts(cards, order, parents, cpts)

    def _choose_penalty(self, ncodes: np.ndarray, cards: np.ndarray) -> float:
        """The penalty whose network best predicts held-out training rows."""
        if self.penalty != "auto":
            if not isinstance(self.penalty, int | float) or self.penalty < 0:
                raise ValueError(f"penalty must be 'auto' or a number >= 0, not "
                                 f"{self.penalty!r}")
            return float(self.penalty)
        grid = sorted({float(p) for p in self.penalties})
        if len(grid) == 1 or self.max_parents <= 0 or ncodes.shape[1] < 2:
            self.penalty_scores_: dict[float, float] = {}
            return grid[len(grid) // 2]
        order = np.random.default_rng(0).permutation(len(ncodes))  # fixed: fit is repeatable
        cut = int(round(0.8 * len(ncodes)))
        fit_rows, test_rows = ncodes[order[:cut]], ncodes[order[cut:]]
        self.penalty_scores_ = {}
        stats: dict = {}  # mutual information of a parent set: the same for every penalty
        for p in grid:
            net = self._network(fit_rows, cards, p, stats)
            self.penalty_scores_[p] = float(net.log_likelihood(test_rows).mean())
        best = max(self.penalty_scores_.values())
        # ties (within a thousandth of a nat per row) go to the stronger penalty: fewer parents
        return max(p for p, v in self.penalty_scores_.items() if v >= best - 1e-3)

    def _sample_drawn(
        self, n: int, rng: np.random.Generator
    ) -> tuple[np.ndarray, dict[Hashable, np.ndarray] | None,
               dict[Hashable, tuple[LeafValues, np.ndarray]] | None]:
        """Codes, and with ``leaf_values=1`` each number's leaf per row (values are then
        drawn near a training value of the same leaf and bin)."""
        if not getattr(self, "chain_", None) or not getattr(self, "leaf_values_", None):
            return self._sample_codes(n, rng), None, None
        ncodes, leaves = self._sample_chain(n, rng)
        cells = {col: (lv, leaves[kc]) for kc, (col, lv) in self.leaf_values_.items()}
        return self._to_columns(ncodes, rng), None, cells

    def _sample_chain(self, n: int, rng: np.random.Generator
                      ) -> tuple[np.ndarray, dict[int, np.ndarray]]:
        """Every node drawn from its tree, in the table's order; and each number's leaf."""
        ncodes = np.zeros((n, len(self.nodes_)), dtype=np.int32)
        leaves: dict[int, np.ndarray] = {}
        for what, (cats, ranks, nums), tree, cdf in self.chain_:
            x = _tree_matrix(ncodes, cats, ranks, nums)
            y = _draw(tree, cdf, x, rng)
            if isinstance(what, tuple):
                _set_number(ncodes, what, y)
                leaves[what[0]] = _leaves(tree, x)
            else:
                ncodes[:, what] = y
        return ncodes, leaves

    def _sample_codes(self, n: int, rng: np.random.Generator) -> np.ndarray:
        if getattr(self, "chain_", None):  # every node from its tree, in the table's order
            return self._to_columns(self._sample_chain(n, rng)[0], rng)
        # the network draws every node; each number is then drawn again from its tree, given
        # the categories and the numbers drawn again before it (the network's numbers served
        # the categories' dependence on them)
        graph = getattr(self, "graph_nodes_", None)
        if graph is None or len(graph) == len(self.nodes_):
            ncodes = self.network_.sample(n, rng)
        else:
            ncodes = np.zeros((n, len(self.nodes_)), dtype=np.int32)
            ncodes[:, graph] = self.network_.sample(n, rng)
        for spec, (cats, ranks, done, keep), tree, cdf in getattr(self, "trees_", None) or []:
            y = _draw(tree, cdf, _tree_matrix(ncodes, cats, ranks, done)[:, keep], rng)
            _set_number(ncodes, spec, y)
        return self._to_columns(ncodes, rng)

    def _to_columns(self, ncodes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Node codes back to the codec's columns (a family node's pattern to its flags)."""
        n = len(ncodes)
        out = np.empty((n, len(self.codec_.columns)), dtype=ncodes.dtype)
        for k, cols in enumerate(self.nodes_):
            if len(cols) == 1:
                out[:, cols[0]] = ncodes[:, k]
                continue
            patterns, pool = self.patterns_[k]
            if len(patterns):
                out[:, list(cols)] = patterns[np.minimum(ncodes[:, k], len(patterns) - 1)]
            pooled = ncodes[:, k] == len(patterns)
            if pool is not None and pooled.any():
                m = int(pooled.sum())
                for i, cdf in enumerate(pool):
                    out[pooled, cols[i]] = np.searchsorted(cdf, rng.random(m), side="right")
        return out

    def _nodes(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Flag-family columns become nodes of answer patterns; others stay single."""
        cards = self.codec_.cardinalities
        size = max(int(self.family_size), 2) if self.families else 0
        self.nodes_ = question_nodes(self.rules_, self.codec_.columns, size)
        self.patterns_: dict[int, tuple[np.ndarray, list[np.ndarray] | None]] = {}
        columns, ncards = [], []
        for k, node in enumerate(self.nodes_):
            if len(node) == 1:
                columns.append(codes[:, node[0]])
                ncards.append(int(cards[node[0]]))
                continue
            sub = codes[:, list(node)]
            patterns, inverse, freq = np.unique(sub, axis=0, return_inverse=True,
                                                return_counts=True)
            inverse = inverse.ravel()
            common = freq >= self.min_count
            keep = np.flatnonzero(common)
            remap = np.full(len(patterns), len(keep), dtype=np.int64)
            remap[keep] = np.arange(len(keep))
            pool = None
            if not common.all():  # rare patterns: one pooled value, flags drawn one by one
                rows = sub[~common[inverse]]
                pool = []
                for i, j in enumerate(node):
                    f = np.bincount(rows[:, i], minlength=int(cards[j])).astype(float)
                    cdf = np.cumsum(f / f.sum())
                    cdf[-1] = 1.0
                    pool.append(cdf)
            self.patterns_[k] = (patterns[keep], pool)
            columns.append(remap[inverse])
            ncards.append(len(keep) + (pool is not None))
        return np.stack(columns, axis=1), np.asarray(ncards, dtype=np.int64)

    def _score(self, codes, cards, child, pa, cache, penalty) -> float:
        """Penalised mutual information of ``child`` with the parent set ``pa``.

        ``cache`` keeps ``(n * MI, free parameters)`` per ``(child, pa)``: they depend on the
        rows only, so one cache serves every penalty tried on the same rows. Counts are taken
        over the configurations that occur (sorted keys), never as a dense table: four parents
        of 20 values each would make a table of 160,000 cells per child value.
        """
        key = (child, pa)
        if key not in cache:
            if not pa:
                cache[key] = (0.0, 0)
            else:
                hkey = ("H", child)
                if hkey not in cache:
                    cache[hkey] = _child_entropy(codes[:, child], int(cards[child]))
                h_child, used = cache[hkey]
                cols = cache.get("columns")
                if cols is None:
                    cols = cache["columns"] = np.ascontiguousarray(codes.T.astype(np.int64))
                n_mi, n_cfg = _n_mutual_information(cols, cards, child, pa, h_child,
                                                    cache.setdefault("configs", {}))
                cache[key] = (n_mi, max(used - 1, 0) * n_cfg)
        nmi, params = cache[key]
        return nmi - penalty * 0.5 * math.log(len(codes)) * params

    def _structure(
        self, codes, cards, penalty: float, cache: dict | None = None
    ) -> tuple[list[int], dict[int, tuple[int, ...]]]:
        d = codes.shape[1]
        cache = {} if cache is None else cache
        if "columns" not in cache:  # each column contiguous: counting reads columns
            cache["columns"] = np.ascontiguousarray(codes.T.astype(np.int64))
        if self.max_parents <= 0 or d == 1:
            return list(range(d)), {j: () for j in range(d)}
        pair = np.zeros((d, d))
        for a, b in combinations(range(d), 2):
            pair[a, b] = pair[b, a] = self._score(codes, cards, b, (a,), cache, penalty)
        root = int(np.argmax(np.clip(pair, 0, None).sum(axis=1)))
        cost = penalty * 0.5 * math.log(len(codes))
        order = [root]
        parents: dict[int, tuple[int, ...]] = {root: ()}
        remaining = [j for j in range(d) if j != root]
        while remaining:
            best: tuple[float, int | None, tuple[int, ...]] = (-np.inf, None, ())
            for x in remaining:
                singles = sorted(order, key=lambda p: -pair[x, p])
                options: list[tuple[int, ...]] = [()] + [(p,) for p in singles]
                top = singles[: self.candidates]
                for size in range(2, self.max_parents + 1):
                    # combinations keep top's order: strongest parent first
                    options += list(combinations(top, size))
                for pa in options:
                    hit = cache.get((x, pa))
                    if hit is None:
                        s = self._score(codes, cards, x, pa, cache, penalty)
                    else:
                        s = hit[0] - cost * hit[1]
                    if s > best[0]:
                        best = (s, x, pa)
            _, chosen, pa = best
            assert chosen is not None  # every column scores its parentless option
            x = chosen
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


def _combined(ncodes: np.ndarray, spec: tuple) -> np.ndarray:
    """A number's bin (``0 .. B-1``) or ``B + reason`` from its group and bin-in-group nodes."""
    kc, kf, starts, n_bins = spec
    group = ncodes[:, kc].astype(np.int64)
    fine = ncodes[:, kf].astype(np.int64) if kf is not None else np.zeros(len(ncodes), np.int64)
    g = len(starts)
    return np.where(group < g, starts[np.minimum(group, g - 1)] + fine, n_bins + group - g)


def _draw(tree: CodeTree | None, cdf: np.ndarray, x: np.ndarray,
          rng: np.random.Generator) -> np.ndarray:
    """A class for each row of ``x`` from the shares of its leaf."""
    n = len(x)
    u = rng.random(n)
    if tree is None or n == 0:
        y = np.searchsorted(cdf[0], u, side="right")
    else:
        y = (cdf[tree.apply(x)] <= u[:, None]).sum(axis=1)
    return np.minimum(y, cdf.shape[1] - 1)


def _leaves(tree: CodeTree | None, x: np.ndarray) -> np.ndarray:
    """Each row's leaf of ``tree`` (one leaf, 0, when there is no tree)."""
    if tree is None or len(x) == 0:
        return np.zeros(len(x), dtype=np.int64)
    return tree.apply(x)


def _set_number(ncodes: np.ndarray, spec: tuple, y: np.ndarray) -> None:
    """Write a number's bin or reason ``y`` into its group and bin-in-group nodes."""
    kc, kf, starts, n_bins = spec
    is_bin = y < n_bins
    group = np.searchsorted(starts, np.minimum(y, n_bins - 1), side="right") - 1
    ncodes[:, kc] = np.where(is_bin, group, len(starts) + y - n_bins)
    if kf is not None:
        ncodes[:, kf] = np.where(is_bin, y - starts[group], 0)


def _mean_rank(code: np.ndarray, card: int, y: np.ndarray, n_bins: int) -> np.ndarray:
    """A category node's categories ranked by the mean bin of a number (as CART orders a
    nominal predictor by the mean response: one split can then part any low from any high
    group); categories never seen with a value last."""
    code = code.astype(np.int64)
    binned = y < n_bins
    tot = np.bincount(code[binned], weights=y[binned], minlength=card)
    cnt = np.bincount(code[binned], minlength=card)
    mean = np.where(cnt > 0, tot / np.maximum(cnt, 1), np.inf)
    rank = np.empty(card, dtype=np.int64)
    rank[np.argsort(mean, kind="stable")] = np.arange(card)
    return rank


def _strongest(x: np.ndarray, y: np.ndarray, most: int) -> np.ndarray:
    """Columns of ``x`` most informative about ``y``: mutual information (nats, times rows)
    above BIC's price for the table's free parameters, at most ``most``, strongest first."""
    n = len(y)
    if x.shape[1] == 0 or n == 0:
        return np.arange(x.shape[1])
    k = int(y.max()) + 1
    h_y = -_xlogx_counts(np.bincount(y, minlength=k)) / n + np.log(n)
    scores = []
    for j in range(x.shape[1]):
        v = x[:, j]
        m = int(v.max()) + 1
        joint = np.bincount(v * k + y, minlength=m * k)
        rows = np.bincount(v, minlength=m)
        n_mi = n * h_y + (-_xlogx_counts(rows) + n * np.log(n)) - \
            (-_xlogx_counts(joint) + n * np.log(n))
        price = 0.5 * np.log(n) * (int((rows > 0).sum()) - 1) * (int((np.bincount(
            y, minlength=k) > 0).sum()) - 1)
        scores.append(n_mi - price)
    score = np.array(scores)
    order = np.argsort(-score, kind="stable")
    keep = [j for j in order[:max(int(most), 1)] if score[j] > 0]
    return np.array(sorted(keep) if keep else [int(order[0])], dtype=np.int64)


def _xlogx_counts(c: np.ndarray) -> float:
    c = c[c > 1].astype(float)
    return float((c * np.log(c)).sum())


def _tree_matrix(ncodes: np.ndarray, cats: list[int], ranks: list[np.ndarray],
                 done: list[tuple]) -> np.ndarray:
    """A tree's features: category nodes as ranks, numbers drawn before as their bins."""
    cols = [rank[ncodes[:, k]] for k, rank in zip(cats, ranks, strict=True)]
    cols += [_combined(ncodes, spec) for spec in done]
    return np.column_stack(cols).astype(np.int64) if cols else np.zeros((len(ncodes), 0),
                                                                        np.int64)


def _child_entropy(values: np.ndarray, card: int) -> tuple[float, int]:
    """Entropy (nats) of a column's values, and how many distinct values occur."""
    c = np.bincount(values, minlength=card)
    p = c[c > 0] / len(values)
    return float(-(p * np.log(p)).sum()), int((c > 0).sum())


def _xlogx(c: np.ndarray) -> float:
    """``sum c log c`` over counts (0 and 1 add nothing)."""
    c = c[c > 1].astype(float)
    return float((c * np.log(c)).sum())


_CONFIG_CACHE_BYTES = 48 * 2**20


def _configs(cols: np.ndarray, cards: np.ndarray, pa: tuple[int, ...],
             cache: dict) -> tuple[np.ndarray, int, float]:
    """Each row's parent configuration as ``0 .. m-1``, ``m``, and ``sum c log c`` of their
    counts; kept in ``cache`` (by the set of parents, up to about 48 MB) because a parent set
    is scored for several children."""
    key = tuple(sorted(pa))
    hit = cache.get(key)
    if hit is not None:
        return hit
    n = cols.shape[1]
    cfg = cols[key[0]].copy()
    top = int(cards[key[0]])
    for p in key[1:]:
        cfg *= int(cards[p])
        cfg += cols[p]
        top *= int(cards[p])
    if top <= 8 * n + 1024:
        count = np.bincount(cfg, minlength=top)
        occurs = count > 0
        inverse = (np.cumsum(occurs) - 1)[cfg]
        count = count[occurs]
    else:
        _, inverse, count = np.unique(cfg, return_inverse=True, return_counts=True)
        inverse = inverse.ravel()
    out = (inverse.astype(np.int64), len(count), _xlogx(count))
    if len(cache) * 8 * n > _CONFIG_CACHE_BYTES:
        cache.pop(next(iter(cache)))  # the oldest: parent sets of earlier steps
    cache[key] = out
    return out


def _n_mutual_information(cols: np.ndarray, cards: np.ndarray, child: int,
                          pa: tuple[int, ...], h_child: float,
                          cache: dict | None = None) -> tuple[float, int]:
    """``n`` times the mutual information of ``child`` and the parent set ``pa`` (nats), and
    the number of parent configurations that occur.

    Counts only the configurations that occur (never a dense table over every configuration:
    four parents of 20 values make 160,000 of them).
    """
    n = cols.shape[1]
    inverse, m, xlx = _configs(cols, cards, pa, {} if cache is None else cache)
    k = int(cards[child])
    full = np.bincount(inverse * k + cols[child], minlength=m * k)
    # n * MI = n H(child) + n H(pa) - n H(pa, child), with n H(X) = n log n - sum c log c
    n_mi = n * h_child + (n * np.log(n) - xlx) - (n * np.log(n) - _xlogx(full))
    return max(float(n_mi), 0.0), m


class IndependentSynthesizer(BayesNetSynthesizer):
    """Every column drawn independently from its 1-way frequencies (a baseline)."""

    name = "independent"
    _fixed_params = ("max_parents",)

    def __init__(self, **kwargs) -> None:
        kwargs.pop("max_parents", None)
        super().__init__(max_parents=0, **kwargs)
