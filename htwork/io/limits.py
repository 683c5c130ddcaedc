"""Limits on what a delimited text file may hold, so that a malformed file is a clear error and
never a machine out of memory.

* a physical line of at most :data:`MAX_LINE_BYTES` bytes (1 MiB): a 10 MB file on one line is
  not a table (it drove ``validate`` past 11 GB before this limit);
* at most :data:`MAX_COLUMNS` fields in a row (16,384, Excel's own limit);
* at most :data:`MAX_CELL_CHARS` characters in one cell (100,000; Excel holds 32,767, so any
  file that came from a spreadsheet passes).

The line scan reads bytes in blocks with numpy, so it costs a few milliseconds per megabyte and
no copy of the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from htwork.errors import InputError

__all__ = ["MAX_LINE_BYTES", "MAX_COLUMNS", "MAX_CELL_CHARS", "LineStats", "line_stats",
           "check_lines", "check_cells"]

MAX_LINE_BYTES = 1 << 20
MAX_COLUMNS = 16_384
MAX_CELL_CHARS = 100_000

_BLOCK = 16 << 20


@dataclass
class LineStats:
    """Physical lines of a file: how many, the longest (bytes) and the most delimiters."""

    lines: int = 0
    longest: int = 0
    longest_line: int = 0
    most_fields: int = 1
    most_fields_line: int = 0


def line_stats(blocks: Iterable[bytes], delimiter: str | None = None) -> LineStats:
    """Count lines, their longest length and their most delimiters, block by block.

    Parameters
    ----------
    blocks : iterable of bytes
        The file's bytes in order, in an ASCII-compatible encoding (UTF-8, Windows-874, ...).
    delimiter : str, optional
        A one-character ASCII delimiter whose count per line gives the fields per line
        (quotes are not considered: an upper bound).

    Returns
    -------
    LineStats
        Line numbers are 1-based.
    """
    st = LineStats()
    carry_len = 0
    carry_delims = 0
    code = ord(delimiter) if delimiter and ord(delimiter) < 128 else None
    for block in blocks:
        arr = np.frombuffer(block, dtype=np.uint8)
        nl = np.flatnonzero(arr == 0x0A)
        ends = np.concatenate((nl, [len(arr)]))
        starts = np.concatenate(([0], nl + 1))
        lengths = ends - starts
        lengths[0] += carry_len
        if code is not None:
            dpos = np.flatnonzero(arr == code)
            counts = np.diff(np.searchsorted(dpos, np.concatenate((starts, [len(arr) + 1]))))
            counts[0] += carry_delims
        complete = len(nl)  # lines ending in this block; the last piece carries on
        if complete:
            i = int(np.argmax(lengths[:complete]))
            if lengths[i] > st.longest:
                st.longest, st.longest_line = int(lengths[i]), st.lines + i + 1
            if code is not None:
                j = int(np.argmax(counts[:complete]))
                if counts[j] + 1 > st.most_fields:
                    st.most_fields, st.most_fields_line = int(counts[j]) + 1, st.lines + j + 1
        st.lines += complete
        carry_len = int(lengths[-1])
        carry_delims = int(counts[-1]) if code is not None else 0
        if carry_len > MAX_LINE_BYTES:  # no need to read a giant line to its end
            break
    if carry_len:
        st.lines += 1
        if carry_len > st.longest:
            st.longest, st.longest_line = carry_len, st.lines
        if code is not None and carry_delims + 1 > st.most_fields:
            st.most_fields, st.most_fields_line = carry_delims + 1, st.lines
    return st


def blocks_of(data: bytes | memoryview, size: int = _BLOCK) -> Iterable[bytes]:
    """``data`` in blocks of ``size`` bytes (views, no copies)."""
    view = memoryview(data)
    for start in range(0, len(view), size):
        yield view[start:start + size]  # type: ignore[misc]


def check_lines(st: LineStats, file: str) -> None:
    """Refuse a file whose lines are too long or too wide (an :class:`InputError`)."""
    if st.longest > MAX_LINE_BYTES:
        raise InputError(
            f"line {st.longest_line:,} is {st.longest:,} bytes long, more than the "
            f"{MAX_LINE_BYTES:,} bytes a line of a table may hold", file=file,
            hint="this is probably not a table with one record per line (a file without line "
                 "breaks, or another format saved as .csv); export the table again")
    if st.most_fields > MAX_COLUMNS:
        raise InputError(
            f"line {st.most_fields_line:,} has {st.most_fields:,} fields, more than the "
            f"{MAX_COLUMNS:,} columns a table may have", file=file,
            hint="check the delimiter, or export the table again")


def check_cells(columns: Iterable[tuple[str, np.ndarray]], file: str,
                first_row: int, index: pd.Index | None = None) -> None:
    """Refuse a cell longer than :data:`MAX_CELL_CHARS` characters, naming column and row."""
    for name, values in columns:
        lengths = np.fromiter((len(v) if isinstance(v, str) else 0 for v in values),
                              dtype=np.int64, count=len(values))
        if len(lengths) and lengths.max() > MAX_CELL_CHARS:
            pos = int(np.argmax(lengths > MAX_CELL_CHARS))
            row = int(index[pos]) if index is not None else first_row + pos
            raise InputError(
                f"a cell holds {int(lengths[pos]):,} characters, more than the "
                f"{MAX_CELL_CHARS:,} a cell may hold", file=file, column=str(name)[:80],
                row=row, hint="check that the quotes in this file are balanced; a long text "
                              "belongs in a file of its own")
