"""The SDV adapter: SDV 2.0's API, rules, seeds, no network (the suite blocks it)."""

from __future__ import annotations

import builtins
import importlib.util

import pandas as pd
import pytest

from htwork.errors import InputError
from htwork.synth import make_synthesizer
from htwork.synth.constraints import case_rules, rules_report

# find_spec, not an import: importing sdv (and torch) at collection costs seconds on every run
needs_sdv = pytest.mark.skipif(importlib.util.find_spec("sdv") is None,
                               reason="optional extra sdv not installed")


@needs_sdv
@pytest.mark.slow
def test_gaussian_copula_through_the_adapter(split):
    train, _ = split
    syn = make_synthesizer("gaussiancopula").fit(train.iloc[:600])
    a, b = syn.sample(300, seed=2), syn.sample(300, seed=2)
    pd.testing.assert_frame_equal(a, b)
    assert a.dtypes.tolist() == train.dtypes.tolist()
    assert not [r for r in rules_report(a, case_rules(a.columns)) if r["rows_breaking"]]


@needs_sdv
@pytest.mark.parametrize("model", ["ctgan", "tvae"])
@pytest.mark.slow
def test_neural_epochs_and_progress_reach_sdv(split, monkeypatch, model):
    # training a network takes long here: a stand-in records what the adapter hands SDV 2.0
    import sdv.single_table as st

    seen = {}

    class Recorder:
        def __init__(self, metadata, **params):
            seen["metadata"], seen["params"] = metadata, params

        def fit(self, data):
            seen["data"] = data

        def sample(self, n):
            return {"cases": next(iter(seen["data"].values())).iloc[:n]}

    name = {"ctgan": "CTGANSynthesizer", "tvae": "TVAESynthesizer"}[model]
    monkeypatch.setattr(st, name, Recorder)
    # progress=True: SDV's bar where it can be seen (a terminal here), never into a pipe
    monkeypatch.setattr("htwork.progress._stderr_is_terminal", lambda: False)
    make_synthesizer(model, epochs=7, batch_size=100, progress=True).fit(split[0])
    assert seen["params"]["verbose"] is False
    monkeypatch.setattr("htwork.progress._stderr_is_terminal", lambda: True)
    syn = make_synthesizer(model, epochs=7, batch_size=100, progress=True).fit(split[0])
    assert seen["params"]["epochs"] == 7 and seen["params"]["verbose"] is True
    assert seen["params"]["enable_gpu"] is False
    assert list(seen["data"]) == ["cases"]  # SDV 2.0 takes {table_name: DataFrame}
    table = seen["metadata"].to_dict()["tables"]["cases"]["columns"]
    assert {v["sdtype"] for v in table.values()} == {"categorical"}
    assert len(syn.sample(20, seed=0)) == 20


def test_missing_sdv_is_a_clear_error(split, monkeypatch):
    real_import = builtins.__import__

    def no_sdv(name, *args, **kwargs):
        if name == "sdv" or name.startswith("sdv."):
            raise ImportError("No module named 'sdv'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_sdv)
    with pytest.raises(InputError, match=r"htwork\[sdv\]"):
        make_synthesizer("tvae", epochs=1).fit(split[0])
