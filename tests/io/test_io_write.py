"""Atomic, deterministic writers, and the refusal to overwrite an input."""

from __future__ import annotations

import csv
import hashlib
import io
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from htwork.errors import InputError
from htwork.io import (
    atomic_write,
    read_table,
    write_csv,
    write_parquet,
    write_table,
    write_xlsx,
)
from htwork.io.write import FIXED_TIMESTAMP, neutralise_formulas
from tests.io.helpers import assert_input_error, write_bytes


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"ชื่อ": ["สมชาย", "Aye Aye", None], "วันเกิด": ["15/03/2533", None, "๑ ม.ค. ๒๕๖๗"],
         "note": ["=HYPERLINK(\"http://x\")", "a,b", "line\nbreak"]},
        index=[2, 3, 4], dtype=object,
    )


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- atomic_write ----------------------------------------------------------------------------


def test_atomic_write_replaces_on_success(tmp_path):
    path = write_bytes(tmp_path / "out.txt", b"old")
    with atomic_write(path) as fh:
        fh.write("new\r\n")
    assert path.read_bytes() == b"new\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_atomic_write_leaves_the_destination_intact_when_the_writer_raises(tmp_path):
    path = write_bytes(tmp_path / "out.csv", b"precious")
    with pytest.raises(RuntimeError, match="boom"):
        with atomic_write(path, "wb") as fh:
            fh.write(b"half a fi")
            raise RuntimeError("boom")
    assert path.read_bytes() == b"precious"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]  # no temporary file left


def test_atomic_write_new_file_not_created_on_failure(tmp_path):
    with pytest.raises(ValueError):
        with atomic_write(tmp_path / "new.csv") as fh:
            fh.write("x")
            raise ValueError
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_keeps_permissions(tmp_path):
    path = write_bytes(tmp_path / "out.csv", b"old")
    path.chmod(0o640)
    with atomic_write(path, "wb") as fh:
        fh.write(b"new")
    assert path.stat().st_mode & 0o777 == 0o640


def test_atomic_write_missing_folder(tmp_path):
    path = tmp_path / "nope" / "out.csv"
    with pytest.raises(InputError) as excinfo:
        with atomic_write(path):
            pass
    assert_input_error(excinfo, path, "folder does not exist")


# --- CSV ---------------------------------------------------------------------------------------


def test_write_csv_is_deterministic_and_reads_back(tmp_path):
    df = frame()
    write_csv(df, tmp_path / "a.csv")
    write_csv(df.copy(), tmp_path / "b.csv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    back = read_table(tmp_path / "a.csv")
    expected = df.copy()
    expected.loc[2, "note"] = "'=HYPERLINK(\"http://x\")"  # a formula is written as text
    pd.testing.assert_frame_equal(back, expected)


def test_write_csv_encodings(tmp_path):
    df = frame().iloc[[0]]
    write_csv(df, tmp_path / "th.csv", encoding="cp874", line_terminator="\r\n")
    data = (tmp_path / "th.csv").read_bytes()
    assert "สมชาย".encode("cp874") in data and data.endswith(b"\r\n")
    back = read_table(tmp_path / "th.csv")
    assert back.attrs["htwork"]["encoding"] == "cp874"
    write_csv(df, tmp_path / "excel.csv", encoding="utf-8-sig")
    assert (tmp_path / "excel.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_write_csv_unencodable_value_names_column_and_row(tmp_path):
    df = pd.DataFrame({"name": ["สมชาย", "မောင်မောင်"]}, index=[2, 3])  # Burmese: not in cp874
    path = tmp_path / "th.csv"
    with pytest.raises(InputError) as excinfo:
        write_csv(df, path, encoding="cp874")
    assert_input_error(excinfo, path, "'name'", "row 3", "cp874")
    assert not path.exists()
    write_csv(df, path, encoding="cp874", errors="replace")
    assert path.exists()


# --- Parquet ---------------------------------------------------------------------------------


def test_write_parquet_is_deterministic_and_keeps_no_attrs(tmp_path):
    src = write_bytes(tmp_path / "secret_input.csv", "ชื่อ,note\nสมชาย,x\n".encode())
    df = read_table(src)
    write_parquet(df, tmp_path / "a.parquet")
    time.sleep(1.1)
    write_parquet(df.copy(), tmp_path / "b.parquet")
    assert digest(tmp_path / "a.parquet") == digest(tmp_path / "b.parquet")
    metadata = pq.read_schema(tmp_path / "a.parquet").metadata or {}
    assert not any(b"secret_input" in v for v in metadata.values())
    assert read_table(tmp_path / "a.parquet")["ชื่อ"].tolist() == ["สมชาย"]


def test_write_parquet_mixed_types(tmp_path):
    path = tmp_path / "mixed.parquet"
    with pytest.raises(InputError) as excinfo:
        write_parquet(pd.DataFrame({"a": ["x", 1.5, b"z"]}), path)
    assert_input_error(excinfo, path, "Parquet")


# --- Excel -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_write_xlsx_is_deterministic(tmp_path):
    frames = {"Cases": frame(), "Lists": pd.DataFrame({"code": ["TH", "MM"], "n": [1, 2]})}
    write_xlsx(frames, tmp_path / "a.xlsx", title_rows=["Report of cases 2566", None])
    time.sleep(2.1)  # zip entry times have 2-second resolution
    write_xlsx({k: v.copy() for k, v in frames.items()}, tmp_path / "b.xlsx",
               title_rows=["Report of cases 2566", None])
    assert digest(tmp_path / "a.xlsx") == digest(tmp_path / "b.xlsx")
    with zipfile.ZipFile(tmp_path / "a.xlsx") as z:
        assert {info.date_time for info in z.infolist()} == {FIXED_TIMESTAMP}
        core = z.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core


def test_write_xlsx_agency_export_reads_back(tmp_path):
    df = frame()
    path = tmp_path / "export.xlsx"
    write_xlsx({"Cover": pd.DataFrame({"Read me": ["one row per person"]}), "Cases": df}, path,
               title_rows={"Cases": ["รายงานผู้เสียหาย ปี 2566", ""]})
    back = read_table(path)
    meta = back.attrs["htwork"]
    assert (meta["sheet"], meta["header_row"]) == ("Cases", 3)
    assert back.index.tolist() == [4, 5, 6]
    assert back.reset_index(drop=True).equals(df.reset_index(drop=True))
    ws = load_workbook(path)["Cases"]
    assert ws["C4"].data_type == "s"  # text that looks like a formula stays text


def test_write_xlsx_bad_sheet_name(tmp_path):
    path = tmp_path / "x.xlsx"
    with pytest.raises(InputError) as excinfo:
        write_xlsx({"a/b": frame()}, path)
    assert_input_error(excinfo, path, "'a/b'")


def test_write_xlsx_control_character(tmp_path):
    path = tmp_path / "x.xlsx"
    df = pd.DataFrame({"note": ["fine", "bad\x07bell"]}, index=[2, 3])
    with pytest.raises(InputError) as excinfo:
        write_xlsx({"S": df}, path)
    assert_input_error(excinfo, path, "'note'", "row 3")
    assert not path.exists()


# --- never overwrite the input ---------------------------------------------------------------


@pytest.mark.parametrize("writer", ["csv", "parquet", "xlsx"])
def test_writing_over_the_input_is_refused(tmp_path, writer):
    name = {"csv": "in.csv", "parquet": "in.parquet", "xlsx": "in.xlsx"}[writer]
    path = tmp_path / name
    if writer == "csv":
        write_bytes(path, b"a,b\n1,2\n")
    elif writer == "parquet":
        write_parquet(pd.DataFrame({"a": ["1"]}), path)
    else:
        write_xlsx({"S": pd.DataFrame({"a": ["1"]})}, path)
    df = read_table(path)
    before = path.read_bytes()
    with pytest.raises(InputError) as excinfo:
        {"csv": write_csv, "parquet": write_parquet,
         "xlsx": lambda d, p: write_xlsx({"S": d}, p)}[writer](df, path)
    assert_input_error(excinfo, path, "overwrite the input")
    assert path.read_bytes() == before


# --- write_table: the writer chosen by the extension ----------------------------------------


@pytest.mark.parametrize(
    ("name", "writer"),
    [("t.csv", write_csv), ("T.CSV", write_csv), ("t.txt", write_csv), ("t", write_csv),
     ("t.parquet", write_parquet), ("t.xlsx", write_xlsx)],
)
def test_write_table_writes_what_the_extension_names(
    tmp_path: Path, name: str, writer: Callable[[pd.DataFrame, Path], None]
) -> None:
    df = frame()
    write_table(df, tmp_path / name)
    (tmp_path / "direct").mkdir()
    writer(df, tmp_path / "direct" / name)
    assert (tmp_path / name).read_bytes() == (tmp_path / "direct" / name).read_bytes()
    back = read_table(tmp_path / name, format=None if "." in name else "csv")
    assert back.columns.tolist() == df.columns.tolist()
    if writer is write_csv:  # a CSV holds a formula as text, behind an apostrophe
        df = df.replace({"=HYPERLINK(\"http://x\")": "'=HYPERLINK(\"http://x\")"})
    assert back.to_numpy().tolist() == df.to_numpy().tolist()


@pytest.mark.parametrize("name", ["t.json", "t.tsv", "t.xls"])
def test_write_table_refuses_other_extensions_and_writes_nothing(
    tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    with pytest.raises(InputError) as excinfo:
        write_table(frame(), path)
    assert_input_error(excinfo, path, f"cannot write {path.suffix!r} files",
                       ".csv, .parquet or .xlsx")
    assert list(tmp_path.iterdir()) == []


def test_write_table_never_over_its_input(tmp_path: Path) -> None:
    path = write_bytes(tmp_path / "in.csv", b"a,b\n1,2\n")
    with pytest.raises(InputError) as excinfo:
        write_table(read_table(path), path)
    assert_input_error(excinfo, path, "overwrite the input")
    assert path.read_bytes() == b"a,b\n1,2\n"


# --- formulas: CSV cells a spreadsheet would run are written as text --------------------------


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://evil.example/?x=1","click")', "=1+1",
                                  "+1+1", "@SUM(A1:A9)", "-2+3+cmd|' /C calc'!A0", "\t=1+1"])
def test_write_csv_neutralises_formulas(tmp_path: Path, cell: str) -> None:
    df = pd.DataFrame({"note": [cell, "plain"], cell: ["x", "y"]})
    write_csv(df, tmp_path / "f.csv")
    fields = [row for row in csv.reader(io.StringIO(
        (tmp_path / "f.csv").read_text(encoding="utf-8"), newline=""))]
    assert fields[0] == ["note", "'" + cell]  # the header too
    assert fields[1] == ["'" + cell, "x"]
    assert fields[2] == ["plain", "y"]


def test_a_cell_starting_with_a_carriage_return_is_defused() -> None:
    out = neutralise_formulas(pd.DataFrame({"a": ["\r=1+1", "ok"]}))
    assert out["a"].tolist() == ["'\r=1+1", "ok"]


def test_write_csv_keeps_signed_numbers_as_numbers(tmp_path: Path) -> None:
    df = pd.DataFrame({"a": ["-5", "+3.2", "-", "+66812345678", "-1,234.5", "+66 82 171 8789",
                             "+855 (0)12-345-678"], "n": [-5, 3, 0, 1, 2, 3, 4]})
    write_csv(df, tmp_path / "n.csv")
    text = (tmp_path / "n.csv").read_text(encoding="utf-8")
    assert "'" not in text
    assert "-5,-5" in text


def test_a_bare_carriage_return_in_a_cell_reads_back_as_one_value(tmp_path: Path) -> None:
    df = pd.DataFrame({"note": ["seen\rat the border", "two\nlines", "plain"],
                       "n": ["1", "2", "3"]})
    write_csv(df, tmp_path / "cr.csv")
    back = pd.read_csv(tmp_path / "cr.csv", dtype=str, keep_default_na=False)
    assert back["note"].tolist() == df["note"].tolist() and back["n"].tolist() == ["1", "2", "3"]
    write_csv(df.iloc[1:], tmp_path / "lf.csv")  # without a carriage return: rows end in \n
    assert b"\r" not in (tmp_path / "lf.csv").read_bytes()
