"""parse_dates / format_date: Buddhist Era, Thai months and digits, failures with rows."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from htwork.errors import DateError
from htwork.io import (
    be_to_gregorian_year,
    format_date,
    gregorian_to_be_year,
    parse_dates,
)


def _one(value, **kw):
    result = parse_dates(pd.Series([value], index=[7]), **kw)
    return result.values.iloc[0], result


@pytest.mark.parametrize(
    ("value", "calendar", "expected"),
    [
        ("15/03/2566", "buddhist", "2023-03-15"),
        ("15-03-2023", "gregorian", "2023-03-15"),
        ("2023-03-15", "gregorian", "2023-03-15"),
        ("15.03.2023", "gregorian", "2023-03-15"),
        ("5/3/2023", "gregorian", "2023-03-05"),
        ("2023/3/5", "gregorian", "2023-03-05"),
        ("2023-03-15 00:00:00", "gregorian", "2023-03-15"),
        ("15/03/2566 14:30", "buddhist", "2023-03-15"),
        ("15 มี.ค. 2566", "buddhist", "2023-03-15"),
        ("15 มีนาคม 2566", "buddhist", "2023-03-15"),
        ("15มีค2566", "buddhist", "2023-03-15"),
        ("วันที่ 15 มีนาคม พ.ศ. 2566", "gregorian", "2023-03-15"),  # explicit era wins
        ("๑๕/๐๓/๒๕๖๖", "buddhist", "2023-03-15"),
        ("๑๕ ธ.ค. ๒๕๖๖", "buddhist", "2023-12-15"),
        ("1 ม.ค. 67", "buddhist", "2024-01-01"),
        ("1 ม.ค. 67", "auto", "2024-01-01"),
        ("15-Mar-2023", "gregorian", "2023-03-15"),
        ("March 15, 2023", "gregorian", "2023-03-15"),
        ("ngày 15 tháng 3 năm 2023", "gregorian", "2023-03-15"),
        ("29/02/2567", "buddhist", "2024-02-29"),  # 2024 is a leap year; 2567 "is not"
        (" 15/03/2023 ", "gregorian", "2023-03-15"),
    ],
)
def test_forms(value, calendar, expected):
    assert _one(value, calendar=calendar)[0] == expected


def test_auto_converts_be_years_and_says_so():
    s = pd.Series(["15/03/2566", "15/03/2023", None, ""], index=[2, 3, 4, 5])
    result = parse_dates(s, calendar="auto")
    assert result.values.tolist() == ["2023-03-15", "2023-03-15", None, None]
    assert result.buddhist_era == 1
    assert result.failed.empty and result.problems == []
    assert "Buddhist Era" in result.notes[0]


def test_gregorian_flags_be_years():
    value, result = _one("15/03/2566", calendar="gregorian", column="วันเกิด")
    assert value is None and result.failed.tolist() == [7]
    (problem,) = result.problems
    assert problem["code"] == "buddhist_era_date"
    assert problem["row"] == 7 and problem["column"] == "วันเกิด"
    assert problem["value"] == "15/03/2566"
    assert "2023" in problem["message"] and "calendar='buddhist'" in problem["message"]


def test_buddhist_rejects_gregorian_years():
    value, result = _one("15/03/2023", calendar="buddhist")
    assert value is None and result.problems[0]["code"] == "bad_date"
    assert "2566 BE" in result.problems[0]["message"]


def test_impossible_date_fails_naming_value_and_row():
    s = pd.Series(["15/03/2566", "31/02/2566"], index=[16, 17])
    result = parse_dates(s, calendar="buddhist", column="วันเกิด")
    assert result.values.tolist() == ["2023-03-15", None]
    assert result.failed.tolist() == [17]
    (problem,) = result.problems
    assert problem == {
        "column": "วันเกิด", "row": 17, "value": "31/02/2566", "code": "bad_date",
        "message": "'31/02/2566' is not a valid date: February 2566 BE (2023) has 28 days",
    }


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("not a date", "not a date in a form"),
        ("13/13/2023", "month 13"),
        ("02/15/2023", "dayfirst=False"),
        ("15 Foo 2023", "month name"),
        ("15/03/66", "two-digit year"),
        ("0/03/2023", "has 31 days"),
    ],
)
def test_failures_say_why(value, words):
    result = _one(value, calendar="gregorian")[1]
    assert result.failed.tolist() == [7]
    assert words in result.problems[0]["message"]
    assert value.strip() in result.problems[0]["message"]


def test_month_first():
    assert _one("03/15/2023", dayfirst=False)[0] == "2023-03-15"


def test_explicit_format():
    s = pd.Series(["15/03/66", "๐๑/๑๒/๖๗", "2023-03-15"], index=[2, 3, 4])
    result = parse_dates(s, format="%d/%m/%y", calendar="buddhist")
    assert result.values.tolist() == ["2023-03-15", "2024-12-01", None]
    assert "does not match the date format" in result.problems[0]["message"]
    thai = parse_dates(pd.Series(["15 มีนาคม 2566"]), format="%d %B %Y", calendar="buddhist")
    assert thai.values.tolist() == ["2023-03-15"]
    posix = parse_dates(pd.Series(["01/02/70", "01/02/05"]), format="%d/%m/%y")
    assert posix.values.tolist() == ["1970-02-01", "2005-02-01"]


def test_bad_arguments_raise_date_error():
    with pytest.raises(DateError, match="calendar"):
        parse_dates(pd.Series(["x"]), calendar="lunar")
    with pytest.raises(DateError, match="%Q") as excinfo:
        parse_dates(pd.Series(["x"]), format="%Q", column="dob", file="a.csv")
    assert "a.csv" in str(excinfo.value) and "dob" in str(excinfo.value)


def test_excel_serial_numbers_only_when_asked():
    s = pd.Series(["44995", "1", "61", "60", "44995.75"])
    result = parse_dates(s, excel_serial=True)
    assert result.values.tolist() == ["2023-03-10", "1900-01-01", "1900-03-01", None,
                                      "2023-03-10"]
    assert _one("44995")[1].failed.tolist() == [7]


def test_missing_values_are_not_failures():
    s = pd.Series([None, np.nan, "", "  ", pd.NA], dtype=object)
    result = parse_dates(s)
    assert result.values.isna().all() and result.failed.empty


def test_max_problems_summary():
    result = parse_dates(pd.Series(["x"] * 50), max_problems=5)
    assert len(result.problems) == 6 and "50 values" in result.problems[-1]["message"]
    assert len(result.failed) == 50


def test_years():
    assert be_to_gregorian_year(2566) == 2023
    assert gregorian_to_be_year(2023) == 2566
    assert (be_to_gregorian_year(np.array([2566, 2567])) == [2023, 2024]).all()


def test_format_date_is_the_inverse():
    iso = pd.Series(["2023-03-15", None, "2024-02-29", "1990-12-01"], index=[4, 5, 6, 7])
    for fmt, calendar, kw in [
        ("%d/%m/%Y", "buddhist", {}),
        ("%d/%m/%Y", "buddhist", {"thai_digits": True}),
        ("%d %b %Y", "buddhist", {"month_names": "thai", "thai_digits": True}),
        ("%-d %B %Y", "buddhist", {"month_names": "thai"}),
        ("%Y-%m-%d", "gregorian", {}),
        ("%d-%b-%Y", "gregorian", {}),
    ]:
        written = format_date(iso, fmt, calendar, **kw)
        assert written.index.tolist() == [4, 5, 6, 7] and written[5] is None
        back = parse_dates(written, calendar=calendar)
        assert back.values.tolist() == iso.tolist(), (fmt, kw, written.tolist())
    assert format_date(iso, "%d %b %Y", "buddhist", month_names="thai",
                       thai_digits=True)[4] == "๑๕ มี.ค. ๒๕๖๖"


def test_format_date_rejects_non_iso():
    with pytest.raises(DateError) as excinfo:
        format_date(pd.Series(["2023-03-15", "15/03/2023"], index=[2, 3]))
    assert "'15/03/2023'" in str(excinfo.value) and "row 3" in str(excinfo.value)


@pytest.mark.slow
def test_a_million_dates_quickly():
    rng = np.random.default_rng(0)
    days = rng.integers(0, 365 * 60, 1_000_000)
    iso = (np.datetime64("1960-01-01") + days).astype(str)
    be = pd.Series(format_date(pd.Series(iso[:25_000]), "%d/%m/%Y", "buddhist").to_numpy()[
        rng.integers(0, 25_000, 1_000_000)])
    start = time.perf_counter()
    result = parse_dates(be, calendar="buddhist")
    elapsed = time.perf_counter() - start
    assert result.failed.empty and result.values.notna().all()
    assert elapsed < 10, elapsed  # about 0.3 s on a laptop; generous for slow CI machines


@pytest.mark.parametrize("calendar", ["gregorian", "buddhist", "auto"])
@pytest.mark.parametrize(("fmt", "dayfirst"), [(None, True), (None, False), ("%d/%m/%Y", True),
                                               ("%m-%d-%Y", True), ("%Y.%m.%d", True)])
def test_fast_path_agrees_with_the_per_value_parser(calendar, fmt, dayfirst):
    from htwork.io.dates import _parse_one, _Spec
    from htwork.io.dates_fast import fast_parse

    rng = np.random.default_rng(1)
    years = rng.choice([1, 1899, 1900, 2000, 2023, 2024, 2399, 2400, 2543, 2566, 2567, 9999], 400)
    parts = [(int(y), int(m), int(d)) for y, m, d in zip(
        years, rng.integers(0, 14, 400), rng.integers(0, 33, 400), strict=True)]
    values = [f"{d}/{m}/{y}" for y, m, d in parts] + [f"{d:02d}-{m:02d}-{y}" for y, m, d in parts]
    values += [f"{y}-{m:02d}-{d:02d}" for y, m, d in parts] + [f"{y}.{m}.{d}" for y, m, d in parts]
    values += ["15/03/2566 10:30", " 2023-03-15T08:00:00 ", "15/03-2023", "15/3/23", "x", None]
    uniques = np.array(list(dict.fromkeys(values)), dtype=object)
    ok, iso, be = fast_parse(uniques, fmt=fmt, calendar=calendar, dayfirst=dayfirst)
    assert ok.sum() > 50
    spec = _Spec(fmt, calendar, dayfirst, False)
    for value, decided, got, got_be in zip(uniques, ok, iso, be, strict=True):
        one = _parse_one(value, spec)
        if decided:
            assert (got, bool(got_be)) == (one.iso, one.be), value
            assert one.code is None
