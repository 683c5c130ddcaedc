"""Column types of a table for synthesis: categorical, integer, number, date or year.

A table schema (the one ``htwork profile`` writes, edited or not, or any Frictionless table
schema) gives each column's type, missing-value codes and bounds: :func:`types_from_schema`
reads them, and the synthesizers' ``schema=`` uses them instead of re-inferring. Without a
schema, :func:`infer_types` infers each column's type from the data, with the types, bounds and
missing-value codes the user declares; it returns one :class:`ColumnType` per column.

How a column is read when nothing is declared:

- **missing cells** (``None``, ``NaN``, empty text) are missing with the reason ``"blank"``;
- **survey missing codes**: in a numeric column whose other values are all ``>= 0``, the negative
  values ``-7, -8, -9, -97, -98, -99, -999, -9999`` are missing for a reason, labelled
  ``"code -8"`` (declare ``missing={"income": {-8: "not applicable"}}`` to name the reason); in a
  column of numbers written as text, up to three words standing for missing (``Unknown``,
  ``refused``, ``N/A``...) covering at most a fifth of the cells are read the same way;
- **numbers** (a numeric dtype, or text that reads as numbers): ``integer`` when every value is
  whole, ``year`` when whole and between 1800 and 2100, ``number`` otherwise; but a numeric
  column with at most ``categorical_max`` (20) distinct values stays ``categorical`` (flags,
  codes, months, a few registration years), as htwork's synthesizers have always treated it;
- **dates**: a datetime dtype, or text in which every value reads as a date in one format
  (``2011-03-05``, ``05/03/2011``, ...); text whose dates need more than one format is an error;
- everything else is ``categorical``.

Declared types win over inference and are checked against the data: a declared number that
does not read as one, a number or date column with no value or with one value, and a value
outside declared bounds are clear :class:`~htwork.errors.InputError` s naming column and row.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from htwork.core.numbers import to_numbers
from htwork.errors import InputError

__all__ = ["ColumnType", "infer_types", "parse_values", "types_frame", "types_from_schema",
           "KINDS", "BLANK"]

KINDS = ("categorical", "integer", "number", "date", "year")
NUMERIC_KINDS = ("integer", "number", "date", "year")
BLANK = "blank"  # the reason of an empty cell
SURVEY_CODES = (-7, -8, -9, -97, -98, -99, -999, -9999)
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%Y/%m/%d", "%d.%m.%Y", "%d-%m-%Y",
                "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M")
_DATE_LIKE = re.compile(r"^\s*\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T]\d{1,2}:\d{2}(:\d{2})?)?\s*$")
_EPOCH = np.datetime64("1970-01-01T00:00:00", "ns")
_DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class ColumnType:
    """How one column is synthesised.

    Attributes
    ----------
    kind : str
        ``categorical``, ``integer``, ``number``, ``date`` or ``year``.
    missing : tuple of (code, reason)
        Values that stand for a missing answer, with the reason's label (``(-8, "code -8")``).
        Empty cells are always missing, with the reason ``"blank"``.
    bounds : tuple or None
        Declared (public) lowest and highest value, either side ``None``; dates as Timestamps.
    decimals : int or None
        Digits after the point of a ``number`` (None: any); 0 for integers and years.
    date_format : str or None
        ``strftime`` format of dates written as text (None for a datetime column).
    declared : bool
        Whether the user declared the type (else it was inferred from the data).
    text : bool
        Whether the values are written as text in the table (restored as text on output).
    """

    kind: str
    missing: tuple[tuple[Any, str], ...] = field(default_factory=tuple)
    bounds: tuple[Any, Any] | None = None
    decimals: int | None = None
    date_format: str | None = None
    declared: bool = False
    text: bool = False

    @property
    def numeric(self) -> bool:
        """Whether the column holds quantities (integer, number, date, year)."""
        return self.kind in NUMERIC_KINDS

    @property
    def reasons(self) -> list[str]:
        """The labels of the reasons a value may be missing for (``blank`` not included)."""
        return list(dict.fromkeys(label for _, label in self.missing))

    @property
    def grain(self) -> float | None:
        """The smallest step between two values (1 for integers and years; days for dates)."""
        if self.kind in ("integer", "year"):
            return 1.0
        if self.kind == "number" and self.decimals is not None:
            return 10.0 ** -self.decimals
        if self.kind == "date" and self.decimals == 0:
            return 1.0
        return None

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for reports and JSON)."""
        return {"kind": self.kind, "missing": {str(c): r for c, r in self.missing},
                "bounds": None if self.bounds is None else [_plain(b) for b in self.bounds],
                "decimals": self.decimals, "date_format": self.date_format,
                "declared": self.declared}


def _plain(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    return float(v) if isinstance(v, float | np.floating) else v


def _a(word: str) -> str:
    """``word`` with its indefinite article ("an integer", "a date")."""
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def _row(df: pd.DataFrame, i: int) -> int | None:
    label = df.index[i]
    return int(label) if isinstance(label, int | np.integer) else i


def _is_blank(s: pd.Series) -> np.ndarray:
    """Missing cells, and cells of text holding only spaces."""
    if not (s.dtype == object or pd.api.types.is_string_dtype(s.dtype)):
        return s.isna().to_numpy()
    idx, uniques = pd.factorize(s.astype(object), use_na_sentinel=True)
    lut = np.array([isinstance(v, str) and not v.strip() for v in uniques] + [True], dtype=bool)
    return lut[idx]


def _norm_missing(spec: Any) -> tuple[tuple[Any, str], ...]:
    if spec is None:
        return ()
    if isinstance(spec, Mapping):
        return tuple((k, str(v)) for k, v in spec.items())
    if isinstance(spec, str | int | float):
        spec = [spec]
    return tuple((c, f"code {c}") for c in spec)


def _declared(col: Hashable, spec: Any) -> dict[str, Any]:
    if isinstance(spec, ColumnType):
        return {**spec.__dict__, "declared": True}
    if isinstance(spec, str):
        spec = {"kind": spec}
    if not isinstance(spec, Mapping):
        raise InputError(f"the declared type {spec!r} is not a kind or a mapping",
                         column=str(col), hint=f"use one of {KINDS} or a dict with 'kind'")
    out = dict(spec)
    kind = out.get("kind")
    if kind is not None and kind not in KINDS:
        raise InputError(f"unknown kind {kind!r}", column=str(col), hint=f"use one of {KINDS}")
    if "format" in out:
        out["date_format"] = out.pop("format")
    if "missing" in out:
        out["missing"] = _norm_missing(out["missing"])
    if "bounds" in out and out["bounds"] is not None:
        out["bounds"] = tuple(out["bounds"])
    unknown = set(out) - {"kind", "missing", "bounds", "decimals", "date_format"}
    if unknown:
        raise InputError(f"unknown keys {sorted(unknown)} in the declared type", column=str(col),
                         hint="keys: kind, missing, bounds, decimals, format")
    return out


#: Frictionless field types -> the kinds synthesis models (others are categories).
_SCHEMA_KINDS = {"integer": "integer", "number": "number", "year": "year", "date": "date",
                 "datetime": "date"}


def types_from_schema(schema: Any, columns: Iterable[Hashable]) -> dict[Hashable, dict[str, Any]]:
    """Declared types of ``columns`` read from a table schema, for ``infer_types(declared=)``.

    Per field: its Frictionless ``type`` (``integer``, ``number``, ``year``, ``date`` and
    ``datetime`` are quantities; a field listing ``categories`` or ``constraints.enum``, and
    every other type, is categorical); its ``missingValues`` (each code with its label; the
    empty cell is always missing and is left out); its ``constraints.minimum`` /
    ``maximum`` as bounds; a date field's ``format`` when it is a ``strftime`` pattern
    (``default`` and ``any`` leave the one format of the data to be found). Columns the
    schema does not name are left out (they are inferred); fields the table lacks are ignored.

    Parameters
    ----------
    schema : Standard, str, Path or mapping
        What :func:`htwork.standards.load_standard` accepts: a schema object (as
        :func:`htwork.standards.profile` returns), the path of a schema file, a shipped
        standard's name, or a descriptor.
    columns : iterable
        The table's columns.

    Returns
    -------
    dict
        Column -> a declared type (``kind``, ``missing``, and ``bounds`` / ``format`` when the
        schema gives them).
    """
    from htwork.standards import load_standard

    std = load_standard(schema)
    shared = std.descriptor.get("missingValues", [""])
    out: dict[Hashable, dict[str, Any]] = {}
    for col in columns:
        if not isinstance(col, str) or col not in std:
            continue
        f = std.field(col)
        kind = _SCHEMA_KINDS.get(str(f.get("type", "string")))
        constraints = f.get("constraints") or {}
        if f.get("categories") or constraints.get("enum"):
            kind = None
        spec: dict[str, Any] = {"kind": kind or "categorical"}
        missing = {}
        for m in f.get("missingValues", shared):
            code = m.get("value") if isinstance(m, Mapping) else m
            if code is None or str(code).strip() == "":
                continue
            label = m.get("label") if isinstance(m, Mapping) else None
            missing[_schema_code(code, kind)] = str(label or f"code {code}")
        if missing:
            spec["missing"] = missing
        if kind is not None:
            lo, hi = constraints.get("minimum"), constraints.get("maximum")
            if lo is not None or hi is not None:
                spec["bounds"] = (lo, hi)
            fmt = f.get("format")
            if kind == "date" and isinstance(fmt, str) and "%" in fmt:
                spec["format"] = fmt
        out[col] = spec
    return out


def _schema_code(code: Any, kind: str | None) -> Any:
    """A missing-value code as a schema writes it (text), as a number for a number field."""
    if kind in ("integer", "number", "year") and isinstance(code, str):
        value = _as_float(code)
        if value is not None:
            return int(value) if value.is_integer() else value
    return code


def infer_types(
    df: pd.DataFrame,
    declared: Mapping[Hashable, Any] | None = None,
    *,
    bounds: Mapping[Hashable, tuple[Any, Any]] | None = None,
    missing: Mapping[Hashable, Any] | None = None,
    categorical_max: int = 20,
) -> dict[Hashable, ColumnType]:
    """The type of every column of ``df``, declared or inferred (see the module's notes).

    Parameters
    ----------
    df : DataFrame
        The table (not modified).
    declared : mapping, optional
        Column -> a kind (``"integer"``) or a dict with ``kind`` and optionally ``missing``
        (codes, or code -> reason label), ``bounds`` (lowest, highest), ``decimals``, ``format``
        (of text dates); or a :class:`ColumnType`. Columns left out are inferred.
    bounds : mapping, optional
        Column -> (lowest, highest) known without the data (shortcut for ``declared``).
    missing : mapping, optional
        Column -> missing-value codes, or code -> reason (shortcut for ``declared``).
    categorical_max : int
        Numeric columns with at most this many distinct values are inferred categorical.

    Returns
    -------
    dict
        Column -> :class:`ColumnType`, in the table's order.

    Raises
    ------
    InputError
        A declared column absent from the table; a declared number that is not one; a number or
        date column with no value or one value; dates in mixed formats; a value outside the
        declared bounds.
    """
    specs: dict[Hashable, dict[str, Any]] = {}
    for source, key in ((declared, None), (bounds, "bounds"), (missing, "missing")):
        for col, spec in (source or {}).items():
            if col not in df.columns:
                raise InputError("a type, bound or missing code is declared for a column the "
                                 "table lacks", column=str(col),
                                 hint=f"columns: {[str(c) for c in df.columns][:20]}")
            if key is None:
                specs.setdefault(col, {}).update(_declared(col, spec))
            elif key == "bounds":
                specs.setdefault(col, {})["bounds"] = None if spec is None else tuple(spec)
            else:
                specs.setdefault(col, {})["missing"] = _norm_missing(spec)
    out: dict[Hashable, ColumnType] = {}
    for col in df.columns:
        spec = specs.get(col, {})
        t = _infer_column(df, col, spec, categorical_max)
        out[col] = t
        if t.numeric:
            _check_numeric(df, col, t)
    return out


def _infer_column(df: pd.DataFrame, col: Hashable, spec: dict[str, Any],
                  categorical_max: int) -> ColumnType:
    s = df[col]
    kind = spec.get("kind")
    declared = bool(spec.get("kind"))
    miss = tuple(spec.get("missing", ()))
    blank = _is_blank(s)
    present = s[~blank]
    is_text = s.dtype == object or pd.api.types.is_string_dtype(s.dtype)
    if kind == "categorical":
        return ColumnType("categorical", miss, spec.get("bounds"), declared=True, text=is_text)
    if pd.api.types.is_bool_dtype(s.dtype) and kind is None:
        return ColumnType("categorical", miss)
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return _date_type(present, kind, spec, None, declared, text=False, col=col)
    if is_text:
        # work on the distinct texts (few in a categorical column), with their counts
        raw = present.value_counts(sort=False, dropna=True)  # distinct values first: cheap
        counts = raw.groupby(pd.Index(raw.index.map(lambda v: str(v).strip())), sort=False
                             ).sum()
        codes = {str(c) for c, _ in miss}
        counts = counts[~counts.index.isin(codes)]
        body = pd.Series(counts.index, dtype=object)
        if kind in (None, "date") and len(body) and (kind == "date" or body.map(
                lambda v: bool(_DATE_LIKE.match(v))).all()):
            fmt = spec.get("date_format") or _date_format(df, col, body)
            return _date_type(body, "date", spec, fmt, declared, text=True, col=col)
        nums = to_numbers(body)
        bad = nums.isna().to_numpy()
        if kind is None and bad.any():
            n_bad = int(counts.to_numpy()[bad].sum())
            if (bad.sum() <= 3 and n_bad <= 0.2 * counts.sum()
                    and (~bad).sum() > categorical_max):
                miss = miss + tuple((w, str(w)) for w in body[bad])
            else:
                return ColumnType("categorical", miss, text=True)
        elif bad.any():
            word = body[bad].iloc[0]
            rows = np.flatnonzero(s.astype(str).str.strip().to_numpy() == word)
            raise InputError(f"value {word!r} is not a number, but the column is "
                             f"declared {kind}", column=str(col),
                             row=_row(df, int(rows[0])) if len(rows) else None,
                             hint="correct the value, declare it a missing-value code "
                             "(missing=...), or declare the column categorical")
        values = np.repeat(nums.to_numpy(dtype=float)[~bad], counts.to_numpy()[~bad])
        return _number_type(values, kind, spec, miss, declared, categorical_max, text=True,
                            col=col)
    if pd.api.types.is_numeric_dtype(s.dtype):
        values = to_numbers(present).to_numpy(dtype=float)
        if len(values) == 0 and kind in (None, "integer", "number", "year"):
            raise InputError(
                "every cell is missing, so a number column has nothing to learn from",
                column=str(col), hint="drop the column, or fill it in before synthesis")
        if kind == "date":
            raise InputError("the column holds numbers, not dates", column=str(col),
                             hint="declare it integer or year, or convert it to dates first")
        return _number_type(values, kind, spec, miss, declared, categorical_max, text=False,
                            col=col)
    if kind is not None:
        raise InputError(f"a column of {s.dtype} values cannot be read as {kind}",
                         column=str(col), hint="declare it categorical")
    return ColumnType("categorical", miss)


def _number_type(values: np.ndarray, kind: str | None, spec: dict[str, Any],
                 miss: tuple, declared: bool, categorical_max: int, *, text: bool,
                 col: Hashable) -> ColumnType:
    codes = {float(c) for c, _ in miss if _as_float(c) is not None}
    body = values[~np.isin(values, list(codes))] if codes else values
    if kind is None and "missing" not in spec and len(body):
        found = [c for c in SURVEY_CODES if (body == c).any()]
        rest = body[~np.isin(body, found)]
        if found and len(rest) and rest.min() >= 0:
            miss = miss + tuple((c, f"code {c}") for c in found)
            body = rest
    if kind is None:
        whole = bool(len(body)) and bool(np.all(np.mod(body, 1) == 0))
        if len(body) == 0 or pd.unique(body).size <= categorical_max:
            return ColumnType("categorical", (), text=text)  # codes stay values of their own
        if whole:
            kind = "year" if body.min() >= 1800 and body.max() <= 2100 else "integer"
        else:
            kind = "number"
    decimals = spec.get("decimals")
    if kind in ("integer", "year"):
        decimals = 0
    elif decimals is None and len(body):
        decimals = _decimals(body)
    return ColumnType(kind, miss, spec.get("bounds"), decimals, None, declared, text)


def _as_float(v: Any) -> float | None:
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _decimals(values: np.ndarray, most: int = 4) -> int | None:
    """Digits after the point needed to write every value (None: more than ``most``)."""
    for d in range(most + 1):
        scaled = values * 10**d
        if np.all(np.abs(scaled - np.round(scaled)) < 1e-6 * np.maximum(1, np.abs(scaled))):
            return d
    return None


def _date_format(df: pd.DataFrame, col: Hashable, body: pd.Series) -> str:
    """The one format every text date of the column reads in (error if none or several)."""
    parsed = {}
    for fmt in DATE_FORMATS:
        ok = pd.to_datetime(body, format=fmt, errors="coerce").notna()
        if ok.all():
            return fmt
        parsed[fmt] = ok
    covered = pd.concat(parsed, axis=1).any(axis=1)
    if not covered.all():
        bad = body[~covered]
        raise InputError(f"value {bad.iloc[0]!r} does not read as a date", column=str(col),
                         hint="correct it, or declare the column categorical")
    best = max(parsed, key=lambda f: int(parsed[f].sum()))
    other = body[~parsed[best]]
    fits = [f for f in DATE_FORMATS if parsed[f][other.index[0]]]
    rows = np.flatnonzero(df[col].astype(str).str.strip().to_numpy() == other.iloc[0])
    raise InputError(
        f"dates in more than one format: most read as {best!r} (e.g. "
        f"{body[parsed[best]].iloc[0]!r}) but {other.iloc[0]!r} needs {fits[0]!r}",
        column=str(col), row=_row(df, int(rows[0])) if len(rows) else None,
        hint="write every date of the column in one format (YYYY-MM-DD is safest), or declare "
        "the format with types={column: {'kind': 'date', 'format': ...}}")


def _date_type(body: pd.Series, kind: str | None, spec: dict[str, Any], fmt: str | None,
               declared: bool, *, text: bool, col: Hashable) -> ColumnType:
    if kind not in (None, "date"):
        raise InputError(f"the column holds dates, not {kind} values", column=str(col),
                         hint="declare it date, or leave its type to be inferred")
    stamps = pd.to_datetime(body, format=fmt, errors="coerce") if text else body
    stamps = pd.Series(stamps)
    midnight = bool(len(stamps)) and bool((stamps.dropna().dt.normalize() == stamps.dropna()).all())
    bounds = spec.get("bounds")
    if bounds is not None:
        bounds = tuple(None if b is None else pd.Timestamp(b) for b in bounds)
    return ColumnType("date", tuple(spec.get("missing", ())), bounds, 0 if midnight else None,
                      fmt, declared, text)


def parse_values(s: pd.Series, t: ColumnType) -> tuple[np.ndarray, np.ndarray]:
    """The quantities of a numeric column, and why each missing cell is missing.

    Returns
    -------
    values : ndarray of float
        Numbers as floats; dates as days since 1970-01-01; NaN where missing.
    reasons : ndarray of object
        ``None`` where a value is present, ``"blank"`` for an empty cell, else the reason label.
    """
    if (t.kind != "date" and pd.api.types.is_numeric_dtype(s.dtype)
            and not pd.api.types.is_bool_dtype(s.dtype)):  # fast path: numbers already
        values = to_numbers(s).to_numpy(dtype=float, na_value=np.nan, copy=True)
        reasons = np.full(len(s), None, dtype=object)
        reasons[np.isnan(values)] = BLANK
        for code, label in t.missing:
            target = _as_float(code)
            if target is not None:
                hit = values == target
                reasons[hit] = label
                values[hit] = np.nan
        return values, reasons
    blank = _is_blank(s)
    reasons = np.full(len(s), None, dtype=object)
    reasons[blank] = BLANK
    raw = s.to_numpy(dtype=object)
    for code, label in t.missing:
        hit = ~blank & _equals(raw, code)
        reasons[hit] = label
    known = reasons == None  # noqa: E711 - elementwise
    values = np.full(len(s), np.nan)
    if known.any():
        part = pd.Series(raw[known], dtype=object)
        if t.kind == "date":
            if t.text:
                stamps = pd.to_datetime(part.astype(str).str.strip(), format=t.date_format,
                                        errors="coerce")
            else:
                stamps = pd.to_datetime(part, errors="coerce")
            ns = stamps.to_numpy(dtype="datetime64[ns]")
            values[known] = (ns - _EPOCH) / _DAY
        else:
            text = part.astype(str).str.strip() if t.text else part
            values[known] = to_numbers(text).to_numpy(dtype=float)
    return values, reasons


def _equals(raw: np.ndarray, code: Any) -> np.ndarray:
    """Which cells hold the missing-value code (``-8``, ``-8.0`` and ``"-8"`` alike)."""
    target = _as_float(code)
    idx, uniques = pd.factorize(pd.Series(raw, dtype=object), use_na_sentinel=True)
    hit = []
    for v in uniques:
        if isinstance(v, str):
            vs = v.strip()
            hit.append(vs == str(code) or (target is not None and _as_float(vs) == target))
        elif target is not None and isinstance(v, int | float | np.integer | np.floating):
            hit.append(float(v) == target)
        else:
            hit.append(bool(v == code))
    return np.array(hit + [False], dtype=bool)[idx]


def _check_numeric(df: pd.DataFrame, col: Hashable, t: ColumnType) -> None:
    values, reasons = parse_values(df[col], t)
    known = ~np.isnan(values)
    unread = (reasons == None) & ~known  # noqa: E711
    if unread.any():
        i = int(np.flatnonzero(unread)[0])
        raise InputError(f"value {df[col].iloc[i]!r} does not read as {t.kind}",
                         column=str(col), row=_row(df, i),
                         hint="correct it or declare it a missing-value code")
    if not known.any():
        raise InputError(
            f"every cell is missing, so {_a(t.kind)} column has nothing to learn from",
            column=str(col), hint="drop the column, or fill it in before synthesis")
    if np.unique(values[known]).size == 1:
        raise InputError(
            f"every value is {_show(values[known][0], t)}: {_a(t.kind)} needs at least two "
            "distinct values to have a distribution", column=str(col),
            hint="drop the column, or declare it categorical to keep it as a constant")
    if t.bounds is not None:
        lo, hi = (None if b is None else _to_number(b, t) for b in t.bounds)
        if lo is not None and hi is not None and lo > hi:
            raise InputError(f"the declared bounds {t.bounds} are in the wrong order",
                             column=str(col), hint="give (lowest, highest)")
        for bad in (values < lo if lo is not None else None,
                    values > hi if hi is not None else None):
            if bad is not None and (bad & known).any():
                i = int(np.flatnonzero(bad & known)[0])
                raise InputError(
                    f"value {_show(values[i], t)} is outside the declared bounds "
                    f"[{_show(lo, t)}, {_show(hi, t)}]", column=str(col), row=_row(df, i),
                    hint="widen the bounds (they must hold for every possible person, not only "
                    "these), or correct the value")


def _to_number(b: Any, t: ColumnType) -> float:
    if t.kind == "date":
        return float((np.datetime64(pd.Timestamp(b), "ns") - _EPOCH) / _DAY)
    return float(b)


def _show(v: float | None, t: ColumnType) -> str:
    if v is None:
        return "-inf"
    if t.kind == "date":
        return str(pd.Timestamp(_EPOCH + np.timedelta64(int(round(v * 86400)), "s")).date())
    return f"{v:g}"


def with_bounds(t: ColumnType, bounds: tuple[Any, Any] | None) -> ColumnType:
    """A copy of ``t`` with other bounds."""
    return replace(t, bounds=bounds)


def types_frame(types: Mapping[Hashable, ColumnType]) -> pd.DataFrame:
    """The types as a table, one row per column (for reading and for reports)."""
    rows = {}
    for col, t in types.items():
        rows[str(col)] = {
            "kind": t.kind,
            "missing codes": ", ".join(f"{c} ({r})" for c, r in t.missing) or "",
            "bounds": "" if t.bounds is None else f"{t.bounds[0]} .. {t.bounds[1]}",
            "decimals": "" if t.decimals is None or t.kind != "number" else t.decimals,
            "format": t.date_format or "",
            "declared": t.declared,
        }
    return pd.DataFrame.from_dict(rows, orient="index")
