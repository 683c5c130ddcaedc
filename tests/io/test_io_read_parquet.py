"""read_table on Parquet files, including typed ones written by other tools."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from htwork.errors import InputError
from htwork.io import read_table, write_parquet
from tests.io.helpers import assert_input_error, write_bytes


def test_round_trip(tmp_path):
    df = pd.DataFrame({"ชื่อ": ["สมชาย", None, "Aye"], "age": ["30", "17", None]},
                      index=[4, 5, 6], dtype=object)
    path = tmp_path / "cases.parquet"
    write_parquet(df, path)
    back = read_table(path)
    assert back.index.tolist() == [2, 3, 4]  # header counts as row 1
    assert back.attrs["htwork"]["header_row"] == 1
    pd.testing.assert_frame_equal(back.reset_index(drop=True), df.reset_index(drop=True))


def test_typed_columns_become_text(tmp_path):
    table = pa.table({
        "n": pa.array([1, None, 3], pa.int64()),
        "x": pa.array([1.0, 2.5, float("nan")]),
        "d": pa.array([dt.date(2023, 3, 15), None, dt.date(2024, 2, 29)]),
        "t": pa.array([dt.datetime(2023, 3, 15), dt.datetime(2023, 3, 15, 8, 30), None]),
        "b": pa.array([True, False, None]),
        "c": pa.array(["a", "b", "a"]).dictionary_encode(),
        "s": pa.array(["", "x", None]),
    })
    path = tmp_path / "typed.parquet"
    pq.write_table(table, path)
    df = read_table(path)
    assert df.to_dict("list") == {
        "n": ["1", None, "3"],
        "x": ["1", "2.5", None],
        "d": ["2023-03-15", None, "2024-02-29"],
        "t": ["2023-03-15", "2023-03-15 08:30:00", None],
        "b": ["TRUE", "FALSE", None],
        "c": ["a", "b", "a"],
        "s": [None, "x", None],
    }


def test_pandas_index_column_is_left_out(tmp_path):
    path = tmp_path / "idx.parquet"
    pd.DataFrame({"a": ["x", "y"]}, index=[10, 20]).to_parquet(path)
    assert list(read_table(path).columns) == ["a"]


def test_corrupt_parquet(tmp_path):
    path = write_bytes(tmp_path / "broken.parquet", b"PAR1" + bytes(100) + b"PAR1")
    with pytest.raises(InputError) as excinfo:
        read_table(path)
    assert_input_error(excinfo, path, "Parquet")


def test_csv_given_as_parquet(tmp_path):
    path = write_bytes(tmp_path / "t.parquet", b"a,b\n1,2\n")
    with pytest.raises(InputError) as excinfo:
        read_table(path)
    assert_input_error(excinfo, path, "not a Parquet file")
