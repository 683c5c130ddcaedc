"""Calendar quarters: reading ``"2024Q3"`` and listing the quarters of a trend."""

from __future__ import annotations

import re

import pandas as pd

from htwork.errors import InputError

__all__ = ["parse_quarter", "quarter_label", "previous_quarters"]

_YEAR_FIRST = re.compile(r"^\s*(\d{4})\s*[-_/ ]?\s*[Qq]\s*([1-4])\s*$")
_QUARTER_FIRST = re.compile(r"^\s*[Qq]\s*([1-4])\s*[-_/ ]?\s*(\d{4})\s*$")


def parse_quarter(value: str | pd.Period) -> pd.Period:
    """Read a calendar quarter.

    Parameters
    ----------
    value : str or pandas.Period
        ``"2024Q3"``; also ``"2024-Q3"``, ``"2024 q3"`` or ``"Q3 2024"``.

    Returns
    -------
    pandas.Period
        A quarterly period (January-March is Q1).

    Raises
    ------
    htwork.errors.InputError
        When the text is not a quarter.

    Examples
    --------
    >>> parse_quarter("2024Q3")
    Period('2024Q3', 'Q-DEC')
    >>> parse_quarter("Q1 2025").start_time.date().isoformat()
    '2025-01-01'
    """
    if isinstance(value, pd.Period):
        if value.freqstr.startswith("Q"):
            return value.asfreq("Q-DEC")
        raise InputError(f"{value!r} is not a quarter", hint="write the quarter as 2024Q3")
    text = str(value)
    m = _YEAR_FIRST.match(text)
    if m:
        year, q = m.group(1), m.group(2)
    else:
        m = _QUARTER_FIRST.match(text)
        if not m:
            raise InputError(f"{text!r} is not a quarter",
                             hint="write the year and the quarter, e.g. 2024Q3 for "
                                  "July-September 2024")
        q, year = m.group(1), m.group(2)
    return pd.Period(f"{year}Q{q}", freq="Q-DEC")


def quarter_label(period: pd.Period) -> str:
    """``"2024Q3"``."""
    return f"{period.year}Q{period.quarter}"


def previous_quarters(period: pd.Period, n: int, first: pd.Period | None = None
                      ) -> list[pd.Period]:
    """The ``n`` quarters up to and including ``period``, not before ``first``."""
    out = [period - k for k in range(n - 1, -1, -1)]
    if first is not None:
        out = [p for p in out if p >= first] or [period]
    return out
