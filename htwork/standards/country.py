"""Countries however a table writes them: ISO 3166-1 alpha-2, alpha-3 or an English name.

One reader for every place htwork reads a country (validation, crosswalks, the release's region
recoding, the datasheet): ``"VN"``, ``"VNM"``, ``"Viet Nam"``, ``"Vietnam"``, ``"vietnam "`` all
mean Viet Nam. Matching ignores case, spaces and punctuation; it is exact otherwise (no
guessing: a near miss is a suggestion for validation, see ``_suggest.country``). The names are
the ISO short names of the shipped ``iso3166.csv`` (``SOURCES.md``), the part before a comma
("Korea, Republic of" -> "Korea") and the everyday names in :data:`COUNTRY_ALIASES`.

pycountry is not a dependency: the shipped table comes from its data (see ``SOURCES.md``), and
the few everyday spellings it lacks ("Laos", "Burma", "Vietnam") are listed here.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from htwork.standards.codelists import _countries

__all__ = ["COUNTRY_ALIASES", "COUNTRY_FORMS", "country_key", "to_alpha2", "to_alpha3",
           "country_name", "country_form", "normalise_countries"]

#: The ways a country can be written, as a schema names them (``htwork:countryForms``).
COUNTRY_FORMS: tuple[str, ...] = ("alpha2", "alpha3", "name")

#: Everyday English names of countries whose ISO short name differs -> alpha-2.
COUNTRY_ALIASES: dict[str, str] = {
    "vietnam": "VN", "viet nam": "VN", "laos": "LA", "lao": "LA", "lao pdr": "LA",
    "lao p.d.r.": "LA", "burma": "MM", "myanmar (burma)": "MM", "brunei": "BN",
    "east timor": "TL", "timor leste": "TL", "south korea": "KR", "korea": "KR",
    "republic of korea": "KR", "north korea": "KP", "dprk": "KP", "taiwan": "TW",
    "russia": "RU", "iran": "IR", "syria": "SY", "bolivia": "BO", "venezuela": "VE",
    "tanzania": "TZ", "moldova": "MD", "uk": "GB", "united kingdom": "GB",
    "great britain": "GB", "britain": "GB", "usa": "US", "u.s.a.": "US", "us": "US",
    "united states": "US", "united states of america": "US", "america": "US",
    "hong kong": "HK", "macau": "MO", "macao": "MO", "cape verde": "CV", "ivory coast": "CI",
    "cote d'ivoire": "CI", "czech republic": "CZ", "turkey": "TR", "swaziland": "SZ",
    "palestine": "PS", "micronesia": "FM", "congo": "CG", "republic of the congo": "CG",
    "drc": "CD", "dr congo": "CD", "democratic republic of the congo": "CD",
    "the philippines": "PH", "philippines": "PH", "kampuchea": "KH",
}
_SQUASH = re.compile(r"[\s_\-./,'()]+")


def country_key(text: str) -> str:
    """The loose form two spellings of a country are compared in (case-folded, no spaces or
    punctuation): ``"Viet Nam"`` and ``"viet-nam"`` -> ``"vietnam"``."""
    return _SQUASH.sub("", str(text)).casefold()


@lru_cache(maxsize=1)
def _keys() -> dict[str, tuple[str, str]]:
    """Loose spelling -> (alpha-2, the form it is written in)."""
    df = _countries()
    keys: dict[str, tuple[str, str]] = {}
    for a2, name in zip(df["alpha2"], df["name"], strict=True):
        keys.setdefault(country_key(name.split(",")[0]), (a2, "name"))
    for k, a2 in COUNTRY_ALIASES.items():
        keys[country_key(k)] = (a2, "name")
    for a2, name in zip(df["alpha2"], df["name"], strict=True):
        keys[country_key(name)] = (a2, "name")
    for a2, a3 in zip(df["alpha2"], df["alpha3"], strict=True):
        keys[country_key(a3)] = (a2, "alpha3")
    for a2 in df["alpha2"]:
        keys[country_key(a2)] = (a2, "alpha2")
    return keys


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    df = _countries()
    return (dict(zip(df["alpha2"], df["alpha3"], strict=True)),
            dict(zip(df["alpha2"], df["name"], strict=True)))


def _lookup(value: object) -> tuple[str, str] | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    k = country_key(str(value))
    return _keys().get(k) if k else None


def to_alpha2(value: object) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country written any way, or ``None``.

    Examples
    --------
    >>> to_alpha2("VNM"), to_alpha2("Viet Nam"), to_alpha2("laos"), to_alpha2("Burma")
    ('VN', 'VN', 'LA', 'MM')
    >>> to_alpha2("Atlantis") is None
    True
    """
    hit = _lookup(value)
    return hit[0] if hit else None


def to_alpha3(value: object) -> str | None:
    """The ISO 3166-1 alpha-3 code of a country written any way, or ``None``
    (``"MM"``, ``"Myanmar"``, ``"Burma"`` -> ``"MMR"``)."""
    a2 = to_alpha2(value)
    return _tables()[0][a2] if a2 else None


def country_name(value: object) -> str | None:
    """The ISO short English name of a country written any way, or ``None``
    (``"LAO"`` -> ``"Lao People's Democratic Republic"``)."""
    a2 = to_alpha2(value)
    return _tables()[1][a2] if a2 else None


def country_form(value: object) -> str | None:
    """How a value writes a country: ``"alpha2"``, ``"alpha3"``, ``"name"``, or ``None`` when
    it is no country. Codes count only in capitals (``"mm"`` is a name-like spelling, not
    the code)."""
    hit = _lookup(value)
    if hit is None:
        return None
    form = hit[1]
    if form in ("alpha2", "alpha3") and str(value).strip() != str(value).strip().upper():
        return "name"
    return form


def normalise_countries(values: pd.Series, to: str = "alpha2") -> tuple[pd.Series, pd.Series]:
    """Rewrite a column of countries in one form, each distinct value looked up once.

    Parameters
    ----------
    values : pandas.Series
        Countries written any way; missing cells stay missing.
    to : {"alpha2", "alpha3", "name"}
        The form to write.

    Returns
    -------
    (pandas.Series, pandas.Series)
        The rewritten column (object dtype; values that are no country pass through
        unchanged so that validation can report them) and a boolean mask of those unknown
        values.
    """
    if to not in COUNTRY_FORMS:
        raise ValueError(f"to must be one of {COUNTRY_FORMS}, not {to!r}")
    convert = {"alpha2": to_alpha2, "alpha3": to_alpha3, "name": country_name}[to]
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = [convert(u) for u in uniques]
    unknown = np.array([m is None and str(u).strip() != "" for u, m in
                        zip(uniques, mapped, strict=True)] + [False], dtype=bool)
    out = np.array([u if m is None else m for u, m in zip(uniques, mapped, strict=True)]
                   + [None], dtype=object)
    idx = np.where(codes < 0, len(uniques), codes)
    return (pd.Series(out[idx], index=values.index, dtype=object),
            pd.Series(unknown[idx], index=values.index, dtype=bool))
