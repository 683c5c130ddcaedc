"""Numeric parsing cannot crash the process (issue 17, point 7)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd

from htwork.core.numbers import MAX_NUMBER_CHARS, parse_number, to_numbers

HUGE = "1e2147483648"


def test_plain_numbers_and_non_numbers():
    s = pd.Series([" 12 ", "-3.5", "1e5", ".5", "5.", "+7", "abc", None, "", "1,000", "0x10"],
                  index=range(10, 21))
    out = to_numbers(s)
    assert list(out.index) == list(range(10, 21))
    np.testing.assert_array_equal(out.to_numpy()[:6], [12, -3.5, 1e5, 0.5, 5.0, 7.0])
    assert out.iloc[6:].isna().all()


def test_huge_exponents_are_infinite_not_a_crash():
    out = to_numbers([HUGE, "-" + HUGE, "1e-2147483648"])
    assert out.iloc[0] == np.inf and out.iloc[1] == -np.inf and out.iloc[2] == 0.0


def test_overlong_text_is_not_a_number():
    assert np.isnan(parse_number("1" * (MAX_NUMBER_CHARS + 1)))
    assert parse_number("1" * 50) == float("1" * 50)


def test_numeric_series_pass_through():
    out = to_numbers(pd.Series([1, 2, 3], dtype="int64"))
    assert out.dtype == np.float64 and out.tolist() == [1.0, 2.0, 3.0]


def test_pandas_itself_would_crash():
    """The reason for the module: pandas' parser dies on this cell (if pandas is ever fixed,
    this test says so and the wrapper can go)."""
    code = f"import pandas as pd; pd.to_numeric(pd.Series(['1', '{HUGE}']), errors='coerce')"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert proc.returncode != 0
