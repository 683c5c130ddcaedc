"""Profiling columns whose values mostly differ (record numbers, amounts) by Arrow without
counting every distinct value gives the schema the full treatment gives."""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest

P = importlib.import_module("htwork.standards.profile")
N = 120_000  # above the size where the shortcut applies


def _table() -> pd.DataFrame:
    rng = np.random.default_rng(3)

    def strings(x) -> np.ndarray:
        return np.asarray(x).astype(str).astype(object)

    amount = strings(np.round(rng.gamma(2.0, 500.0, N), 2))
    amount[::9] = "-99"
    amount[::17] = None
    signed = strings(np.round(rng.normal(0, 50, N), 3))
    signed[::5] = "-99"  # negatives are data here: -99 is a value
    count = strings(rng.integers(10**7, 10**9, N))
    count[::4] = "N/A"
    mixed = strings(np.arange(N))
    mixed[-3:] = "see notes"
    stamp = strings(np.datetime64("2021-01-01T00:00:00")
                    + rng.integers(0, 10**8, N).astype("timedelta64[s]"))
    return pd.DataFrame({
        "record_no": strings(np.char.add("R", np.arange(N).astype(str))),
        "notes": strings(np.char.add("visit said he worked on a boat ", np.arange(N).astype(str))),
        "amount": amount, "signed": signed, "yearish": strings(rng.integers(1900, 2030, N)),
        "id_number": count, "mixed": mixed, "stamp": stamp,
        "sex": np.asarray(["F", "M", "-99"], dtype=object)[rng.integers(0, 3, N)],
    })


def test_shortcut_gives_the_same_schema(monkeypatch):
    df = _table()
    fast = P.profile(df).descriptor["fields"]
    monkeypatch.setattr(P, "_profile_distinct", lambda *args: None)
    full = P.profile(df).descriptor["fields"]
    assert fast == full
    by = {f["name"]: f for f in fast}
    assert by["amount"]["type"] == "number"
    assert [m["value"] for m in by["amount"]["missingValues"]] == ["", "-99"]
    assert [m["value"] for m in by["signed"]["missingValues"]] == [""]
    assert by["mixed"]["type"] == "string" and by["id_number"]["type"] == "integer"
    assert by["yearish"]["type"] == "year" and by["stamp"]["type"] == "date"


@pytest.mark.parametrize("column, used", [("record_no", True), ("amount", True),
                                          ("sex", False), ("stamp", False), ("mixed", False)])
def test_which_columns_take_the_shortcut(column, used):
    df = _table()
    took = P._mostly_distinct(df[column]) and P._profile_distinct(column, df[column]) is not None
    assert took is used
