"""The public API of htwork.risk: every result object speaks the same small language."""

from __future__ import annotations

import doctest
import importlib
import json

import numpy as np
import pandas as pd
import pytest

import htwork.risk as risk
from htwork.anonymise.suppression import LocalSuppression
from htwork.errors import NotFittedError


def test_all_is_honest():
    for name in risk.__all__:
        assert hasattr(risk, name), name


@pytest.mark.parametrize(
    "module", ["frequencies", "individual", "suda", "report", "explain", "diversity"]
)
def test_docstring_examples(module):
    mod = importlib.import_module(f"htwork.risk.{module}")
    assert doctest.testmod(mod).failed == 0


def _df():
    rng = np.random.default_rng(9)
    n = 120
    return pd.DataFrame(
        {
            "sex": rng.choice(["F", "M"], n),
            "age": rng.choice(["a", "b", "c"], n),
            "nat": rng.choice(["KH", "MM", "LA", None], n),
            "exp": rng.choice(["Labour", "Sex", "Labour;Sex"], n),
            "w": rng.uniform(1, 9, n),
        }
    )


def _results():
    df, keys = _df(), ["sex", "age", "nat"]
    return [
        risk.frequencies(df, keys, weight="w"),
        risk.individual_risk(df, keys, weight="w"),
        risk.suda2(df, keys),
        risk.l_diversity(df, keys, "exp"),
        risk.t_closeness(df, keys, "exp"),
        risk.assess(df, keys, sensitive="exp", weight="w"),
    ]


@pytest.mark.parametrize("result", _results(), ids=lambda r: type(r).__name__)
def test_result_protocol(result):
    text = result.summary()
    assert text.splitlines()[0] == result.title
    assert repr(result) == text
    assert result._repr_html_().startswith("<h4>")
    frame = result.to_frame()
    assert isinstance(frame, pd.DataFrame) and len(frame) == 120
    json.dumps(result.to_dict(), allow_nan=False)


def test_local_suppression_conventions():
    ls = LocalSuppression(["sex", "age"], k=3)
    assert ls.get_params()["k"] == 3
    assert "LocalSuppression(keys=['sex', 'age'])" == repr(ls)
    with pytest.raises(NotFittedError):
        ls.preview()
    df = _df()
    assert ls.fit(df) is ls
    assert not any(name.endswith("_") for name in ls.get_params())
    assert all(hasattr(ls, a) for a in ("suppressed_", "suppressions_", "importance_"))
