"""Reading a large delimited file without holding it in memory more than once.

The in-memory reader (:func:`htwork.io.text_reader.read_delimited`) holds the file's bytes, its
decoded text and a copy pandas makes of it: about six times the file's size for a UTF-8 file of
Thai text, 7 GB for a million simulated records. This reader checks the file block by block
(its encoding, the :mod:`htwork.io.limits` on lines and fields), then lets pandas' C parser
read it straight from disk, so the peak is about the frame itself.

It handles the common case: UTF-8 (with or without a BOM) or a declared single-byte encoding,
every byte decoding cleanly. Anything else (UTF-16, an encoding to detect, bytes that do not
decode and must be reported row by row, text pandas cannot split) returns ``None`` and the
in-memory reader takes over with exactly the old behaviour.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from htwork.errors import EncodingError, InputError
from htwork.io.delimited import sniff_delimiter
from htwork.io.encoding import (
    EncodingGuess,
    _utf16_without_bom,
    bom_encoding,
    normalise_encoding,
    sniff_binary,
)
from htwork.io.limits import MAX_CELL_CHARS, check_cells, check_lines, line_stats
from htwork.io.table import HEADER_SEARCH_ROWS, build_frame, clean_header, detect_header_row

__all__ = ["read_delimited_stream"]

_SAMPLE = 1 << 20
_BLOCK = 16 << 20
_ASCII_COMPATIBLE = ("utf-8", "utf-8-sig", "cp874", "cp1252", "iso8859-1", "iso8859-11",
                     "tis-620", "cp1258", "cp1250", "latin-1", "ascii")


def _blocks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as fh:
        while True:
            block = fh.read(_BLOCK)
            if not block:
                return
            yield block


def _decodes(path: Path, encoding: str) -> bool:
    """Whether the whole file decodes in ``encoding`` (checked block by block)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        for block in _blocks(path):
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _choose(path: Path, sample: bytes, encoding: str | None,
            file: str) -> tuple[str, list[str]] | None:
    bom = bom_encoding(sample)
    if bom is not None and bom != "utf-8-sig":
        return None  # UTF-16/32: the in-memory reader
    if encoding is not None:
        try:
            given = normalise_encoding(encoding)
        except EncodingError as exc:
            raise EncodingError(exc.message, file=file, hint=exc.hint) from None
        if bom == "utf-8-sig" and given not in ("utf-8", "utf-8-sig"):
            return None  # the in-memory reader warns about the conflict
        used = "utf-8-sig" if bom == "utf-8-sig" else given
        if codecs.lookup(used).name not in {codecs.lookup(e).name for e in _ASCII_COMPATIBLE}:
            return None
        return (used, []) if _decodes(path, used) else None
    if bom == "utf-8-sig":
        return ("utf-8-sig", []) if _decodes(path, "utf-8-sig") else None
    if _utf16_without_bom(sample) is not None or not _decodes(path, "utf-8"):
        return None
    guess = EncodingGuess("utf-8", 1.0 if sample.isascii() else 0.99, False)
    return "utf-8", [f"encoding detected as {guess.describe()} "
                     f"(confidence {guess.confidence:.2f})"]


def _parse(path: Path, delimiter: str, width: int, encoding: str) -> pd.DataFrame | None:
    for _ in range(5):
        try:
            return pd.read_csv(
                path, sep=delimiter, header=None, names=range(width), dtype=object,
                na_filter=False, keep_default_na=False, skip_blank_lines=False, engine="c",
                quotechar='"', doublequote=True, escapechar=None, comment=None,
                encoding=encoding, encoding_errors="strict", low_memory=True,
            )
        except pd.errors.ParserError as exc:
            import re

            wider = re.search(r"Expected \d+ fields in line \d+, saw (\d+)", str(exc))
            if wider is None or int(wider.group(1)) <= width:
                return None
            width = int(wider.group(1))
        except (ValueError, UnicodeDecodeError, csv.Error):
            return None
    return None


def read_delimited_stream(
    path: str | Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    header_row: int | None = None,
    default_delimiter: str | None = None,
) -> Any:
    """Read a delimited file from disk with a low memory peak, or ``None`` to fall back.

    Parameters are those of :func:`htwork.io.text_reader.read_delimited` (without the bytes).

    Returns
    -------
    TextRead or None
    """
    from htwork.io.text_reader import _BINARY_HINTS, TextRead

    p = Path(path)
    file = str(path)
    with open(p, "rb") as fh:
        sample = fh.read(_SAMPLE)
    if not sample:
        return None  # the in-memory reader says the file is empty
    kind = sniff_binary(sample)
    if kind is not None:
        raise InputError(f"looks like a binary file ({kind}), not a CSV", file=file,
                         hint=_BINARY_HINTS.get(kind, "check that this is the file you meant"))
    chosen = _choose(p, sample, encoding, file)
    if chosen is None:
        return None
    used, notes = chosen
    head = sample.decode(used, errors="ignore")
    if len(sample) == _SAMPLE and "\n" in head:
        head = head[: head.rindex("\n") + 1]
    if not head.strip():
        return None
    if delimiter is None:
        delimiter = default_delimiter or sniff_delimiter(head)
    if len(delimiter) != 1 or ord(delimiter) > 127 or delimiter in '"\r\n':
        return None
    stats = line_stats(_blocks(p), delimiter)
    check_lines(stats, file)
    raw = _parse(p, delimiter, stats.most_fields, used)
    if raw is None:
        return None
    h = _header(raw, header_row, file)
    if header_row is None and h > 0:
        notes.append(f"header found on row {h + 1}; the rows above it were skipped as titles")
    frame = _frame(raw, h, file)
    del raw
    multiline = len(frame) + h + 1 < stats.lines
    if multiline or stats.longest > MAX_CELL_CHARS:
        check_cells(((c, frame[c].to_numpy()) for c in frame.columns), file, h + 2,
                    frame.index)
    return TextRead(frame, used, delimiter, h + 1, [], notes)


def _header(raw: pd.DataFrame, header_row: int | None, file: str) -> int:
    if header_row is not None:
        if not 1 <= header_row <= len(raw):
            raise InputError(
                f"header_row={header_row} is outside the file, which has {len(raw)} rows",
                file=file)
        if not any(str(c).strip() for c in raw.iloc[header_row - 1].tolist()):
            raise InputError(f"the header row {header_row} is empty", file=file, row=header_row,
                             hint="give the row number where the column names are")
        return header_row - 1
    h = detect_header_row(raw.iloc[:HEADER_SEARCH_ROWS].to_numpy(dtype=object).tolist())
    if h is None:
        raise InputError("no header row found: the first rows are empty", file=file)
    return h


def _frame(raw: pd.DataFrame, h: int, file: str) -> pd.DataFrame:
    header = raw.iloc[h].to_numpy(dtype=object)
    filled = np.flatnonzero(header != "")
    width = int(filled[-1]) + 1 if len(filled) else 0
    for pos in range(width, raw.shape[1]):
        col = raw.iloc[h + 1:, pos].to_numpy(dtype=object)
        beyond = np.flatnonzero(col != "")
        if len(beyond):
            offset = int(beyond[0])
            row_cells = raw.iloc[h + 1 + offset].to_numpy(dtype=object)
            nz = np.flatnonzero(row_cells != "")
            raise InputError(
                f"row {h + 2 + offset} has {int(nz[-1]) + 1} fields but the header on row "
                f"{h + 1} has {width}",
                file=file, row=h + 2 + offset,
                hint="a value probably contains the delimiter without quotes around it; quote "
                "it, or check that the delimiter is right (pass delimiter=)",
            )

    def has_data(pos: int) -> int | None:
        col = raw.iloc[h + 1:, pos].to_numpy(dtype=object)
        first = np.flatnonzero(col != "")
        return h + 2 + int(first[0]) if first.size else None

    kept = clean_header(header[:width].tolist(), file=file, header_row=h + 1,
                        render=lambda c: c, column_label=lambda pos: f"column {pos + 1}",
                        has_data=has_data)
    positions = [pos for pos, _ in kept]
    names = [name for _, name in kept]
    cells = raw.to_numpy(dtype=object)  # the parser's own block: a view, not a copy
    if positions and positions == list(range(positions[0], positions[-1] + 1)):
        body = cells[h + 1:, positions[0]:positions[-1] + 1]  # still a view
    else:
        body = cells[h + 1:][:, positions]
    return build_frame(body, names, h + 2)
