"""The result of :func:`htwork.standards.validate`: problems found, in words people use."""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pandas as pd

from htwork.core.results import Result

__all__ = ["ValidationReport", "PROBLEM_CODES", "PROBLEM_COLUMNS"]

#: Every problem code validation can report, with a short explanation.
PROBLEM_CODES: dict[str, str] = {
    "missing_column": "a required column is missing",
    "unknown_column": "a column the standard does not have",
    "duplicate_column": "two columns with the same name",
    "required_missing": "a required cell is empty",
    "not_in_categories": "not an allowed code",
    "empty_item": "an empty item between separators",
    "unknown_country": "not a country in the form the field takes",
    "unknown_region": "not a known first-level region code",
    "region_not_checked": "a region outside ASEAN, which htwork cannot check",
    "region_country_mismatch": "a region that is not in the row's country",
    "bad_date_format": "a date not written YYYY-MM-DD",
    "invalid_date": "no such date in the calendar",
    "buddhist_era_date": "a Buddhist-Era year (Gregorian year + 543)",
    "future_date": "a date in the future",
    "date_before_1900": "a date before 1900",
    "registered_before_birth": "registered before the person was born",
    "not_integer": "not a whole number",
    "out_of_range": "a number out of the allowed range",
    "duplicate_key": "the same case id on more than one row",
    "pattern_mismatch": "not in the expected form",
    "not_number": "not a number",
    "not_boolean": "not true or false",
    "bad_value": "a value the field's type cannot hold",
    "role_type": "a role the field's type cannot have (a weight must be a number)",
    # met while reading the file (htwork.io / the agency crosswalk)
    "bad_encoding": "bytes that do not decode in the file's encoding",
    "bad_date": "a date that does not read in the agency's date format",
}
#: Columns of :attr:`ValidationReport.problems`.
PROBLEM_COLUMNS = ["severity", "code", "column", "source_column", "row", "value", "message",
                   "suggestion"]
_N_EXAMPLES = 5


def _where(column: Any, source: Any) -> str:
    if column is None or (isinstance(column, float) and np.isnan(column)):
        return ""
    if source is not None and source == source and source != column:
        return f"column {source!r} ({column})"
    return f"column {column!r}"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


class ValidationReport(Result):
    """Problems found when checking a table against a standard.

    Parameters
    ----------
    raw : pandas.DataFrame
        One row per problem: ``severity, code, column, source_column, row, value, detail,
        suggestion`` (``detail`` is the message without its "row, column" prefix).
    file : str, optional
        The file the table was read from.
    n_rows : int
        Number of rows checked.
    standard : str
        Name of the standard checked against.

    Attributes
    ----------
    ok : bool
        True when there is no error (warnings allowed).
    n_errors, n_warnings : int
    problems : pandas.DataFrame
        One row per problem with columns ``severity`` (error|warning), ``code``, ``column``
        (standard field), ``source_column`` (the file's own header), ``row`` (as a spreadsheet
        numbers it), ``value``, ``message`` and ``suggestion``.
    """

    def __init__(self, raw: pd.DataFrame, *, file: str | None, n_rows: int,
                 standard: str) -> None:
        self._raw = raw
        self.file = None if file is None else str(file)
        self.n_rows = int(n_rows)
        self.standard = standard
        sev = raw["severity"].astype(str) if len(raw) else pd.Series([], dtype=str)
        self.n_errors = int((sev == "error").sum())
        self.n_warnings = int((sev == "warning").sum())
        self._problems: pd.DataFrame | None = None

    @property
    def ok(self) -> bool:
        return self.n_errors == 0

    @property
    def problems(self) -> pd.DataFrame:
        if self._problems is None:
            self._problems = self._render()
        return self._problems

    def _render(self) -> pd.DataFrame:
        raw = self._raw
        out = raw.drop(columns=["detail"])
        where = self._where_vectorised()
        msgs = [
            (f"row {r}, {w}: {d}" if w else f"row {r}: {d}") if r is not None and r == r
            else (f"{w}: {d}" if w else str(d))
            for r, w, d in zip(raw["row"].to_numpy(dtype=object), where, raw["detail"],
                               strict=True)
        ]
        out.insert(6, "message", pd.Series(msgs, index=raw.index, dtype=object))
        return out[PROBLEM_COLUMNS]

    def _where_vectorised(self) -> np.ndarray:
        """The "column 'x' (field)" text of every problem, written once per column pair."""
        raw = self._raw
        if not len(raw):
            return np.array([], dtype=object)
        col = raw["column"].astype("category")
        src = raw["source_column"].astype("category")
        key = col.cat.codes.to_numpy(np.int64) * (len(src.cat.categories) + 1) \
            + src.cat.codes.to_numpy(np.int64) + 1
        uniq, inverse = np.unique(key, return_inverse=True)
        ccats, scats = list(col.cat.categories), list(src.cat.categories)
        n_s = len(scats) + 1
        text = np.array([_where(ccats[k // n_s] if k // n_s >= 0 else None,
                                scats[k % n_s - 1] if k % n_s else None) for k in uniq],
                        dtype=object)
        return text[inverse.ravel()]

    # --- views -----------------------------------------------------------------------------
    def to_frame(self) -> pd.DataFrame:
        """The problems as a DataFrame (a copy)."""
        return self.problems.copy()

    def _data(self) -> dict[str, Any]:
        """File, standard, counts and every problem (a missing value is ``None``)."""
        return {"file": self.file, "standard": self.standard, "n_rows": self.n_rows,
                "ok": self.ok, "n_errors": self.n_errors, "n_warnings": self.n_warnings,
                "problems": self.problems.astype(object).to_dict("records")}

    def groups(self) -> pd.DataFrame:
        """Problems grouped by (severity, code, column): count and up to 5 examples, each
        ``(row, value, detail, suggestion)``. Errors first, then in order of appearance."""
        raw = self._raw
        cols = ["severity", "code", "column", "source_column"]
        if not len(raw):
            return pd.DataFrame(columns=[*cols, "count", "examples"])
        key = np.zeros(len(raw), dtype=np.int64)
        cats = {}
        for c in cols:
            cat = raw[c].astype("category")
            cats[c] = list(cat.cat.categories)
            key = key * (len(cats[c]) + 1) + cat.cat.codes.to_numpy(np.int64) + 1
        order = np.argsort(key, kind="stable")
        uniq, first, counts = np.unique(key[order], return_index=True, return_counts=True)
        records = []
        for k, f0, n in zip(uniq, first, counts, strict=True):
            rec, rest = {}, int(k)
            for c in reversed(cols):
                m = len(cats[c]) + 1
                code = rest % m - 1
                rest //= m
                rec[c] = cats[c][code] if code >= 0 else None
            take = order[f0:f0 + min(int(n), _N_EXAMPLES)]
            rec["count"] = int(n)
            rec["examples"] = list(zip(raw["row"].to_numpy()[take], raw["value"].to_numpy()[take],
                                       raw["detail"].to_numpy()[take],
                                       raw["suggestion"].to_numpy()[take], strict=True))
            rec["_first"] = int(order[f0])
            rec["_sev"] = 0 if rec["severity"] == "error" else 1
            records.append(rec)
        out = pd.DataFrame(records).sort_values(["_sev", "_first"], kind="stable")
        return out.drop(columns=["_sev", "_first"]).reset_index(drop=True)

    def summary(self) -> str:
        """A plain-text report: a header line, then problems grouped by code and column."""
        lines = [f"file {self.file or '(data frame)'}: {_plural(self.n_rows, 'row')}, "
                 f"{_plural(self.n_errors, 'error')}, {_plural(self.n_warnings, 'warning')}"]
        g: Any  # a row of groups(): pandas-stubs types its fields as any scalar
        for g in self.groups().itertuples(index=False):
            where = _where(g.column, g.source_column) or "the table"
            what = PROBLEM_CODES.get(g.code, "a problem met while reading the file")
            lines.append(f"{g.severity.upper()} {g.code} in {where}: "
                         f"{_plural(int(g.count), 'problem')}, {what}")
            for row, _value, detail, _sugg in g.examples:
                at = f"row {row}: " if row is not None and row == row else ""
                lines.append(f"    {at}{detail}")
            if g.count > _N_EXAMPLES:
                lines.append(f"    ... and {g.count - _N_EXAMPLES:,} more")
        if self.ok and not self.n_warnings:
            lines.append(f"no problems: the table meets the {self.standard} standard")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return (f"<ValidationReport file={self.file!r} standard={self.standard!r} "
                f"rows={self.n_rows} errors={self.n_errors} warnings={self.n_warnings}>")

    def _repr_html_(self) -> str:
        esc = html.escape
        head = esc(self.summary().splitlines()[0])
        rows = []
        g: Any  # a row of groups(), as in summary()
        for g in self.groups().itertuples(index=False):
            ex = "<br>".join(
                esc((f"row {r}: " if r is not None and r == r else "") + str(d))
                for r, _v, d, _s in g.examples
            )
            sugg = {s for *_, s in g.examples if s is not None and s == s}
            rows.append(
                f"<tr><td>{esc(g.severity)}</td><td>{esc(g.code)}</td>"
                f"<td>{esc(_where(g.column, g.source_column))}</td>"
                f"<td>{int(g.count):,}</td><td>{ex}</td>"
                f"<td>{esc(', '.join(sorted(map(str, sugg))))}</td></tr>"
            )
        table = ("<table><thead><tr><th>severity</th><th>code</th><th>column</th>"
                 "<th>count</th><th>examples</th><th>suggestions</th></tr></thead><tbody>"
                 + "".join(rows) + "</tbody></table>") if rows else ""
        return f"<div><p><b>{head}</b></p>{table}</div>"
