"""The shape of a reading problem, shared by the readers and the date parser.

A problem is a plain dict, as ``docs/CONTRACTS.md`` describes for ``df.attrs["htwork"]``::

    {"column": str | None, "row": int | None, "value": str | None, "code": str, "message": str}
"""

from __future__ import annotations

import numbers
from typing import Any

__all__ = ["make_problem", "shorten"]


def shorten(text: str | None, limit: int = 80) -> str | None:
    """Shorten ``text`` to at most ``limit`` characters, marking a cut with an ellipsis.

    Parameters
    ----------
    text : str or None
        The text to shorten; ``None`` passes through.
    limit : int, default 80
        The longest result, ellipsis included.

    Returns
    -------
    str or None
    """
    if text is None:
        return None
    text = text.rstrip("\r\n")
    if len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


def make_problem(
    code: str,
    message: str,
    *,
    column: str | None = None,
    row: Any = None,
    value: str | None = None,
    severity: str | None = None,
) -> dict[str, Any]:
    """Build one problem dict in the contract's shape.

    Parameters
    ----------
    code : str
        A short machine-readable code such as ``"bad_encoding"`` or ``"bad_date"``.
    message : str
        What is wrong, in plain words.
    column : str, optional
        The column as named in the file.
    row : int, optional
        The row as a spreadsheet shows it. Non-integer labels are kept as given.
    value : str, optional
        The offending value (shortened by the caller when long).
    severity : str, optional
        ``"warning"`` for a problem that did not stop reading correctly; the key is left out
        otherwise (validation then counts the problem as an error).

    Returns
    -------
    dict
    """
    if type(row) is not int and isinstance(row, numbers.Integral) and not isinstance(row, bool):
        row = int(row)  # numpy integers become plain ints (JSON-friendly)
    problem = {"column": column, "row": row, "value": value, "code": code, "message": message}
    if severity is not None:
        problem["severity"] = severity
    return problem
