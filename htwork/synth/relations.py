"""Rules on numbers, dates and derived columns, and relations read from the data.

Besides :class:`~htwork.synth.constraints.Implies` (which takes
:class:`~htwork.synth.constraints.Range` values for numbers: ``Implies({"majorityStatus":
"Adult"}, {"age": Range(18)})``) and :class:`~htwork.synth.constraints.FlagFamily`:

- :class:`Check` — an expression every row must keep, e.g. ``Check("ymarr >= 2011 - age")``
  (year of marriage not before year of birth); a row where a column it names is missing passes;
- :class:`Derived` — a column computed from others, e.g. ``Derived("bmi", "weight / (height /
  100) ** 2")``: it is not modelled but computed in every synthetic row, so it always agrees;
- :class:`Required` — a column never missing (added for a column whose declared domain has no
  missing value).

Expressions are read by a small evaluator of their own (no ``eval``): numbers, text in quotes,
column names (in backticks when they are not plain names), ``+ - * / // % **``, comparisons
(chained too), ``and or not`` (``& | ~``) and ``abs``, ``min``, ``max``, ``round``.

:func:`data_relations` finds relations the training data carry, for the default synthesizer
(never in DP mode, which may not look): a categorical column whose categories are bands of a
number (``agegr`` 16-24 ↔ ``age`` 16...24) keeps every synthetic row's number in its band, and
two year or date columns always in one order keep that order.
"""

from __future__ import annotations

import ast
import operator
import re
import warnings
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from htwork.core.numbers import to_numbers
from htwork.errors import InputError
from htwork.synth.codec import CategoricalCodec
from htwork.synth.constraints import Implies, Range, Rule, _Compiled, _lut

__all__ = ["Check", "Derived", "Required", "data_relations", "Expression"]

_BIN = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
        ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
        ast.Pow: operator.pow, ast.BitAnd: operator.and_, ast.BitOr: operator.or_}
_CMP = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
        ast.Gt: operator.gt, ast.GtE: operator.ge}
_FUNCS: dict[str, Callable[..., Any]] = {"abs": np.abs, "min": np.minimum, "max": np.maximum,
                                         "round": np.round}


class Expression:
    """An arithmetic / logical expression over columns, parsed once.

    Parameters
    ----------
    text : str
        The expression; column names that are not plain identifiers go in backticks.
    """

    def __init__(self, text: str) -> None:
        if not isinstance(text, str) or not text.strip():
            raise InputError(f"an expression must be non-empty text, not {text!r}")
        self.text = text
        names: dict[str, str] = {}

        def quote(m: re.Match) -> str:
            key = f"__col{len(names)}"
            names[key] = m.group(1)
            return key

        body = re.sub(r"`([^`]+)`", quote, text)
        try:
            self._tree = ast.parse(body.strip(), mode="eval").body
        except SyntaxError as err:
            raise InputError(f"the expression {text!r} cannot be read ({err.msg})",
                             hint="write e.g. 'ymarr >= 2011 - age' or 'weight / height ** 2'"
                             ) from None
        self._quoted = names
        self.columns: tuple[str, ...] = tuple(dict.fromkeys(
            names.get(n.id, n.id) for n in ast.walk(self._tree)
            if isinstance(n, ast.Name) and n.id not in _FUNCS))
        self._check(self._tree)

    def _check(self, node: ast.AST) -> None:
        allowed = (ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.Name, ast.Constant,
                   ast.Call, ast.Load, ast.And, ast.Or, ast.Not, ast.USub, ast.UAdd,
                   ast.Invert, *_BIN, *_CMP)
        for n in ast.walk(node):
            if not isinstance(n, allowed):
                raise InputError(f"the expression {self.text!r} uses {type(n).__name__}, "
                                 "which rules do not allow",
                                 hint="use columns, numbers, quoted text, arithmetic, "
                                 "comparisons, and/or/not, abs/min/max/round")
            if isinstance(n, ast.Call) and not (isinstance(n.func, ast.Name)
                                                and n.func.id in _FUNCS and not n.keywords):
                raise InputError(f"the expression {self.text!r} calls a function rules do not "
                                 "allow", hint=f"functions: {sorted(_FUNCS)}")

    def evaluate(self, values: Mapping[Hashable, Any]) -> Any:
        """The expression's value with each column taken from ``values`` (arrays)."""
        return self._eval(self._tree, values)

    def _eval(self, node: ast.AST, v: Mapping[Hashable, Any]) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            name = self._quoted.get(node.id, node.id)
            return v[name]
        if isinstance(node, ast.BinOp):
            return _BIN[type(node.op)](self._eval(node.left, v), self._eval(node.right, v))
        if isinstance(node, ast.UnaryOp):
            x = self._eval(node.operand, v)
            if isinstance(node.op, ast.USub):
                return -x
            if isinstance(node.op, ast.UAdd):
                return x
            return ~np.asarray(x, dtype=bool)
        if isinstance(node, ast.BoolOp):
            parts = [np.asarray(self._eval(x, v), dtype=bool) for x in node.values]
            out = parts[0]
            for p in parts[1:]:
                out = (out & p) if isinstance(node.op, ast.And) else (out | p)
            return out
        if isinstance(node, ast.Compare):
            left = self._eval(node.left, v)
            held: np.ndarray | None = None
            for op, right_node in zip(node.ops, node.comparators, strict=True):
                right = self._eval(right_node, v)
                part = np.asarray(_CMP[type(op)](left, right), dtype=bool)
                held = part if held is None else held & part
                left = right
            return held
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return _FUNCS[node.func.id](*[self._eval(a, v) for a in node.args])
        raise InputError(f"cannot evaluate {ast.dump(node)}")  # pragma: no cover - checked

    def __str__(self) -> str:
        return self.text


def _frame_values(df: pd.DataFrame, numbers: Mapping[Hashable, np.ndarray],
                  columns: Iterable[Hashable]) -> tuple[dict[Hashable, Any], np.ndarray]:
    """Column -> array (quantities for numbers, objects otherwise), and rows where all known."""
    values, known = {}, np.ones(len(df), dtype=bool)
    for c in columns:
        if c in numbers:
            q = np.asarray(numbers[c], dtype=float)
            values[c] = q
            known &= ~np.isnan(q)
        else:
            s = df[c]
            if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
                q = to_numbers(s).to_numpy(dtype=float)
                values[c] = q
                known &= ~np.isnan(q)
            else:
                o = s.to_numpy(dtype=object)
                values[c] = o
                known &= ~pd.isna(s).to_numpy()
    return values, known


@dataclass(frozen=True)
class Check(Rule):
    """An expression over columns that every row must keep (rows with a missing cell pass).

    Parameters
    ----------
    expression : str
        E.g. ``"ymarr >= 2011 - age"`` or ```"`date left` >= `date arrived`"```.
    name : str, optional
        A readable name for reports.
    """

    expression: str
    name: str = ""
    _expr: Expression = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_expr", Expression(self.expression))

    @property
    def columns(self) -> tuple[Hashable, ...]:
        return self._expr.columns

    def compile(self, codec: CategoricalCodec) -> _Compiled:
        raise TypeError("a Check is evaluated on values, not codes")  # pragma: no cover

    def holds(self, df: pd.DataFrame, numbers: Mapping[Hashable, np.ndarray]) -> np.ndarray:
        values, known = _frame_values(df, numbers, self.columns)
        with np.errstate(all="ignore"):
            ok = np.broadcast_to(np.asarray(self._expr.evaluate(values), dtype=bool), known.shape)
        return ~known | ok

    def allowed_frame(self, df: pd.DataFrame) -> np.ndarray:
        return self.holds(df, {})

    def __str__(self) -> str:
        return self.name or self.expression


@dataclass(frozen=True)
class Derived(Rule):
    """A column computed from others in every synthetic row, not modelled.

    Parameters
    ----------
    column : str
        The derived column.
    expression : str
        How it is computed, e.g. ``"weight / (height / 100) ** 2"``; missing when a column it
        uses is missing.
    name : str, optional
        A readable name for reports.
    """

    column: Hashable
    expression: str
    name: str = ""
    _expr: Expression = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_expr", Expression(self.expression))
        if self.column in self._expr.columns:
            raise InputError(f"the derived column {self.column!r} is computed from itself",
                             column=str(self.column))

    @property
    def columns(self) -> tuple[Hashable, ...]:
        return (self.column, *self._expr.columns)

    @property
    def inputs(self) -> tuple[Hashable, ...]:
        """The columns it is computed from."""
        return self._expr.columns

    def compute(self, df: pd.DataFrame, numbers: Mapping[Hashable, np.ndarray]) -> np.ndarray:
        """The derived values (floats; NaN where an input is missing)."""
        values, known = _frame_values(df, numbers, self.inputs)
        with np.errstate(all="ignore"):
            out = np.asarray(self._expr.evaluate(values), dtype=float)
        out = np.broadcast_to(out, known.shape).copy()
        out[~known] = np.nan
        return out

    def compile(self, codec: CategoricalCodec) -> _Compiled:
        raise TypeError("a Derived column is computed on values")  # pragma: no cover

    def holds(self, df: pd.DataFrame, numbers: Mapping[Hashable, np.ndarray]) -> np.ndarray:
        want = self.compute(df, numbers)
        got = numbers.get(self.column)
        if got is None:
            got = to_numbers(df[self.column]).to_numpy(dtype=float)
        both = ~np.isnan(want) & ~np.isnan(got)
        close = np.isclose(want, got, rtol=1e-6, atol=1e-9)
        return np.where(both, close, np.isnan(want) == np.isnan(got))

    def allowed_frame(self, df: pd.DataFrame) -> np.ndarray:
        return self.holds(df, {})

    def __str__(self) -> str:
        return self.name or f"{self.column} = {self.expression}"


@dataclass(frozen=True)
class Required(Rule):
    """A column that is never missing (its declared domain has no missing value)."""

    column: Hashable
    name: str = ""

    @property
    def columns(self) -> tuple[Hashable, ...]:
        return (self.column,)

    def compile(self, codec: CategoricalCodec) -> _Compiled:
        j, lut = _lut(codec, self.column, [None])
        ok = ~lut

        return _Compiled(lambda codes: ok[codes[:, j]])

    def holds(self, df: pd.DataFrame, numbers: Mapping[Hashable, np.ndarray]) -> np.ndarray:
        return ~pd.isna(df[self.column]).to_numpy()

    def allowed_frame(self, df: pd.DataFrame) -> np.ndarray:
        return self.holds(df, {})

    def __str__(self) -> str:
        return self.name or f"{self.column} is never missing"


def data_relations(df: pd.DataFrame, types: Mapping[Hashable, Any],
                   numbers: Mapping[Hashable, np.ndarray], *, min_rows: int = 20,
                   max_categories: int = 20, min_band: int = 5) -> list[Rule]:
    """Relations the training rows carry without exception (for the default synthesizer).

    - **bands**: a categorical column (2 to ``max_categories`` categories) whose categories
      cover disjoint ranges of a numeric column (``agegr`` 16-24 ↔ ``age`` 16...24), each range
      spanned by at least ``min_band`` training people: each category keeps the number within
      its range (or missing, for any reason);
    - **order**: two year or date columns where one is never before the other in any of at
      least ``min_rows`` rows where both are known.

    Parameters
    ----------
    df : DataFrame
        The training table.
    types : mapping
        Column -> :class:`~htwork.synth.types.ColumnType`.
    numbers : mapping
        Numeric column -> quantities (NaN where missing).

    Returns
    -------
    list of Rule
    """
    rules: list[Rule] = []
    numeric = [c for c, t in types.items() if t.numeric and c in numbers]
    cats = [c for c, t in types.items() if not t.numeric]
    if numeric:
        q = np.column_stack([np.asarray(numbers[x], dtype=float) for x in numeric])
    for c in cats if numeric else []:
        idx, uniq = pd.factorize(pd.Series(df[c].to_numpy(dtype=object), dtype=object),
                                 use_na_sentinel=True)
        if not 2 <= len(uniq) <= max_categories:
            continue
        rows = np.flatnonzero(idx >= 0)
        order = rows[np.argsort(idx[rows], kind="stable")]
        starts = np.flatnonzero(np.r_[True, np.diff(idx[order]) != 0])
        groups = idx[order][starts]
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            lo = np.fmin.reduceat(q[order], starts, axis=0)
            hi = np.fmax.reduceat(q[order], starts, axis=0)
            known = np.add.reduceat(~np.isnan(q[order]), starts, axis=0)
        for k, x in enumerate(numeric):
            has = known[:, k] > 0
            if has.sum() < 2 or known[:, k].sum() < min_rows:
                continue
            if known[has, k].min() < min_band:  # a band drawn around one or two people: no
                continue
            ranges = sorted(zip(lo[has, k], hi[has, k], groups[has], strict=True))
            if all(a[1] < b[0] for a, b in zip(ranges, ranges[1:], strict=False)):
                missing = [None, *(code for code, _ in types[x].missing)]  # any reason
                for a, b, g in ranges:
                    u = uniq[g]
                    rules.append(Implies({c: u}, {x: [Range(float(a), float(b)), *missing]},
                                         name=f"{c} = {u} keeps {x} within [{a:g}, {b:g}] "
                                              "(as in the training data)"))
    timeline = [c for c in numeric if types[c].kind in ("year", "date")]
    for i, a in enumerate(timeline):
        for b in timeline[i + 1:]:
            qa, qb = numbers[a], numbers[b]
            both = ~np.isnan(qa) & ~np.isnan(qb)
            if both.sum() < min_rows:
                continue
            if (qa[both] <= qb[both]).all():
                rules.append(Check(f"`{a}` <= `{b}`",
                                   name=f"{a} is never after {b} (as in the training data)"))
            elif (qb[both] <= qa[both]).all():
                rules.append(Check(f"`{b}` <= `{a}`",
                                   name=f"{b} is never after {a} (as in the training data)"))
    return rules
