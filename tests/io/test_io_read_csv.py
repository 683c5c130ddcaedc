"""read_table on delimited text: encodings, row numbers, problems, errors."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pandas as pd
import pytest

from htwork.errors import EncodingError, InputError
from htwork.io import check_encoding, read_table
from tests.io.helpers import THAI_ROWS, assert_input_error, csv_text, write_bytes

EXPECTED = pd.DataFrame(THAI_ROWS[1:], columns=THAI_ROWS[0], index=[2, 3, 4], dtype=object)


def _same(df: pd.DataFrame, expected: pd.DataFrame = EXPECTED) -> None:
    pd.testing.assert_frame_equal(df, expected, check_index_type=False)
    assert all(df[c].dtype == object for c in df.columns)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (csv_text(THAI_ROWS).encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + csv_text(THAI_ROWS, newline="\r\n").encode("utf-8"), "utf-8-sig"),
        (csv_text(THAI_ROWS).encode("cp874"), "cp874"),
        (codecs.BOM_UTF16_LE + csv_text(THAI_ROWS, "\t", "\r\n").encode("utf-16-le"),
         "utf-16-le"),
    ],
    ids=["utf8", "utf8-bom-crlf", "cp874", "utf16le-bom-tab"],
)
def test_encodings_read_to_the_same_frame(tmp_path, data, encoding):
    path = write_bytes(tmp_path / "victims.csv", data)
    df = read_table(path)
    _same(df)
    meta = df.attrs["htwork"]
    assert meta["encoding"] == encoding
    assert meta["file"] == str(path)
    assert meta["columns"] == {} and meta["read_problems"] == []
    assert meta["header_row"] == 1
    if encoding == "utf-16-le":
        assert meta["delimiter"] == "\t"  # Excel "Unicode text"


def test_declared_encoding_is_used(tmp_path):
    path = write_bytes(tmp_path / "v.csv", csv_text(THAI_ROWS).encode("cp874"))
    df = read_table(path, encoding="windows-874")
    _same(df)
    assert df.attrs["htwork"]["encoding"] == "cp874"


def test_values_keep_their_text_and_empty_is_missing(tmp_path):
    text = "id,phone,amount,note\n007,0812345678,1.50, spaced \n008,,NA,\n"
    df = read_table(write_bytes(tmp_path / "t.csv", text.encode()))
    assert df.loc[2].tolist() == ["007", "0812345678", "1.50", " spaced "]
    assert df.loc[3, "id"] == "008" and df.loc[3, "amount"] == "NA"
    assert df.loc[3, "phone"] is None and df.loc[3, "note"] is None


def test_headers_are_stripped(tmp_path):
    df = read_table(write_bytes(tmp_path / "t.csv", b" name , age\t\nA,1\n"))
    assert list(df.columns) == ["name", "age"]


def test_index_is_the_spreadsheet_row(tmp_path):
    text = 'name,note\nA,"two\nlines"\n\nB,x\n,\nC,y\n\n'
    df = read_table(write_bytes(tmp_path / "t.csv", text.encode()))
    # the quoted field keeps row 2 in one row; blank rows (3, 5) count but are dropped
    assert df.index.tolist() == [2, 4, 6]
    assert df["name"].tolist() == ["A", "B", "C"]
    assert df.loc[2, "note"] == "two\nlines"


def test_title_rows_are_skipped(tmp_path):
    text = "Trafficking cases 2023,,,\n,,,\n" + csv_text(THAI_ROWS)
    df = read_table(write_bytes(tmp_path / "t.csv", text.encode()))
    assert df.attrs["htwork"]["header_row"] == 3
    assert df.index.tolist() == [4, 5, 6]
    assert list(df.columns) == THAI_ROWS[0]
    explicit = read_table(tmp_path / "t.csv", header_row=3)
    pd.testing.assert_frame_equal(df, explicit)


@pytest.mark.parametrize("delimiter", [";", "|", "\t"])
def test_delimiter_is_sniffed(tmp_path, delimiter):
    text = csv_text([["a", "b", "c"], ["1", "x,y", "3"], ["4", "5", "6"]], delimiter)
    df = read_table(write_bytes(tmp_path / "t.txt", text.encode()))
    assert list(df.columns) == ["a", "b", "c"]
    assert df.attrs["htwork"]["delimiter"] == delimiter


def test_tsv_extension_means_tab(tmp_path):
    df = read_table(write_bytes(tmp_path / "t.tsv", b"a\tb,c\n1\t2,3\n"))
    assert list(df.columns) == ["a", "b,c"]


def test_header_only_gives_an_empty_frame(tmp_path):
    df = read_table(write_bytes(tmp_path / "t.csv", b"name,age\n"))
    assert list(df.columns) == ["name", "age"] and len(df) == 0


def test_short_rows_are_padded_and_trailing_empty_fields_ignored(tmp_path):
    df = read_table(write_bytes(tmp_path / "t.csv", b"a,b,c\n1\n2,3,4,,\n"))
    assert df.loc[2].tolist() == ["1", None, None]
    assert df.loc[3].tolist() == ["2", "3", "4"]


def test_wrong_declared_encoding_gives_bad_encoding_problems(tmp_path):
    rows = [["id", "name", "note"]] + [[str(i), "Ann", "ok"] for i in range(1, 30)]
    rows[15][1] = "สมชาย ใจดี"   # row 16
    rows[16][2] = "ผู้เสียหาย"   # row 17
    path = write_bytes(tmp_path / "t.csv", csv_text(rows).encode("cp874"))
    df = read_table(path, encoding="utf-8")
    problems = df.attrs["htwork"]["read_problems"]
    assert [p["row"] for p in problems] == [16, 17]
    first = problems[0]
    assert first["code"] == "bad_encoding" and first["column"] is None
    assert first["message"].startswith("bytes 0x")
    assert "at row 16" in first["message"]
    assert "not valid utf-8" in first["message"]
    assert "windows-874 (Thai)" in first["message"]
    assert first["value"].startswith("15,")
    assert len(df) == 29 and "\ufffd" in df.loc[16, "name"]
    assert df.loc[18, "name"] == "Ann"


def test_bad_encoding_problems_are_capped(tmp_path):
    rows = [["id", "name"]] + [[str(i), "สมชาย"] for i in range(40)]
    path = write_bytes(tmp_path / "t.csv", csv_text(rows).encode("cp874"))
    problems = read_table(path, encoding="utf-8").attrs["htwork"]["read_problems"]
    assert len(problems) == 21
    assert [p["row"] for p in problems[:20]] == list(range(2, 22))
    assert problems[20]["row"] is None and "40 rows" in problems[20]["message"]


def test_bad_bytes_rows_follow_quoted_multiline_fields(tmp_path):
    text = b'id,note\n1,"a\nb\nc"\n2,x\n' + "3,สมชาย\n".encode("cp874")
    problems = read_table(write_bytes(tmp_path / "t.csv", text),
                          encoding="utf-8").attrs["htwork"]["read_problems"]
    assert [p["row"] for p in problems] == [4]  # physical line 6, spreadsheet row 4


def test_check_encoding(tmp_path):
    path = write_bytes(tmp_path / "t.csv", csv_text(THAI_ROWS).encode("cp874"))
    assert check_encoding(path, "cp874") == []
    problems = check_encoding(path, "utf-8")
    assert [p["row"] for p in problems] == [1, 2, 3, 4]
    assert all("windows-874 (Thai)" in p["message"] for p in problems)


def test_bom_beats_a_wrong_declared_encoding(tmp_path):
    data = codecs.BOM_UTF16_LE + csv_text(THAI_ROWS, "\t").encode("utf-16-le")
    df = read_table(write_bytes(tmp_path / "t.csv", data), encoding="cp874")
    _same(df)
    (problem,) = df.attrs["htwork"]["read_problems"]
    assert problem["code"] == "bad_encoding" and "byte-order mark" in problem["message"]


def test_input_is_not_modified(tmp_path):
    path = write_bytes(tmp_path / "t.csv", csv_text(THAI_ROWS).encode("cp874"))
    os.utime(path, (1_000_000_000, 1_000_000_000))
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    read_table(path)
    read_table(path, encoding="utf-8")
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv"]


# --- errors: InputError naming the file (and row/column), never a library exception ---------


def test_missing_file(tmp_path):
    path = tmp_path / "nope.csv"
    with pytest.raises(InputError) as excinfo:
        read_table(path)
    assert_input_error(excinfo, path, "does not exist")


def test_directory(tmp_path):
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    with pytest.raises(InputError) as excinfo:
        read_table(folder)
    assert_input_error(excinfo, folder, "folder")


@pytest.mark.parametrize("name", ["data.dat", "data", "data.xls"])
def test_unknown_format(tmp_path, name):
    path = write_bytes(tmp_path / name, b"a,b\n1,2\n")
    with pytest.raises(InputError) as excinfo:
        read_table(path)
    assert_input_error(excinfo, path)
    assert read_table(path, format="csv").shape == (1, 2)


def test_zero_byte_file(tmp_path):
    path = write_bytes(tmp_path / "empty.csv", b"")
    with pytest.raises(InputError) as excinfo:
        read_table(path)
    assert_input_error(excinfo, path, "empty (0 bytes)")


def test_only_blank_lines(tmp_path):
    path = write_bytes(tmp_path / "blank.csv", b"\n\r\n  \n")
    with pytest.raises(InputError) as excinfo:
        read_table(path)
    assert_input_error(excinfo, path, "no header")


def test_binary_file(tmp_path):
    path = write_bytes(tmp_path / "data.csv", b"name,age\nA,1\n" + bytes(range(256)) * 4)
    with pytest.raises(InputError) as excinfo:
        read_table(path)
    assert_input_error(excinfo, path, "binary file", "NUL bytes", "not a CSV")


def test_png_renamed_to_csv(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
    path = write_bytes(tmp_path / "cases.csv", png)
    with pytest.raises(InputError) as excinfo:
        read_table(path)
    assert_input_error(excinfo, path, "looks like a binary file (PNG image), not a CSV")


def test_xlsx_renamed_to_csv_gets_a_hint(tmp_path):
    path = write_bytes(tmp_path / "cases.csv", b"PK\x03\x04" + bytes(100))
    with pytest.raises(InputError) as excinfo:
        read_table(path)
    assert_input_error(excinfo, path, "format='xlsx'")


def test_duplicate_header(tmp_path):
    path = write_bytes(tmp_path / "t.csv", b"id,date,name,date\n1,2,3,4\n")
    with pytest.raises(InputError) as excinfo:
        read_table(path)
    assert_input_error(excinfo, path, "'date'", "column 2", "column 4", "row 1")


def test_empty_header_name_with_data(tmp_path):
    path = write_bytes(tmp_path / "t.csv", b"id,,name\n1,x,A\n")
    with pytest.raises(InputError) as excinfo:
        read_table(path)
    assert_input_error(excinfo, path, "column 2", "no name")


def test_empty_header_name_without_data_is_dropped(tmp_path):
    df = read_table(write_bytes(tmp_path / "t.csv", b"id,,name,\n1,,A,\n"))
    assert list(df.columns) == ["id", "name"]


def test_row_with_more_fields_than_header(tmp_path):
    text = "id,name,city\n1,A,Bangkok\n2,B,Chiang Mai, Thailand\n"
    path = write_bytes(tmp_path / "t.csv", text.encode())
    with pytest.raises(InputError) as excinfo:
        read_table(path)
    err = excinfo.value
    assert err.row == 3
    assert_input_error(excinfo, path, "row 3", "4 fields", "has 3")


def test_header_row_outside_the_file(tmp_path):
    path = write_bytes(tmp_path / "t.csv", b"a,b\n1,2\n")
    with pytest.raises(InputError) as excinfo:
        read_table(path, header_row=9)
    assert_input_error(excinfo, path, "header_row=9")


def test_unknown_declared_encoding(tmp_path):
    path = write_bytes(tmp_path / "t.csv", b"a,b\n1,2\n")
    with pytest.raises(EncodingError) as excinfo:
        read_table(path, encoding="klingon-1")
    assert_input_error(excinfo, path, "'klingon-1'")


TRICKY = [
    'a,b,c\n1,"x,\ny,z",3\n',                       # quoted field hiding fields on one line
    'a,b\r\n"q""uote",2\r\n\r\n  ,\r\n',              # doubled quote, CRLF, blank, spaces
    'a,b\n"unclosed,2\n3,4\n',                        # the C tokenizer rejects this one
    'a,b\n1,2\u20283,4\n',                            # a separator splitlines() would cut at
    'a;b\n1;"2;3"\n4;5;\n',
    'a,b\rold,mac\r1,2\r',                           # CR-only line ends
]


@pytest.mark.parametrize("text", TRICKY)
def test_fast_tokenizer_agrees_with_csv_module(text):
    import numpy as np

    from htwork.io.delimited import split_records, split_records_csv

    delimiter = ";" if text.startswith("a;") else ","
    fast, slow = split_records(text, delimiter), split_records_csv(text, delimiter)
    width = max(fast.shape[1], slow.shape[1])

    def pad(grid):
        return np.pad(grid, ((0, 0), (0, width - grid.shape[1])), constant_values="").tolist()

    assert pad(fast) == pad(slow)


def test_missing_file_with_unknown_extension_says_missing(tmp_path):
    path = tmp_path / "nope.dat"
    with pytest.raises(InputError) as excinfo:
        read_table(path)
    assert_input_error(excinfo, path, "does not exist")


def test_columns_keeps_those_in_that_order(tmp_path: Path) -> None:
    path = write_bytes(tmp_path / "t.csv", csv_text(THAI_ROWS).encode("utf-8"))
    df = read_table(path, columns=["วันเกิด", "ชื่อ"])
    _same(df, EXPECTED[["วันเกิด", "ชื่อ"]])
    assert df.attrs["htwork"]["file"] == str(path)


def test_columns_not_in_the_file_are_named(tmp_path: Path) -> None:
    path = write_bytes(tmp_path / "t.csv", csv_text(THAI_ROWS).encode("utf-8"))
    with pytest.raises(InputError) as excinfo:
        read_table(path, columns=["ชื่อ", "age"])
    assert_input_error(excinfo, path, "['age'] are not in the file", "the file has: ['ชื่อ'")
