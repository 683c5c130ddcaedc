"""Read a table as its own schema says: missing codes, types, categories and roles checked.

:func:`conform` takes a frame of strings (as :func:`htwork.io.read_table` returns it) and any
table schema (a profiled one, a user's YAML, a shipped standard) and gives the table **typed**
(integers as ``Int64``, numbers as ``Float64``, dates as dates, text as text) with every
missing-value code of the schema (``-8``, ``-99``, ``NA``...) made a missing cell, beside a
:class:`~htwork.standards.ValidationReport` of what does not fit:

- a field of the schema that the table lacks (``missing_column``), a table column the schema
  does not describe (``unknown_column``, a warning);
- a role the field's type cannot have (``role_type``: a weight must be a number, free text must
  be text);
- a cell that is not of the field's type (``not_integer``, ``not_number``, ``bad_date_format``),
  outside ``constraints.minimum``/``maximum`` (``out_of_range``), not one of its categories
  (``not_in_categories``), or empty where the field is required (``required_missing``).

Each distinct value of a column is checked once, so long tables cost little more than their
distinct values.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from htwork.core.numbers import to_numbers
from htwork.core.results import Result
from htwork.standards._columns import factorize
from htwork.standards.report import ValidationReport
from htwork.standards.schema import Standard, load_standard
from htwork.standards.validate import _Bad, _Problems

__all__ = ["Conformed", "conform", "ROLE_TYPES", "role_type_errors"]

#: The types a field with a role may have (roles not listed may have any type).
ROLE_TYPES: dict[str, tuple[str, ...]] = {
    "weight": ("integer", "number"),
    "free_text": ("string", "any"),
}
_NUMERIC = ("integer", "year", "number")


@dataclass(repr=False)
class Conformed(Result):
    """A table read as its schema says.

    Attributes
    ----------
    table : DataFrame
        The schema's fields present in the table, typed (``Int64``, ``Float64``,
        ``datetime64``, ``boolean``, text as ``object`` with ``None`` for missing); cells
        holding a missing-value code are missing; cells of the wrong type are missing too
        (and reported).
    report : ValidationReport
        What does not fit the schema.
    schema : Standard
        The schema used.
    types : dict
        Field name -> its schema type (``integer``, ``number``, ``date``, ``year``,
        ``boolean``, ``string``).
    missing_codes : dict
        Field name -> how many cells held a missing-value code other than an empty cell.
    """

    table: pd.DataFrame
    report: ValidationReport
    schema: Standard
    types: dict[str, str]
    missing_codes: dict[str, int]

    @property
    def ok(self) -> bool:
        """Whether the table fits its schema (no error; warnings allowed)."""
        return self.report.ok

    def summary(self) -> str:
        """The report, and how many missing codes became missing cells."""
        coded = {k: v for k, v in self.missing_codes.items() if v}
        lines = [self.report.summary()]
        if coded:
            lines.append("missing-value codes read as missing: "
                         + ", ".join(f"{k} {v:,}" for k, v in coded.items()))
        return "\n".join(lines)

    def _data(self) -> dict[str, Any]:
        return {"ok": self.ok, "schema": self.schema.name, "types": self.types,
                "missing_codes": self.missing_codes, "report": self.report.to_dict()}


def role_type_errors(schema: Standard) -> list[tuple[str, str]]:
    """``(field, message)`` for each field whose role its type cannot have (a weight that is
    not a number, free text that is not text)."""
    out = []
    for f in schema.fields:
        role, kind = str(f.get("htwork:role")), f.get("type", "any")
        allowed = ROLE_TYPES.get(role)
        if allowed and kind not in allowed:
            out.append((f["name"], f"field {f['name']!r} has role {role} but type {kind}: "
                                   f"a {role.replace('_', ' ')} field must be "
                                   f"{' or '.join(allowed)}"))
    return out


def _missing_mask(std: Standard, name: str, kind: str, uniques: np.ndarray) -> np.ndarray:
    """Which distinct values are one of the field's missing-value codes (numeric codes match
    by value in numeric fields: ``-8`` matches ``-8.0``)."""
    codes = [c.strip() for c in std.missing_codes(name)]
    text = np.array([str(u).strip() for u in uniques], dtype=object)
    hit = np.isin(text, [c for c in codes if c]) if len(text) else np.zeros(0, dtype=bool)
    if kind in _NUMERIC and len(text):
        nums = to_numbers(pd.Series(codes, dtype=object)).dropna().to_numpy()
        if len(nums):
            hit |= np.isin(to_numbers(pd.Series(text, dtype=object)).to_numpy(), nums)
    return hit


def _typed(kind: str, fmt: str | None, uniques: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray, str]:
    """Each distinct value as its type; ``(values, ok, problem code)``."""
    series = pd.Series(uniques, dtype=object)
    if kind in _NUMERIC:
        nums = to_numbers(series).to_numpy()
        ok = np.isfinite(nums)
        if kind in ("integer", "year"):
            ok &= np.where(ok, np.mod(np.where(ok, nums, 0), 1) == 0, False)
            return nums, ok, "not_integer"
        return nums, ok, "not_number"
    if kind in ("date", "datetime"):
        text = series.astype(str).str.strip()
        if fmt and fmt not in ("default", "any"):
            parsed = pd.to_datetime(text, format=fmt, errors="coerce")
        else:
            iso = pd.to_datetime(text, format="ISO8601", errors="coerce")
            parsed = iso if fmt != "any" else iso.fillna(
                pd.to_datetime(text, errors="coerce", dayfirst=True, format="mixed"))
        stamps = np.array([None if pd.isna(v) else v for v in parsed], dtype=object)
        return stamps, parsed.notna().to_numpy(), "bad_date_format"
    if kind == "boolean":
        low = series.astype(str).str.strip().str.lower()
        truth = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
        mapped = low.map(truth)
        return mapped.to_numpy(dtype=object), mapped.notna().to_numpy(), "not_boolean"
    return uniques, np.ones(len(uniques), dtype=bool), ""


_DTYPES = {"integer": "Int64", "year": "Int64", "number": "Float64", "boolean": "boolean"}


def _column(p: _Problems, std: Standard, f: dict[str, Any], s: pd.Series
            ) -> tuple[pd.Series, int]:
    name, kind = f["name"], str(f.get("type", "string"))
    codes, uniques = factorize(s.astype(object))
    if len(uniques):
        uniques = np.array([u.strip() if isinstance(u, str) else u for u in uniques],
                           dtype=object)
    miss = _missing_mask(std, name, kind, uniques)
    n_coded = int(np.isin(codes, np.flatnonzero(miss)).sum()) if miss.any() else 0
    values, ok, bad_code = _typed(kind, f.get("format"), uniques)
    what = "a whole number" if bad_code == "not_integer" else f"a {kind}"
    bad: _Bad = {int(i): (f"{uniques[i]!r} is not {what}", None)
                 for i in np.flatnonzero(~ok & ~miss)}
    p.add_unique(bad_code or "bad_value", "error", name, codes, uniques, bad)
    keep = ok & ~miss
    cons = f.get("constraints") or {}
    if kind in _NUMERIC and len(uniques):
        lo, hi = cons.get("minimum"), cons.get("maximum")
        nums = np.where(keep, values, np.nan).astype(float)
        out: _Bad = {}
        for i in np.flatnonzero(keep):
            if (lo is not None and nums[i] < lo) or (hi is not None and nums[i] > hi):
                out[int(i)] = (f"{uniques[i]!r} is outside {lo} to {hi}", None)
        p.add_unique("out_of_range", "error", name, codes, uniques, out)
    allowed = (cons.get("enum") or [c["value"] if isinstance(c, dict) else c
                                     for c in (f.get("categories") or [])])
    if allowed and not std.is_multiple(name):
        if kind in _NUMERIC:
            allowed_set: set[Any] = {float(a) for a in to_numbers(pd.Series(allowed,
                                                                             dtype=object))}
            as_key: list[Any] = [float(v) for v in np.where(keep, values, np.nan)]
        else:
            allowed_set = {str(a) for a in allowed}
            as_key = [str(v) for v in values]
        shown = ", ".join(map(str, allowed[:10])) + (", ..." if len(allowed) > 10 else "")
        notin: _Bad = {int(i): (f"{uniques[i]!r} is not one of its categories ({shown})",
                                None)
                       for i in np.flatnonzero(keep) if as_key[i] not in allowed_set}
        p.add_unique("not_in_categories", "error", name, codes, uniques, notin)
    if cons.get("required"):
        empty = np.append(~keep, True)[np.where(codes < 0, len(uniques), codes)]
        pos = np.flatnonzero(empty)
        p.add("required_missing", "error", name, pos=pos,
              details=np.full(len(pos), "this cell is missing but must be filled", dtype=object))
    # the typed column: distinct typed values put back on the rows, missing elsewhere
    filled = np.empty(len(uniques) + 1, dtype=object)  # the last: missing cells
    filled[:-1][keep] = np.asarray(values, dtype=object)[keep]
    col = filled[np.where(codes < 0, len(uniques), codes)]
    if kind in _DTYPES:
        dtype = _DTYPES[kind]
        if dtype == "Int64":
            col = np.array([None if v is None else int(v) for v in col], dtype=object)
        typed = pd.Series(col, index=s.index, name=name, dtype=object).astype(
            dtype)  # type: ignore[call-overload]  # pandas-stubs: a dtype name held in a str
    elif kind in ("date", "datetime"):
        typed = pd.to_datetime(pd.Series(col, index=s.index, name=name, dtype=object))
    else:
        typed = pd.Series(col, index=s.index, name=name, dtype=object)
    return typed, n_coded


def conform(df: pd.DataFrame, schema: str | Path | Standard | dict, *,
            file: str | Path | None = None) -> Conformed:
    """Check a table against its schema and read it as the schema's types.

    Parameters
    ----------
    df : pandas.DataFrame
        The table as read by :func:`htwork.io.read_table` (strings; index = row numbers).
    schema : str, Path, dict or Standard
        Anything :func:`htwork.standards.load_standard` takes: a profiled schema, a schema
        file, a shipped standard's name.
    file : str or Path, optional
        The file to name in problems (default: ``df.attrs["htwork"]["file"]``).

    Returns
    -------
    Conformed
        The typed table and the report (``.ok`` when nothing is wrong).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"age": ["31", "-8", "45.0"], "sex": ["F", "M", "X"]})
    >>> schema = {"fields": [
    ...     {"name": "age", "type": "integer", "missingValues": ["", "-8"]},
    ...     {"name": "sex", "type": "string", "constraints": {"enum": ["F", "M"]}}]}
    >>> c = conform(df, schema)
    >>> c.table["age"].tolist(), c.ok
    ([31, <NA>, 45], False)
    """
    std = load_standard(schema)
    meta = df.attrs.get("htwork") or {}
    if file is None:
        file = meta.get("file")
    p = _Problems(df.index, dict(meta.get("columns") or {}))
    for name, message in role_type_errors(std):
        p.add("role_type", "error", name, details=[message])
    for name in std.field_names:
        if name not in df:
            p.add("missing_column", "error", name, details=[
                f"the schema names column {name!r}, which the table does not have"])
    for c in df.columns:
        if c not in std:
            p.add("unknown_column", "warning", str(c), details=[
                f"{str(c)!r} is not described by the schema (it is left out)"])
    cols: dict[str, pd.Series] = {}
    coded: dict[str, int] = {}
    types: dict[str, str] = {}
    for f in std.fields:
        name = f["name"]
        if name not in df:
            continue
        s = df[name]
        if isinstance(s, pd.DataFrame):  # repeated header: the first
            s = s.iloc[:, 0]
        cols[name], coded[name] = _column(p, std, f, s)
        types[name] = str(f.get("type", "string"))
    table = pd.DataFrame(cols, index=df.index)
    report = ValidationReport(p.frame(), file=None if file is None else str(file),
                              n_rows=len(df), standard=std.name)
    return Conformed(table, report, std, types, coded)
