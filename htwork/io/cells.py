"""Rendering typed cell values (Excel, Parquet) as the text a person would read."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from typing import Any

__all__ = ["render_value"]

_ZEROS = re.compile(r"0{2,}")


def _render_number(value: int | float, number_format: str | None) -> str | None:
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value) or not value.is_integer() or abs(value) >= 1e16:
            return repr(value)
        value = int(value)
    text = str(value)
    if number_format and value >= 0 and _ZEROS.fullmatch(number_format):
        text = text.zfill(len(number_format))  # "0000000000": a phone number kept as a number
    return text


def render_value(value: Any, number_format: str | None = None) -> str | None:
    """Render one typed cell value as text.

    Dates become ``YYYY-MM-DD`` (with ``HH:MM:SS`` after a space when the time is not
    midnight), integral floats lose their ``.0``, booleans read ``TRUE``/``FALSE`` as Excel shows
    them, and a whole number formatted with zeros only (``00000``) keeps its leading zeros.

    Parameters
    ----------
    value : object
        The cell's value: ``None``, ``str``, ``bool``, ``int``, ``float``, ``Decimal``,
        ``datetime``, ``date``, ``time``, ``timedelta`` or anything with a ``str``.
    number_format : str, optional
        The Excel number format of the cell.

    Returns
    -------
    str or None
        ``None`` for a missing value.

    Examples
    --------
    >>> render_value(15.0), render_value(0.1), render_value(dt.datetime(2023, 3, 15))
    ('15', '0.1', '2023-03-15')
    """
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return _render_number(value, number_format)
    if isinstance(value, Decimal):
        if value.is_nan():
            return None
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return value.hex()
    try:  # numpy / pandas scalars
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):
        return render_value(value.item(), number_format)
    return str(value)
