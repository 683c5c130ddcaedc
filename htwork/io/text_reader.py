"""Reading delimited text files (CSV, TSV, Excel "Unicode text") into frames of strings."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from htwork.errors import EncodingError, InputError
from htwork.io.decode import DecodedText, bad_encoding_problems, decode_bytes
from htwork.io.delimited import line_to_row_mapper, sniff_delimiter, split_records
from htwork.io.encoding import (
    bom_encoding,
    describe_encoding,
    detect_encoding,
    normalise_encoding,
    sniff_binary,
)
from htwork.io.limits import blocks_of, check_cells, check_lines, line_stats
from htwork.io.problems import make_problem
from htwork.io.table import HEADER_SEARCH_ROWS, build_frame, clean_header, detect_header_row

__all__ = ["TextRead", "read_delimited"]

_BINARY_HINTS = {
    "ZIP archive, perhaps an Excel .xlsx workbook": "if it is an Excel workbook, give it the .xlsx "
    "extension or pass format='xlsx'",
    "old Microsoft Office file, perhaps an Excel .xls workbook": "open it in Excel or LibreOffice "
    "and save it as .xlsx or .csv",
    "Parquet file": "give it the .parquet extension or pass format='parquet'",
}


@dataclass
class TextRead:
    """A delimited file read: the frame and how it was read."""

    frame: pd.DataFrame
    encoding: str
    delimiter: str
    header_row: int
    problems: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _compatible(given: str, bom: str) -> bool:
    family = {"utf-8-sig": ("utf-8", "utf-8-sig"),
              "utf-16-le": ("utf-16", "utf-16-le"), "utf-16-be": ("utf-16", "utf-16-be"),
              "utf-32-le": ("utf-32", "utf-32-le"), "utf-32-be": ("utf-32", "utf-32-be")}
    return given in family.get(bom, (bom,))


def _choose_encoding(
    data: bytes, encoding: str | None, file: str
) -> tuple[str, list[dict[str, Any]], list[str]]:
    problems: list[dict[str, Any]] = []
    notes: list[str] = []
    bom = bom_encoding(data)
    if encoding is None:
        guess = detect_encoding(data)
        if not guess.bom:
            notes.append(
                f"encoding detected as {guess.describe()} (confidence {guess.confidence:.2f})"
            )
        return guess.encoding, problems, notes
    try:
        given = normalise_encoding(encoding)
    except EncodingError as exc:
        raise EncodingError(exc.message, file=file, hint=exc.hint) from None
    if bom is not None and not _compatible(given, bom):
        problems.append(make_problem(
            "bad_encoding",
            f"encoding {encoding!r} was given but the file starts with a "
            f"{describe_encoding(bom)} byte-order mark, so it was read as {bom}",
            severity="warning",
        ))
        return bom, problems, notes
    if given == "utf-8" and bom == "utf-8-sig":
        given = "utf-8-sig"
    return given, problems, notes


def read_delimited(
    path: str | Path,
    data: bytes,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    header_row: int | None = None,
    default_delimiter: str | None = None,
) -> TextRead:
    """Read delimited text already loaded as ``data``.

    Parameters
    ----------
    path : str or Path
        The file, for messages.
    data : bytes
        Its bytes.
    encoding : str, optional
        The declared encoding; detected when not given. Bytes that do not decode in a declared
        encoding become U+FFFD with one ``bad_encoding`` problem per row.
    delimiter : str, optional
        Sniffed among ``, ; TAB |`` when not given (after ``default_delimiter``).
    header_row : int, optional
        1-based row of the header; detected when not given.
    default_delimiter : str, optional
        The delimiter to use when ``delimiter`` is not given (tab for ``.tsv``).

    Returns
    -------
    TextRead

    Raises
    ------
    InputError
        On an empty or binary file, a malformed header, or a row with more fields than the
        header.
    """
    file = str(path)
    if not data:
        raise InputError("the file is empty (0 bytes)", file=file,
                         hint="export the data again; the file holds nothing")
    kind = sniff_binary(data)
    if kind is not None:
        raise InputError(f"looks like a binary file ({kind}), not a CSV", file=file,
                         hint=_BINARY_HINTS.get(kind, "check that this is the file you meant"))
    used, problems, notes = _choose_encoding(data, encoding, file)
    decoded = decode_bytes(data, used)
    text = decoded.text
    if not text.strip():
        raise InputError("the file holds only blank lines, no header row", file=file)
    if delimiter is None:
        delimiter = default_delimiter or sniff_delimiter(
            text, prefer="\t" if used.startswith("utf-16") else None
        )
    if len(delimiter) != 1:
        raise InputError(f"the delimiter must be one character, not {delimiter!r}", file=file)
    check_lines(line_stats(blocks_of(text.encode("utf-8", "surrogatepass")), delimiter), file)
    try:
        grid = split_records(text, delimiter)
    except csv.Error as exc:
        raise InputError(f"the file cannot be split into rows ({exc})", file=file) from None
    if decoded.bad:
        problems.extend(bad_encoding_problems(
            data, decoded, line_to_row=line_to_row_mapper(text, delimiter),
            likely=detect_encoding(data if encoding is not None else _bad_lines(data, decoded)),
        ))
    h = _header_index(grid, header_row, file)
    if header_row is None and h > 0:
        notes.append(f"header found on row {h + 1}; the rows above it were skipped as titles")
    frame = _frame(grid, h, file)
    check_cells(((c, frame[c].to_numpy()) for c in frame.columns), file, h + 2, frame.index)
    return TextRead(frame, used, delimiter, h + 1, problems, notes)


def _bad_lines(data: bytes, decoded: DecodedText) -> bytes:
    """The lines of ``data`` that hold undecodable runs, to guess the encoding they were in."""
    parts = []
    for start, end in decoded.bad[:200]:
        lo = data.rfind(b"\n", 0, start) + 1
        hi = data.find(b"\n", end)
        parts.append(data[lo : hi if hi >= 0 else len(data)])
    return b"\n".join(parts)


def _header_index(grid: np.ndarray, header_row: int | None, file: str) -> int:
    if header_row is not None:
        if not 1 <= header_row <= len(grid):
            raise InputError(
                f"header_row={header_row} is outside the file, which has {len(grid)} rows",
                file=file,
            )
        if not any(cell.strip() for cell in grid[header_row - 1]):
            raise InputError(f"the header row {header_row} is empty", file=file, row=header_row,
                             hint="give the row number where the column names are")
        return header_row - 1
    h = detect_header_row(grid[:HEADER_SEARCH_ROWS].tolist())
    if h is None:
        raise InputError("no header row found: the first rows are empty", file=file)
    return h


def _last_filled(cells: np.ndarray) -> np.ndarray:
    """Per row, 1 + the position of the last non-empty field (0 for an empty row)."""
    if cells.shape[1] == 0:
        return np.zeros(cells.shape[0], dtype=np.int64)
    filled = cells != ""
    reversed_first = np.argmax(filled[:, ::-1], axis=1)
    return np.where(filled.any(axis=1), cells.shape[1] - reversed_first, 0)


def _frame(grid: np.ndarray, h: int, file: str) -> pd.DataFrame:
    header = grid[h]
    body = grid[h + 1 :]
    width = int(_last_filled(header[None, :])[0])
    if body.shape[1] > width:
        beyond = (body[:, width:] != "").any(axis=1)
        if beyond.any():
            offset = int(np.argmax(beyond))
            fields = int(_last_filled(body[offset : offset + 1])[0])
            row = h + 2 + offset
            raise InputError(
                f"row {row} has {fields} fields but the header on row {h + 1} has {width}",
                file=file, row=row,
                hint="a value probably contains the delimiter without quotes around it; quote "
                "it, or check that the delimiter is right (pass delimiter=)",
            )

    def has_data(pos: int) -> int | None:
        filled = np.flatnonzero(body[:, pos] != "")
        return h + 2 + int(filled[0]) if filled.size else None

    kept = clean_header(header[:width].tolist(), file=file, header_row=h + 1,
                        render=lambda c: c, column_label=lambda pos: f"column {pos + 1}",
                        has_data=has_data)
    positions = [pos for pos, _ in kept]
    return build_frame(body[:, positions], [name for _, name in kept], h + 2)
