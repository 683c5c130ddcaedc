"""Declarative rules that every synthetic row must keep.

A rule says which rows are *allowed*; synthesizers draw rows from their model and keep only
allowed ones (rejection sampling). The kept rows follow the model's distribution *conditioned on
the rules*, which is what the real data look like when the rules hold in it: nothing is
overwritten after sampling, so no marginal is bent to fit.

Two kinds cover case data:

- :class:`Implies` — if some columns take some values, others must take some values
  (``ageBroad`` in ``0--8``/``9--17`` → ``majorityStatus`` ``Minor``; a ``typeOfLabour*`` flag of
  1 → ``isForcedLabour`` 1);
- :class:`FlagFamily` — a multi-select question spread over 0/1 columns is recorded for all of
  them or for none (``empty = not recorded``), optionally with at least one 1 when recorded.

:func:`case_rules` lists the rules of the CTDC-shaped release standard for the columns present,
as the standard states them (:mod:`htwork.standards`); nothing here knows a column name.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from htwork.core.numbers import to_numbers
from htwork.standards import Implication, load_standard
from htwork.synth.codec import CategoricalCodec, values_match

__all__ = ["Rule", "Implies", "FlagFamily", "Range", "case_rules", "rules_report",
           "RuleWarning", "question_nodes"]


class RuleWarning(UserWarning):
    """A rule does not hold in the training data (it is still enforced on sampled rows)."""


def _values(v: Any) -> tuple:
    if isinstance(v, str | Range) or not isinstance(v, Iterable):
        return (v,)
    return tuple(v)


@dataclass(frozen=True)
class Range:
    """A range of values in a rule: ``Range(18)`` is 18 or more, ``Range(None, 17)`` at most 17.

    Bounds are inclusive; a missing cell is never in a range (list ``None`` beside it to allow
    one: ``{"age": [Range(18), None]}``). Dates take Timestamps or ISO text.
    """

    low: Any = None
    high: Any = None

    def contains(self, values: np.ndarray) -> np.ndarray:
        """Which of ``values`` (floats; NaN = missing) lie in the range."""
        v = np.asarray(values, dtype=float)
        ok = ~np.isnan(v)
        if self.low is not None:
            ok &= v >= _quantity(self.low)
        if self.high is not None:
            ok &= v <= _quantity(self.high)
        return ok

    def __str__(self) -> str:
        lo = "" if self.low is None else f"{self.low} <= "
        hi = "" if self.high is None else f" <= {self.high}"
        return f"{lo}value{hi}"


class Rule:
    """Base class of rules: ``allowed(codes)`` after ``compile(codec)``."""

    name: str = "rule"

    @property
    def columns(self) -> tuple[Hashable, ...]:  # pragma: no cover - abstract
        raise NotImplementedError

    def compile(self, codec: CategoricalCodec) -> _Compiled:  # pragma: no cover - abstract
        raise NotImplementedError

    def allowed_frame(self, df: pd.DataFrame) -> np.ndarray:
        """Which rows of a decoded table keep the rule."""
        codec = CategoricalCodec.fit(df[list(self.columns)])
        return self.compile(codec)(codec.encode(df[list(self.columns)]))

    def holds(self, df: pd.DataFrame, numbers: Mapping[Hashable, np.ndarray]) -> np.ndarray:
        """Which rows of a table of values keep the rule.

        ``numbers`` gives the numeric columns' quantities (floats, dates as days, NaN where
        missing for any reason); other columns are read from ``df``.
        """
        return self.allowed_frame(df)


@dataclass(frozen=True)
class _Compiled:
    """Rule compiled to lookup tables over codes."""

    fn: Any

    def __call__(self, codes: np.ndarray) -> np.ndarray:
        return self.fn(codes)


def _lut(codec: CategoricalCodec, col: Hashable, values: Sequence[Any]) -> tuple[int, np.ndarray]:
    j = codec.columns.index(col)
    lut = np.zeros(len(codec.categories[j]), dtype=bool)
    for v in values:
        if isinstance(v, Range):  # categories that are numbers within the range
            cats = to_numbers(pd.Series(codec.categories[j][:-1], dtype=object)).to_numpy(
                dtype=float)
            lut[:-1] |= v.contains(cats)
            continue
        code = codec.code_of(j, v)
        if code is not None:
            lut[code] = True
    return j, lut


def _quantity(bound: Any) -> float:
    """A bound as a number; a date (Timestamp, ISO text) as days since 1970-01-01."""
    if isinstance(bound, int | float | np.integer | np.floating):
        return float(bound)
    stamp = pd.Timestamp(bound)
    return (stamp - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1)


def _matches(df: pd.DataFrame, numbers: Mapping[Hashable, np.ndarray], col: Hashable,
             values: Sequence[Any]) -> np.ndarray:
    """Which cells of ``col`` are one of ``values`` (Ranges tested on the quantities)."""
    plain = [v for v in values if not isinstance(v, Range)]
    ok = values_match(df[col], plain) if plain else np.zeros(len(df), dtype=bool)
    ranges = [v for v in values if isinstance(v, Range)]
    if ranges:
        q = numbers.get(col)
        if q is None:
            q = to_numbers(df[col]).to_numpy(dtype=float)
        for r in ranges:
            ok = ok | r.contains(q)
    return ok


@dataclass(frozen=True)
class Implies(Rule):
    """If every ``if_`` column takes one of its values, every ``then`` column must too.

    Parameters
    ----------
    if_ : mapping
        Column -> value or list of values (``None`` = missing).
    then : mapping
        Column -> value or list of values the row must then take.
    name : str, optional
        A readable name for reports.
    """

    if_: Mapping[Hashable, Any]
    then: Mapping[Hashable, Any]
    name: str = ""

    @property
    def columns(self) -> tuple[Hashable, ...]:
        return tuple(dict.fromkeys([*self.if_, *self.then]))

    def compile(self, codec: CategoricalCodec) -> _Compiled:
        conds = [_lut(codec, c, _values(v)) for c, v in self.if_.items()]
        musts = [_lut(codec, c, _values(v)) for c, v in self.then.items()]

        def allowed(codes: np.ndarray) -> np.ndarray:
            hit = np.ones(len(codes), dtype=bool)
            for j, lut in conds:
                hit &= lut[codes[:, j]]
            ok = np.ones(len(codes), dtype=bool)
            for j, lut in musts:
                ok &= lut[codes[:, j]]
            return ~hit | ok

        return _Compiled(allowed)

    def holds(self, df: pd.DataFrame, numbers: Mapping[Hashable, np.ndarray]) -> np.ndarray:
        hit = np.ones(len(df), dtype=bool)
        for c, v in self.if_.items():
            hit &= _matches(df, numbers, c, _values(v))
        ok = np.ones(len(df), dtype=bool)
        for c, v in self.then.items():
            ok &= _matches(df, numbers, c, _values(v))
        return ~hit | ok

    def __str__(self) -> str:
        if self.name:
            return self.name
        a = " and ".join(f"{c} in {list(_values(v))}" for c, v in self.if_.items())
        b = " and ".join(f"{c} in {list(_values(v))}" for c, v in self.then.items())
        return f"if {a} then {b}"


@dataclass(frozen=True)
class FlagFamily(Rule):
    """A multi-select question as 0/1 columns: recorded for all of them or for none.

    Parameters
    ----------
    family : str
        Name of the question (``typeOfLabour``, ``means``...).
    flags : sequence
        Its columns.
    at_least_one : bool
        When recorded, at least one flag must be 1.
    """

    family: str
    flags: tuple[Hashable, ...] = field(default_factory=tuple)
    at_least_one: bool = False

    @property
    def columns(self) -> tuple[Hashable, ...]:
        return tuple(self.flags)

    @property
    def name(self) -> str:  # type: ignore[override]
        extra = ", at least one 1 when recorded" if self.at_least_one else ""
        return f"flag family {self.family}: all recorded or all missing{extra}"

    def compile(self, codec: CategoricalCodec) -> _Compiled:
        miss = [_lut(codec, c, [None]) for c in self.flags]
        ones = [_lut(codec, c, [1]) for c in self.flags]
        at_least_one = self.at_least_one

        def allowed(codes: np.ndarray) -> np.ndarray:
            m = np.stack([lut[codes[:, j]] for j, lut in miss], axis=1)
            ok = m.all(axis=1) | (~m).all(axis=1)
            if at_least_one:
                o = np.stack([lut[codes[:, j]] for j, lut in ones], axis=1)
                ok &= m.all(axis=1) | o.any(axis=1)
            return ok

        return _Compiled(allowed)

    def __str__(self) -> str:
        return self.name


def case_rules(columns: Iterable[Hashable], *, strict: bool = False,
               standard: Any = "release") -> list[Rule]:
    """The release standard's structural rules that apply to ``columns``.

    Asked of the release standard (:meth:`htwork.standards.Standard.implications` and
    :meth:`~htwork.standards.Standard.flag_families`):

    - ``ageBroad`` minor bands → ``majorityStatus`` ``Minor``; adult bands → ``Adult``;
    - every ``typeOfLabour*`` flag of 1 → ``isForcedLabour`` 1, or not recorded;
      every ``typeOfSex*`` flag of 1 → ``isSexualExploit`` 1, or not recorded
      (``strict=True``: 1 only). The release data keep the exploitation type unrecorded for a
      few people whose industry is recorded, so the default forbids only the contradiction
      (a labour flag of 1 with ``isForcedLabour`` 0);
    - each flag family present with two or more columns is recorded for all its columns or
      for none.

    Parameters
    ----------
    columns : iterable
        Column names of the table.
    strict : bool
        An implied value may not be missing (a ``typeOfLabour*``/``typeOfSex*`` flag of 1
        requires its exploitation flag to be 1, not merely recorded-or-1).
    standard : Standard, str, Path or mapping
        The schema whose rules are read (default the release standard); anything
        :func:`htwork.standards.load_standard` accepts.

    Returns
    -------
    list of Rule
    """
    cols = list(columns)
    std = load_standard(standard)
    position = {c: i for i, c in enumerate(cols)}
    by_target: dict[Hashable, list[Implication]] = {}
    for imp in std.implications(cols):
        by_target.setdefault(imp.then, []).append(imp)
    rules: list[Rule] = []
    for imps in by_target.values():
        for imp in sorted(imps, key=lambda i: position[i.field]):  # stable: table order
            rules.append(_implies(imp, strict))
    for fam, members in std.flag_families().items():
        present = [c for c in cols if c in members]
        if len(present) >= 2:
            rules.append(FlagFamily(fam, tuple(present)))
    return rules


def _implies(imp: Implication, strict: bool) -> Implies:
    """An :class:`Implies` rule from one of the standard's rules between fields."""
    missing = imp.or_missing and not strict
    then = [imp.value, None] if missing else imp.value
    name = imp.description or str(Implication(imp.field, imp.when, imp.then, imp.value, missing))
    when = imp.when[0] if len(imp.when) == 1 else imp.when
    return Implies({imp.field: when}, {imp.then: then}, name=name)


def question_nodes(
    rules: Sequence[Rule], columns: Sequence[Hashable], size: int
) -> list[tuple[int, ...]]:
    """Group columns into model nodes: a flag family's flags together, at most ``size`` each.

    A long question is cut into nodes of nearly equal size (8 flags, size 3: 3, 3 and 2);
    every other column is a node of its own. ``size`` below 2 leaves every column alone.

    Returns
    -------
    list of tuple of int
        Column positions per node, ordered by their first column.
    """
    cols = list(columns)
    groups: list[tuple[int, ...]] = []
    if size and size >= 2:
        for rule in rules:
            if not (isinstance(rule, FlagFamily) and len(rule.flags) >= 2):
                continue
            members = tuple(cols.index(c) for c in rule.flags)
            if any(set(members) & set(g) for g in groups):
                continue
            parts = -(-len(members) // int(size))
            step = -(-len(members) // parts)
            groups += [g for g in (members[i:i + step] for i in range(0, len(members), step))
                       if len(g) > 1]
    grouped = {j for g in groups for j in g}
    return sorted(groups + [(j,) for j in range(len(cols)) if j not in grouped], key=min)


def rules_report(df: pd.DataFrame, rules: Sequence[Rule]) -> list[dict[str, Any]]:
    """How many rows of ``df`` break each rule.

    Returns
    -------
    list of dict
        ``{"rule": str, "rows_breaking": int, "share": float}`` per rule.
    """
    out = []
    codec = CategoricalCodec.fit(df)
    codes = codec.encode(df)
    for rule in rules:
        bad = int((~rule.compile(codec)(codes)).sum())
        out.append({"rule": str(rule), "rows_breaking": bad, "share": bad / max(len(df), 1)})
    return out


def resolve_rules(
    rules: str | Sequence[Rule] | None, df: pd.DataFrame, codec: CategoricalCodec,
    codes: np.ndarray, *, check_data: bool = True, by_value: Iterable[Rule] = (),
) -> list[Rule]:
    """Turn a synthesizer's ``rules`` argument into a list, and check it against the data.

    ``"auto"`` means :func:`case_rules` for the table's columns. Rules broken by training rows
    are kept (they are the standard) but raise a :class:`RuleWarning` naming them, unless
    ``check_data`` is False (the differentially private mode does not look). Rules in
    ``by_value`` (on numbers, dates or derived columns) are checked on values by the table's
    plan (:mod:`htwork.synth.mixed`), not here.
    """
    if rules is None:
        return []
    if isinstance(rules, str):
        if rules != "auto":
            raise ValueError(f"rules must be 'auto', None or a list of rules, not {rules!r}")
        resolved: list[Rule] = case_rules(codec.columns)
    else:
        resolved = list(rules)
    for rule in resolved:
        unknown = [c for c in rule.columns if c not in df.columns]
        if unknown:
            from htwork.errors import InputError

            raise InputError(
                f"rule {str(rule)!r} names columns the table lacks: {unknown}",
                column=str(unknown[0]), hint="drop the rule or add the column",
            )
    skip = {id(r) for r in by_value}
    if check_data:
        for rule in resolved:
            if id(rule) in skip:
                continue
            bad = int((~rule.compile(codec)(codes)).sum())
            if bad:
                warnings.warn(
                    f"{bad} of {len(codes)} training rows break the rule '{rule}'; synthetic "
                    "rows will keep it all the same",
                    RuleWarning,
                    stacklevel=3,
                )
    return resolved
