"""Text to numbers without ever crashing the process.

pandas' ``to_numeric`` (and ``read_csv``'s type inference) parse exponents in C without a bound:
one cell ``1e2147483648`` ends the whole process with a segmentation fault (pandas 2.3).
:func:`to_numbers` is the one way htwork turns text into numbers: each distinct value is checked
against a plain decimal pattern of bounded length, then converted by Python's ``float``, which
turns a huge exponent into ``inf`` (or ``0.0``) instead of crashing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["MAX_NUMBER_CHARS", "to_numbers", "parse_number"]

#: Longest text read as a number; longer cells are not numbers (NaN).
MAX_NUMBER_CHARS = 100

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def parse_number(value: Any) -> float:
    """One value as a float: NaN when it is missing or not a plain decimal number.

    Parameters
    ----------
    value : object
        A number, a string such as ``"12"``, ``" -3.5 "`` or ``"1e5"``, or anything else.

    Returns
    -------
    float
        ``inf``/``-inf`` for exponents beyond the float range, NaN for non-numbers.

    Examples
    --------
    >>> parse_number(" 12 "), parse_number("1e2147483648"), parse_number("twelve")
    (12.0, inf, nan)
    """
    if value is None or isinstance(value, bool | np.bool_):
        return float("nan")
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    text = str(value).strip()
    if not text or len(text) > MAX_NUMBER_CHARS or not _NUMBER.fullmatch(text):
        return float("nan")
    return float(text)


def to_numbers(values: pd.Series | Iterable[Any]) -> pd.Series:
    """Like ``pd.to_numeric(values, errors="coerce")``, but unable to crash the process.

    Parameters
    ----------
    values : Series or iterable
        Cells (strings, numbers, missing values).

    Returns
    -------
    Series of float64
        Same index as ``values`` (a Series) or a range index; NaN where a cell is missing or
        not a plain decimal number.
    """
    s = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        return s.astype(np.float64)
    codes, uniques = pd.factorize(s.astype(object), use_na_sentinel=True)
    parsed = np.array([parse_number(u) for u in uniques] + [np.nan], dtype=np.float64)
    return pd.Series(parsed[codes], index=s.index, name=s.name, dtype=np.float64)
