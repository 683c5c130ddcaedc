"""Lines, rows and cells too long are clear errors; large files are read from disk without a
copy of their text (issue 17, point 7)."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from htwork.errors import InputError
from htwork.io import read_table
from htwork.io.limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_LINE_BYTES, line_stats
from htwork.io.read import read_bytes
from htwork.io.stream_reader import read_delimited_stream
from htwork.io.text_reader import read_delimited

REPO = Path(__file__).resolve().parents[2]


def test_line_stats_counts_across_blocks():
    data = b"a,b,c\n" + b"x" * 50 + b",y\n" + b"1,2,3,4,5\n" + b"tail"
    blocks = [data[i:i + 7] for i in range(0, len(data), 7)]
    st = line_stats(blocks, ",")
    assert (st.lines, st.longest, st.longest_line) == (4, 52, 2)
    assert (st.most_fields, st.most_fields_line) == (5, 3)


def test_ten_megabyte_line_is_refused_in_bounded_memory(tmp_path):
    """A 10 MB one-line CSV drove ``validate`` past 11 GB; now a message, under a 1.5 GB cap."""
    path = tmp_path / "one_line.csv"
    path.write_bytes(b"a," * 5_000_000 + b"\n")
    code = ("import resource, sys\n"
            "resource.setrlimit(resource.RLIMIT_AS, (3 << 29, 3 << 29))\n"
            "from htwork.cli import main\n"
            f"sys.exit(main(['validate', {str(path)!r}]))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(REPO)), timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode not in (0, -9), out[-2000:]
    assert "Traceback" not in out and "MemoryError" not in out
    assert f"more than the {MAX_LINE_BYTES:,} bytes" in out
    assert len(out) < 2000  # the line itself is not printed


def test_too_many_columns(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(MAX_COLUMNS + 1)) + "\n" + "1\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match=f"more than the {MAX_COLUMNS:,} columns"):
        read_table(path)


def test_cell_too_long_names_column_and_row(tmp_path):
    path = tmp_path / "notes.csv"
    note = '"' + ("word " * 2000 + "\n") * ((MAX_CELL_CHARS // 10_000) + 1) + '"'
    path.write_text(f"id,note\n1,short\n2,{note}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_table(path)
    assert "characters, more than the" in str(err.value)
    assert err.value.column == "note" and err.value.row == 3


def test_utf16_long_line_is_refused_too(tmp_path):
    path = tmp_path / "u16.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + ("a\t" * 600_000 + "\n").encode("utf-16-le"))
    with pytest.raises(InputError, match="bytes long"):
        read_table(path)


CASES = {
    "thai": "ชื่อ,นามสกุล\nสมชาย,ใจดี\n,\nมินอ่อง,\n",
    "title_rows": "Report of 2024\n\nname,age,city\nA,1,x\nB,,y\n",
    "quoted_multiline": 'id,note\n1,"line one\nline two, with comma"\n2,plain\n',
    "crlf_bom": "\ufeffa,b\r\n1,2\r\n3,4\r\n",
    "semicolon": "a;b;c\n1;2;3\n",
    "ragged": "a,b,c\n1\n2,3\n",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_stream_reader_matches_the_in_memory_reader(tmp_path, name):
    path = tmp_path / f"{name}.csv"
    path.write_bytes(CASES[name].encode("utf-8"))
    fast = read_delimited_stream(path)
    assert fast is not None
    slow = read_delimited(path, read_bytes(path))
    pd.testing.assert_frame_equal(fast.frame, slow.frame)
    assert (fast.encoding, fast.delimiter, fast.header_row, fast.notes) == \
        (slow.encoding, slow.delimiter, slow.header_row, slow.notes)


def test_stream_reader_leaves_hard_cases_to_the_in_memory_reader(tmp_path):
    path = tmp_path / "cp874.csv"
    path.write_bytes("ชื่อ,อายุ\nสมชาย,30\n".encode("cp874"))
    assert read_delimited_stream(path) is None        # an encoding to detect
    assert read_table(path).attrs["htwork"]["encoding"] == "cp874"
    assert read_delimited_stream(path, encoding="cp874") is not None
