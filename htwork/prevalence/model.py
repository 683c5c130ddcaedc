"""Hierarchical log-linear models for capture tables: which interaction terms are in.

A term is a bit mask of lists (two or more bits). A model is always hierarchical and always
holds the intercept and every main effect; :class:`Model` stores its interaction terms (the
hierarchical closure of whatever was given) and writes itself in two notations:

* terms in the lists' names: ``["LA:NG", "NG:GP"]``;
* generators in the notation of MultipleSystemsEstimation / Rcapture, lists numbered from 1:
  ``"[12,13,23,25,34]"`` (the main-effects model is ``"[1,2,3,4,5]"``).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from htwork.errors import InputError

__all__ = [
    "Model",
    "all_models",
    "two_list_terms",
    "term_name",
]


@functools.cache
def _bits(mask: int) -> tuple[int, ...]:
    return tuple(i for i in range(mask.bit_length()) if mask >> i & 1)


def _popcount(x: int) -> int:
    return x.bit_count()


def term_name(term: int, lists: Sequence[str]) -> str:
    """``"LA:NG"`` for the term made of lists 0 and 1."""
    return ":".join(lists[i] for i in _bits(term))


def two_list_terms(n_lists: int) -> list[int]:
    """All two-list terms in the order (1,2), (1,3), ..., (1,m), (2,3), ... as SparseMSE."""
    return [(1 << i) | (1 << j) for i, j in itertools.combinations(range(n_lists), 2)]


def _subterms(term: int) -> Iterator[int]:
    """Proper sub-terms of ``term`` with at least two lists."""
    b = _bits(term)
    for k in range(2, len(b)):
        for combo in itertools.combinations(b, k):
            yield sum(1 << i for i in combo)


def _closure(terms: Iterable[int]) -> frozenset[int]:
    out: set[int] = set()
    for t in terms:
        out.add(t)
        out.update(_subterms(t))
    return frozenset(out)


@functools.cache
def _term_key(t: int) -> tuple:
    return (t.bit_count(), _bits(t))


@dataclass(frozen=True, eq=True)
class Model:
    """A hierarchical log-linear model: main effects plus interaction terms.

    Parameters
    ----------
    n_lists : int
        Number of lists.
    terms : frozenset of int
        Interaction terms as bit masks (closed under taking sub-terms).
    """

    n_lists: int
    terms: frozenset[int]

    # ---------------------------------------------------------------- building -------------

    @classmethod
    def main_effects(cls, n_lists: int) -> Model:
        """The independence model (no interactions)."""
        return cls(n_lists, frozenset())

    @classmethod
    def from_terms(cls, n_lists: int, terms: Iterable[int | str | Sequence],
                   lists: Sequence[str] | None = None) -> Model:
        """Build from terms given as bit masks, ``"A:B"`` names, or tuples of names/indices.

        The hierarchical closure is taken: ``["A:B:C"]`` also brings in ``A:B``, ``A:C``,
        ``B:C``.

        Raises
        ------
        htwork.errors.InputError
            An unknown list name, a term of fewer than two lists, or the term of all lists
            (it is never estimable: it would fit the unobserved cell exactly).
        """
        masks = []
        for t in terms:
            if isinstance(t, int):
                mask = t
            else:
                parts = t.split(":") if isinstance(t, str) else list(t)
                mask = 0
                for p in parts:
                    if isinstance(p, int):
                        idx = p
                    elif lists is not None and p in lists:
                        idx = list(lists).index(p)
                    else:
                        raise InputError(f"unknown list {p!r} in model term {t!r}"
                                         + (f"; lists are {', '.join(lists)}" if lists else ""))
                    mask |= 1 << idx
            if _popcount(mask) < 2 or mask >= 1 << n_lists:
                raise InputError(f"model term {t!r} must name two or more of the lists")
            if mask == (1 << n_lists) - 1:
                raise InputError(f"the term of all {n_lists} lists ({t!r}) cannot be estimated: "
                                 "drop it")
            masks.append(mask)
        return cls(n_lists, _closure(masks))

    @classmethod
    def from_hierarchy(cls, text: str, n_lists: int | None = None) -> Model:
        """Parse generator notation such as ``"[12,13,23,25,34]"`` or ``"[123,25,34]"``.

        Lists are numbered from 1 (single digits, so up to 9 lists). Generators of a single
        list are main effects and add nothing. ``n_lists`` defaults to the largest digit.
        """
        body = text.strip().strip("[]").replace(" ", "")
        gens = [g for g in body.split(",") if g]
        if not gens or any(not g.isdigit() or "0" in g for g in gens):
            raise InputError(f"cannot read model {text!r}; write it like '[12,13,25]'")
        top = max(int(ch) for g in gens for ch in g)
        m = n_lists or top
        if top > m:
            raise InputError(f"model {text!r} names list {top} but there are only {m} lists")
        masks = [sum(1 << (int(ch) - 1) for ch in g) for g in gens if len(g) >= 2]
        return cls.from_terms(m, masks)

    # ---------------------------------------------------------------- views ----------------

    @functools.cached_property
    def sorted_terms(self) -> list[int]:
        """Interaction terms ordered by size, then by list number."""
        return sorted(self.terms, key=_term_key)

    @property
    def order(self) -> int:
        """Largest interaction order (1 for main effects only)."""
        return max((_popcount(t) for t in self.terms), default=1)

    @property
    def n_params(self) -> int:
        """Parameters: intercept, main effects and interaction terms."""
        return 1 + self.n_lists + len(self.terms)

    def generators(self) -> list[int]:
        """Maximal terms (those not inside another term of the model)."""
        return [t for t in self.sorted_terms
                if not any(t != u and t & u == t for u in self.terms)]

    def hierarchy(self) -> str:
        """Generator notation, lists numbered from 1, e.g. ``"[123,25,34]"``."""
        gens = self.generators()
        covered = 0
        for g in gens:
            covered |= g
        singles = [1 << i for i in range(self.n_lists) if not covered >> i & 1]
        allg = sorted(gens + singles, key=lambda t: [i + 1 for i in _bits(t)])
        return "[" + ",".join("".join(str(i + 1) for i in _bits(g)) for g in allg) + "]"

    def term_names(self, lists: Sequence[str]) -> list[str]:
        """Interaction terms as ``"A:B"`` strings in the lists' names."""
        return [term_name(t, lists) for t in self.sorted_terms]

    def describe(self, lists: Sequence[str]) -> str:
        """Readable formula, e.g. ``"main effects + LA:NG + NG:GP"``."""
        names = self.term_names(lists)
        return "main effects" + "".join(f" + {n}" for n in names)

    # ---------------------------------------------------------------- moves ----------------

    def add(self, term: int) -> Model:
        """The model with one more term (and its sub-terms)."""
        return Model(self.n_lists, _closure(self.terms | {term}))

    def addable_terms(self, max_order: int | None = None) -> list[int]:
        """Terms that can be added keeping the model hierarchical (all sub-terms present)."""
        m = self.n_lists
        max_order = min(max_order or m - 1, m - 1)
        out = []
        for k in range(2, max_order + 1):
            for combo in itertools.combinations(range(m), k):
                t = sum(1 << i for i in combo)
                if t in self.terms:
                    continue
                if all(s in self.terms for s in _subterms(t) if _popcount(s) == k - 1):
                    out.append(t)
        return out

    def removable_terms(self) -> list[int]:
        """Terms that can be removed keeping the model hierarchical (the generators)."""
        return self.generators()

    def neighbours(self, max_order: int | None = None) -> list[Model]:
        """Models one term away (one term added or one generator removed)."""
        out = [Model(self.n_lists, self.terms | {t}) for t in self.addable_terms(max_order)]
        out += [Model(self.n_lists, self.terms - {t}) for t in self.removable_terms()]
        return out

    def __repr__(self) -> str:
        return f"Model({self.hierarchy()})"


def all_models(n_lists: int, max_order: int | None = None) -> list[Model]:
    """Every hierarchical model with all main effects, up to an interaction order.

    Parameters
    ----------
    n_lists : int
        Number of lists.
    max_order : int, optional
        Largest interaction order (default ``n_lists - 1``, the highest estimable). With
        ``max_order=2`` this is every subset of two-list terms (``2 ** (m (m - 1) / 2)``
        models, 1,024 for five lists).

    Returns
    -------
    list of Model
        Ordered by number of terms, main effects first.
    """
    m = n_lists
    max_order = min(max_order or m - 1, m - 1)
    return [Model(m, s) for s in _all_term_sets(m, max(max_order, 1))]


@functools.lru_cache(maxsize=32)
def _all_term_sets(m: int, max_order: int) -> tuple[frozenset[int], ...]:
    if max_order < 2:
        return (frozenset(),)
    candidates = [sum(1 << i for i in c) for k in range(2, max_order + 1)
                  for c in itertools.combinations(range(m), k)]
    pos_of = {t: k for k, t in enumerate(candidates)}
    # for each candidate, the candidate indices of its immediate sub-terms, as a bit set
    need = []
    for t in candidates:
        req = 0
        if _popcount(t) > 2:
            for s in _subterms(t):
                if _popcount(s) == _popcount(t) - 1:
                    req |= 1 << pos_of[s]
        need.append(req)
    n = len(candidates)
    results: list[int] = []
    # candidates are ordered by size, so a term's sub-terms are decided before it
    stack = [(0, 0)]
    while stack:
        pos, chosen = stack.pop()
        if pos == n:
            results.append(chosen)
            continue
        stack.append((pos + 1, chosen))
        if chosen & need[pos] == need[pos]:
            stack.append((pos + 1, chosen | (1 << pos)))
    sets = [frozenset(candidates[k] for k in range(n) if c >> k & 1) for c in results]
    sets.sort(key=lambda s: (len(s), sorted(_term_key(t) for t in s)))
    return tuple(sets)
