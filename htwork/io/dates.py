"""Dates as agencies write them, to ISO ``YYYY-MM-DD`` (and back).

Thai agencies write Buddhist Era years (BE = Gregorian + 543), day first, often with Thai month
names (``15 มี.ค. 2566``) or Thai digits (``๑๕/๐๓/๒๕๖๖``). :func:`parse_dates` reads those and
the other common forms, parsing each distinct value once, so a million values take about a second.

Notes
-----
Before 1941 the Thai year began on 1 April, so January to March of those years fall in a BE
year one higher than ``Gregorian + 543`` gives. Case data does not reach back that far; the
conversion here is the modern one throughout.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import math
import re
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from htwork.errors import DateError
from htwork.io.dates_fast import fast_parse
from htwork.io.problems import make_problem, shorten
from htwork.io.thai import ENGLISH_MONTHS, month_name, month_number, to_ascii_digits, to_thai_digits

__all__ = [
    "BE_OFFSET",
    "BE_THRESHOLD",
    "DateParseResult",
    "parse_dates",
    "format_date",
    "be_to_gregorian_year",
    "gregorian_to_be_year",
]

#: Buddhist Era year = Gregorian year + BE_OFFSET.
BE_OFFSET = 543
#: Years from this on are taken for Buddhist Era (2400 BE = 1857 CE).
BE_THRESHOLD = 2400

CALENDARS = ("gregorian", "buddhist", "auto")

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_MAX = 2958465  # 9999-12-31

_TIME = (r"(?:(?:\s+|T)\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:[.,]\d+)?)?"
         r"(?:\s*(?:[AaPp]\.?[Mm]\.?|น\.?))?(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?)?")
_ERA = re.compile(r"(?<![^\W\d_])(พ\.?\s?ศ\.?|ค\.?\s?ศ\.?|B\.?\s?E\.?|A\.?\s?D\.?|C\.?\s?E\.?)"
                  r"(?![^\W\d_])", re.IGNORECASE)
_LEAD = re.compile(r"^(?:วัน\S*ที่|ngày|วันที่)\s*", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_Y_FIRST = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})" + _TIME)
_D_FIRST = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})" + _TIME)
_NAMED = re.compile(r"(\d{1,2})[-/.,\s]*([^\W\d_][^\d]*?)\.?[-/.,\s]*(\d{4}|\d{2})" + _TIME)
_MONTH_FIRST = re.compile(r"([^\W\d_][^\d]*?)\.?\s*(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})" + _TIME,
                          re.IGNORECASE)
_VIET = re.compile(r"(\d{1,2})\s*tháng\s*(\d{1,2})\s*,?\s*(?:năm\s*)?(\d{4})" + _TIME,
                   re.IGNORECASE)
_SERIAL = re.compile(r"\d{1,7}(?:\.\d+)?")

_NOT_A_DATE = ("is not a date in a form htwork reads (e.g. 15/03/2566, 2023-03-15, 15.03.2023 "
               "or 15 มี.ค. 2566)")


def be_to_gregorian_year(year: Any) -> Any:
    """Gregorian year of Buddhist Era ``year`` (``2566`` -> ``2023``); works on arrays too."""
    return year - BE_OFFSET


def gregorian_to_be_year(year: Any) -> Any:
    """Buddhist Era year of Gregorian ``year`` (``2023`` -> ``2566``); works on arrays too."""
    return year + BE_OFFSET


@dataclass
class DateParseResult:
    """What :func:`parse_dates` found.

    Attributes
    ----------
    values : pandas.Series
        ISO ``YYYY-MM-DD`` strings, ``None`` where the input was missing or failed; same index.
    failed : pandas.Index
        Index labels (spreadsheet rows) of the non-missing values that could not be read.
    problems : list of dict
        One per failed value, in the ``read_problems`` shape, code ``bad_date`` or
        ``buddhist_era_date``.
    buddhist_era : int
        How many values were read as Buddhist Era and converted.
    notes : list of str
        What was decided, in plain words (e.g. BE years converted under ``calendar="auto"``).
    """

    values: pd.Series
    failed: pd.Index
    problems: list[dict[str, Any]] = field(default_factory=list)
    buddhist_era: int = 0
    notes: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        return (f"DateParseResult({len(self.values)} values, {len(self.failed)} failed, "
                f"{self.buddhist_era} read as Buddhist Era)")


class _One(NamedTuple):
    iso: str | None
    code: str | None = None
    message: str | None = None
    be: bool = False


_MISSING = _One(None)


def _fail(raw: str, why: str, code: str = "bad_date") -> _One:
    return _One(None, code, f"{raw if len(raw) <= 60 else shorten(raw, 60)!r} {why}")


class _Spec:
    """How to read values: a compiled ``format=``, or the common forms."""

    def __init__(self, fmt: str | None, calendar: str, dayfirst: bool, excel_serial: bool):
        if calendar not in CALENDARS:
            raise DateError(f"calendar must be one of {', '.join(CALENDARS)}, not {calendar!r}")
        self.calendar = calendar
        self.dayfirst = dayfirst
        self.excel_serial = excel_serial
        self.fmt = fmt
        self.regex = _compile_format(fmt) if fmt is not None else None


_DIRECTIVES = {
    "d": r"(?P<d>\d{1,2})", "-d": r"(?P<d>\d{1,2})", "e": r"\s?(?P<d>\d{1,2})",
    "m": r"(?P<m>\d{1,2})", "-m": r"(?P<m>\d{1,2})",
    "Y": r"(?P<Y>\d{4})", "y": r"(?P<y>\d{2})",
    "b": r"(?P<b>[^\W\d_][^\d\s]*?)", "B": r"(?P<b>[^\W\d_][^\d\s]*?)",
    "h": r"(?P<b>[^\W\d_][^\d\s]*?)",
    "H": r"\d{1,2}", "I": r"\d{1,2}", "M": r"\d{1,2}", "S": r"\d{1,2}", "f": r"\d+",
    "p": r"[AaPp]\.?[Mm]\.?", "z": r"(?:Z|[+-]\d{2}:?\d{2})",
    "a": r"[^\W\d_]+\.?", "A": r"[^\W\d_]+", "%": "%",
}


def _compile_format(fmt: str) -> re.Pattern[str]:
    fmt = _ERA.sub("", fmt).strip()
    out = []
    i = 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == "%":
            key = fmt[i + 1 : i + 3] if fmt[i + 1 : i + 2] == "-" else fmt[i + 1 : i + 2]
            if key not in _DIRECTIVES:
                raise DateError(
                    f"the date format {fmt!r} uses %{key}, which htwork does not read",
                    hint="use %d %m %Y %y %b %B (and %H %M %S for times)",
                )
            out.append(_DIRECTIVES[key])
            i += 1 + len(key)
        elif ch.isspace():
            out.append(r"\s*")
            i += 1
        else:
            out.append(re.escape(ch))
            i += 1
    pattern = "".join(out)
    if not any(k in fmt for k in ("%H", "%I", "%M", "%S")):
        pattern += _TIME  # a midnight time after the date is common in exports
    return re.compile(pattern, re.IGNORECASE)


_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[A-Za-z]")
_PLAIN = re.compile(r"[\d/.\-: T]+")


def _normalise(raw: str) -> tuple[str, str | None]:
    text = raw.strip()
    if _PLAIN.fullmatch(text):
        return text, None  # digits and separators only: nothing to translate
    text = _SPACE.sub(" ", to_ascii_digits(text))
    era = None
    match = _ERA.search(text)
    if match:
        era = "be" if match.group(1)[0] in "พBb" else "ce"
        text = (text[: match.start()] + " " + text[match.end() :]).strip()
        text = _SPACE.sub(" ", text)
    text = _LEAD.sub("", text)
    return text, era


def _parse_one(value: Any, spec: _Spec) -> _One:
    if type(value) is str:
        raw = value
    elif value is None or (isinstance(value, float) and math.isnan(value)):
        return _MISSING
    elif isinstance(value, dt.datetime):
        return _One(value.date().isoformat())
    elif isinstance(value, dt.date):
        return _One(value.isoformat())
    else:
        raw = str(value)
    if not _DIGIT.search(raw):
        return _MISSING if not raw.strip() else _fail(raw, _NOT_A_DATE)
    text, era = _normalise(raw)
    if spec.regex is not None:
        return _parse_formatted(raw, text, era, spec)
    if spec.excel_serial and _SERIAL.fullmatch(text):
        return _excel_serial(raw, float(text))
    m = _Y_FIRST.fullmatch(text)
    if m:
        return _finish(raw, int(m.group(1)), int(m.group(3)), int(m.group(4)), 4, era, spec)
    m = _D_FIRST.fullmatch(text)
    if m:
        a, b, y = int(m.group(1)), int(m.group(3)), m.group(4)
        d, mo = (a, b) if spec.dayfirst else (b, a)
        return _finish(raw, int(y), mo, d, len(y), era, spec, swappable=True)
    if text.isascii() and not _LETTER.search(text):
        return _fail(raw, _NOT_A_DATE)
    m = _VIET.fullmatch(text)
    if m:
        return _finish(raw, int(m.group(3)), int(m.group(2)), int(m.group(1)), 4, era, spec)
    m = _NAMED.fullmatch(text)
    if m:
        named = month_number(m.group(2))
        if named is None:
            return _fail(raw, f"has {m.group(2)!r} where a month name should be")
        thai = not m.group(2).isascii()
        return _finish(raw, int(m.group(3)), named, int(m.group(1)), len(m.group(3)), era, spec,
                       thai_month=thai)
    m = _MONTH_FIRST.fullmatch(text)
    if m and month_number(m.group(1)) is not None:
        return _finish(raw, int(m.group(3)), month_number(m.group(1)) or 0, int(m.group(2)), 4,
                       era, spec)
    return _fail(raw, _NOT_A_DATE)


def _parse_formatted(raw: str, text: str, era: str | None, spec: _Spec) -> _One:
    assert spec.regex is not None
    m = spec.regex.fullmatch(text)
    if not m:
        return _fail(raw, f"does not match the date format {spec.fmt!r}")
    parts = m.groupdict()
    if parts.get("b") is not None:
        mo = month_number(parts["b"])
        if mo is None:
            return _fail(raw, f"has {parts['b']!r} where a month name should be")
    else:
        mo = int(parts["m"]) if parts.get("m") else 1
    d = int(parts["d"]) if parts.get("d") else 1
    if parts.get("Y"):
        return _finish(raw, int(parts["Y"]), mo, d, 4, era, spec)
    if parts.get("y"):
        yy = int(parts["y"])
        if era == "be" or (era is None and spec.calendar == "buddhist"):
            return _finish(raw, 2500 + yy, mo, d, 4, "be", spec)
        return _finish(raw, (1900 if yy >= 69 else 2000) + yy, mo, d, 4, era, spec)
    return _fail(raw, f"has no year in the date format {spec.fmt!r}")


def _excel_serial(raw: str, serial: float) -> _One:
    days = int(serial)
    if not 1 <= days <= _EXCEL_MAX:
        return _fail(raw, f"is outside the range of Excel date numbers (1 to {_EXCEL_MAX})")
    if days == 60:
        return _fail(raw, "is Excel's 29 February 1900, a day that never was")
    base = _EXCEL_EPOCH if days > 60 else _EXCEL_EPOCH + dt.timedelta(days=1)
    return _One((base + dt.timedelta(days=days)).isoformat())


def _finish(
    raw: str,
    year: int,
    month: int,
    day: int,
    year_digits: int,
    era: str | None,
    spec: _Spec,
    *,
    swappable: bool = False,
    thai_month: bool = False,
) -> _One:
    if year_digits == 2:
        if era == "be" or spec.calendar == "buddhist" or (spec.calendar == "auto" and thai_month):
            year, era = 2500 + year, "be"
        else:
            return _fail(raw, "has a two-digit year, which is ambiguous; pass "
                         "calendar='buddhist' if it means 25xx BE, or format= with %y for "
                         "19xx/20xx")
    if era == "be":
        be = True
    elif era == "ce":
        be = False
    elif spec.calendar == "buddhist":
        if year < BE_THRESHOLD:
            return _fail(raw, f"has year {year}, which is not a Buddhist Era year (it would be "
                         f"{gregorian_to_be_year(year)} BE); pass calendar='auto' if the "
                         f"column mixes calendars")
        be = True
    elif spec.calendar == "auto":
        be = year >= BE_THRESHOLD
    else:
        if year >= BE_THRESHOLD:
            return _fail(raw, f"has year {year}, which looks like a Buddhist Era year "
                         f"({be_to_gregorian_year(year)} in the Gregorian calendar); pass "
                         f"calendar='buddhist' or 'auto' to convert it",
                         code="buddhist_era_date")
        be = False
    ce = year - BE_OFFSET if be else year
    if 1 <= month <= 12 and 1 <= ce <= 9999 and 1 <= day <= 28:
        return _One(f"{ce:04d}-{month:02d}-{day:02d}", None, None, be)  # the common case
    shown_year = f"{year} BE ({ce})" if be else str(ce)
    if not 1 <= month <= 12:
        why = f"has month {month}, which does not exist"
        if swappable and 1 <= day <= 12:
            order = "month-first" if spec.dayfirst else "day-first"
            flag = "dayfirst=False" if spec.dayfirst else "dayfirst=True"
            why += f" (if the column is {order}, pass {flag})"
        return _fail(raw, why)
    if not 1 <= ce <= 9999:
        return _fail(raw, f"has year {shown_year}, outside the years a date can have")
    days = _calendar.monthrange(ce, month)[1]
    if not 1 <= day <= days:
        return _fail(raw, f"is not a valid date: {ENGLISH_MONTHS[month - 1]} {shown_year} has "
                     f"{days} days")
    return _One(f"{ce:04d}-{month:02d}-{day:02d}", None, None, be)


def parse_dates(
    series: pd.Series | Any,
    *,
    format: str | None = None,
    calendar: str = "gregorian",
    dayfirst: bool = True,
    excel_serial: bool = False,
    column: str | None = None,
    file: str | None = None,
    max_problems: int | None = None,
) -> DateParseResult:
    """Read dates written in agency forms as ISO ``YYYY-MM-DD`` strings.

    Without ``format=`` these forms are read: ``2023-03-15`` (year first), ``15/03/2566``,
    ``15-03-2023``, ``15.03.2023`` (day first unless ``dayfirst=False``), ``15 มี.ค. 2566``,
    ``15 มีนาคม พ.ศ. 2566``, ``15-Mar-2023``, ``March 15, 2023``, ``ngày 15 tháng 3 năm 2023``,
    each with Thai or Arabic digits and optionally a trailing time (dropped), and Excel date
    numbers when ``excel_serial=True``.

    Parameters
    ----------
    series : pandas.Series or array-like
        The raw values (text; dates and datetimes pass through).
    format : str, optional
        A ``strptime``-style format (``%d %m %Y %y %b %B``, and ``%H %M %S`` for times). ``%b``
        and ``%B`` accept Thai and English month names; ``%Y`` may be a BE year. When given,
        only values in this form are read.
    calendar : {"gregorian", "buddhist", "auto"}, default "gregorian"
        ``"buddhist"``: years are BE and become Gregorian (year - 543); a year below 2400 fails.
        ``"auto"``: years of 2400 or later are BE, earlier ones Gregorian (the count is kept).
        ``"gregorian"``: a year of 2400 or later fails as ``buddhist_era_date``, its Gregorian
        equivalent in the message. An explicit ``พ.ศ.``/``B.E.`` or ``ค.ศ.``/``A.D.`` in the
        value overrides the calendar. Two-digit years are read as 25xx BE under ``"buddhist"``
        (or ``"auto"`` with a Thai month name); otherwise only with ``%y`` in ``format``.
    dayfirst : bool, default True
        Read ``03/04/2023`` as 3 April (else 4 March).
    excel_serial : bool, default False
        Read plain numbers as Excel date numbers (``44995`` -> ``2023-03-10``).
    column : str, optional
        The column's name in the file, put in each problem.
    file : str, optional
        The file, named in errors about the arguments.
    max_problems : int, optional
        Report at most this many failed values one by one, then one summary problem.

    Returns
    -------
    DateParseResult

    Raises
    ------
    htwork.errors.DateError
        For an unknown calendar or an unsupported directive in ``format`` (not for bad values:
        those are reported in ``result.problems``).

    Examples
    --------
    >>> r = parse_dates(pd.Series(["15/03/2566", "๑ ม.ค. ๒๕๖๗", "31/02/2566"], index=[2, 3, 4]),
    ...                 calendar="buddhist")
    >>> r.values.tolist(), r.failed.tolist()
    (['2023-03-15', '2024-01-01', None], [4])
    """
    try:
        spec = _Spec(format, calendar, dayfirst, excel_serial)
    except DateError as exc:
        raise DateError(exc.message, file=file, column=column, hint=exc.hint) from None
    s = series if isinstance(series, pd.Series) else pd.Series(series, dtype=object)
    codes, found = pd.factorize(s, use_na_sentinel=True)
    uniques = np.asarray(found, dtype=object)
    n = len(uniques)
    # the last slot is for missing values: factorize codes them -1
    iso = np.full(n + 1, None, dtype=object)
    bad = np.zeros(n + 1, dtype=bool)
    be = np.zeros(n + 1, dtype=bool)
    parsed: dict[int, _One] = {}
    # numeric dates in bulk (plain numbers never match there, so Excel serials are unaffected)
    done, iso[:n], be[:n] = fast_parse(uniques, fmt=format, calendar=calendar, dayfirst=dayfirst)
    for i in np.flatnonzero(~done).tolist():
        one = parsed[i] = _parse_one(uniques[i], spec)
        iso[i], bad[i], be[i] = one.iso, one.code is not None, one.be
    values = pd.Series(iso[codes], index=s.index, name=s.name, dtype=object)
    fail_pos = np.flatnonzero(bad[codes])
    failed = s.index[fail_pos]
    limit = len(fail_pos) if max_problems is None else min(max_problems, len(fail_pos))
    shown = fail_pos[:limit]
    texts: dict[int, tuple[str, str, str | None]] = {}  # per distinct value, made once
    for code in np.unique(codes[shown]).tolist():
        one = parsed[code]
        texts[code] = (one.code or "bad_date", one.message or "", shorten(str(uniques[code])))
    labels = s.index[shown]
    if not (labels.dtype.kind == "i" or labels.dtype.kind == "u"):
        labels = pd.Index([make_problem("", "", row=x)["row"] for x in labels], dtype=object)
    problems = [{"column": column, "row": label, "value": texts[code][2], "code": texts[code][0],
                 "message": texts[code][1]}
                for label, code in zip(labels.tolist(), codes[shown].tolist(), strict=True)]
    if limit < len(fail_pos):
        problems.append(make_problem(
            "bad_date", f"{len(fail_pos)} values in all could not be read as dates (the first "
            f"{limit} are listed)", column=column))
    n_be = int(be[codes].sum())
    notes = []
    if n_be and calendar == "auto":
        notes.append(f"{n_be} dates had years of {BE_THRESHOLD} or later and were read as "
                     f"Buddhist Era (Gregorian = BE - {BE_OFFSET})")
    return DateParseResult(values, failed, problems, n_be, notes)


_FORMAT_TOKEN = re.compile(r"%(-?[a-zA-Z%])")


def _field_text(fields: dict[str, str], m: re.Match[str]) -> str:
    return fields[m.group(1)]


def format_date(
    iso_series: pd.Series | Any,
    format: str = "%d/%m/%Y",
    calendar: str = "gregorian",
    *,
    thai_digits: bool = False,
    month_names: str = "english",
) -> pd.Series:
    """Write ISO dates the way an agency would: the inverse of :func:`parse_dates`.

    Parameters
    ----------
    iso_series : pandas.Series or array-like
        ``YYYY-MM-DD`` strings; missing values stay missing.
    format : str, default "%d/%m/%Y"
        ``%d %-d %m %-m %Y %y %b %B %%`` and literal text.
    calendar : {"gregorian", "buddhist"}, default "gregorian"
        ``"buddhist"`` writes years as BE (Gregorian + 543).
    thai_digits : bool, default False
        Write ๐-๙ instead of 0-9.
    month_names : {"english", "thai"}, default "english"
        Language of ``%b`` (``Mar`` / ``มี.ค.``) and ``%B`` (``March`` / ``มีนาคม``).

    Returns
    -------
    pandas.Series
        Strings (object dtype), same index.

    Raises
    ------
    htwork.errors.DateError
        For a value that is not an ISO date (naming it and its row), an unknown calendar or an
        unsupported directive.

    Examples
    --------
    >>> format_date(pd.Series(["2023-03-15"]), "%d %b %Y", "buddhist", month_names="thai",
    ...             thai_digits=True).tolist()
    ['๑๕ มี.ค. ๒๕๖๖']
    """
    if calendar not in ("gregorian", "buddhist"):
        raise DateError(f"calendar must be 'gregorian' or 'buddhist', not {calendar!r}")
    if month_names not in ("english", "thai"):
        raise DateError(f"month_names must be 'english' or 'thai', not {month_names!r}")
    for key in _FORMAT_TOKEN.findall(format):
        if key not in ("d", "-d", "m", "-m", "Y", "y", "b", "B", "%"):
            raise DateError(f"the date format {format!r} uses %{key}, which format_date does "
                            f"not write", hint="use %d %-d %m %-m %Y %y %b %B")
    s = iso_series if isinstance(iso_series, pd.Series) else pd.Series(iso_series, dtype=object)
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    out: list[str | None] = []
    for u in uniques:
        try:
            day = dt.date.fromisoformat(str(u)) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(u)) \
                else None
        except ValueError:
            day = None
        if day is None:
            row = s.index[int(np.flatnonzero(codes == len(out))[0])]
            raise DateError(f"{u!r} is not an ISO date (YYYY-MM-DD)", row=row)
        year = gregorian_to_be_year(day.year) if calendar == "buddhist" else day.year
        fields = {
            "d": f"{day.day:02d}", "-d": str(day.day), "m": f"{day.month:02d}",
            "-m": str(day.month), "Y": str(year), "y": f"{year % 100:02d}",
            "b": month_name(day.month, language=month_names, abbreviated=True),
            "B": month_name(day.month, language=month_names), "%": "%",
        }
        text = _FORMAT_TOKEN.sub(partial(_field_text, fields), format)
        out.append(to_thai_digits(text) if thai_digits else text)
    out.append(None)
    return pd.Series(np.array(out, dtype=object)[codes], index=s.index, name=s.name, dtype=object)
