"""l-diversity and t-closeness on hand-computed tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from htwork.errors import InputError
from htwork.risk.diversity import l_diversity, t_closeness


def test_sdcmicro_ldiversity_example_with_missing_keys():
    # sdcMicro's test: rows 1-3 (occupation missing) form one class with 3 values
    df = pd.DataFrame(
        {
            "sex": ["female", "female", "female", "male", "male", "female", "female"],
            "occupation": [None, None, None, "teacher", "teacher", "nurse", "nurse"],
            "ethnicity": ["other"] * 5 + ["majority"] * 2,
            "sensitive": [1, 0, 2, 1, 0, 0, 1],
        }
    )
    r = l_diversity(df, ["sex", "occupation", "ethnicity"], "sensitive")
    assert r.measures["sensitive"]["distinct"].tolist() == [3, 3, 3, 2, 2, 2, 2]
    assert r.records_with_l1() == 0


def test_distinct_entropy_recursive_by_hand():
    df = pd.DataFrame(
        {
            "k": ["a"] * 4 + ["b"] * 3 + ["c"] * 6,
            "s": ["x", "x", "x", "y", "x", "x", "x", "p", "p", "q", "q", "r", None],
        }
    )
    r = l_diversity(df, "k", "s")
    m = r.measures["s"]
    # class a: 3 x 1  -> distinct 2, entropy exp(H(.75,.25)), recursive: 3 < 2*1 false -> 1
    assert m["distinct"].iloc[0] == 2
    h = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25))
    assert m["entropy"].iloc[0] == pytest.approx(math.exp(h))
    assert m["recursive"].iloc[0] == 1
    # class b: all x -> l = 1 everywhere (homogeneous)
    assert m.loc[4:6, ["distinct", "entropy", "recursive"]].to_numpy().tolist() == [[1, 1, 1]] * 3
    # class c: p p q q r + missing -> distinct 3 + 1 (missing counts), entropy over 6 records
    # recursive ignores the missing one: r = (2,2,1): 2 < 2*(2+1) and 2 < 2*1 false -> l = 2
    assert m["distinct"].iloc[7] == 4
    probs = [2 / 6, 2 / 6, 1 / 6, 1 / 6]
    assert m["entropy"].iloc[7] == pytest.approx(math.exp(-sum(p * math.log(p) for p in probs)))
    assert m["recursive"].iloc[7] == 2
    assert r.records_with_l1() == 3
    assert r.to_dict()["records_with_l1"] == 3


def test_recursive_constant():
    df = pd.DataFrame({"k": ["a"] * 6, "s": list("xxxyyz")})
    # r = (3, 2, 1): with c = 2, 3 < 2*3 and 3 < 2*1 false -> 2; with c = 4: 3 < 4 -> 3
    assert l_diversity(df, "k", "s").measures["s"]["recursive"].iloc[0] == 2
    assert l_diversity(df, "k", "s", c=4).measures["s"]["recursive"].iloc[0] == 3


def test_all_missing_sensitive_in_a_class():
    df = pd.DataFrame({"k": ["a", "a", "b"], "s": [None, "", "x"]})
    m = l_diversity(df, "k", "s").measures["s"]
    assert m["distinct"].tolist() == [0, 0, 1]
    assert m["recursive"].tolist() == [0, 0, 1]


def test_multi_select_rule():
    df = pd.DataFrame(
        {
            "k": ["a"] * 4 + ["b"] * 3,
            # class a: different sets, but everyone has Threats -> shared item
            "control": [
                "Threats;Debt",
                "Debt;Threats",
                "Threats",
                "Threats;Confinement",
                "Debt",
                "Confinement",
                None,
            ],
        }
    )
    r = l_diversity(df, "k", "control")
    m = r.measures["control"]
    assert r.multi["control"]
    assert m["distinct"].tolist()[:4] == [3, 3, 3, 3]  # {Debt;Threats} x2, Threats, ...
    assert m["shared_item"].tolist() == [True] * 4 + [False] * 3
    assert r.records_with_shared_item() == 4
    assert r.to_dict()["records_with_shared_item"] == 4


def test_t_closeness_equal_distance_by_hand():
    df = pd.DataFrame({"k": ["a"] * 4 + ["b"] * 4, "s": list("xxxy") + list("xxxx")})
    t = t_closeness(df, "k", "s")
    # overall x 7/8, y 1/8; class a x 3/4: t = (1/8 + 1/8) / 2; class b: (1/8 + 1/8) / 2
    assert t.t["s"].tolist() == pytest.approx([0.125] * 8)
    assert t.max_t() == pytest.approx(0.125)
    assert t.records_above(0.1) == 8


def test_t_closeness_ordered_by_hand():
    df = pd.DataFrame({"k": ["a"] * 3 + ["b"] * 3, "age": ["1", "2", "3", "1", "1", "1"]})
    # overall (4/6, 1/6, 1/6); class a uniform: cumulative (-1/3, -1/6, 0) -> 0.5 / 2
    t = t_closeness(df, "k", "age", ordered=True)
    assert t.t["age"].tolist() == pytest.approx([0.25] * 6)
    # an explicit, reversed order gives the same distance here
    t2 = t_closeness(df, "k", "age", ordered=["3", "2", "1"])
    assert t2.t["age"].tolist() == pytest.approx([0.25] * 6)
    assert t.distance == {"age": "ordered"}


def test_t_closeness_multi_select_items():
    df = pd.DataFrame({"k": ["a", "a", "b"], "m": ["A;B", "A", "B"]})
    # items overall A 2/4, B 2/4; class a A 2/3, B 1/3 -> 1/6; class b B -> 1/2
    t = t_closeness(df, "k", "m")
    assert t.t["m"].tolist() == pytest.approx([1 / 6, 1 / 6, 0.5])


def test_bad_sensitive():
    df = pd.DataFrame({"k": ["a"], "s": ["x"]})
    with pytest.raises(InputError, match="not a column"):
        l_diversity(df, "k", "nope")
    with pytest.raises(InputError, match="both a quasi-identifier"):
        t_closeness(df, "k", "k")
    with pytest.raises(InputError, match="lacks the categories"):
        t_closeness(df, "k", "s", ordered=["y"])
