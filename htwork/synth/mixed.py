"""A mixed table (categories, numbers, dates, derived columns) as categories for a model.

:class:`TablePlan` sits between a table and a synthesizer's categorical model:

- ``fit`` reads each column's type (:mod:`htwork.synth.types`), bins every number and date
  (:mod:`htwork.synth.numeric`; in DP mode from declared bounds only,
  :mod:`htwork.synth.dp_numeric`), and sets the derived columns aside;
- :meth:`TablePlan.model_frame` gives the table the model learns: categorical columns as they
  are, a number as its bin or the reason it is missing, derived columns left out;
- :meth:`TablePlan.decode` turns sampled model rows back into a table like the input: a value
  drawn within each bin, missing codes written as they were (``-8``), derived columns
  computed, every rule on values checked; a row that breaks one has its numbers drawn again
  within their bins (the categories and bins the model drew are kept), and a row that still
  breaks it after ``redraws`` tries is dropped (the caller draws more).

Output columns keep the input's representation: numeric dtypes stay numeric (integers stay
integers; ``Int64`` when a missing cell appears), text stays text (numbers written as the input
wrote them), dates stay dates (datetime, or text in the input's format).
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from htwork.synth.constraints import Rule, RuleWarning
from htwork.synth.numeric import Binned, LeafValues, fit_binned
from htwork.synth.relations import Derived
from htwork.synth.types import BLANK, ColumnType, parse_values

__all__ = ["TablePlan"]

_EPOCH = np.datetime64("1970-01-01T00:00:00", "ns")


@dataclass
class TablePlan:
    """How a table's columns reach a categorical model and come back.

    Attributes
    ----------
    columns : list
        The table's columns, in order.
    types : dict
        Column -> :class:`~htwork.synth.types.ColumnType`.
    binned : dict
        Numeric column -> :class:`~htwork.synth.numeric.Binned`.
    derived : list of Derived
        Columns computed from others (not modelled).
    value_rules : list of Rule
        Rules checked on values (they name a number, a date or a derived column).
    dtypes : dict
        Column -> the input's dtype.
    codes : dict
        Numeric column -> {reason label: the value written for it (``-8``)}.
    """

    columns: list[Hashable]
    types: dict[Hashable, ColumnType]
    binned: dict[Hashable, Binned]
    derived: list[Derived]
    dtypes: dict[Hashable, Any]
    codes: dict[Hashable, dict[str, Any]]
    value_rules: list[Rule] = field(default_factory=list)
    redraws: int = 30
    two_level: bool = True

    @classmethod
    def fit(
        cls, df: pd.DataFrame, types: Mapping[Hashable, ColumnType], *,
        derived: Sequence[Derived] = (), bins: int | str = "auto", min_count: int = 5,
        public: bool = False,
    ) -> TablePlan:
        """Learn the bins of every numeric column of ``df`` (public bins when ``public``).

        Parameters
        ----------
        df : DataFrame
            The training table.
        types : mapping
            Column -> ColumnType (from :func:`htwork.synth.types.infer_types`).
        derived : sequence of Derived
            Columns computed from others.
        bins : int or "auto"
            Bins per numeric column.
        min_count : int
            Exact values shared by fewer training people are never emitted (data bins only).
        public : bool
            Bins from the declared bounds only, values drawn uniformly within a bin (DP mode).
        """
        seen: set = set()
        for d in derived:
            if d.column in seen:
                from htwork.errors import InputError

                raise InputError("two rules derive the same column", column=str(d.column))
            seen.add(d.column)
        derived_cols = {d.column for d in derived}
        binned, codes = {}, {}
        for col, t in types.items():
            if not t.numeric or col in derived_cols:
                continue
            values, reasons = parse_values(df[col], t)
            if public:
                from htwork.synth.dp_numeric import public_binned

                binned[col] = public_binned(t, col, bins=bins)
            else:
                binned[col] = fit_binned(values, reasons, t, bins=bins, min_count=min_count)
            codes[col] = {label: code for code, label in t.missing}
        return cls(list(df.columns), dict(types), binned, list(derived),
                   {c: df[c].dtype for c in df.columns}, codes, two_level=not public)

    # --- the model's side -------------------------------------------------------------------

    @property
    def value_columns(self) -> list[Hashable]:
        """The table's columns that are drawn (derived ones left out)."""
        out = {d.column for d in self.derived}
        return [c for c in self.columns if c not in out]

    @staticmethod
    def fine_name(col: Hashable) -> tuple:
        """The model column holding a number's bin within its group."""
        return ("\x00bin within group", col)

    @property
    def model_columns(self) -> list[Hashable]:
        """The columns the model sees: a number is its group (named as the column) and, in
        two-level mode, its bin within the group; derived columns are left out."""
        out = []
        for c in self.value_columns:
            out.append(c)
            if c in self.binned and self.two_level:
                out.append(self.fine_name(c))
        return out

    def domains(self) -> dict[Hashable, list]:
        """Model column -> its categories for the codec, in order (groups, then reasons)."""
        out: dict[Hashable, list] = {}
        for c, b in self.binned.items():
            out[c] = b.categories()
            if self.two_level:
                out[self.fine_name(c)] = list(range(b.group_size))
        return out

    def model_frame(self, df: pd.DataFrame) -> pd.DataFrame:
        """The table the model learns: a number as its group (or missing reason) and bin."""
        data: dict[Hashable, Any] = {}
        for c in self.value_columns:
            if c in self.binned:
                values, reasons = parse_values(df[c], self.types[c])
                group, fine = self.binned[c].to_categories(values, reasons)
                data[c] = group
                if self.two_level:
                    data[self.fine_name(c)] = fine
            else:
                data[c] = df[c]
        return pd.DataFrame(data, columns=pd.Index(self.model_columns))

    def numbers(self, df: pd.DataFrame) -> dict[Hashable, np.ndarray]:
        """Numeric column -> quantities (NaN where missing for any reason), for rules."""
        return {c: parse_values(df[c], t)[0] for c, t in self.types.items() if t.numeric}

    def uses_values(self, rule: Rule) -> bool:
        """Whether a rule must be checked on values (it names a number or a derived column)."""
        from htwork.synth.constraints import FlagFamily, Implies
        from htwork.synth.relations import Required

        if isinstance(rule, Required):  # a number's group node is named as the column
            return False
        if not isinstance(rule, Implies | FlagFamily):
            return True
        derived = {d.column for d in self.derived}
        return any(c in self.binned or c in derived for c in rule.columns)

    def check_rules(self, df: pd.DataFrame, rules: Sequence[Rule]) -> None:
        """Warn (RuleWarning) about value rules and derived columns the training rows break."""
        numbers = self.numbers(df)
        for rule in [*self.derived, *rules]:
            bad = int((~rule.holds(df, numbers)).sum())
            if bad:
                warnings.warn(
                    f"{bad} of {len(df)} training rows break the rule '{rule}'; synthetic "
                    "rows will keep it all the same", RuleWarning, stacklevel=4)

    # --- back to a table --------------------------------------------------------------------

    def decode(
        self, codes: np.ndarray, codec: Any, rng: np.random.Generator, *,
        fixed: Mapping[Hashable, np.ndarray] | None = None,
        checks: Sequence[Rule] = (),
        leaves: Mapping[Hashable, tuple[LeafValues, np.ndarray]] | None = None,
    ) -> tuple[pd.DataFrame, np.ndarray]:
        """Values for sampled model rows, and which rows keep every value rule.

        Parameters
        ----------
        codes : ndarray
            Sampled rows as the codec's codes, shape ``(n, model columns)``.
        codec : CategoricalCodec
            The codec the model was fitted with (a numeric column's codes are its bins, then
            its reasons, then blank).
        rng : Generator
            Draws the values within bins.
        fixed : mapping, optional
            Numeric column -> values a backend drew itself (SDV), used instead of drawing
            within bins where the code is a bin; such values are not redrawn.
        checks : sequence of Rule
            Further value-level checks (conditions on numbers).
        leaves : mapping, optional
            Numeric column -> (its training values by leaf and bin, each row's leaf): values
            are drawn near a training value of the row's leaf and bin
            (:meth:`~htwork.synth.numeric.LeafValues.draw`), also when redrawn for a rule;
            other numbers are drawn within their bins.

        Returns
        -------
        table : DataFrame
            The rows as the input wrote them (every row, kept or not).
        ok : ndarray of bool
            Rows that keep every value rule and check.
        """
        n = len(codes)
        fixed = fixed or {}
        near = leaves or {}

        def draw(c: Hashable, rows: np.ndarray) -> np.ndarray:
            """Values of number ``c`` for ``rows`` (indices), within their bins."""
            if c in near:
                cells, leaf = near[c]
                return cells.draw(self.binned[c], bins[c][rows], leaf[rows], rng)
            return self.binned[c].draw(bins[c][rows], rng)

        model = codec.decode(codes)
        numbers: dict[Hashable, np.ndarray] = {}
        bins: dict[Hashable, np.ndarray] = {}
        reasons: dict[Hashable, np.ndarray] = {}
        for c, b in self.binned.items():
            code = codes[:, codec.columns.index(c)]
            is_bin = code < b.n_groups
            fine = (codes[:, codec.columns.index(self.fine_name(c))] if self.two_level
                    else np.zeros(n, dtype=np.int64))
            bins[c] = np.where(is_bin, b.bin_from(np.minimum(code, b.n_groups - 1), fine), -1)
            labels = np.array([None, *b.reasons, BLANK], dtype=object)
            reasons[c] = labels[np.where(is_bin, 0, np.clip(code - b.n_groups + 1, 0,
                                                             len(labels) - 1))]
            q = np.full(n, np.nan)
            if c in fixed:
                q[is_bin] = np.asarray(fixed[c], dtype=float)[is_bin]
            elif is_bin.any():
                q[is_bin] = draw(c, np.flatnonzero(is_bin))
            numbers[c] = q
        rules = [*self.value_rules, *checks]
        ok = np.ones(n, dtype=bool)
        if rules:
            needed = self._needed(rules)
            ok = self._holds(self._rule_frame(model, numbers, reasons, needed), numbers, rules)
            movable = [c for c in self.binned if c not in fixed and c in needed]
            left = n + 1
            for _ in range(self.redraws if movable else 0):
                bad = np.flatnonzero(~ok)
                if not len(bad):
                    break
                for c in movable:
                    rows = bad[bins[c][bad] >= 0]
                    if len(rows):
                        numbers[c][rows] = draw(c, rows)
                sub_n = {c: v[bad] for c, v in numbers.items()}
                sub = self._rule_frame(model.iloc[bad].reset_index(drop=True), sub_n,
                                       {c: v[bad] for c, v in reasons.items()}, needed)
                ok[bad] = self._holds(sub, sub_n, rules)
                if len(bad) >= left:  # no row mended in a round: the rest cannot be
                    break
                left = len(bad)
        return self._frame(model, numbers, reasons), ok

    def _needed(self, rules: Sequence[Rule]) -> set:
        """Columns the rules read, with the inputs of derived columns they read."""
        cols = {c for r in rules for c in r.columns}
        for d in reversed(self.derived):
            if d.column in cols:
                cols |= set(d.inputs)
        return cols

    def _rule_frame(self, model: pd.DataFrame, numbers: Mapping[Hashable, np.ndarray],
                    reasons: Mapping[Hashable, np.ndarray], needed: set) -> pd.DataFrame:
        """The columns rules read: categories as drawn, numbers with their missing codes."""
        data = {}
        for c in self.value_columns:
            if c not in needed:
                continue
            if c not in self.binned:
                data[c] = model[c].to_numpy()
                continue
            raw = numbers[c].astype(object)
            codes = self.codes.get(c, {})
            coded = np.flatnonzero([r is not None and r != BLANK for r in reasons[c]])
            for i in coded:
                raw[i] = codes.get(reasons[c][i], reasons[c][i])
            blank = np.flatnonzero([r == BLANK for r in reasons[c]])
            raw[blank] = None
            data[c] = raw
        return pd.DataFrame(data, index=pd.RangeIndex(len(model)))

    def _holds(self, frame: pd.DataFrame, numbers: Mapping[Hashable, np.ndarray],
               rules: Sequence[Rule]) -> np.ndarray:
        ok = np.ones(len(frame), dtype=bool)
        nums = dict(numbers)
        for d in self.derived:
            if all(c in frame.columns or c in nums for c in d.inputs):
                nums[d.column] = d.compute(frame, nums)
                frame[d.column] = nums[d.column]
        for rule in rules:
            ok &= rule.holds(frame, nums)
        return ok

    def _frame(self, model: pd.DataFrame, numbers: Mapping[Hashable, np.ndarray],
               reasons: Mapping[Hashable, np.ndarray]) -> pd.DataFrame:
        """The output table: every column in the input's representation."""
        data: dict[Hashable, Any] = {}
        nums = dict(numbers)
        for c in self.value_columns:
            if c in self.binned:
                data[c] = self._write(c, numbers[c], reasons[c])
            else:
                data[c] = model[c].reset_index(drop=True)
        frame = pd.DataFrame(data)
        for d in self.derived:  # in the order given: a derived column may use an earlier one
            q = d.compute(frame, nums)
            nums[d.column] = q
            r = np.where(np.isnan(q), BLANK, None).astype(object)  # type: ignore[call-overload]  # numpy stubs: None is an object scalar
            frame[d.column] = self._write(d.column, self._round(d.column, q), r)
        return frame[self.columns]

    def _round(self, col: Hashable, q: np.ndarray) -> np.ndarray:
        t = self.types.get(col)
        grain = t.grain if t is not None else None
        if grain:
            q = np.round(q / grain) * grain
            if grain < 1:
                q = np.round(q, int(round(-np.log10(grain))))
        return q

    def _write(self, col: Hashable, q: np.ndarray, reasons: np.ndarray) -> pd.Series:
        """Quantities and reasons written as the input wrote the column."""
        t = self.types.get(col, ColumnType("number"))
        dtype = self.dtypes[col]
        codes = self.codes.get(col, {})
        coded = np.array([r is not None and r != BLANK for r in reasons], dtype=bool)
        blank = np.array([r == BLANK for r in reasons], dtype=bool) | (np.isnan(q) & ~coded)
        if t.kind == "date":
            stamps = np.full(len(q), np.datetime64("NaT"), dtype="datetime64[ns]")
            ok = ~np.isnan(q)
            stamps[ok] = _EPOCH + np.round(q[ok] * 86400e9).astype("int64").astype(
                "timedelta64[ns]")
            if not t.text and not coded.any():
                dates = pd.Series(stamps)
                return dates.astype(dtype) if pd.api.types.is_datetime64_any_dtype(dtype) \
                    else dates
            text = np.full(len(q), None, dtype=object)
            s = pd.Series(stamps)[ok].dt.strftime(t.date_format or "%Y-%m-%d")
            text[ok] = s.to_numpy(dtype=object)
            for i in np.flatnonzero(coded):
                text[i] = str(codes.get(reasons[i], reasons[i]))
            return _as_dtype(pd.Series(text, dtype=object), dtype)
        if t.text or pd.api.types.is_object_dtype(dtype) or \
                pd.api.types.is_string_dtype(dtype):
            text = np.full(len(q), None, dtype=object)
            ok = ~np.isnan(q)
            text[ok] = [_fmt(v, t) for v in q[ok]]
            for i in np.flatnonzero(coded):
                text[i] = str(codes.get(reasons[i], reasons[i]))
            return _as_dtype(pd.Series(text, dtype=object), dtype)
        out = q.copy()
        for i in np.flatnonzero(coded):
            try:
                out[i] = float(codes.get(reasons[i], np.nan))
            except (TypeError, ValueError):
                out[i] = np.nan
        out[blank] = np.nan
        has_nan = np.isnan(out).any()
        if pd.api.types.is_integer_dtype(dtype):
            if has_nan:
                target = dtype if isinstance(dtype, pd.api.extensions.ExtensionDtype) \
                    else pd.Int64Dtype()
                whole = pd.array(np.round(out), dtype="Float64")
                whole[np.isnan(out)] = pd.NA
                return pd.Series(whole.astype("Int64")).astype(target)
            return pd.Series(np.round(out).astype(dtype))
        if pd.api.types.is_bool_dtype(dtype):  # pragma: no cover - bools are categorical
            return pd.Series(out)
        return pd.Series(out).astype(dtype) if pd.api.types.is_float_dtype(dtype) \
            else pd.Series(out)


def _as_dtype(s: pd.Series, dtype: Any) -> pd.Series:
    if pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        return s.astype(dtype)
    return s


def _fmt(v: float, t: ColumnType) -> str:
    if t.kind in ("integer", "year") or (t.decimals == 0):
        return str(int(round(v)))
    if t.decimals is not None:
        return f"{v:.{t.decimals}f}"
    return np.format_float_positional(v, trim="-")


def _allows_missing(values: Sequence[Any]) -> bool:
    return any(v is None or (isinstance(v, float) and np.isnan(v)) for v in values)


def fit_plan(syn: Any, df: pd.DataFrame) -> tuple[TablePlan, list[Rule], pd.DataFrame]:
    """A synthesizer's plan for ``df``: types, bins, the rules to keep, and the model's table.

    Reads the synthesizer's ``schema``, ``types``, ``bounds``, ``bins``, ``rules``,
    ``relations``, ``domain_``, ``min_rows`` and ``max_categories``. In DP mode (a synthesizer
    that may not look at the data for rules) bins come from declared bounds and no relation is
    read from the data.
    """
    from htwork.synth.codec import check_training_frame
    from htwork.synth.constraints import case_rules
    from htwork.synth.relations import Required, data_relations
    from htwork.synth.types import infer_types

    public = not syn._looks_at_data_for_rules
    declared: dict[Hashable, Any] = {}
    if syn.schema is not None:
        from htwork.synth.types import types_from_schema

        declared.update(types_from_schema(syn.schema, df.columns))
    declared.update(syn.types or {})
    types = infer_types(df, declared, bounds=syn.bounds)
    check_training_frame(df, min_rows=syn.min_rows, max_categories=syn.max_categories,
                         columns=[c for c, t in types.items() if not t.numeric])
    if syn.rules is None:
        listed: list[Rule] = []
    elif isinstance(syn.rules, str):
        if syn.rules != "auto":
            raise ValueError(f"rules must be 'auto', None or a list of rules, not {syn.rules!r}")
        listed = case_rules(df.columns)
        if syn.schema is not None:  # and the rules the table's own schema states
            have = {str(r) for r in listed}
            listed += [r for r in case_rules(df.columns, standard=syn.schema)
                       if str(r) not in have]
    else:
        listed = list(syn.rules)
    derived = [r for r in listed if isinstance(r, Derived)]
    for d in derived:
        missing = [c for c in d.columns if c not in df.columns]
        if missing:
            from htwork.errors import InputError

            raise InputError(f"rule {str(d)!r} names columns the table lacks: {missing}",
                             column=str(missing[0]), hint="drop the rule or add the column")
    plan = TablePlan.fit(df, types, derived=derived, bins=syn.bins, public=public)
    rules = list(listed)
    if syn.relations not in (None, "auto"):
        raise ValueError(f"relations must be 'auto' or None, not {syn.relations!r}")
    if syn.relations == "auto" and not public:
        cols = plan.value_columns
        numbers = {c: v for c, v in plan.numbers(df).items() if c in cols}
        rules += data_relations(df[cols], {c: types[c] for c in cols}, numbers)
    if not public:  # a declared domain without None: never missing where the data never are
        for col, values in syn.domain_.items():
            if col in df.columns and not _allows_missing(values) and \
                    not pd.isna(df[col]).any():
                rules.append(Required(col, name=f"{col} is never missing (its declared domain "
                                                "has no missing value)"))
    return plan, rules, plan.model_frame(df)
