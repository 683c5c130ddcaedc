"""Fixture builders for the io tests: every file is generated here, no real data."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from htwork.errors import InputError

THAI_ROWS = [
    ["ชื่อ", "นามสกุล", "สัญชาติ", "วันเกิด"],
    ["สมชาย", "ใจดี", "ไทย", "15/03/2533"],
    ["มินอ่อง", "ทุนทุน", "เมียนมา", "01/01/2540"],
    ["สุดา", "รักษ์ไทย", "กัมพูชา", "29/02/2543"],
]


def csv_text(rows: list[list[str]], delimiter: str = ",", newline: str = "\n") -> str:
    """Join rows into delimited text (no quoting: test values hold no delimiters)."""
    return newline.join(delimiter.join(r) for r in rows) + newline


def write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def to_cp1258(text: str) -> bytes:
    """Encode Vietnamese as windows-1258 does: base letters precomposed, tones combining."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        tones = [m for m in d[1:] if m in "\u0300\u0301\u0303\u0309\u0323"]
        others = "".join(m for m in d[1:] if m not in tones)
        out.append((unicodedata.normalize("NFC", d[0] + others) + "".join(tones)).encode("cp1258"))
    return b"".join(out)


def assert_input_error(excinfo: pytest.ExceptionInfo, path: Path, *parts: str) -> str:
    """Check an InputError names the file (and the given parts) and hides library tracebacks."""
    err = excinfo.value
    assert isinstance(err, InputError)
    text = str(err)
    assert str(path) in text, text
    for part in parts:
        assert part in text, (part, text)
    assert err.__cause__ is None
    # no library exception is chained under ours (``raise ... from None``)
    context = err.__context__
    assert context is None or err.__suppress_context__, repr(context)
    return text
