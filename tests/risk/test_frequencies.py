"""fk / Fk with sdcMicro's missing-value wildcard, against hand counts and brute force."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from htwork.core.wildcard import wildcard_counts
from htwork.errors import InputError
from htwork.risk.frequencies import frequencies
from tests.risk._brute import brute_fk, brute_fk_pairs


def test_vectorised_brute_force_equals_pairwise_definition():
    rng = np.random.default_rng(11)
    codes = rng.integers(-1, 3, size=(40, 3))
    for live in (True, False):
        assert np.array_equal(brute_fk(codes, liveness=live), brute_fk_pairs(codes, liveness=live))


def test_hand_counts_without_missing():
    df = pd.DataFrame(
        {
            "sex": ["F", "F", "F", "M", "M", "F"],
            "age": ["18-25", "18-25", "26-35", "18-25", "18-25", "18-25"],
        }
    )
    r = frequencies(df, ["sex", "age"])
    assert r.fk.tolist() == [3, 3, 1, 2, 2, 3]
    assert r.n_classes == 3
    assert r.sample_uniques == 1
    assert r.k_violations == {2: 1, 3: 3, 5: 6}
    assert r.violations(4) == 6
    assert r.k_achieved == 1


def test_hand_counts_wildcard():
    # record 3 misses age: compatible with every F; record 5 misses sex: compatible with
    # every 26-35; record 6 misses both keys: counts towards 3 and 5, not towards complete rows
    df = pd.DataFrame(
        {
            "sex": ["F", "F", "F", "M", None, None],
            "age": ["18-25", "26-35", None, "26-35", "26-35", None],
        }
    )
    r = frequencies(df, ["sex", "age"])
    #          1: F/18-25 <- 1,3          2: F/26-35 <- 2,3,5      3: F/- <- 1,2,3,5,6
    #          4: M/26-35 <- 4,5          5: -/26-35 <- 2,3,4,5,6  6: -/- <- everyone
    assert r.fk.tolist() == [2, 3, 5, 2, 5, 6]
    plain = frequencies(df, ["sex", "age"], all_missing="wildcard")
    assert plain.fk.tolist() == [3, 4, 5, 3, 5, 6]
    assert r.n_classes == 6  # missing is a value of its own for equivalence classes


def test_weights_give_Fk():
    df = pd.DataFrame({"a": ["x", "x", "y", None], "w": [2.0, 3.0, 5.0, 7.5]})
    r = frequencies(df, ["a"], weight="w")
    # one key: the missing record counts towards everyone (sdcMicro's one-key rule too)
    assert r.fk.tolist() == [3, 3, 2, 4]
    assert r.Fk.tolist() == [12.5, 12.5, 12.5, 17.5]


def test_empty_text_is_missing_unknown_is_a_value():
    df = pd.DataFrame({"a": ["x", " ", "Unknown", "x"], "b": ["1", "1", "1", "1"]})
    r = frequencies(df, ["a", "b"])
    assert r.fk.tolist() == [3, 4, 2, 3]


@pytest.mark.parametrize("seed", range(40))
def test_matches_brute_force_with_many_missing(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60))
    p = int(rng.integers(1, 6))
    cards = rng.integers(1, 5, p)
    codes = np.stack([rng.integers(0, c, n) for c in cards], axis=1).astype(np.int32)
    codes[rng.uniform(size=codes.shape) < rng.uniform(0, 0.7)] = -1
    w = rng.uniform(0.5, 4.0, n)
    for live in (True, False):
        assert np.array_equal(wildcard_counts(codes, liveness=live), brute_fk(codes, liveness=live))
        assert np.allclose(
            wildcard_counts(codes, w, liveness=live), brute_fk(codes, w, liveness=live)
        )


@pytest.mark.parametrize("seed", range(6))
def test_matches_brute_force_through_the_frame_api(seed):
    rng = np.random.default_rng(100 + seed)
    n, p = 120, 4
    vals = np.array(["a", "b", "c", "d", "e"], dtype=object)
    data = {f"k{j}": vals[rng.integers(0, 2 + j, n)] for j in range(p)}
    df = pd.DataFrame(data)
    df = df.mask(rng.uniform(size=df.shape) < 0.25)
    df["w"] = rng.uniform(1, 20, n)
    r = frequencies(df, [f"k{j}" for j in range(p)], weight="w")
    codes = np.stack(
        [
            pd.Series(df[f"k{j}"]).map({v: i for i, v in enumerate(vals)}).fillna(-1)
            for j in range(p)
        ],
        axis=1,
    ).astype(np.int32)
    assert np.array_equal(r.fk, brute_fk(codes))
    assert np.allclose(r.Fk, brute_fk(codes, df["w"].to_numpy()))


def test_large_patterns_take_the_run_and_hash_paths():
    # enough cells per pattern to exercise sorted runs and hashing, checked on a sample
    rng = np.random.default_rng(7)
    n = 6000
    cards = [2, 3, 7, 11, 40]
    codes = np.stack([rng.integers(0, c, n) for c in cards], axis=1).astype(np.int32)
    codes[rng.uniform(size=codes.shape) < 0.15] = -1
    fast = wildcard_counts(codes)
    sample = rng.choice(n, 150, replace=False)
    for i in sample:
        compat = np.all((codes == codes[i]) | (codes < 0) | (codes[i] < 0), axis=1)
        if (codes[i] >= 0).all():
            compat &= ~(codes < 0).all(axis=1)
        assert fast[i] == compat.sum()


def test_table_and_dict():
    df = pd.DataFrame({"a": list("xxyz"), "b": list("1122")})
    r = frequencies(df, "a, b")
    d = r.to_dict()
    assert d["k_violations"] == {"2": 2, "3": 4, "5": 4}
    assert d["equivalence_classes"] == 3
    frame = r.to_frame()
    assert list(frame.columns) == ["fk", "class"]
    assert r.class_table()["records"].sum() == 4
    assert "only one with their a × b" in repr(r)
    assert "<table>" in r._repr_html_()


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"keys": ["nope"]}, "'nope' is not a column"),
        ({"keys": ["empty"]}, "has no value in any"),
        ({"keys": ["a", "a"]}, "named twice"),
        ({"keys": []}, "no quasi-identifier"),
        ({"keys": ["a"], "weight": "wzero"}, "not positive"),
        ({"keys": ["a"], "weight": "wtext"}, "not a number"),
        ({"keys": ["a"], "weight": "wgap"}, "weight is missing"),
        ({"keys": ["a"], "weight": "nope"}, "not a column"),
    ],
)
def test_bad_input(kwargs, fragment):
    df = pd.DataFrame(
        {
            "a": ["x", "y", "z"],
            "empty": [None, "", " "],
            "wzero": [1.0, 0.0, 2.0],
            "wtext": ["1", "two", "3"],
            "wgap": [1.0, None, 2.0],
        }
    )
    with pytest.raises(InputError, match=fragment):
        frequencies(df, **kwargs)


def test_error_names_the_row():
    df = pd.DataFrame({"a": ["x", "y", "z"], "w": ["1", "2", "abc"]})
    with pytest.raises(InputError) as info:
        frequencies(df, ["a"], weight="w")
    assert info.value.row == 4 and info.value.column == "w"


@pytest.mark.slow
def test_huge_key_space_takes_the_wide_path():
    # 7 keys of 600 categories: the mixed-radix code would overflow 63 bits
    rng = np.random.default_rng(3)
    n = 300
    codes = rng.integers(0, 3, size=(n, 7)).astype(np.int32)
    codes[:, :] += (rng.integers(0, 2, size=(n, 7)) * 597).astype(np.int32)
    codes[0, :] = 599  # make every key reach 600 categories
    codes[rng.uniform(size=codes.shape) < 0.2] = -1
    for live in (True, False):
        assert np.array_equal(wildcard_counts(codes, liveness=live), brute_fk(codes, liveness=live))


def test_class_sizes_with_a_huge_key_space():
    from htwork.core.wildcard import class_sizes

    codes = np.array([[5000, 7000, 9000] * 3, [5000, 7000, 9000] * 3, [1, 2, 3] * 3])
    codes = np.vstack([codes, np.full((1, 9), 10**6)])
    cid, size = class_sizes(codes.astype(np.int64))
    assert size.tolist() == [2, 2, 1, 1]
    assert cid[0] == cid[1] != cid[2]
