"""Evaluation: the holdout scored as synthetic is the ideal; a copy of the training data is not."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from htwork.errors import InputError
from htwork.synth import evaluate
from htwork.synth.evaluation import privacy
from tests.synth.fixtures import case_table

FAST = {"n_attacks": 300, "secrets": ["isSexualExploit", "ageBroad"], "leakage_length": 2}


@pytest.fixture(scope="module")
def fresh_sample_result(split):
    """A fresh sample of the same population, evaluated as if it were synthetic."""
    train, holdout = split
    fresh = case_table(1200, seed=12345)
    return evaluate(train, fresh, holdout, target="isSexualExploit", by="gender",
                    predictors=["gender", "ageBroad"], **FAST)


@pytest.fixture(scope="module")
def copy_result(split):
    """The training table itself passed off as synthetic: the worst leak there is."""
    train, holdout = split
    return evaluate(train, train.copy(), holdout, parts=("copies", "leakage", "privacy"), **FAST)


def _risks(priv: dict) -> dict:
    keys = ["singling_out_univariate", "singling_out_multivariate", "linkability",
            "inference_pooled"]
    return {k: priv[k] for k in keys}


@pytest.mark.slow
def test_fresh_sample_and_holdout_carry_no_attack_risk(fresh_sample_result):
    f = fresh_sample_result.figures
    for who in ("synthetic", "holdout"):
        for name, r in _risks(f["privacy"][who]).items():
            assert r.get("risk") is not None, (who, name, r)
            assert r["risk"] < 0.1 and r["ci"][0] < 0.05, (who, name, r)


@pytest.mark.slow
def test_copy_of_training_data_is_caught(copy_result, fresh_sample_result):
    f = copy_result.figures
    assert f["exact_copies"]["synthetic"] == 1.0
    assert f["exact_copies"]["holdout"] < 1.0
    p = f["privacy"]["synthetic"]
    assert p["singling_out_multivariate"]["ci"][0] > 0.2
    assert p["linkability"]["ci"][0] > 0  # weaker on low-entropy categorical data
    assert p["inference_pooled"]["ci"][0] > 0.05
    rare_copy = f["leakage"]["synthetic"]["2"]["rare"]
    rare_fresh = fresh_sample_result.figures["leakage"]["synthetic"]["2"]["rare"]
    assert rare_copy > rare_fresh


@pytest.mark.slow
def test_utility_figures_beside_the_holdout(fresh_sample_result):
    f = fresh_sample_result.figures
    q_syn, q_hold = f["quality"]["synthetic"]["score"], f["quality"]["holdout"]["score"]
    assert q_syn > 0.9 and q_hold > 0.9 and abs(q_syn - q_hold) < 0.03
    assert abs(f["detection"]["holdout"]["auc"] - 0.5) < 0.06
    assert abs(f["detection"]["synthetic"]["auc"] - 0.5) < 0.06
    assert f["tstr"]["synthetic"]["auc"] > 0.7
    kinds = {s["kind"] for s in f["specific"]}
    assert kinds == {"crosstab by gender", "logit"}
    for s in f["specific"]:
        assert 0 <= s["synthetic"]["overlap"] <= 1


@pytest.mark.slow
def test_summary_dict_and_figures(fresh_sample_result):
    text = fresh_sample_result.summary()
    assert "holdout" in text and "detection_auc" in text and "linkability" in text
    data = fresh_sample_result.to_dict()
    json.dumps(data)
    frame = fresh_sample_result.to_frame()
    assert list(frame.columns) == ["synthetic", "holdout"]
    figs = fresh_sample_result.plot("all")
    assert set(figs) == {"marginals", "pairs", "risks"}
    import matplotlib.pyplot as plt

    for fig in figs.values():
        plt.close(fig)


@pytest.mark.slow
def test_plots_keep_the_users_backend(fresh_sample_result):
    """The figures are the user's to show: a non-Agg backend the user chose stays chosen."""
    import matplotlib
    import matplotlib.pyplot as plt

    before = matplotlib.get_backend()
    plt.switch_backend("pdf")
    try:
        rc = dict(matplotlib.rcParams)
        figs = fresh_sample_result.plot("all")
        assert matplotlib.get_backend() == "pdf"
        assert {k for k, v in matplotlib.rcParams.items() if v != rc[k]} == set()
        for fig in figs.values():
            plt.close(fig)
    finally:
        plt.switch_backend(before)


@pytest.mark.slow
def test_awkward_column_names_and_identical_tables():
    # spaces, brackets, symbols, keywords and non-string names; a synthetic table identical
    # to the holdout's reference half: anonymeter must not fail on any of it
    t = case_table(800, seed=5)
    t.columns = ["age (band)", "sex [self-described]", 3, "class", "a-b*c", *t.columns[5:]]
    train, holdout = t.iloc[:400].reset_index(drop=True), t.iloc[400:].reset_index(drop=True)
    res = evaluate(train, holdout.copy(), holdout, parts=("privacy",), n_attacks=150,
                   secrets=["age (band)", 3])
    p = res.figures["privacy"]
    for who in ("synthetic", "holdout"):
        errors = [k for k, v in _risks(p[who]).items() if v.get("risk") is None]
        assert not errors, p[who]
    assert set(p["synthetic"]["inference"]) == {"age (band)", "3"}


@pytest.mark.slow
def test_univariate_singling_out_by_column(split):
    train, holdout = split
    res = privacy.anonymeter_risks(train, case_table(1200, seed=99), holdout, n_attacks=200,
                                   secrets=["gender"])
    by_col = res["singling_out_univariate_by_column"]
    assert set(by_col) == {str(c) for c in train.columns}
    # binary flags have no value seen once: no query can be built from them
    assert by_col["isForcedLabour"]["n_attacks"] == 0


def test_leakage_by_length_counts():
    train = pd.DataFrame({"a": list("xxxxxy"), "b": list("pppppq")})
    other = pd.DataFrame({"a": list("xyz"), "b": list("pqq")})
    out = privacy.leakage_by_length(train, other, max_length=2, k=3)
    assert out["1"]["rare"] == 2  # a=y and b=q describe one training row each
    assert out["1"]["fabricated"] == 1  # a=z
    assert out["2"]["rare"] == 1 and out["2"]["fabricated"] == 1
    assert out["1"]["rows_with_rare"] == pytest.approx(2 / 3)  # (y, q): y; (z, q): q
    assert out["2"]["rows_with_rare"] == pytest.approx(1 / 3)  # only (y, q) as a pair


def test_exact_copy_share():
    a = pd.DataFrame({"x": [1, 2, 3], "y": ["a", None, "c"]})
    b = pd.DataFrame({"x": ["1", 2, 4], "y": ["a", None, "c"]})
    assert privacy.exact_copy_share(a, b) == pytest.approx(2 / 3)


def test_bad_evaluation_input(split):
    train, holdout = split
    with pytest.raises(InputError, match="columns differ"):
        evaluate(train, train.drop(columns=["gender"]), holdout, parts=("copies",))
    with pytest.raises(InputError, match="at least 40"):
        evaluate(train, train, holdout.iloc[:10], parts=("copies",))
    with pytest.raises(ValueError, match="unknown parts"):
        evaluate(train, train, holdout, parts=("magic",))
    with pytest.raises(InputError, match="target"):
        evaluate(train, train, holdout, target="nope", parts=("tstr",))


def test_interval_overlap():
    from htwork.synth.evaluation.utility import interval_overlap

    assert interval_overlap(0, 1, 0, 1) == 1
    assert interval_overlap(0, 1, 2, 3) == 0
    assert interval_overlap(0, 2, 1, 3) == pytest.approx(0.5)
    assert np.isclose(interval_overlap(0, 4, 1, 2), 0.5 * (1 / 4 + 1))
