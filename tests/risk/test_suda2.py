"""SUDA2 against sdcMicro's documented examples, hand-derived cases and brute force."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from htwork.errors import InputError
from htwork.risk.suda import _dis_scores, _hash_singletons, suda2, suda_weights
from tests.risk._brute import brute_msus


def test_sdcmicro_contribution_example_in_every_column_order():
    # sdcMicro's tests (issue #275 fixed): contributions 50 / 37.5 / 37.5
    a, b, c = [2, 1, 1], [0, 3, 0], [0, 6, 0]
    df = pd.DataFrame({"a": a, "b": b, "c": c})
    for cols, expect in [
        (["a", "b", "c"], [50, 37.5, 37.5]),
        (["a", "c", "b"], [50, 37.5, 37.5]),
        (["c", "a", "b"], [37.5, 50, 37.5]),
        (["c", "b", "a"], [37.5, 37.5, 50]),
    ]:
        r = suda2(df, cols)
        assert r.attribute_contributions.tolist() == pytest.approx(expect, abs=1e-12)
        assert r.score.tolist() == [2, 4, 2]


def test_sdcmicro_book_example():
    tab = pd.DataFrame(
        {
            "age": ["20s"] * 7 + ["60s"],
            "gender": ["male"] * 4 + ["female"] * 3 + ["male"],
            "income": ["50k+", "50k+"] + ["50k-"] * 6,
            "education": ["highschool"] * 4
            + ["university", "highschool", "middleschool", "university"],
        }
    )
    r = suda2(tab, list(tab.columns))
    assert r.score[4:].tolist() == [4, 2, 6, 8]


def test_sdc_practice_guide_example():
    # IHSN "SDC for microdata: a practice guide", table 4.5, as pinned in sdcMicro's tests
    df = pd.DataFrame(
        {
            "Residence": ["Urban"] * 4 + ["Rural"] + ["Urban"] * 5,
            "Gender": ["Female", "Female", "Female", "Male", "Female", "Male", "Female", "Male"]
            + ["Female", "Female"],
            "Education": [
                "Secondary incomplete",
                "Secondary incomplete",
                "Primary incomplete",
                "Secondary complete",
                "Secondary complete",
                "Secondary complete",
                "Primary complete",
                "Post-secondary",
                "Secondary incomplete",
                "Secondary incomplete",
            ],
            "Labor": ["Employed", "Employed", "Non-LF", "Employed", "Unemployed", "Employed"]
            + ["Non-LF", "Unemployed", "Non-LF", "Non-LF"],
        }
    )
    r = suda2(df, list(df.columns))
    assert r.score.tolist() == [0, 0, 6, 0, 12, 0, 6, 10, 0, 0]
    assert r.records_above_zero == 4
    assert r.total_score == 34


def test_sdcmicro_issue_356_contributions():
    # 7 x 3 table from sdcMicro issue #356 (2025): scores and contributions printed there
    df = pd.DataFrame({"Var1": list("ABACBAB"), "Var2": list("XXYZYXZ"), "Var3": list("PQQRRPQ")})
    r = suda2(df, list(df.columns))
    assert r.score.tolist() == [0, 2, 3, 3, 3, 0, 2]
    assert r.attribute_contributions.tolist() == pytest.approx(
        [61.53846, 69.23077, 53.84615], abs=1e-5
    )


def test_correlated_items_in_a_three_key_msu():
    # c=1 and d=1 pick out the same records: sdcMicro keeps c=1, finds {a,b,c} for record 1
    # and counts it twice ({a,b,d} too); the multiplied weight goes to a, b and c, none to d.
    df = pd.DataFrame({"a": [1, 1, 1, 2], "b": [1, 1, 2, 1], "c": [1, 2, 1, 1], "d": [1, 2, 1, 1]})
    r = suda2(df, list(df.columns))
    assert r.score.tolist() == [2, 12, 6, 6]  # 2 size-3 MSUs; c and d alone; b; a
    assert r.msu_counts[0].tolist() == [0, 0, 2, 0]
    assert r.contribution[0].tolist() == [1.0, 1.0, 1.0, 0.0]
    assert r.attribute_contributions.tolist() == pytest.approx(
        [800 / 26, 800 / 26, 800 / 26, 600 / 26]
    )


def test_correlated_items_on_both_sides_of_a_two_key_msu():
    # a~c and b~d are correlated item pairs; every record has 4 MSUs of size 2 (score 8).
    # sdcMicro: a and b get (1 + 1) x 2 each, the correlated c and d get 2 once each.
    df = pd.DataFrame({"a": [1, 1, 2, 2], "b": [1, 2, 1, 2], "c": [1, 1, 2, 2], "d": [1, 2, 1, 2]})
    r = suda2(df, list(df.columns))
    assert r.score.tolist() == [8, 8, 8, 8]
    assert r.contribution[0].tolist() == [0.5, 0.5, 0.25, 0.25]
    assert r.attribute_contributions.tolist() == pytest.approx([50, 50, 25, 25])
    exact = suda2(df, list(df.columns), missing="wildcard")
    assert exact.attribute_contributions.tolist() == pytest.approx([50, 50, 50, 50])


def test_duplicates_score_zero_and_three_copies_are_handled():
    df = pd.DataFrame({"a": [1, 1, 1, 2, 3], "b": [1, 1, 1, 1, 2], "c": [5, 5, 5, 5, 5]})
    r = suda2(df, ["a", "b", "c"])
    assert r.score[:3].tolist() == [0, 0, 0]
    assert r.score[3] > 0 and r.score[4] > 0


@pytest.mark.parametrize("seed", range(25))
def test_scores_match_brute_force_msus(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 40))
    p = int(rng.integers(3, 6))
    codes = np.stack([rng.integers(0, int(rng.integers(2, 5)), n) for _ in range(p)], 1)
    codes[rng.uniform(size=codes.shape) < 0.15] = -1
    df = pd.DataFrame(codes, columns=[f"k{j}" for j in range(p)]).astype("object")
    df = df.where(codes >= 0, None)
    r = suda2(df, list(df.columns))
    g = suda_weights(p)
    for i in range(n):
        msus = brute_msus(codes, i)
        assert r.score[i] == sum(g[len(s) - 1] for s in msus), (i, msus)
        sizes = np.bincount([len(s) for s in msus], minlength=p + 1)[1:]
        assert r.msu_counts[i].tolist() == sizes.tolist()


def test_weights_of_original_and_ihsn_scores():
    assert suda_weights(4).tolist() == [6, 2, 1, 1]
    m = 4
    ihsn = suda_weights(m, original_scores=False)
    for s in range(1, m + 1):
        n = m - s
        assert ihsn[s - 1] == pytest.approx(
            (2**n - 1) * math.factorial(s) * math.factorial(n) / math.factorial(m)
        )


def test_dis_formula_by_hand():
    score = np.array([0.0, 6.0, 2.0, 0.0])
    m, u, pairs, f = 4, 3, 2, 0.01
    dis = u * f / (u * f + pairs * (1 - f))
    q = 1 + (8 - m) / 20
    adj = 6.0**-q + 2.0**-q
    expect = [0, 1 / (1 + (u / dis - u) / (6**q * adj)), 1 / (1 + (u / dis - u) / (2**q * adj)), 0]
    assert _dis_scores(score, m, u, pairs, f).tolist() == pytest.approx(expect, rel=1e-6)


def test_hash_singletons_count_only_lonely_buckets():
    # values (1, 2) and (2, 0) share the hash 4: neither counts as unique for DIS
    vals = np.array([[1, 2], [2, 0], [7, 7]])
    assert _hash_singletons(vals) == 1


def test_exact_dis_uniques_option():
    df = pd.DataFrame({"a": [1, 2, 3, 1, 1], "b": [2, 0, 1, 1, 1], "c": [1, 1, 1, 1, 1]})
    r = suda2(df, ["a", "b", "c"], dis_uniques="exact")
    assert r.uniques_for_dis == 3
    assert r.pairs_for_dis == 2


def test_fewer_than_three_keys_are_padded():
    df = pd.DataFrame({"a": [1, 1, 2], "b": ["x", "y", "x"]})
    r = suda2(df, ["a", "b"])
    assert r.padded
    # weights as for 3 keys: {a, b} for record 1 scores (3-2)! = 1, b=y and a=2 score 2! = 2
    assert r.score.tolist() == [1, 2, 2]


def test_result_objects():
    df = pd.DataFrame({"a": [2, 1, 1], "b": [0, 3, 0], "c": [0, 6, 0]})
    r = suda2(df, ["a", "b", "c"])
    d = r.to_dict()
    assert set(d) >= {"records_above_zero", "total_score", "total_dis_score", "contributions"}
    assert d["contributions"] == {"a": 50.0, "b": 37.5, "c": 37.5}
    assert list(r.to_frame().columns)[:2] == ["suda_score", "dis_suda_score"]
    assert r.dis_table()["records"].sum() == 3
    lv = r.attribute_level_contributions
    assert lv.groupby("variable")["contribution"].sum().round(6).tolist() == [100, 100, 100]
    assert "special uniqueness" in repr(r)


def test_bad_arguments():
    df = pd.DataFrame({"a": [1, 2], "b": [1, 2], "c": [1, 2]})
    with pytest.raises(InputError):
        suda2(df, ["a", "b", "c"], missing="drop")
    with pytest.raises(InputError):
        suda2(df, ["a", "zz"])


def test_codes_seen_by_sdcmicros_hash():
    from htwork.core.keys import encode_keys
    from htwork.risk.suda import _r_codes

    df = pd.DataFrame(
        {
            "cat": pd.Categorical(["b", "a", None], categories=["b", "a"]),
            "num": [10, 3, 7],
            "numtext": ["10", "9", ""],
            "text": ["Male", "Female", "Male"],
        }
    )
    kc = encode_keys(df, list(df.columns))
    vals = _r_codes(df, kc)
    assert vals[:, 0].tolist() == [1, 2, -999]  # factor level order
    assert vals[:, 1].tolist() == [10, 3, 7]  # numbers as they are
    assert vals[:, 2].tolist() == [2, 1, -999]  # numeric text ranked as numbers
    assert vals[:, 3].tolist() == [2, 1, 2]  # text ranked as sorted text


@pytest.mark.parametrize("seed", range(10))
def test_wildcard_option_matches_brute_force(seed):
    import itertools

    from tests.risk._brute import brute_fk

    rng = np.random.default_rng(500 + seed)
    n, p = int(rng.integers(5, 30)), int(rng.integers(3, 5))
    codes = rng.integers(0, 3, size=(n, p))
    codes[rng.uniform(size=codes.shape) < 0.2] = -1
    df = pd.DataFrame(codes, columns=[f"k{j}" for j in range(p)]).astype(object)
    df = df.where(codes >= 0, None)
    if df.isna().all().any():
        pytest.skip("a key lost every value")
    r = suda2(df, list(df.columns), missing="wildcard")
    g = suda_weights(p)
    unique = {}
    for size in range(1, p + 1):
        for s in itertools.combinations(range(p), size):
            unique[s] = brute_fk(codes[:, list(s)], liveness=False) == 1
    for i in range(n):
        score = 0.0
        for s, u in unique.items():
            if u[i] and all(not unique[t][i] for t in itertools.combinations(s, len(s) - 1) if t):
                score += g[len(s) - 1]
        assert r.score[i] == score
