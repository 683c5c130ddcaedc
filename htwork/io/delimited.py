"""Delimited text (CSV, TSV): choosing the delimiter and splitting text into records.

Records are counted the way a spreadsheet shows them: a blank line is a row, and a quoted field
that spans several lines stays in one row.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable

import numpy as np

__all__ = ["CANDIDATE_DELIMITERS", "sniff_delimiter", "split_records", "line_to_row_mapper"]

#: Delimiters :func:`sniff_delimiter` chooses among, in order of preference on a tie.
CANDIDATE_DELIMITERS = (",", ";", "\t", "|")

_SNIFF_LINES = 60


def _head(text: str, lines: int) -> str:
    end = -1
    for _ in range(lines):
        end = text.find("\n", end + 1)
        if end < 0:
            return text
    return text[: end + 1]


def sniff_delimiter(text: str, *, prefer: str | None = None) -> str:
    """Choose the delimiter of delimited ``text`` among ``, ; TAB |``.

    Each candidate splits the first lines (quote-aware); the one giving the most rows of the
    same width (more than one field) wins, then the wider rows, then ``prefer``, then the order
    of :data:`CANDIDATE_DELIMITERS`.

    Parameters
    ----------
    text : str
        The decoded text (only its first lines are looked at).
    prefer : str, optional
        The delimiter to choose on a tie (tab for Excel "Unicode text" files).

    Returns
    -------
    str
        The delimiter; ``","`` when nothing splits the text (a one-column file).
    """
    head = _head(text, _SNIFF_LINES)
    best: tuple[int, int, int, int] | None = None
    choice = ","
    for order, delim in enumerate(CANDIDATE_DELIMITERS):
        if delim not in head:
            continue
        try:
            widths = [len(r) for r in csv.reader(io.StringIO(head, newline=""), delimiter=delim)
                      if any(cell.strip() for cell in r)]
        except csv.Error:
            continue
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        if width < 2:
            continue
        score = (count, width, int(delim == prefer), -order)
        if best is None or score > best:
            best, choice = score, delim
    return choice


def split_records(text: str, delimiter: str) -> list[list[str]]:
    """Split delimited text into records (lists of field strings).

    Parameters
    ----------
    text : str
        The decoded text.
    delimiter : str
        The field delimiter.

    Returns
    -------
    list of list of str
        One list per record; a blank line gives an empty list.

    Raises
    ------
    csv.Error
        On a malformed record; ``line_num`` of the message is the physical line.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return list(reader)
    except csv.Error as exc:
        raise csv.Error(f"line {reader.line_num}: {exc}") from None


def line_to_row_mapper(text: str, delimiter: str = ",") -> Callable[[int], int]:
    """Build a function from a 1-based physical line number to the spreadsheet row it is in.

    Parameters
    ----------
    text : str
        The decoded text.
    delimiter : str, default ","
        The field delimiter (it matters only for where quoted fields start).

    Returns
    -------
    callable
        ``f(line) -> row``.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    ends: list[int] = []
    try:
        for _ in reader:
            ends.append(reader.line_num)
    except csv.Error:
        pass
    last = np.asarray(ends, dtype=np.int64)

    def line_to_row(line: int) -> int:
        pos = int(np.searchsorted(last, line, side="left"))
        return pos + 1 if pos < len(last) else len(last) + (line - (ends[-1] if ends else 0))

    return line_to_row
