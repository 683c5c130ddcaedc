"""The vectorised fast path of :func:`htwork.io.dates.parse_dates`.

Numeric dates (``15/03/2566``, ``2023-03-15``, with or without a time after them) are matched
with Arrow's RE2 and checked with numpy in bulk. Only values that are plainly valid are decided
here; everything else (failures, month names, Thai digits, era markers) goes to the per-value
parser, which writes the messages. Both follow the same rules, and the tests compare them.
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["fast_parse"]

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_GENERIC = (r"^\s*(?:(?P<y1>\d{4})(?P<s1>[-/.])(?P<m1>\d{1,2})(?P<s2>[-/.])(?P<d1>\d{1,2})"
            r"|(?P<a2>\d{1,2})(?P<s3>[-/.])(?P<b2>\d{1,2})(?P<s4>[-/.])(?P<y2>\d{4}))"
            + _TIME + r"\s*$")
_FORMAT_DMY = re.compile(r"%-?([dm])([-/.])%-?([dm])\2%Y")
_FORMAT_YMD = re.compile(r"%Y([-/.])%-?m\1%-?d")
_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)
_BE_OFFSET = 543
_BE_THRESHOLD = 2400


def _pattern(fmt: str | None, dayfirst: bool) -> tuple[str, bool] | None:
    """The RE2 pattern for ``fmt`` and whether day/month-first values read day first."""
    if fmt is None:
        return _GENERIC, dayfirst
    m = _FORMAT_DMY.fullmatch(fmt)
    if m and {m.group(1), m.group(3)} == {"d", "m"}:
        sep = re.escape(m.group(2))
        return (rf"^\s*(?P<a2>\d{{1,2}}){sep}(?P<b2>\d{{1,2}}){sep}(?P<y2>\d{{4}})"
                + _TIME + r"\s*$", m.group(1) == "d")
    m = _FORMAT_YMD.fullmatch(fmt)
    if m:
        sep = re.escape(m.group(1))
        return (rf"^\s*(?P<y1>\d{{4}}){sep}(?P<m1>\d{{1,2}}){sep}(?P<d1>\d{{1,2}})"
                + _TIME + r"\s*$", dayfirst)
    return None


def fast_parse(
    values: np.ndarray, *, fmt: str | None, calendar: str, dayfirst: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Decide the plainly valid numeric dates among distinct ``values``.

    Parameters
    ----------
    values : numpy.ndarray
        Distinct raw values (object array; non-strings are left to the slow path).
    fmt, calendar, dayfirst
        As for :func:`htwork.io.dates.parse_dates`.

    Returns
    -------
    ok : numpy.ndarray of bool
        Which values were decided here.
    iso : numpy.ndarray of object
        ISO dates where ``ok``.
    be : numpy.ndarray of bool
        Which of them were read as Buddhist Era.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(values)
    none = (np.zeros(n, dtype=bool), np.full(n, None, dtype=object), np.zeros(n, dtype=bool))
    chosen = _pattern(fmt, dayfirst)
    if chosen is None or n == 0:
        return none
    pattern, day_first = chosen
    try:
        strings = pa.array(values, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # some values are not text: leave them out
        is_str = np.fromiter((isinstance(v, str) for v in values), dtype=bool, count=n)
        strings = pa.array(np.where(is_str, values, None), type=pa.string(), from_pandas=True)  # type: ignore[call-overload]  # numpy stubs: None is an object scalar
    found = pc.extract_regex(strings, pattern)
    matched = found.is_valid().to_numpy(zero_copy_only=False)
    if not matched.any():
        return none
    names = {f.name for f in found.type}

    def ints(name: str) -> np.ndarray:
        if name not in names:
            return np.zeros(n, dtype=np.int64)
        text = found.field(name)
        text = pc.if_else(pc.equal(text, pa.scalar("")), "0", text)
        return pc.cast(text, pa.int64()).to_numpy(zero_copy_only=False)  # type: ignore[attr-defined]  # pyarrow-stubs: an array in, an array out

    def same(a: str, b: str) -> np.ndarray:
        if a not in names:
            return np.ones(n, dtype=bool)
        return pc.equal(found.field(a), found.field(b)).to_numpy(zero_copy_only=False)

    y1, y2 = ints("y1"), ints("y2")
    year_first = y1 > 0
    a2, b2 = ints("a2"), ints("b2")
    day2, month2 = (a2, b2) if day_first else (b2, a2)
    year = np.where(year_first, y1, y2)
    month = np.where(year_first, ints("m1"), month2)
    day = np.where(year_first, ints("d1"), day2)
    seps = np.where(year_first, same("s1", "s2"), same("s3", "s4"))
    if calendar == "gregorian":
        be = np.zeros(n, dtype=bool)
        fits = year < _BE_THRESHOLD
    elif calendar == "buddhist":
        be = np.ones(n, dtype=bool)
        fits = year >= _BE_THRESHOLD
    else:
        be = year >= _BE_THRESHOLD
        fits = np.ones(n, dtype=bool)
    ce = year - _BE_OFFSET * be
    leap = (ce % 4 == 0) & ((ce % 100 != 0) | (ce % 400 == 0))
    month_ok = (month >= 1) & (month <= 12)
    days = _DAYS[np.where(month_ok, month, 0)] + ((month == 2) & leap)
    ok = matched & seps & fits & month_ok & (day >= 1) & (day <= days) & (ce >= 1) & (ce <= 9999)
    iso = np.full(n, None, dtype=object)
    if ok.any():
        def pad(x: np.ndarray, width: int) -> pa.Array:
            return pc.utf8_lpad(pc.cast(pa.array(x[ok]), pa.string()), width, "0")

        joined = pc.binary_join_element_wise(  # type: ignore[call-overload]  # pyarrow-stubs: a str separator is allowed
            pad(ce, 4), pad(month, 2), pad(day, 2), "-")
        iso[ok] = joined.to_numpy(zero_copy_only=False)
    return ok, iso, be & ok
