"""Code lists shipped with htwork: ISO 3166-1 countries and ASEAN first-level regions.

The CSVs live in ``htwork/standards/data/`` (see ``SOURCES.md`` there) and are read once,
through :mod:`importlib.resources`, then cached.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import pandas as pd

from htwork.errors import StandardError

__all__ = [
    "ASEAN",
    "countries",
    "asean_regions",
    "alpha2_to_alpha3",
    "alpha3_to_alpha2",
    "is_country",
    "is_region",
    "subregion",
]

#: ISO 3166-1 alpha-2 codes of the ASEAN member states (Timor-Leste since October 2025).
ASEAN: tuple[str, ...] = ("BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN", "TL")


def _read(name: str) -> pd.DataFrame:
    # keep_default_na=False: Namibia's code "NA" must stay a string, not become missing.
    with resources.files("htwork.standards").joinpath("data", name).open("rb") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False, encoding="utf-8")


@lru_cache(maxsize=1)
def _countries() -> pd.DataFrame:
    df = _read("iso3166.csv")
    df["asean"] = df["asean"].astype("int8")
    return df


@lru_cache(maxsize=1)
def _regions() -> pd.DataFrame:
    return _read("asean_regions.csv")


@lru_cache(maxsize=1)
def _a2_a3() -> dict[str, str]:
    df = _countries()
    return dict(zip(df["alpha2"], df["alpha3"], strict=True))


@lru_cache(maxsize=1)
def _a3_a2() -> dict[str, str]:
    return {v: k for k, v in _a2_a3().items()}


def countries() -> pd.DataFrame:
    """All 249 ISO 3166-1 countries.

    Returns
    -------
    pandas.DataFrame
        Columns ``alpha2, alpha3, numeric, name, region, subregion`` (strings; ``numeric`` is
        zero-padded text, ``region``/``subregion`` are UN M49 names, empty for Antarctica) and
        ``asean`` (int8, 1 for ASEAN members). A fresh copy on each call.
    """
    return _countries().copy()


def asean_regions(country: str | None = None) -> pd.DataFrame:
    """First-level administrative regions (ISO 3166-2) of the ASEAN member states.

    Parameters
    ----------
    country : str, optional
        ISO 3166-1 alpha-2 code of one ASEAN state (e.g. ``"TH"``); all eleven when omitted.

    Returns
    -------
    pandas.DataFrame
        Columns ``code, country, name, name_local, type`` (strings; ``name_local`` is empty
        where no local-script name is shipped).

    Raises
    ------
    StandardError
        If ``country`` is not an ASEAN member.
    """
    df = _regions()
    if country is None:
        return df.copy()
    code = str(country).strip().upper()
    if code not in ASEAN:
        raise StandardError(
            f"{country!r} is not an ASEAN member state; regions are shipped only for "
            f"{', '.join(ASEAN)}.",
            hint="give an ISO 3166-1 alpha-2 code such as 'TH' or 'MM'",
        )
    return df[df["country"] == code].reset_index(drop=True)


def alpha2_to_alpha3(code: str) -> str:
    """Convert an ISO 3166-1 alpha-2 code to alpha-3 (``"TH"`` → ``"THA"``).

    Raises
    ------
    StandardError
        If ``code`` is not an ISO 3166-1 alpha-2 code.
    """
    try:
        return _a2_a3()[code]
    except (KeyError, TypeError):
        raise StandardError(
            f"{code!r} is not an ISO 3166-1 alpha-2 country code.",
            hint="use two capital letters, e.g. 'MM' for Myanmar",
        ) from None


def alpha3_to_alpha2(code: str) -> str:
    """Convert an ISO 3166-1 alpha-3 code to alpha-2 (``"MMR"`` → ``"MM"``).

    Raises
    ------
    StandardError
        If ``code`` is not an ISO 3166-1 alpha-3 code.
    """
    try:
        return _a3_a2()[code]
    except (KeyError, TypeError):
        raise StandardError(
            f"{code!r} is not an ISO 3166-1 alpha-3 country code.",
            hint="use three capital letters, e.g. 'KHM' for Cambodia",
        ) from None


def is_country(code: object) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-2 code (exact, case-sensitive)."""
    return isinstance(code, str) and code in _a2_a3()


def is_region(code: object, country: str | None = None) -> bool:
    """Whether ``code`` is a shipped first-level region (optionally of ``country``)."""
    if not isinstance(code, str):
        return False
    df = _regions()
    hit = df["country"][df["code"] == code]
    return bool(len(hit)) and (country is None or hit.iloc[0] == country)


def subregion(alpha2: str) -> str:
    """UN M49 sub-region of a country (``"KH"`` → ``"South-eastern Asia"``).

    Returns an empty string for Antarctica, which M49 does not place.

    Raises
    ------
    StandardError
        If ``alpha2`` is not an ISO 3166-1 alpha-2 code.
    """
    df = _countries()
    hit = df["subregion"][df["alpha2"] == alpha2]
    if not len(hit):
        alpha2_to_alpha3(alpha2)  # raises the explanatory error
    return str(hit.iloc[0])
