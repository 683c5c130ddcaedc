"""From rows of cells to a frame of strings: finding the header row and checking its names.

Shared by the CSV and Excel readers. Rows are lists of cells as the file gives them (strings for
CSV; strings, numbers or dates for Excel) and row ``i`` of the list is spreadsheet row ``i + 1``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from htwork.errors import InputError

__all__ = [
    "HEADER_SEARCH_ROWS",
    "detect_header_row",
    "clean_header",
    "build_frame",
    "frame_from_columns",
]

#: How many rows from the top are searched for the header.
HEADER_SEARCH_ROWS = 30

#: A header row has at least this share of the widest row's non-empty cells.
HEADER_MIN_WIDTH = 0.6

_STRIP = " \t\r\n\f\v\u00a0\u200b\ufeff"


def _filled(cell: Any) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip(_STRIP))


def detect_header_row(rows: Sequence[Sequence[Any]], limit: int = HEADER_SEARCH_ROWS) -> int | None:
    """Find the header among the first ``limit`` rows.

    The header is the first row whose non-empty cells number at least 60 % of the widest row's
    and are all text; titles above it (a form title in A1, a blank row, a row of merged group
    labels) are narrower and so are skipped. Failing a row of text, the first wide row is taken.

    Parameters
    ----------
    rows : sequence of sequences
        The table's rows from the top; cells are ``None``, strings or other values.
    limit : int, default 30
        How many rows to look at.

    Returns
    -------
    int or None
        The 0-based position of the header in ``rows``; ``None`` if the rows are all empty.

    Notes
    -----
    Distinct names are not required to be chosen: a header that repeats a name is still the
    header, and :func:`clean_header` then reports the repeated name instead of a data row being
    taken for the header without a word.
    """
    head = list(rows[:limit])
    widths = [sum(1 for c in r if _filled(c)) for r in head]
    if not widths or max(widths) == 0:
        return None
    need = HEADER_MIN_WIDTH * max(widths)
    wide = [i for i, w in enumerate(widths) if w > 0 and w >= need]
    for i in wide:
        if all(isinstance(c, str) for c in head[i] if _filled(c)):
            return i
    return wide[0]


def clean_header(
    cells: Sequence[Any],
    *,
    file: str,
    header_row: int,
    render: Callable[[Any], str | None],
    column_label: Callable[[int], str],
    has_data: Callable[[int], int | None],
) -> list[tuple[int, str]]:
    """Check and tidy the header's names; return ``(position, name)`` of the kept columns.

    Names lose surrounding whitespace (and stray BOM or zero-width characters). A column with
    no name and no data is dropped; one with data but no name, or a name used twice, is an error.

    Parameters
    ----------
    cells : sequence
        The header row's cells, padded to the table's width.
    file : str
        For error messages.
    header_row : int
        The header's spreadsheet row, for error messages.
    render : callable
        Turns a cell into its text.
    column_label : callable
        Names a 0-based position for people (``"column 3"`` or ``"column C"``).
    has_data : callable
        Returns the spreadsheet row of the first value below the header at a 0-based position,
        or ``None``.

    Returns
    -------
    list of (int, str)

    Raises
    ------
    InputError
        On an empty or repeated name, naming the position(s).
    """
    kept: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for pos, cell in enumerate(cells):
        name = (render(cell) or "").strip(_STRIP)
        if not name:
            first = has_data(pos)
            if first is None:
                continue
            raise InputError(
                f"{column_label(pos)} has values (from row {first}) but no name in the header "
                f"on row {header_row}",
                file=file,
                row=header_row,
                hint="give the column a name in the file, or pass header_row= if the header is "
                "on another row",
            )
        if name in seen:
            raise InputError(
                f"the header on row {header_row} names two columns {name!r}: "
                f"{column_label(seen[name])} and {column_label(pos)}",
                file=file,
                column=name,
                row=header_row,
                hint="rename one of them in the file (column names must be unique), or pass "
                "header_row= if the header is on another row",
            )
        seen[name] = pos
        kept.append((pos, name))
    return kept


def build_frame(
    data: np.ndarray,
    names: list[str],
    first_row: int,
) -> pd.DataFrame:
    """Make the frame: object dtype, empty strings as missing, fully empty rows dropped.

    Parameters
    ----------
    data : numpy.ndarray
        2-D object array of the kept columns' cells (strings or ``None``), one row per
        spreadsheet row from ``first_row`` on.
    names : list of str
        Column names.
    first_row : int
        The spreadsheet row of ``data[0]``.

    Returns
    -------
    pandas.DataFrame
        Indexed by spreadsheet row number.
    """
    n = data.shape[0]
    if n:
        data[data == ""] = None
        keep = ~(pd.isna(data).all(axis=1)) if data.shape[1] else np.zeros(n, dtype=bool)
    else:
        keep = np.zeros(0, dtype=bool)
    index = pd.Index(np.arange(first_row, first_row + n, dtype=np.int64)[keep])
    kept = data if keep.all() else data[keep]  # no copy of a large table without blank rows
    frame = pd.DataFrame(kept, columns=pd.Index(names, dtype=object), index=index,
                         dtype=object, copy=False)
    return frame


def frame_from_columns(
    columns: list[np.ndarray],
    empty: list[np.ndarray],
    names: list[str],
    n_rows: int,
    first_row: int,
) -> pd.DataFrame:
    """Like :func:`build_frame`, from per-column object arrays whose empty masks are known.

    Parameters
    ----------
    columns : list of numpy.ndarray
        One object array per column, ``None`` where empty.
    empty : list of numpy.ndarray
        Boolean masks of the empty cells, one per column.
    names : list of str
        Column names.
    n_rows : int
        Number of rows (needed when there are no columns).
    first_row : int
        The spreadsheet row of the first element.

    Returns
    -------
    pandas.DataFrame
    """
    keep = ~np.logical_and.reduce(empty) if columns else np.zeros(n_rows, dtype=bool)
    index = pd.Index(np.arange(first_row, first_row + n_rows, dtype=np.int64)[keep])
    if keep.all():
        data = dict(zip(range(len(columns)), columns, strict=True))
    else:
        data = {i: col[keep] for i, col in enumerate(columns)}
    frame = pd.DataFrame(data, index=index, dtype=object, copy=False)
    frame.columns = pd.Index(names, dtype=object)
    return frame
