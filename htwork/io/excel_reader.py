"""Reading Excel workbooks (.xlsx) into frames of strings: choosing the sheet and the header."""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from htwork.errors import InputError
from htwork.io.cells import render_value
from htwork.io.encoding import sniff_binary
from htwork.io.table import HEADER_SEARCH_ROWS, build_frame, clean_header, detect_header_row

__all__ = ["ExcelRead", "read_xlsx", "column_letter"]

_ZEROS = re.compile(r"0{2,}")


@dataclass
class ExcelRead:
    """A worksheet read: the frame and how it was read."""

    frame: pd.DataFrame
    sheet: str
    sheets: list[str]
    header_row: int
    problems: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def column_letter(pos: int) -> str:
    """Excel's letter(s) for a 0-based column position (0 -> ``A``, 26 -> ``AA``)."""
    letters = ""
    n = pos + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _open_workbook(data: bytes, file: str) -> Any:
    import openpyxl

    if not data:
        raise InputError("the file is empty (0 bytes)", file=file)
    if not data.startswith(b"PK"):
        kind = sniff_binary(data)
        if kind is not None and "xls workbook" in kind:
            raise InputError(
                "this is an old-style Excel .xls workbook, which htwork cannot read", file=file,
                hint="open it in Excel or LibreOffice and save it as .xlsx",
            )
        looks = f"it looks like a {kind}" if kind else "it looks like a text file"
        raise InputError(
            f"this is not an Excel .xlsx workbook ({looks})", file=file,
            hint="if it is a CSV, give it the .csv extension or pass format='csv'",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions
            return openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=True, keep_links=False
            )
    except Exception as exc:  # openpyxl raises many kinds; none is useful to a user
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(
            f"the workbook cannot be read ({reason})", file=file,
            hint="open it in Excel or LibreOffice and save it again as .xlsx",
        ) from None


def _rows(ws: Any, limit: int | None = None) -> list[list[Any]]:
    """The sheet's rows as lists of (value, number_format) cells, row 1 first."""
    out: list[list[Any]] = []
    for cells in ws.iter_rows(max_row=limit):
        row = []
        for cell in cells:
            value = getattr(cell, "value", None)
            if isinstance(value, int | float) and not isinstance(value, bool) and _ZEROS.fullmatch(
                getattr(cell, "number_format", None) or ""
            ):
                row.append(render_value(value, cell.number_format))  # keeps leading zeros
            else:
                row.append(value)
        while row and (row[-1] is None or row[-1] == ""):
            row.pop()
        out.append(row)
    return out


def _score(rows: list[list[Any]]) -> int:
    return sum(1 for r in rows for c in r if isinstance(c, str) and c.strip())


def _choose_sheet(wb: Any, sheet: str | int | None, file: str) -> tuple[Any, list[str]]:
    sheets = list(wb.worksheets)
    names = [ws.title for ws in sheets]
    notes: list[str] = []
    if not sheets:
        raise InputError("the workbook has no worksheets", file=file)
    listing = ", ".join(repr(n) for n in names)
    if isinstance(sheet, bool):
        raise InputError(f"sheet= must be a name or a position, not {sheet!r}", file=file)
    if isinstance(sheet, int):
        if not -len(sheets) <= sheet < len(sheets):
            raise InputError(
                f"there is no sheet at position {sheet}: the workbook has {len(sheets)} "
                f"({listing}; positions count from 0)", file=file,
            )
        return sheets[sheet], notes
    if sheet is not None:
        if sheet in names:
            return sheets[names.index(sheet)], notes
        loose = [i for i, n in enumerate(names) if n.strip().casefold() == sheet.strip().casefold()]
        if len(loose) == 1:
            return sheets[loose[0]], notes
        raise InputError(f"there is no sheet named {sheet!r}; the sheets are {listing}", file=file,
                         hint="pass one of those names, or a position counting from 0")
    if len(sheets) == 1:
        return sheets[0], notes
    visible = [ws for ws in sheets if getattr(ws, "sheet_state", "visible") == "visible"] or sheets
    scores = [_score(_rows(ws, HEADER_SEARCH_ROWS)) for ws in visible]
    chosen = visible[int(np.argmax(scores))]
    notes.append(f"sheet {chosen.title!r} chosen among {listing} as the most table-like; "
                 f"pass sheet= to read another")
    return chosen, notes


def read_xlsx(
    path: str | Path,
    data: bytes,
    *,
    sheet: str | int | None = None,
    header_row: int | None = None,
) -> ExcelRead:
    """Read one worksheet of an .xlsx workbook already loaded as ``data``.

    Parameters
    ----------
    path : str or Path
        The file, for messages.
    data : bytes
        Its bytes.
    sheet : str or int, optional
        Sheet name, or 0-based position. When not given and there are several, the visible sheet
        with the most text cells in its first 30 rows is read (the choice goes in the notes).
    header_row : int, optional
        1-based row of the header; detected when not given.

    Returns
    -------
    ExcelRead

    Raises
    ------
    InputError
        On a file that is not a readable .xlsx, an unknown sheet, an empty sheet or a malformed
        header.
    """
    file = str(path)
    wb = _open_workbook(data, file)
    try:
        ws, notes = _choose_sheet(wb, sheet, file)
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # the stored dimension is sometimes wrong; read all rows
        try:
            rows = _rows(ws)
        except Exception as exc:
            raise InputError(f"sheet {ws.title!r} cannot be read ({exc})", file=file) from None
        names = [w.title for w in wb.worksheets]
        title = ws.title
    finally:
        wb.close()
    h = _header_index(rows, header_row, file, title)
    if header_row is None and h > 0:
        notes.append(f"header found on row {h + 1} of sheet {title!r}; the rows above it were "
                     f"skipped as titles")
    frame = _frame(rows, h, file)
    return ExcelRead(frame, title, names, h + 1, [], notes)


def _header_index(rows: list[list[Any]], header_row: int | None, file: str, title: str) -> int:
    if header_row is not None:
        if not 1 <= header_row <= len(rows) or not rows[header_row - 1]:
            raise InputError(f"the header row {header_row} of sheet {title!r} is empty",
                             file=file, row=header_row,
                             hint="give the row number where the column names are")
        return header_row - 1
    h = detect_header_row(rows)
    if h is None:
        raise InputError(f"sheet {title!r} is empty: no header row found in its first "
                         f"{HEADER_SEARCH_ROWS} rows", file=file,
                         hint="pass sheet= to read another sheet, or header_row=")
    return h


def _frame(rows: list[list[Any]], h: int, file: str) -> pd.DataFrame:
    body = rows[h + 1 :]
    width = max([len(rows[h])] + [len(r) for r in body])
    header = rows[h] + [None] * (width - len(rows[h]))
    data = np.full((len(body), width), None, dtype=object)
    cache: dict[Any, str | None] = {}
    for i, r in enumerate(body):
        for j, value in enumerate(r):
            if value is None or isinstance(value, str):
                data[i, j] = value
            else:
                key = (type(value), value)
                text = cache.get(key, "\0")
                if text == "\0":
                    text = cache[key] = render_value(value)
                data[i, j] = text

    def has_data(pos: int) -> int | None:
        filled = np.flatnonzero([c is not None and c != "" for c in data[:, pos]])
        return int(filled[0]) + h + 2 if filled.size else None

    kept = clean_header(header, file=file, header_row=h + 1, render=render_value,
                        column_label=lambda pos: f"column {column_letter(pos)}",
                        has_data=has_data)
    positions = [pos for pos, _ in kept]
    return build_frame(data[:, positions], [name for _, name in kept], h + 2)
