"""Nearest allowed value for a bad cell: codes, countries, regions and dates.

Helpers of :mod:`htwork.standards.validate`; each takes one distinct bad value and returns
the suggestion as a string, or ``None`` when nothing is close enough.
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from functools import lru_cache

from htwork.standards.codelists import _countries, _regions
from htwork.standards.country import COUNTRY_ALIASES, country_key, to_alpha2

_SQUASH = re.compile(r"[\s_\-./]+")
_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?")
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T].*)?")
def _key(text: str) -> str:
    return _SQUASH.sub("", text).casefold()


def code(value: str, allowed: list[str], labels: dict[str, str] | None = None) -> str | None:
    """Nearest allowed picklist code: same letters ignoring case, spaces and punctuation;
    then a label match; then the closest spelling (difflib, case-insensitive)."""
    k = _key(value)
    if not k:
        return None
    keyed = {_key(a): a for a in allowed}
    if k in keyed:
        return keyed[k]
    for a, lab in (labels or {}).items():
        if _key(str(lab)) == k:
            return str(a)
    near = difflib.get_close_matches(k, list(keyed), n=1, cutoff=0.6)
    return keyed[near[0]] if near else None


def country(value: str) -> str | None:
    """Nearest ISO 3166-1 alpha-2 code: case fixed, alpha-3 converted, a name or an everyday
    name matched (:func:`htwork.standards.country.to_alpha2`), else the closest name."""
    hit = to_alpha2(value)
    if hit is not None:
        return hit
    k = country_key(value)
    if not k:
        return None
    keys = _country_names()
    near = difflib.get_close_matches(k, list(keys), n=1, cutoff=0.75)
    return keys[near[0]] if near else None


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Loose spellings of country names (not codes) -> alpha-2."""
    df = _countries()
    keys = {country_key(n): a2 for a2, n in zip(df["alpha2"], df["name"], strict=True)}
    keys.update({country_key(k): v for k, v in COUNTRY_ALIASES.items()})
    return {k: v for k, v in keys.items() if len(k) > 3}


@lru_cache(maxsize=1)
def _region_keys() -> dict[str, str]:
    df = _regions()
    keys: dict[str, str] = {}
    for col in ("name_local", "name", "code"):
        for c, text in zip(df["code"], df[col], strict=True):
            if text:
                keys[_key(text)] = c
    return keys


def region(value: str) -> str | None:
    """Nearest first-level region code: case fixed, or a region name (English or local)."""
    k = _key(value)
    if not k:
        return None
    keys = _region_keys()
    if k in keys:
        return keys[k]
    near = difflib.get_close_matches(k, list(keys), n=1, cutoff=0.8)
    return keys[near[0]] if near else None


def real_date(y: int, m: int, d: int) -> date | None:
    """The date, or ``None`` when there is no such day."""
    try:
        return date(y, m, d)
    except ValueError:
        return None


def gregorian_year(y: int, today: date) -> int | None:
    """``y - 543`` when ``y`` looks like a Buddhist-Era year, else ``None``."""
    if y > today.year + 1 and 1900 <= y - 543 <= today.year + 1:
        return y - 543
    return None


def iso_date(value: str, today: date) -> str | None:
    """A ``YYYY-MM-DD`` reading of a date written another way (day first, as in South-East
    Asia, unless only month first makes a date; Buddhist-Era years converted)."""
    text = value.strip()
    m = _YMD.fullmatch(text)
    candidates = []
    if m:
        candidates.append((int(m[1]), int(m[2]), int(m[3])))
    else:
        m = _DMY.fullmatch(text)
        if m:
            a, b, y = int(m[1]), int(m[2]), int(m[3])
            candidates += [(y, b, a), (y, a, b)]
    for y, mo, d in candidates:
        y = gregorian_year(y, today) or y
        found = real_date(y, mo, d)
        if found is not None:
            return found.isoformat()
    return None
