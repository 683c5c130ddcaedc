"""assess / RiskReport / explain: the bundle, the sanity identity and the words."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from htwork.risk import assess, explain, individual_risk
from htwork.risk.individual import benedetti_franconi, cluster_risk


def _table(n=300, seed=0, missing=0.0):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "sex": rng.choice(["Female", "Male"], n),
            "age": rng.choice(["0--8", "9--17", "18--26", "27--35", "36--44"], n),
            "nationality": rng.choice(["KH", "MM", "LA", "TH"], n, p=[0.4, 0.3, 0.2, 0.1]),
            "province": rng.choice([f"P{i}" for i in range(15)], n),
            "exploitation": rng.choice(["ForcedLabour", "SexualExploitation"], n),
        }
    )
    if missing:
        df = df.mask((rng.uniform(size=df.shape) < missing) & (np.arange(5) < 4))
    return df


KEYS = ["sex", "age", "nationality", "province"]


def test_no_weights_expected_reidentifications_equal_number_of_classes():
    df = _table()
    rep = assess(df, KEYS)
    assert rep.risk.method == "1/fk"
    assert rep.risk.expected_reidentifications == pytest.approx(rep.frequencies.n_classes)
    assert np.allclose(rep.risk.risk, 1 / rep.frequencies.fk)


def test_benedetti_franconi_cases_by_hand():
    # fk = 1, Fk = 4: pk = 1/4 -> pk/(1-pk) log(1/pk) = (1/3) log 4
    # fk = 2, Fk = 10: pk = 1/5 -> 1/4 - (1/4)^2 log 5
    # fk = 3, Fk = 12: pk = 1/4 -> pk / (3 - 3/4) = 1/9
    # fk = 4, Fk = 4: whole population in the sample -> 1/4
    fk = np.array([1, 2, 3, 4])
    Fk = np.array([4.0, 10.0, 12.0, 4.0])
    expect = [np.log(4) / 3, 0.25 - 0.0625 * np.log(5), 1 / 9, 0.25]
    assert benedetti_franconi(fk, Fk) == pytest.approx(expect, rel=1e-12)


def test_weighted_risk_through_the_table_api():
    df = pd.DataFrame({"a": ["x", "y", "y", "z", "z", "z"], "w": [4.0, 5.0, 5.0, 4.0, 4.0, 4.0]})
    r = individual_risk(df, ["a"], weight="w")
    assert r.risk.tolist() == pytest.approx(
        [np.log(4) / 3, 0.25 - 0.0625 * np.log(5), 0.25 - 0.0625 * np.log(5), 1 / 9, 1 / 9, 1 / 9]
    )
    assert r.global_risk == pytest.approx(r.risk.mean())


def test_cluster_risk():
    risk = np.array([0.5, 0.5, 0.2, 1.0, 0.3])
    group = np.array([0, 0, 1, 2, -1])
    assert cluster_risk(risk, group).tolist() == pytest.approx([0.75, 0.75, 0.2, 1.0, 0.3])


def test_report_json_has_the_promised_keys():
    rep = assess(_table(missing=0.05), KEYS, sensitive="exploitation")
    d = json.loads(json.dumps(rep.to_dict()))
    for key in [
        "n_records",
        "k_violations",
        "equivalence_classes",
        "sample_uniques",
        "global_risk",
        "expected_reidentifications",
        "suda2",
        "l_diversity",
    ]:
        assert key in d
    assert set(d["k_violations"]) == {"2", "3", "5"}
    assert set(d["suda2"]) >= {"records_above_zero", "total_score", "total_dis_score"}
    assert set(d["suda2"]["contributions"]) == set(KEYS)
    assert "records_with_l1" in d["l_diversity"]
    assert d["n_records"] == 300


def test_explanation_in_words_and_figure():
    df = pd.DataFrame(
        {
            "sex": list("FFFFMM"),
            "age": ["a", "a", "b", "b", "a", "c"],
            "province": ["p", "p", "q", "r", "p", "p"],
        }
    )
    e = explain(df, ["sex", "age", "province"])
    assert e.sentences[0].startswith(
        "4 people are each the only one with their sex × age × province")
    assert "rare combinations that single people out" in e.sentences[0]
    assert "special uniqueness" not in e.text  # plain words: no jargon for caseworkers
    assert "pick" in e.text and "global risk" in e.text
    fig = e.figure()
    assert len(fig.axes) == 1
    assert "<img" in e._repr_html_()


def test_report_text_and_frame():
    rep = assess(_table(), KEYS, sensitive="exploitation")
    text = repr(rep)
    assert "Disclosure risk report" in text and "records violating 3-anonymity" in text
    frame = rep.to_frame()
    assert len(frame) == 300 and {"risk", "fk", "suda_score", "exploitation_t"} <= set(frame)
    assert "<table>" in rep._repr_html_()
