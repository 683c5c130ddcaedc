"""CaptureTable: building, validation with errors that say where, edits and views."""

from __future__ import annotations

import pandas as pd
import pytest

from htwork.errors import InputError
from htwork.prevalence import CaptureTable


def _csv(tmp_path, text):
    path = tmp_path / "lists.csv"
    path.write_text(text)
    return path


def test_from_counts_fills_missing_patterns_and_sums_repeats(tmp_path):
    t = CaptureTable.from_counts(_csv(tmp_path, "A,B,C,count\n1,0,0,5\n1,0,0,2\n0,1,1,3\n"))
    assert t.count("100") == 7 and t.count("011") == 3 and t.count("111") == 0
    assert t.observed == 10
    assert len(t.counts) == 7
    assert t.to_frame(include_zero=True).shape == (7, 4)


def test_from_individuals_matches_from_counts():
    people = pd.DataFrame({"police": [1, 1, 0, 0, 1], "ngo": [0, 1, 1, 1, 0]})
    t = CaptureTable.from_individuals(people, lists=["police", "ngo"])
    assert t.to_dict()["counts"] == {"10": 2, "11": 1, "01": 2}


def test_all_zero_pattern_rejected_with_row(tmp_path):
    with pytest.raises(InputError) as err:
        CaptureTable.from_counts(_csv(tmp_path, "A,B,count\n1,0,5\n0,0,7\n"))
    msg = str(err.value)
    assert "row 3" in msg and "lists.csv" in msg and "no list" in msg


def test_all_zero_pattern_with_zero_count_is_ignored(tmp_path):
    t = CaptureTable.from_counts(_csv(tmp_path, "A,B,count\n1,0,5\n0,0,0\n1,1,2\n"))
    assert t.observed == 7


def test_non_binary_value_rejected_with_column_and_row(tmp_path):
    with pytest.raises(InputError) as err:
        CaptureTable.from_counts(_csv(tmp_path, "A,B,count\n1,0,5\n2,1,3\n"))
    msg = str(err.value)
    assert "column 'A'" in msg and "row 3" in msg and "0 or 1" in msg


def test_negative_or_fractional_count_rejected(tmp_path):
    with pytest.raises(InputError, match="row 2.*non-negative whole number"):
        CaptureTable.from_counts(_csv(tmp_path, "A,B,count\n1,0,-5\n0,1,3\n"))
    with pytest.raises(InputError, match="non-negative whole number"):
        CaptureTable.from_counts(_csv(tmp_path, "A,B,count\n1,0,2.5\n0,1,3\n"))


def test_one_list_rejected(tmp_path):
    with pytest.raises(InputError, match="at least two lists"):
        CaptureTable.from_counts(_csv(tmp_path, "A,count\n1,5\n"))


def test_missing_count_column_and_missing_file(tmp_path):
    with pytest.raises(InputError, match="no count column 'count'"):
        CaptureTable.from_counts(_csv(tmp_path, "A,B,total\n1,0,5\n"))
    with pytest.raises(InputError, match="does not exist"):
        CaptureTable.from_counts(tmp_path / "nope.csv")


def test_capture_table_from_excel_utf16_and_tab_files(tmp_path):
    # the shared reader: Excel with a title row, UTF-16 text (Excel's "Unicode text"), blank
    # lines; all give the same table, and a bad row is named as a spreadsheet numbers it
    frame = pd.DataFrame({"Police": ["1", "0", "1"], "NGO": ["0", "1", "1"],
                          "count": ["5", "7", "2"]})
    want = CaptureTable.from_counts(frame)
    xlsx = tmp_path / "lists.xlsx"
    with pd.ExcelWriter(xlsx) as w:
        pd.DataFrame([["People on two lists, 2024"]]).to_excel(w, header=False, index=False)
        frame.to_excel(w, startrow=2, index=False)
    utf16 = tmp_path / "lists.txt"
    utf16.write_text("Police\tNGO\tcount\n1\t0\t5\n\n0\t1\t7\n1\t1\t2\n", encoding="utf-16")
    for path in (xlsx, utf16):
        got = CaptureTable.from_counts(path)
        assert got.lists == want.lists and got.counts.tolist() == want.counts.tolist(), path
    bad = tmp_path / "bad.csv"
    bad.write_text("Police,NGO,count\n1,0,5\n\n0,1,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="row 4") as err:  # the blank line is row 3
        CaptureTable.from_counts(bad)
    assert "count" in str(err.value)


def test_person_on_no_list_rejected():
    people = pd.DataFrame({"a": [1, 0], "b": [0, 0]})
    with pytest.raises(InputError, match="row 3"):
        CaptureTable.from_individuals(people, lists=["a", "b"])


def test_empty_full_duplicate_lists_flagged():
    t = CaptureTable.from_dict({"110": 5, "111": 2, "100": 3})
    assert t.full_lists() == ["A"]
    assert t.duplicate_lists() == []
    e = CaptureTable.from_dict({"100": 5, "010": 3, "110": 2}, lists=["P", "N", "X"])
    assert e.empty_lists() == ["X"]
    assert any("nobody on it" in w for w in e.warnings())
    d = CaptureTable.from_dict({"110": 5, "001": 3, "111": 1})
    assert d.duplicate_lists() == [("A", "B")]


def test_overlaps_and_non_overlapping_pairs(uk):
    ov = uk.overlaps()
    row = ov[ov["lists"] == "LA:NG"].iloc[0]
    assert row["count"] == 15 + 1 + 1 + 1 and row["exact"] == 15
    assert set(ov["order"]) == {2, 3}
    assert len(ov) == 10 + 10
    assert uk.non_overlapping_pairs() == [("LA", "GP")]
    mat = uk.overlap_matrix()
    assert mat.loc["LA", "LA"] == 94 and mat.loc["LA", "GP"] == 0


def test_merge_omit_rename(uk):
    merged = uk.merge_lists(["GO", "GP"], name="GOGP")
    assert merged.lists == ("LA", "NG", "PFNCA", "GOGP")
    assert merged.observed == uk.observed
    assert merged.count("0001") == 695 + 316 + 8
    dropped = uk.omit_lists(["GP"])
    assert dropped.n_lists == 4 and dropped.observed == uk.observed - 316
    renamed = uk.rename({"LA": "LocalAuth"})
    assert renamed.lists[0] == "LocalAuth"
    with pytest.raises(InputError, match="no list named"):
        uk.rename({"XX": "Y"})
    with pytest.raises(InputError, match="at least two"):
        uk.omit_lists(["LA", "NG", "PFNCA", "GO"])


def test_views_are_readable(uk):
    assert "CaptureTable(lists=['LA'" in repr(uk)
    assert "<table" in uk._repr_html_()
    assert "2,744 people observed" in uk.summary()
    d = uk.to_dict()
    assert d["observed"] == 2744 and d["non_overlapping_pairs"] == ["LA:GP"]
    frame = uk.to_frame(include_zero=False)
    assert list(frame.columns) == ["LA", "NG", "PFNCA", "GO", "GP", "count"]
    assert frame.iloc[0].tolist() == [1, 0, 0, 0, 0, 54]


def test_bad_list_names():
    with pytest.raises(InputError, match="cannot be used"):
        CaptureTable(["A B", "C"], [0, 1, 1, 1])
    with pytest.raises(InputError, match="twice"):
        CaptureTable(["A", "A"], [0, 1, 1, 1])
    with pytest.raises(InputError, match="nobody"):
        CaptureTable(["A", "B"], [0, 0, 0, 0])
