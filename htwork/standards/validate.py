"""Check a standard case frame against a standard and report problems in plain words.

Checks are vectorised: each column is factorised once and every distinct value is checked
once, so a million-row frame costs little more than its distinct values. Problems are kept
as arrays and become one DataFrame; messages are written only when asked for.
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from htwork.standards import _suggest
from htwork.standards._columns import factorize as _factorize
from htwork.standards.codelists import ASEAN, _a2_a3, _regions
from htwork.standards.country import country_form, country_name, to_alpha2, to_alpha3
from htwork.standards.report import ValidationReport
from htwork.standards.schema import Standard, load_standard

__all__ = ["validate"]

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_INT = re.compile(r"[+-]?\d+")
_MAX_SUGGEST = 10_000  # distinct bad values per column that get a suggestion
_BIRTH, _REGISTRATION = "prs_Birthdate", "cas_RegistrationDate"
_Bad = dict[int, tuple[str, str | None]]  # distinct value -> (detail, suggestion)


class _Problems:
    """Collects problems as arrays, one batch per (code, column)."""

    _CONST = ("severity", "code", "column", "source_column")
    _ARRAYS = ("row", "value", "detail", "suggestion")

    def __init__(self, index: pd.Index, columns: dict[str, str]) -> None:
        self.labels = index.to_numpy()
        self.columns = columns
        self.batches: list[tuple[tuple, dict[str, np.ndarray]]] = []

    def add(self, code: str, severity: str, column: str | None, *, pos=None, rows=None,
            values=None, details, suggestions=None, source: str | None = None) -> None:
        """Add problems at row positions ``pos`` (or row labels ``rows``, or no row)."""
        if pos is not None:
            rows = self.labels[pos]
        n = len(details)
        if n == 0:
            return
        src = source if source is not None or column is None else self.columns.get(column, column)

        def arr(x):
            return np.full(n, None, dtype=object) if x is None else np.asarray(x, dtype=object)

        self.batches.append(((severity, code, column, src), {
            "row": arr(rows), "value": arr(values), "detail": arr(details),
            "suggestion": arr(suggestions)}))

    def add_unique(self, code: str, severity: str, column: str, codes: np.ndarray,
                   uniques: np.ndarray, bad: _Bad) -> None:
        """Add one problem per row whose distinct value is in ``bad`` (index -> detail,
        suggestion)."""
        if not bad:
            return
        idx = np.fromiter(bad, dtype=np.int64)
        pos = np.flatnonzero(np.isin(codes, idx))
        u = codes[pos]
        detail = np.full(len(uniques), None, dtype=object)
        sugg = np.full(len(uniques), None, dtype=object)
        for i, (d, s) in bad.items():
            detail[i], sugg[i] = d, s
        self.add(code, severity, column, pos=pos, values=uniques[u], details=detail[u],
                 suggestions=sugg[u])

    def frame(self) -> pd.DataFrame:
        """All problems, one row each; the four constant columns are categoricals."""
        if not self.batches:
            return pd.DataFrame({c: pd.Series([], dtype=object)
                                 for c in (*self._CONST, *self._ARRAYS)})
        sizes = np.array([len(b[1]["detail"]) for b in self.batches])
        out = {}
        for j, name in enumerate(self._CONST):
            consts = [b[0][j] for b in self.batches]
            cats = list(dict.fromkeys(c for c in consts if c is not None))
            where = {c: k for k, c in enumerate(cats)}
            per_batch = np.array([where.get(c, -1) for c in consts])
            # pandas-stubs: from_codes takes an array of codes and a list of categories
            out[name] = pd.Categorical.from_codes(np.repeat(per_batch, sizes), cats)  # type: ignore[arg-type]
        for name in self._ARRAYS:
            out[name] = np.concatenate([b[1][name] for b in self.batches])
        return pd.DataFrame(out)


def _did_you_mean(s: str | None) -> str:
    return f"; did you mean {s!r}?" if s else ""


def _suggest_each(bad: list[int], fn) -> dict[int, Any]:
    return {i: (fn(i) if n < _MAX_SUGGEST else None) for n, i in enumerate(bad)}


# --- checks of one column -------------------------------------------------------------------

def _check_categories(p: _Problems, std: Standard, field: str, codes, uniques) -> None:
    allowed = [str(v) for v in std.categories(field)]
    allowed_set = set(allowed)
    labels = {str(k): v for k, v in std.labels(field).items()}
    if not std.is_multiple(field):
        bad = [i for i, u in enumerate(uniques) if str(u) not in allowed_set]
        sugg = _suggest_each(bad, lambda i: _suggest.code(str(uniques[i]), allowed, labels))
        p.add_unique("not_in_categories", "error", field, codes, uniques, {
            i: (f"{uniques[i]!r} is not an allowed code{_did_you_mean(sugg[i])}"
                + ("" if sugg[i] or len(allowed) > 10 else f" (allowed: {', '.join(allowed)})"),
                sugg[i]) for i in bad})
        return
    sep = std.separator(field)
    # (distinct cell, kind, item, detail, suggestion), one per bad item
    found: list[tuple[int, str, str, str, str | None]] = []
    n_bad = 0
    for i, cell in enumerate(uniques):
        text = str(cell)
        parts = text.split(sep)
        for item in parts:
            if item in allowed_set:
                continue
            if item.strip() == "":
                found.append((i, "empty_item", item, f"{text!r} has an empty item; separate "
                               f"codes with a single {sep!r} and no spaces", None))
                continue
            s = _suggest.code(item, allowed, labels) if n_bad < _MAX_SUGGEST else None
            n_bad += 1
            inside = f" in {text!r}" if len(parts) > 1 else ""
            found.append((i, "not_in_categories", item,
                          f"{item!r}{inside} is not an allowed code{_did_you_mean(s)}", s))
    if not found:
        return
    items = pd.DataFrame(found, columns=["u", "kind", "item", "detail", "suggestion"])
    hit = np.flatnonzero(np.isin(codes, items["u"].to_numpy()))
    rows = pd.DataFrame({"pos": hit, "u": codes[hit]}).merge(items, on="u", sort=False)
    for kind, part in rows.groupby("kind", sort=False):
        part = part.sort_values("pos", kind="stable")
        p.add(str(kind), "error", field, pos=part["pos"].to_numpy(),
              values=part["item"].to_numpy(dtype=object),
              details=part["detail"].to_numpy(dtype=object),
              suggestions=part["suggestion"].to_numpy(dtype=object))


def _pair_details(a: np.ndarray, b: np.ndarray, text) -> np.ndarray:
    """Per-row details that depend on two values, written once per distinct pair."""
    key = np.stack([a, b], axis=1)
    pairs, inverse = np.unique(key, axis=0, return_inverse=True)
    per_pair = np.array([text(int(x), int(y)) for x, y in pairs] + [None], dtype=object)[:-1]
    return per_pair[inverse.ravel()]


def _check_integers(p: _Problems, std: Standard, field: str, codes, uniques) -> None:
    cons = std.field(field).get("constraints", {})
    lo, hi = cons.get("minimum"), cons.get("maximum")
    not_int: _Bad = {}
    out: _Bad = {}
    for i, u in enumerate(uniques):
        text = str(u).strip()
        if not _INT.fullmatch(text):
            s = None
            try:
                f = float(text)
                s = str(int(f)) if f.is_integer() else None
            except ValueError:
                pass
            not_int[i] = (f"{u!r} is not a whole number{_did_you_mean(s)}", s)
            continue
        v = int(text)
        if lo is not None and v < lo:
            out[i] = (f"{u!r} is below the minimum {lo}", None)
        elif hi is not None and v > hi:
            out[i] = (f"{u!r} is above the maximum {hi}", None)
        elif text != str(v):
            not_int[i] = (f"{u!r} should be written {str(v)!r}", str(v))
    p.add_unique("not_integer", "error", field, codes, uniques, not_int)
    p.add_unique("out_of_range", "error", field, codes, uniques, out)


def _check_dates(p: _Problems, field: str, codes, uniques, today: date) -> np.ndarray:
    """Report bad dates; return YYYYMMDD per distinct value (-1 where unusable)."""
    what = "birth date" if field == _BIRTH else "date"
    ymd = np.full(len(uniques), -1, dtype=np.int64)
    found: dict[str, dict[int, tuple[str, str | None]]] = {
        k: {} for k in ("bad_date_format", "invalid_date", "buddhist_era_date", "future_date",
                        "date_before_1900")}
    for i, u in enumerate(uniques):
        text = str(u)
        m = _DATE.fullmatch(text)
        if not m:
            s = _suggest.iso_date(text, today) if len(found["bad_date_format"]) < _MAX_SUGGEST \
                else None
            found["bad_date_format"][i] = (
                f"{text!r} is not a date written YYYY-MM-DD{_did_you_mean(s)}", s)
            continue
        y, mo, d = (int(g) for g in m.groups())
        g = _suggest.gregorian_year(y, today)
        if g is not None:
            real = _suggest.real_date(g, mo, d)
            s = real.isoformat() if real else None
            found["buddhist_era_date"][i] = (
                f"{text!r} looks like a Buddhist-Era date ({y} BE = {g}){_did_you_mean(s)}", s)
            continue
        real = _suggest.real_date(y, mo, d)
        if real is None:
            found["invalid_date"][i] = (f"{text!r} is not a real date", None)
        elif real > today:
            found["future_date"][i] = (f"{what} {text!r} is in the future", None)
        elif y < 1900:
            found["date_before_1900"][i] = (f"{what} {text!r} is before 1900", None)
        else:
            ymd[i] = y * 10000 + mo * 100 + d
    for code, bad in found.items():
        p.add_unique(code, "error", field, codes, uniques, bad)
    return ymd


def _check_countries(p: _Problems, std: Standard, field: str, codes, uniques) -> None:
    """Countries in the forms the field accepts (``htwork:countryForms``: alpha2 by default;
    alpha3, name); a country written another way is reported with the accepted spelling."""
    forms = list(std.field(field).get("htwork:countryForms") or ["alpha2"])
    words = {"alpha2": "an ISO 3166-1 alpha-2 code", "alpha3": "an ISO 3166-1 alpha-3 code",
             "name": "an English country name"}
    want = " or ".join(words[f] for f in forms if f in words)
    convert = {"alpha2": to_alpha2, "alpha3": to_alpha3, "name": country_name}[forms[0]]
    bad: _Bad = {}
    for i, u in enumerate(uniques):
        form = country_form(u)
        if form in forms and (form != "alpha2" or str(u) == str(u).strip()):
            continue
        if form is not None:
            s = convert(u)
            bad[i] = (f"{u!r} is a country, but this field takes {want}"
                      f"{_did_you_mean(s)}", s)
        else:
            s = _suggest.country(str(u)) if len(bad) < _MAX_SUGGEST else None
            s = convert(s) if s else None
            bad[i] = (f"{u!r} is not {want}{_did_you_mean(s)}", s)
    p.add_unique("unknown_country", "error", field, codes, uniques, bad)


def _check_regions(p: _Problems, std: Standard, field: str, codes, uniques,
                   df: pd.DataFrame) -> None:
    reg = _regions()
    country_of = dict(zip(reg["code"], reg["country"], strict=True))
    name_of = dict(zip(reg["code"], reg["name"], strict=True))
    known_countries = _a2_a3()
    unknown: _Bad = {}
    outside: _Bad = {}
    for i, u in enumerate(uniques):
        text = str(u)
        if text in country_of:
            continue
        prefix = text.split("-")[0]
        if re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", text) and prefix in known_countries \
                and prefix not in ASEAN:
            outside[i] = (f"{text!r} is a region of {prefix}, outside ASEAN: htwork ships "
                          "regions of the ASEAN states only and cannot check it", None)
        else:
            s = _suggest.region(text) if len(unknown) < _MAX_SUGGEST else None
            unknown[i] = (f"{text!r} is not a known first-level region code"
                          f"{_did_you_mean(s)}", s)
    p.add_unique("unknown_region", "error", field, codes, uniques, unknown)
    p.add_unique("region_not_checked", "warning", field, codes, uniques, outside)
    cfield = std.field(field).get("htwork:country_field")
    if not cfield or cfield not in df:
        return
    reg_country = np.array([country_of.get(str(u)) for u in uniques] + [None], dtype=object)
    per_row = reg_country[np.where(codes < 0, len(uniques), codes)]
    ccodes, cuniques = _factorize(df[cfield])
    valid_u = np.array([str(c) in known_countries for c in cuniques] + [False], dtype=bool)
    row_country = np.append(cuniques, None)[ccodes]  # type: ignore[arg-type]  # numpy stubs: None is an object scalar
    valid_country = valid_u[ccodes]  # code -1 picks the trailing False
    pos = np.flatnonzero(pd.notna(per_row) & valid_country & (per_row != row_country))
    if not len(pos):
        return

    def mismatch(ru: int, cu: int) -> str:
        v = uniques[ru]
        return (f"{v!r} ({name_of[v]}) is a region of {country_of[v]}, but the row's country "
                f"({cfield}) is {cuniques[cu]!r}")

    p.add("region_country_mismatch", "error", field, pos=pos, values=uniques[codes[pos]],
          details=_pair_details(codes[pos], ccodes[pos], mismatch))


def _check_pattern(p: _Problems, field: str, pattern: str, codes, uniques) -> None:
    rx = re.compile(pattern)
    bad: _Bad = {i: (f"{u!r} is not in the expected form ({pattern})", None)
           for i, u in enumerate(uniques) if not rx.fullmatch(str(u))}
    p.add_unique("pattern_mismatch", "error", field, codes, uniques, bad)


def _check_unique(p: _Problems, field: str, codes, uniques) -> None:
    dup = (codes >= 0) & pd.Series(codes).duplicated(keep=False).to_numpy()
    if not dup.any():
        return
    pos = np.flatnonzero(dup)
    u = codes[pos]
    order = np.argsort(u, kind="stable")
    groups, first, counts = np.unique(u[order], return_index=True, return_counts=True)
    detail = np.full(len(uniques), None, dtype=object)
    if len(groups) <= _MAX_SUGGEST:  # name the other rows
        lab = p.labels[pos[order]]
        for k, f0, n in zip(groups, first, counts, strict=True):
            shown = ", ".join(map(str, lab[f0:f0 + min(n, 3)])) + (", ..." if n > 3 else "")
            detail[k] = f"{uniques[k]!r} appears on {n} rows (rows {shown}); each row needs " \
                        "its own id"
    else:  # too many to write out one by one
        text = {n: f"this id appears on {n} rows; each row needs its own id"
                for n in np.unique(counts)}
        detail[groups] = [text[n] for n in counts]
    p.add("duplicate_key", "error", field, pos=pos, values=uniques[u], details=detail[u])


# --- the whole table ------------------------------------------------------------------------

def _check_columns(p: _Problems, std: Standard, df: pd.DataFrame) -> None:
    for f in std.required:
        if f not in df:
            p.add("missing_column", "error", f, details=[
                f"the required column {f!r} is missing; add it, or map the agency's column to "
                "it in the crosswalk"], source=p.columns.get(f, f))
    for c in df.columns[df.columns.duplicated()].unique():
        p.add("duplicate_column", "error", str(c), details=[
            f"the table has more than one column {str(c)!r}; only the first is checked"],
            source=p.columns.get(c, str(c)))
    names = std.field_names
    for c in df.columns.unique():
        if c in std:
            continue
        near = difflib.get_close_matches(str(c), names, n=1, cutoff=0.6)
        s = near[0] if near else None
        p.add("unknown_column", "warning", str(c), details=[
            f"{str(c)!r} is not a field of the {std.name} standard{_did_you_mean(s)}"],
            suggestions=[s], source=str(c))


def _read_problems(p: _Problems, meta: dict) -> None:
    back = {v: k for k, v in p.columns.items()}
    for rp in meta.get("read_problems") or []:
        col = rp.get("column")
        p.add(str(rp.get("code") or "read_problem"), str(rp.get("severity") or "error"),
              back.get(col, col), rows=[rp.get("row")], values=[rp.get("value")],
              details=[str(rp.get("message") or "the file could not be read here")],
              source=col)


_READ_DATE_CODES = ("bad_date", "buddhist_era_date")
_OWN_DATE_CODES = ("bad_date_format", "invalid_date")


def _once_per_cell(problems: pd.DataFrame) -> pd.DataFrame:
    """Drop our own date-format problems on cells the reader already reported as bad dates.

    A crosswalk passes an unparsable date through as raw text (so that it is not lost) and
    reports it as ``bad_date``; the raw text then also fails the ``YYYY-MM-DD`` check.
    """
    read = problems[problems["code"].isin(_READ_DATE_CODES)]
    if read.empty:
        return problems
    seen = set(zip(read["column"].astype(object), read["row"], strict=True))
    own = np.flatnonzero(problems["code"].isin(_OWN_DATE_CODES).to_numpy())
    columns = problems["column"].astype(object).to_numpy()[own]
    rows = problems["row"].to_numpy()[own]
    dup = np.zeros(len(problems), dtype=bool)
    dup[own] = [(c, r) in seen for c, r in zip(columns, rows, strict=True)]
    return problems[~dup].reset_index(drop=True)


def _without_missing_codes(codes: np.ndarray, uniques: np.ndarray,
                           missing: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Treat the field's missing-value codes (``-99``...) as empty cells (code -1)."""
    miss = {m for m in missing if m != ""}
    if not miss or not len(uniques):
        return codes, uniques
    drop = np.array([str(u) in miss for u in uniques], dtype=bool)
    if not drop.any():
        return codes, uniques
    new = np.cumsum(~drop) - 1
    remap = np.append(np.where(drop, -1, new), -1)
    return remap[np.where(codes < 0, len(uniques), codes)], uniques[~drop]


def _ymd(n: int) -> str:
    return f"{n // 10000:04d}-{n // 100 % 100:02d}-{n % 100:02d}"


def validate(df: pd.DataFrame, standard: str | Path | Standard = "input", *,
             file: str | Path | None = None) -> ValidationReport:
    """Check a table against a standard.

    Parameters
    ----------
    df : pandas.DataFrame
        The table, columns named as the standard's fields (values strings, missing = empty).
        Its index labels are reported as row numbers; ``df.attrs["htwork"]`` (see
        ``docs/CONTRACTS.md``) supplies the file name, the file's own column names and the
        problems met while reading.
    standard : str, Path or Standard, default "input"
        ``"input"``, ``"release"``, a schema file, or a loaded :class:`Standard`.
    file : str or Path, optional
        The file name to report; defaults to ``df.attrs["htwork"]["file"]``.

    Returns
    -------
    ValidationReport
        ``report.ok`` is True when there is no error; ``print(report)`` explains the rest.
    """
    std = load_standard(standard)
    meta = df.attrs.get("htwork") or {}
    if file is None:
        file = meta.get("file")
    p = _Problems(df.index, dict(meta.get("columns") or {}))
    today = date.today()
    _read_problems(p, meta)
    _check_columns(p, std, df)
    if df.columns.has_duplicates:
        df = df.loc[:, ~df.columns.duplicated()]
    ymd: dict[str, np.ndarray] = {}
    for f in std.fields:
        name = f["name"]
        if name not in df:
            continue
        cons = f.get("constraints", {})
        checks = (cons.get("required") or cons.get("unique") or f.get("categories")
                  or f.get("type") in ("date", "integer") or f.get("htwork:codelist")
                  or cons.get("pattern") or name in std.primary_key)
        if not checks:
            continue
        codes, uniques = _factorize(df[name])
        codes, uniques = _without_missing_codes(codes, uniques, std.missing_codes(name))
        if cons.get("required"):
            pos = np.flatnonzero(codes < 0)
            p.add("required_missing", "error", name, pos=pos,
                  details=np.full(len(pos), "this cell is empty but must be filled", dtype=object))
        if f.get("type") == "integer":
            _check_integers(p, std, name, codes, uniques)
        if f.get("type") == "date":
            per_u = _check_dates(p, name, codes, uniques, today)
            ymd[name] = np.append(per_u, -1)[np.where(codes < 0, len(uniques), codes)]
        if f.get("categories"):
            if f.get("type") == "integer":
                ok = np.array([bool(_INT.fullmatch(str(u).strip())) for u in uniques], dtype=bool)
                uniques = np.array([str(int(str(u))) if k else u for u, k in zip(uniques, ok,
                                   strict=True)], dtype=object)
                codes = np.where(np.append(ok, True)[codes], codes, -1)
            _check_categories(p, std, name, codes, uniques)
        elif f.get("htwork:codelist") == "iso3166":
            _check_countries(p, std, name, codes, uniques)
        elif f.get("htwork:codelist") == "asean_regions":
            _check_regions(p, std, name, codes, uniques, df)
        elif cons.get("pattern"):
            _check_pattern(p, name, cons["pattern"], codes, uniques)
        if cons.get("unique") or std.primary_key == [name]:
            _check_unique(p, name, codes, uniques)
    if _BIRTH in ymd and _REGISTRATION in ymd:
        b, r = ymd[_BIRTH], ymd[_REGISTRATION]
        pos = np.flatnonzero((b > 0) & (r > 0) & (r < b))

        def text(rd: int, bd: int) -> str:
            return (f"registered on {_ymd(rd)}, before the birth date {_ymd(bd)} "
                    f"in {_BIRTH}")

        p.add("registered_before_birth", "error", _REGISTRATION, pos=pos,
              values=df[_REGISTRATION].to_numpy(dtype=object)[pos],
              details=_pair_details(r[pos], b[pos], text))
    return ValidationReport(_once_per_cell(p.frame()), file=None if file is None else str(file),
                            n_rows=len(df), standard=std.name)
