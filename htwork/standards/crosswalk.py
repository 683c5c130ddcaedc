"""Agency crosswalks: map an agency's own export (columns, codes, dates) to the input standard.

A crosswalk is a YAML file (format in ``docs/CONTRACTS.md``); htwork ships examples in
``htwork/standards/data/crosswalks/``. Agencies add their own by writing a YAML file, never by
editing code::

    >>> from htwork.standards.crosswalk import load_crosswalk
    >>> cw = load_crosswalk("th_cross_ministerial")
    >>> df = cw.read("export.csv")                              # doctest: +SKIP

Applying a crosswalk never drops a value silently: an agency code without a mapping and a date
that does not parse pass through as written, so that validation reports them with the file's
own column name and row number.

Two optional keys extend the contract's format: ``country`` (ISO alpha-2 of the country whose
agencies export files like this; the simulator uses it) and ``file.title_rows`` (rows written
above the header when exporting to .xlsx).
"""

from __future__ import annotations

import codecs
import dataclasses
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from htwork.errors import CrosswalkError
from htwork.standards.codelists import is_country, is_region
from htwork.standards.country import normalise_countries, to_alpha2
from htwork.standards.schema import load_standard

__all__ = ["Crosswalk", "ColumnMap", "load_crosswalk", "list_crosswalks"]

_TOP_KEYS = {"name", "title", "description", "country", "file", "defaults", "columns",
             "constants"}
_FILE_KEYS = {"format", "encoding", "delimiter", "sheet", "header_row", "title_rows"}
_DEFAULT_KEYS = {"date_format", "calendar", "separator", "missing"}
_COLUMN_KEYS = {"field", "codes", "date_format", "calendar", "separator", "missing"}
_CALENDARS = ("gregorian", "buddhist")
_FORMATS = ("csv", "xlsx", "parquet")
_SPACES = re.compile(r"\s+")


def _norm(text: str) -> str:
    """Loose form of a header or code: case-folded, inner whitespace collapsed."""
    return _SPACES.sub(" ", str(text)).strip().casefold()


# --- YAML loading with duplicate-key detection ----------------------------------------------


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a key given twice in one mapping."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    loader.flatten_mapping(node)
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise _DuplicateKey(str(key), key_node.start_mark.line + 1, seen[key])
        seen[key] = key_node.start_mark.line + 1
    return _Lines(loader.construct_mapping(node, deep=deep), seen)


class _Lines(dict):
    """A YAML mapping that remembers the line of each of its keys (for error messages)."""

    def __init__(self, data: dict, lines: dict[Any, int]) -> None:
        super().__init__(data)
        self.lines = lines


def _line(mapping: Any, key: Any) -> int | None:
    return getattr(mapping, "lines", {}).get(key)


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int, first: int) -> None:
        super().__init__(key)
        self.key, self.line, self.first = key, line, first


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                                 _construct_mapping)


# --- the crosswalk ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnMap:
    """How one agency column maps to one standard field.

    Attributes
    ----------
    header : str
        The agency's column header.
    field : str
        The standard field it fills.
    codes : dict
        Agency code -> standard code (applied item by item in multi-select cells). ``None``
        maps the code to a missing value (``"-99": null``); in a multi-select field a code may
        map to several standard codes at once (a YAML list, kept joined by ``;``).
    date_format, calendar : str or None
        For date fields: ``strptime``-style format and ``"gregorian"``/``"buddhist"``.
    separator : str or None
        For multi-select fields: what separates items in the agency's cells.
    missing : tuple of str
        Agency codes that mean "not recorded" in this column (besides the crosswalk's
        ``defaults: missing``): such cells become empty.
    """

    header: str
    field: str
    codes: dict[str, str | None] = dataclasses.field(default_factory=dict)
    date_format: str | None = None
    calendar: str | None = None
    separator: str | None = None
    missing: tuple[str, ...] = ()

    @property
    def export_codes(self) -> dict[str, str]:
        """Standard code -> the first agency code listed for it (codes mapped to missing or
        to several codes are left out: they have no single way back)."""
        out: dict[str, str] = {}
        for agency, std in self.codes.items():
            if std is not None and ";" not in std:
                out.setdefault(std, agency)
        return out


@dataclass(frozen=True, eq=False)
class Crosswalk:
    """A loaded, checked agency crosswalk (see :func:`load_crosswalk`)."""

    name: str
    title: str
    description: str
    country: str | None
    file: dict[str, Any]
    defaults: dict[str, Any]
    columns: tuple[ColumnMap, ...]
    constants: dict[str, str]
    source: str | None = None

    def __repr__(self) -> str:
        return f"Crosswalk({self.name!r}, {len(self.columns)} columns, source={self.source!r})"

    # --- reading ---------------------------------------------------------------------------

    def read(self, path: str | Path) -> pd.DataFrame:
        """Read an agency file with this crosswalk's layout hints, then :meth:`apply` it.

        Parameters
        ----------
        path : str or Path
            The agency's export.

        Returns
        -------
        pandas.DataFrame
            The standard frame (see :meth:`apply`).
        """
        from htwork.io import read_table

        f = self.file
        raw = read_table(path, format=f.get("format"), encoding=f.get("encoding"),
                         sheet=f.get("sheet"), header_row=f.get("header_row"),
                         delimiter=f.get("delimiter"))
        return self.apply(raw)

    def apply(self, raw: pd.DataFrame) -> pd.DataFrame:
        """Map an agency frame (as :func:`htwork.io.read_table` returns it) to the standard.

        Columns are renamed, codes mapped (item by item in multi-select cells, joined with
        ``;`` in the schema's category order), dates converted to ISO with the crosswalk's
        format and calendar, and constants added. The index (spreadsheet row numbers) is kept.

        Parameters
        ----------
        raw : pandas.DataFrame
            The agency's table, values as text.

        Returns
        -------
        pandas.DataFrame
            Standard fields in schema order. ``attrs["htwork"]`` keeps ``file`` and the read
            problems (plus one ``bad_date`` problem per unreadable date), sets ``columns``
            (standard field -> agency column, also for expected columns the file lacks, so
            validation names them) and ``unmapped_columns`` (agency columns not used).
            Unmapped codes and unreadable dates pass through as written. An expected column
            the file lacks is left out (validation reports it if it is required).
        """
        from htwork.io import parse_dates

        meta = dict(raw.attrs.get("htwork") or {})
        file = meta.get("file")
        problems = list(meta.get("read_problems") or [])
        std = load_standard("input")
        by_header = {h: h for h in raw.columns}
        loose = {_norm(h): h for h in raw.columns}
        out: dict[str, pd.Series] = {}
        columns: dict[str, str] = {}
        used: set[str] = set()
        for cm in self.columns:
            columns[cm.field] = cm.header
            header = by_header.get(cm.header) or loose.get(_norm(cm.header))
            if header is None:
                continue
            used.add(header)
            columns[cm.field] = header
            values = raw[header].astype(object).where(raw[header].notna(), None)  # type: ignore[call-overload]  # pandas-stubs: other=None is allowed
            absent = {*self.defaults.get("missing", ()), *cm.missing}
            if absent:
                values = _map_values(values, lambda v, a=absent: None if v.strip() in a else v)
            spec = std.field(cm.field)
            if spec.get("type") == "date":
                fmt = cm.date_format or self.defaults.get("date_format")
                cal = cm.calendar or self.defaults.get("calendar", "gregorian")
                res = parse_dates(values, format=fmt, calendar=cal, column=header, file=file)
                parsed = res.values.copy()
                bad = parsed.index.isin(res.failed)
                parsed[bad] = values[bad]
                values = parsed
                for prob in res.problems:
                    prob.setdefault("severity", "error")
                    prob["column"] = header
                problems.extend(res.problems)
            elif spec.get("htwork:multiple"):
                sep = cm.separator or self.defaults.get("separator", ";")
                order = _category_order(cm.field)
                values = _map_values(values, lambda v, c=cm, s=sep, o=order:
                                     _map_multi(v, c.codes, s, o))
            elif cm.codes:
                values = _map_values(values, lambda v, c=cm: _map_one(v, c.codes))
            if spec.get("htwork:codelist") == "iso3166":  # any spelling of a country -> alpha-2
                values, _ = normalise_countries(values, "alpha2")
            out[cm.field] = values
        index = raw.index
        for fld, value in self.constants.items():
            out[fld] = pd.Series([value] * len(index), index=index, dtype=object)
        names = [f for f in std.field_names if f in out]
        df = pd.DataFrame({f: out[f] for f in names}, index=index, columns=names)
        df.attrs["htwork"] = {**meta, "file": file, "columns": columns,
                              "read_problems": problems,
                              "unmapped_columns": [h for h in raw.columns if h not in used],
                              "crosswalk": self.name}
        return df

    # --- writing ---------------------------------------------------------------------------

    def export(self, df: pd.DataFrame) -> pd.DataFrame:
        """Write a standard frame the agency's way: the inverse of :meth:`apply`.

        Each standard code becomes the first agency code listed for it (codes without one stay
        as they are), multi-select cells are joined with the agency's separator, dates are
        written in the agency's format and calendar. Constants are left out (the agency file
        does not have them); agency columns whose field the frame lacks are empty.

        Parameters
        ----------
        df : pandas.DataFrame
            A frame in the input standard.

        Returns
        -------
        pandas.DataFrame
            Agency headers in crosswalk order, values as text, a fresh 0-based index.
        """
        from htwork.io import format_date

        std = load_standard("input")
        n = len(df)
        out: dict[str, np.ndarray] = {}
        for cm in self.columns:
            if cm.field not in df:
                out[cm.header] = np.full(n, None, dtype=object)
                continue
            values = pd.Series(df[cm.field].to_numpy(dtype=object), dtype=object)
            values = values.where(values.notna(), None)  # type: ignore[call-overload]  # pandas-stubs: other=None is allowed
            spec = std.field(cm.field)
            if spec.get("type") == "date":
                fmt = cm.date_format or self.defaults.get("date_format") or "%Y-%m-%d"
                cal = cm.calendar or self.defaults.get("calendar", "gregorian")
                iso = values.map(lambda v: v if isinstance(v, str) and _ISO.fullmatch(v)
                                 else None)
                written = format_date(iso, fmt, cal)
                values = written.where(iso.notna(), values)
            elif spec.get("htwork:multiple"):
                sep = cm.separator or self.defaults.get("separator", ";")
                inv = cm.export_codes
                values = _map_values(values, lambda v, s=sep, m=inv: s.join(
                    m.get(item, item) for item in v.split(";")))
            elif cm.codes:
                inv = cm.export_codes
                values = _map_values(values, lambda v, m=inv: m.get(v, v))
            out[cm.header] = values.to_numpy(dtype=object)
        return pd.DataFrame(out, columns=[cm.header for cm in self.columns])

    def write(self, df: pd.DataFrame, path: str | Path) -> Path:
        """Export a standard frame and write it in the agency's file format.

        CSV is written in the crosswalk's encoding and delimiter, .xlsx with its sheet name and
        title rows, Parquet as is; always atomically and deterministically.

        Returns
        -------
        Path
            The file written.
        """
        from htwork.io import write_csv, write_parquet, write_xlsx

        path = Path(path)
        agency = self.export(df)
        fmt = self.file.get("format") or _format_of(path)
        if fmt == "xlsx":
            write_xlsx({str(self.file.get("sheet") or "Sheet1"): agency}, path,
                       title_rows=self.file.get("title_rows"))
        elif fmt == "parquet":
            write_parquet(agency, path)
        else:
            write_csv(agency, path, encoding=self.file.get("encoding") or "utf-8",
                      delimiter=self.file.get("delimiter") or ",")
        return path


_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _format_of(path: Path) -> str:
    ext = path.suffix.lower().lstrip(".")
    return {"xlsx": "xlsx", "parquet": "parquet"}.get(ext, "csv")


def _map_values(values: pd.Series, fn) -> pd.Series:
    """Apply ``fn`` once per distinct non-missing value."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.array([fn(str(u)) for u in uniques] + [None], dtype=object)
    return pd.Series(mapped[codes], index=values.index, dtype=object)


def _map_one(value: str, codes: dict[str, str | None]) -> str | None:
    text = value.strip()
    if text in codes:
        return codes[text]
    loose = _loose_codes(tuple(codes.items()))
    key = _norm(text)
    return loose[key] if key in loose else value


@cache
def _loose_codes(items: tuple[tuple[str, str | None], ...]) -> dict[str, str | None]:
    return {_norm(k): v for k, v in items}


def _map_multi(value: str, codes: dict[str, str | None], sep: str,
               order: dict[str, int]) -> str | None:
    items = [x.strip() for x in value.split(sep)] if sep.strip() else value.split(sep)
    if sep.strip() != sep:  # e.g. ", ": also accept the bare separator
        items = [y.strip() for x in items for y in x.split(sep.strip())]
    mapped: list[str] = []
    for x in items:
        if not x.strip():
            continue
        m = _map_one(x, codes) if codes else x
        if m is not None:  # an item mapped to missing adds nothing
            mapped += m.split(";")  # one agency code may stand for several standard codes
    mapped = list(dict.fromkeys(mapped))
    if not mapped:
        return None
    known = sorted((m for m in mapped if m in order), key=order.__getitem__)
    return ";".join(known + [m for m in mapped if m not in order])


@cache
def _category_order(field_name: str) -> dict[str, int]:
    cats = load_standard("input").field(field_name).get("categories") or []
    return {c["value"]: i for i, c in enumerate(cats)}


# --- loading and checking ---------------------------------------------------------------------


def list_crosswalks() -> list[str]:
    """Names of the crosswalks shipped with htwork (``load_crosswalk`` accepts them)."""
    folder = resources.files("htwork.standards").joinpath("data", "crosswalks")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_crosswalk(name_or_path: str | Path | Crosswalk) -> Crosswalk:
    """Load and check an agency crosswalk.

    Parameters
    ----------
    name_or_path : str, Path or Crosswalk
        A shipped crosswalk's name (see :func:`list_crosswalks`) or a YAML file.

    Returns
    -------
    Crosswalk

    Raises
    ------
    htwork.errors.CrosswalkError
        When the file is missing or malformed: bad YAML, a key given twice, an unknown key or
        standard field name (with the nearest name suggested), an unknown calendar or file
        format, two agency columns mapped to the same field, a code mapped to something the
        standard does not allow. The message names the YAML file and the key.
    """
    if isinstance(name_or_path, Crosswalk):
        return name_or_path
    text, source = _find(name_or_path)
    return _parse(text, source)


def _find(name_or_path: str | Path) -> tuple[str, str]:
    p = Path(name_or_path)
    if p.suffix.lower() in (".yaml", ".yml") or p.exists() or len(p.parts) > 1:
        if not p.is_file():
            raise CrosswalkError("the crosswalk file does not exist", file=p,
                                 hint=f"give a YAML file or one of: {', '.join(list_crosswalks())}")
        return p.read_text(encoding="utf-8"), str(p)
    name = str(name_or_path)
    if name not in list_crosswalks():
        near = difflib.get_close_matches(name, list_crosswalks(), n=1)
        raise CrosswalkError(
            f"there is no shipped crosswalk named {name!r}"
            + (f"; did you mean {near[0]!r}?" if near else ""),
            hint=f"give a YAML file, or one of: {', '.join(list_crosswalks())}")
    res = resources.files("htwork.standards").joinpath("data", "crosswalks", f"{name}.yaml")
    return res.read_text(encoding="utf-8"), f"htwork/standards/data/crosswalks/{name}.yaml"


def _err(source: str, key: str, message: str, hint: str | None = None,
         line: int | None = None) -> CrosswalkError:
    where = f"line {line}, " if line else ""
    return CrosswalkError(f"{where}key {key}: {message}", file=source, hint=hint)


def _parse(text: str, source: str) -> Crosswalk:
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 (a SafeLoader subclass)
    except _DuplicateKey as dup:
        raise CrosswalkError(
            f"the key {dup.key!r} is given twice (lines {dup.first} and {dup.line})",
            file=source, hint="each agency column, code and setting may appear only once") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise CrosswalkError(f"this is not valid YAML{where}: {getattr(exc, 'problem', exc)}",
                             file=source, hint="check indentation and quotes") from None
    if not isinstance(data, Mapping):
        raise CrosswalkError("a crosswalk must be a YAML mapping with 'name' and 'columns'",
                             file=source)
    unknown = sorted(set(map(str, data)) - _TOP_KEYS)
    if unknown:
        raise _err(source, repr(unknown[0]), "is not a crosswalk setting",
                   hint=f"use {', '.join(sorted(_TOP_KEYS))}")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _err(source, "'name'", "is missing; give the crosswalk's name (its file stem)")
    stem = Path(source).stem
    if stem != name:
        raise _err(source, "'name'", f"is {name!r} but the file is named {stem!r}",
                   hint="the name must be the file name without .yaml")
    country = data.get("country")
    if country is not None and not is_country(country):
        raise _err(source, "'country'", f"{country!r} is not an ISO 3166-1 alpha-2 code")
    file = _check_file(data.get("file") or {}, source)
    defaults = _check_defaults(data.get("defaults") or {}, source)
    cols = data.get("columns")
    if not isinstance(cols, Mapping) or not cols:
        raise _err(source, "'columns'", "is missing or empty; map each agency column header to "
                   "a standard field")
    std = load_standard("input")
    maps: list[ColumnMap] = []
    target: dict[str, str] = {}
    for header, spec in cols.items():
        cm = _check_column(str(header), spec, source, std, defaults)
        if cm.field in target:
            raise _err(source, f"columns: {header!r}",
                       f"maps to {cm.field}, which {target[cm.field]!r} already fills",
                       hint="map each standard field from one agency column only")
        target[cm.field] = cm.header
        maps.append(cm)
    constants: dict[str, str] = {}
    for fld, value in (data.get("constants") or {}).items():
        key = f"constants: {fld!r}"
        _check_field_name(str(fld), source, key, std)
        if fld in target:
            raise _err(source, key, f"{fld} is also filled from the column {target[fld]!r}",
                       hint="a field is either a constant or mapped from a column")
        constants[str(fld)] = _check_code(str(fld), str(value), source, key, std,
                                          line=_line(data.get("constants"), fld))
    return Crosswalk(name=name, title=str(data.get("title") or name),
                     description=str(data.get("description") or ""), country=country,
                     file=file, defaults=defaults, columns=tuple(maps), constants=constants,
                     source=source)


def _check_file(spec: Any, source: str) -> dict[str, Any]:
    if not isinstance(spec, Mapping):
        raise _err(source, "'file'", "must be a mapping (format, encoding, delimiter, sheet, "
                   "header_row)")
    bad = sorted(set(map(str, spec)) - _FILE_KEYS)
    if bad:
        raise _err(source, f"file: {bad[0]!r}", "is not a file setting",
                   hint=f"use {', '.join(sorted(_FILE_KEYS))}")
    fmt = spec.get("format")
    if fmt is not None and fmt not in _FORMATS:
        raise _err(source, "file: 'format'", f"{fmt!r} is not one of {', '.join(_FORMATS)}")
    enc = spec.get("encoding")
    if enc is not None:
        try:
            codecs.lookup(str(enc))
        except LookupError:
            raise _err(source, "file: 'encoding'", f"{enc!r} is not a known text encoding",
                       hint="e.g. utf-8, cp874, windows-1252") from None
    hr = spec.get("header_row")
    if hr is not None and (not isinstance(hr, int) or isinstance(hr, bool) or hr < 1):
        raise _err(source, "file: 'header_row'", f"{hr!r} is not a row number (1 or more)")
    tr = spec.get("title_rows")
    if tr is not None and not isinstance(tr, list):
        raise _err(source, "file: 'title_rows'", "must be a list of rows")
    delim = spec.get("delimiter")
    if delim is not None and (not isinstance(delim, str) or len(delim) != 1):
        raise _err(source, "file: 'delimiter'", f"{delim!r} is not a single character")
    return dict(spec)


def _check_calendar(value: Any, source: str, key: str) -> None:
    if value is not None and value not in _CALENDARS:
        raise _err(source, key, f"{value!r} is not a calendar",
                   hint="use 'gregorian' or 'buddhist' (years = Gregorian + 543)")


def _check_date_format(value: Any, source: str, key: str) -> None:
    if value is None:
        return
    if not isinstance(value, str) or "%" not in value:
        raise _err(source, key, f"{value!r} is not a date format", hint="e.g. '%d/%m/%Y'")
    for token in re.findall(r"%(-?[a-zA-Z%])", value):
        if token not in ("d", "-d", "m", "-m", "Y", "y", "b", "B", "%"):
            raise _err(source, key, f"{value!r} uses %{token}, which htwork cannot write back",
                       hint="use %d %m %Y %y %b %B")


def _check_defaults(spec: Any, source: str) -> dict[str, Any]:
    if not isinstance(spec, Mapping):
        raise _err(source, "'defaults'", "must be a mapping (date_format, calendar, separator)")
    bad = sorted(set(map(str, spec)) - _DEFAULT_KEYS)
    if bad:
        raise _err(source, f"defaults: {bad[0]!r}", "is not a default setting",
                   hint=f"use {', '.join(sorted(_DEFAULT_KEYS))}")
    _check_calendar(spec.get("calendar"), source, "defaults: 'calendar'")
    _check_date_format(spec.get("date_format"), source, "defaults: 'date_format'")
    sep = spec.get("separator")
    if sep is not None and (not isinstance(sep, str) or not sep):
        raise _err(source, "defaults: 'separator'", "must be a non-empty string")
    out = dict(spec)
    if "missing" in spec:
        out["missing"] = _check_missing(spec["missing"], source, "defaults: 'missing'")
    return out


def _check_missing(value: Any, source: str, key: str) -> tuple[str, ...]:
    """Codes meaning "not recorded": a code or a list of codes (numbers are read as text)."""
    items = value if isinstance(value, list) else [value]
    if not items or any(v is None or isinstance(v, (dict, list)) for v in items):
        raise _err(source, key, "must be a code or a list of codes, e.g. ['-99', 'Unknown']")
    return tuple(str(v).strip() for v in items)


def _check_field_name(name: str, source: str, key: str, std) -> None:
    if name not in std:
        near = difflib.get_close_matches(name, std.field_names, n=1)
        raise _err(source, key, f"{name!r} is not a field of the input standard",
                   hint=f"did you mean {near[0]!r}?" if near else
                   "see htwork/standards/data/htcds_input.schema.json for the field names")


def _check_code(fld: str, code: str, source: str, key: str, std,
                line: int | None = None) -> str:
    """The standard code ``code`` stands for (a country written any way becomes its alpha-2
    code); an error naming the file, line, key and code when the standard does not know it."""
    spec = std.field(fld)
    cats = [c["value"] for c in spec.get("categories") or []]
    ok = True
    if cats:
        ok = code in cats
    elif spec.get("htwork:codelist") == "iso3166":
        a2 = to_alpha2(code)
        ok = a2 is not None
        code = a2 or code
    elif spec.get("htwork:codelist") == "asean_regions":
        ok = is_region(code) or bool(re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", code))
    if not ok:
        near = difflib.get_close_matches(code, cats, n=1) if cats else []
        raise _err(source, key, f"{code!r} is not an allowed value of {fld}",
                   hint=f"did you mean {near[0]!r}?" if near else
                   (f"allowed: {', '.join(cats)}" if cats else
                    "give an ISO 3166-1 country (alpha-2, alpha-3 or English name)"
                    if spec.get("htwork:codelist") == "iso3166" else None), line=line)
    return code


def _check_column(header: str, spec: Any, source: str, std, defaults: dict) -> ColumnMap:
    key = f"columns: {header!r}"
    if isinstance(spec, str):
        _check_field_name(spec, source, key, std)
        return ColumnMap(header=header, field=spec)
    if not isinstance(spec, Mapping):
        raise _err(source, key, "must be a standard field name or a mapping with 'field'")
    bad = sorted(set(map(str, spec)) - _COLUMN_KEYS)
    if bad:
        raise _err(source, f"{key}: {bad[0]!r}", "is not a column setting",
                   hint=f"use {', '.join(sorted(_COLUMN_KEYS))}")
    fld = spec.get("field")
    if not isinstance(fld, str):
        raise _err(source, key, "has no 'field' (the standard field it fills)")
    _check_field_name(fld, source, key, std)
    fspec = std.field(fld)
    is_date = fspec.get("type") == "date"
    if not is_date and (spec.get("date_format") or spec.get("calendar")):
        raise _err(source, key, f"{fld} is not a date field; drop date_format/calendar")
    if spec.get("separator") is not None and not fspec.get("htwork:multiple"):
        raise _err(source, key, f"{fld} holds one value per cell; drop 'separator'")
    _check_calendar(spec.get("calendar"), source, f"{key}: 'calendar'")
    _check_date_format(spec.get("date_format"), source, f"{key}: 'date_format'")
    codes = spec.get("codes") or {}
    if not isinstance(codes, Mapping):
        raise _err(source, f"{key}: 'codes'", "must map agency codes to standard codes")
    sep = spec.get("separator") or defaults.get("separator")
    multiple = bool(fspec.get("htwork:multiple"))
    clean: dict[str, str | None] = {}
    for agency, code in codes.items():
        ckey = f"{key}: codes: {agency!r}"
        line = _line(codes, agency)
        if agency is None:
            raise _err(source, ckey, "an agency code cannot be empty", line=line)
        if multiple and sep and sep.strip() and sep.strip() in str(agency):
            raise _err(source, ckey, f"the code contains the separator {sep!r}",
                       hint="choose another separator for this column", line=line)
        if code is None or (isinstance(code, str) and not code.strip()):
            clean[str(agency)] = None  # the agency's code for "not recorded"
            continue
        targets = code if isinstance(code, list) else (
            str(code).split(";") if multiple else [code])
        if len(targets) > 1 and not multiple:
            raise _err(source, ckey, f"maps to {len(targets)} codes, but {fld} holds one "
                       "value per cell", hint="map the code to one value", line=line)
        if not targets or any(t is None or isinstance(t, (dict, list)) for t in targets):
            raise _err(source, ckey, "must map to a code, a list of codes, or null (missing)",
                       line=line)
        std_codes = [_check_code(fld, str(t).strip(), source, ckey, std, line=line)
                     for t in targets]
        clean[str(agency)] = ";".join(dict.fromkeys(std_codes))
    missing = _check_missing(spec["missing"], source, f"{key}: 'missing'") \
        if "missing" in spec else ()
    return ColumnMap(header=header, field=fld, codes=clean,
                     date_format=spec.get("date_format"), calendar=spec.get("calendar"),
                     separator=spec.get("separator"), missing=missing)
