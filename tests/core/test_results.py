"""The one results base: JSON is always valid (NaN -> null), repr and HTML exist."""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pytest

from htwork.core.results import Result, dumps, json_ready


@dataclass(repr=False)
class _Toy(Result):
    value: float
    extra: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        return f"toy <value> {self.value} & more"

    def _data(self) -> dict[str, Any]:
        return {"value": self.value, **self.extra}


def test_json_turns_nan_and_infinities_into_null():
    r = _Toy(math.nan, {"inf": np.inf, "minus": -math.inf, "nested": [np.float64("nan"), 1.5],
                        "deep": {"x": (np.nan, pd.NA, pd.NaT)}})
    d = r.to_dict()
    assert d == {"value": None, "inf": None, "minus": None, "nested": [None, 1.5],
                 "deep": {"x": [None, None, None]}}
    text = r.to_json()
    assert "NaN" not in text and "Infinity" not in text
    assert json.loads(text)["value"] is None
    json.dumps(d, allow_nan=False)  # to_dict itself is valid JSON data


def test_json_ready_makes_plain_python():
    out = json_ready({np.int64(3): np.arange(3), "b": np.bool_(True), "t": (1, 2),
                      "s": pd.Series({"a": np.int32(4)}), "d": dt.date(2024, 2, 29),
                      True: None, "f": np.float32(0.5), "o": object})
    assert out["3"] == [0, 1, 2] and type(out["3"][0]) is int
    assert out["b"] is True and out["t"] == [1, 2] and out["s"] == {"a": 4}
    assert out["d"] == "2024-02-29" and out["true"] is None and out["f"] == 0.5
    assert out["o"] == str(object)
    # the keys are what json itself would write
    plain = {1: "a", 2.5: "b", None: "c", False: "d"}
    assert json_ready(plain) == json.loads(json.dumps(plain))


def test_dumps_never_writes_nan_and_keeps_text():
    assert dumps({"x": float("nan"), "name": "ผู้หญิง"}) == '{"x": null, "name": "ผู้หญิง"}'
    assert dumps([1, 2], indent=2) == "[\n  1,\n  2\n]"


def test_repr_html_and_frame_exist():
    r = _Toy(2.0, {"nested": {"a": 1}})
    assert repr(r) == r.summary() == "toy <value> 2.0 & more"
    assert r._repr_html_() == "<pre>toy &lt;value&gt; 2.0 &amp; more</pre>"
    frame = r.to_frame()
    assert isinstance(frame, pd.DataFrame) and frame.loc[0, "nested.a"] == 1


def test_a_result_must_give_its_summary_and_data():
    class Incomplete(Result):
        def summary(self) -> str:
            return ""

    with pytest.raises(TypeError, match="_data"):
        Incomplete()  # type: ignore[abstract]
