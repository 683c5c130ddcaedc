"""Decoding text without failing, and saying which rows' bytes did not fit the encoding.

When an encoding is given (by the user or an agency crosswalk) and some bytes do not decode,
reading carries on: the bytes become U+FFFD and each affected row gets one ``bad_encoding``
problem naming the bytes, the row and the encoding the file more likely is.
"""

from __future__ import annotations

import codecs
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from htwork.io.encoding import EncodingGuess, detect_encoding, normalise_encoding
from htwork.io.problems import make_problem, shorten

__all__ = ["DecodedText", "decode_bytes", "bad_encoding_problems", "check_encoding"]

#: The most bad rows reported one by one before a single summary entry.
MAX_LINE_PROBLEMS = 20


@dataclass(frozen=True)
class DecodedText:
    """Text decoded from bytes, and where the bytes did not decode.

    Attributes
    ----------
    text : str
        The decoded text; undecodable bytes are replaced by U+FFFD, a leading BOM is removed.
    encoding : str
        The codec used.
    bad : list of tuple of int
        ``(start, end)`` byte offsets of each undecodable run, in file order.
    """

    text: str
    encoding: str
    bad: list[tuple[int, int]]


class _BadBytes(threading.local):
    def __init__(self) -> None:
        self.runs: list[tuple[int, int]] | None = None


_RECORDER = _BadBytes()


def _record_and_replace(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    if _RECORDER.runs is not None:
        _RECORDER.runs.append((exc.start, exc.end))
    return "\ufffd", exc.end


codecs.register_error("htwork.record", _record_and_replace)


def decode_bytes(data: bytes, encoding: str) -> DecodedText:
    """Decode ``data`` without failing, recording the byte runs that do not decode.

    Parameters
    ----------
    data : bytes
        The bytes to decode.
    encoding : str
        A codec name. ``"utf-8"`` on data with a UTF-8 BOM reads as ``"utf-8-sig"``.

    Returns
    -------
    DecodedText
        With U+FFFD in place of each undecodable run, and a leading BOM character removed.
    """
    name = normalise_encoding(encoding)
    if name == "utf-8" and data.startswith(codecs.BOM_UTF8):
        name = "utf-8-sig"
    _RECORDER.runs = []
    try:
        text = data.decode(name, errors="htwork.record")
        runs = _RECORDER.runs
    finally:
        _RECORDER.runs = None
    if text.startswith("\ufeff"):
        text = text[1:]
    return DecodedText(text, name, _merge_runs(runs))


def _merge_runs(runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in runs:
        if merged and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _newline_offsets(data: bytes, encoding: str) -> np.ndarray:
    """Byte offsets of the line feeds in ``data`` for ``encoding``."""
    arr = np.frombuffer(data, dtype=np.uint8)
    name = codecs.lookup(encoding).name
    if name.startswith(("utf-16", "utf-32")):
        width = 2 if name.startswith("utf-16") else 4
        big = name.endswith("-be") or (name in ("utf-16", "utf-32") and data[:1] == b"\x00")
        n = len(arr) - len(arr) % width
        units = arr[:n].reshape(-1, width)
        nl = units[:, -1] == 0x0A if big else units[:, 0] == 0x0A
        others = units[:, :-1] if big else units[:, 1:]
        nl &= (others == 0).all(axis=1)
        return np.flatnonzero(nl) * width
    return np.flatnonzero(arr == 0x0A)


def bad_encoding_problems(
    data: bytes,
    decoded: DecodedText,
    *,
    line_to_row: Callable[[int], int] | None = None,
    likely: EncodingGuess | None = None,
    column: str | None = None,
) -> list[dict[str, Any]]:
    """Turn the undecodable runs of ``decoded`` into ``bad_encoding`` problems, one per row.

    Parameters
    ----------
    data : bytes
        The bytes that were decoded.
    decoded : DecodedText
        The result of :func:`decode_bytes` on ``data``.
    line_to_row : callable, optional
        Maps a 1-based physical line number to the spreadsheet row (they differ when a quoted
        field spans lines). Identity when not given.
    likely : EncodingGuess, optional
        The detected encoding, named in the messages; detected from ``data`` when not given.
    column : str, optional
        Put in each problem's ``column``.

    Returns
    -------
    list of dict
        At most :data:`MAX_LINE_PROBLEMS` row entries, then one summary entry with the total.
    """
    if not decoded.bad:
        return []
    if likely is None:
        likely = detect_encoding(data)
    used = decoded.encoding
    if likely.encoding.replace("-sig", "") == used.replace("-sig", ""):
        advice = "the file's real encoding could not be recognised"
    else:
        advice = f"the file looks like {likely.describe()}: try encoding={likely.encoding!r}"
    newlines = _newline_offsets(data, used)
    lines = np.searchsorted(newlines, [start for start, _ in decoded.bad], side="right") + 1
    text_lines: list[str] | None = None
    problems: list[dict[str, Any]] = []
    seen: set[int] = set()
    for (start, end), line in zip(decoded.bad, lines.tolist(), strict=True):
        row = int(line_to_row(line)) if line_to_row is not None else line
        if row in seen:
            continue
        seen.add(row)
        if len(problems) >= MAX_LINE_PROBLEMS:
            continue
        if text_lines is None:
            text_lines = decoded.text.split("\n")
        shown = " ".join(f"0x{b:02X}" for b in data[start : min(end, start + 4)])
        if end - start > 4:
            shown += " …"
        subject = f"byte {shown} at row {row} is" if end - start == 1 else (
            f"bytes {shown} at row {row} are"
        )
        problems.append(
            make_problem(
                "bad_encoding",
                f"{subject} not valid {used}; {advice}",
                column=column,
                row=row,
                value=shorten(text_lines[line - 1] if line - 1 < len(text_lines) else None),
            )
        )
    if len(seen) > MAX_LINE_PROBLEMS:
        problems.append(
            make_problem(
                "bad_encoding",
                f"{len(seen)} rows in all have bytes that are not valid {used} "
                f"(the first {MAX_LINE_PROBLEMS} are listed); {advice}",
                column=column,
            )
        )
    return problems


def check_encoding(path: str | Path, encoding: str) -> list[dict[str, Any]]:
    """Check that a text file decodes in ``encoding``; list the rows where it does not.

    Parameters
    ----------
    path : str or Path
        The file (opened read-only).
    encoding : str
        The encoding it is supposed to be in (e.g. from a crosswalk).

    Returns
    -------
    list of dict
        ``bad_encoding`` problems as :func:`read_table` puts them in ``read_problems``; empty
        when the whole file decodes. Rows count CSV records, so a quoted field spanning lines
        does not shift the rows after it.
    """
    from htwork.io.delimited import line_to_row_mapper
    from htwork.io.files import read_bytes

    data = read_bytes(path)
    decoded = decode_bytes(data, encoding)
    if not decoded.bad:
        return []
    return bad_encoding_problems(data, decoded, line_to_row=line_to_row_mapper(decoded.text))
