"""read_table on .xlsx workbooks built here with openpyxl."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from openpyxl import Workbook

from htwork.errors import InputError
from htwork.io import read_table
from tests.io.helpers import assert_input_error, write_bytes


def agency_workbook(path: Path) -> Path:
    """A cover sheet, then a case sheet: merged title in A1, blank row 2, header on row 3."""
    wb = Workbook()
    cover = wb.active
    cover.title = "Cover"
    cover["A1"] = "Instructions"
    cover["A2"] = "Fill one row per person assisted."
    cases = wb.create_sheet("Cases")
    cases["A1"] = "รายงานผู้เสียหายจากการค้ามนุษย์ ปีงบประมาณ 2566"
    cases.merge_cells("A1:F1")
    cases.append([])
    cases.append([" ชื่อ ", "วันที่รับแจ้ง", "อายุ", "ค่าจ้าง", "ยืนยันแล้ว", "โทรศัพท์"])
    cases.append(["สมชาย", dt.datetime(2023, 3, 15), 30.0, 1.5, True, 812345678])
    cases.append(["Aye Aye", dt.date(2024, 1, 2), 17, None, False, None])
    cases.append(["Sokha", "15/03/2566", "", 1e20, None, "0899999999"])
    cases["F4"].number_format = "0000000000"
    cases.append([None] * 6)
    cases["A20"] = ""  # a styled-looking but empty row far below
    wb.save(path)
    return path


def test_title_rows_header_on_row_3_and_sheet_choice(tmp_path):
    path = agency_workbook(tmp_path / "export.xlsx")
    df = read_table(path)
    meta = df.attrs["htwork"]
    assert meta["sheet"] == "Cases"
    assert meta["header_row"] == 3
    assert meta["encoding"] is None
    assert any("Cases" in note for note in meta["notes"])
    assert list(df.columns) == ["ชื่อ", "วันที่รับแจ้ง", "อายุ", "ค่าจ้าง", "ยืนยันแล้ว", "โทรศัพท์"]
    assert df.index.tolist() == [4, 5, 6]  # empty rows at the end dropped
    assert df.loc[4].tolist() == ["สมชาย", "2023-03-15", "30", "1.5", "TRUE", "0812345678"]
    assert df.loc[5].tolist() == ["Aye Aye", "2024-01-02", "17", None, "FALSE", None]
    assert df.loc[6].tolist() == ["Sokha", "15/03/2566", None, "1e+20", None, "0899999999"]
    assert all(df[c].dtype == object for c in df.columns)


def test_sheet_by_name_position_and_loose_name(tmp_path):
    path = agency_workbook(tmp_path / "export.xlsx")
    cover = read_table(path, sheet="Cover")
    assert list(cover.columns) == ["Instructions"] and cover.index.tolist() == [2]
    assert read_table(path, sheet=1).attrs["htwork"]["sheet"] == "Cases"
    assert read_table(path, sheet=" cases").attrs["htwork"]["sheet"] == "Cases"


def test_explicit_header_row(tmp_path):
    path = agency_workbook(tmp_path / "export.xlsx")
    df = read_table(path, sheet="Cases", header_row=3)
    assert df.index.tolist() == [4, 5, 6]


def test_unknown_sheet(tmp_path):
    path = agency_workbook(tmp_path / "export.xlsx")
    with pytest.raises(InputError) as excinfo:
        read_table(path, sheet="Victims")
    assert_input_error(excinfo, path, "'Victims'", "'Cover', 'Cases'")
    with pytest.raises(InputError) as excinfo:
        read_table(path, sheet=5)
    assert_input_error(excinfo, path, "position 5")


def test_empty_header_with_data_names_the_column_letter(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["id", "name", None, "city"])
    ws.append([1, "A", "stray", "Hanoi"])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    with pytest.raises(InputError) as excinfo:
        read_table(path)
    assert_input_error(excinfo, path, "column C", "row 2", "no name")


def test_duplicate_header_names_the_column_letters(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Title of the export"])
    ws.append(["id", "date", "date"])
    ws.append([1, "a", "b"])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    with pytest.raises(InputError) as excinfo:
        read_table(path)
    assert_input_error(excinfo, path, "column B", "column C", "row 2")


def test_corrupt_workbook(tmp_path):
    path = write_bytes(tmp_path / "broken.xlsx", b"PK\x03\x04" + os.urandom(200))
    with pytest.raises(InputError) as excinfo:
        read_table(path)
    assert_input_error(excinfo, path, "cannot be read")


def test_truncated_workbook(tmp_path):
    good = agency_workbook(tmp_path / "good.xlsx").read_bytes()
    path = write_bytes(tmp_path / "cut.xlsx", good[: len(good) // 2])
    with pytest.raises(InputError) as excinfo:
        read_table(path)
    assert_input_error(excinfo, path)


def test_old_xls_and_text_given_as_xlsx(tmp_path):
    xls = write_bytes(tmp_path / "old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(InputError) as excinfo:
        read_table(xls)
    assert_input_error(excinfo, xls, ".xls")
    csv = write_bytes(tmp_path / "really.xlsx", b"a,b\n1,2\n")
    with pytest.raises(InputError) as excinfo:
        read_table(csv)
    assert_input_error(excinfo, csv, "text file", "format='csv'")


def test_empty_sheet(tmp_path):
    wb = Workbook()
    path = tmp_path / "empty.xlsx"
    wb.save(path)
    with pytest.raises(InputError) as excinfo:
        read_table(path)
    assert_input_error(excinfo, path, "empty")


def test_workbook_is_not_modified(tmp_path):
    path = agency_workbook(tmp_path / "export.xlsx")
    os.utime(path, (1_000_000_000, 1_000_000_000))
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    read_table(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_hidden_sheets_are_not_chosen(tmp_path):
    wb = Workbook()
    lists = wb.active
    lists.title = "Lists"
    for i in range(40):
        lists.append([f"code{i}", f"label{i}", f"group{i}"])
    lists.sheet_state = "hidden"
    cases = wb.create_sheet("Cases")
    cases.append(["id", "name"])
    cases.append(["1", "A"])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    assert read_table(path).attrs["htwork"]["sheet"] == "Cases"
