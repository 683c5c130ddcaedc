"""Local suppression: k-anonymity afterwards (wildcard rule), sdcMicro parity, minimal wins."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from htwork.anonymise.suppression import LocalSuppression, _sdcmicro, resolve_importance
from htwork.core.keys import encode_keys
from htwork.core.wildcard import wildcard_counts
from htwork.errors import InputError
from htwork.risk import frequencies
from tests.risk._brute import brute_fk


def _table(n, seed=0, missing=0.0, cards=(2, 6, 8, 25)):
    rng = np.random.default_rng(seed)
    cols = {}
    for j, c in enumerate(cards):
        p = 1 / np.arange(1, c + 1) ** 0.9
        cols[f"k{j}"] = np.array([f"v{v}" for v in range(c)], dtype=object)[
            rng.choice(c, n, p=p / p.sum())
        ]
    df = pd.DataFrame(cols)
    if missing:
        df = df.mask(rng.uniform(size=df.shape) < missing)
    return df


def _reference_sdcmicro(codes, k, importance):
    """sdcMicro's loop written record by record, without any speed-up (for comparison)."""
    from htwork.anonymise.suppression import _first_k_of_each_class

    n, p = codes.shape
    k = min(k, n)
    rows = np.flatnonzero(_first_k_of_each_class(codes, k))
    x = codes[rows].copy()
    order = sorted(range(p), key=lambda j: (-importance[j], j))
    while True:
        fk = brute_fk(x)
        problem = sorted(np.flatnonzero(fk < k), key=lambda i: (fk[i], i))
        if not problem:
            break
        for i in problem:
            dist = [
                sum(1 for j in range(p) if x[i, j] >= 0 and x[r, j] >= 0 and x[i, j] != x[r, j])
                for r in range(len(x))
            ]
            positive = [d for d in dist if d > 0]
            if positive:
                near = [r for r, d in enumerate(dist) if d == min(positive)]
                cols = [
                    j
                    for j in order
                    if any(x[r, j] >= 0 and x[i, j] >= 0 and x[r, j] != x[i, j] for r in near)
                ]
            else:
                cols = [j for j in order if x[i, j] >= 0]
            x[i, cols[0]] = -1
    out = codes.copy()
    out[rows] = x
    return out


def test_sdcmicro_hand_example():
    # sdcMicro issue #225 table; all keys have 2 categories, so importance follows the
    # column order and State, then Sex, then Age are blanked first.
    df = pd.DataFrame(
        {
            "Age": ["60-80"] * 4 + ["20-50"] * 5,
            "Sex": ["M", "M", "F", "F", "M", "M", "M", "M", "M"],
            "State": ["CAL"] * 4 + ["MS", "MS"] + ["CAL"] * 3,
        }
    )
    ls = LocalSuppression(["Age", "Sex", "State"], k=3, method="sdcmicro").fit(df)
    out = ls.transform(df)
    # pass 1 blanks Sex in records 1-4 (nearest neighbours differ in Sex or Age) and State in
    # records 5-6 (nearest neighbours differ in State only); then everyone has fk >= 3
    assert out["Sex"].isna().tolist() == [True] * 4 + [False] * 5
    assert out["State"].isna().tolist() == [False] * 4 + [True, True] + [False] * 3
    assert ls.suppressions_.to_dict() == {"Age": 0, "Sex": 4, "State": 2}
    assert frequencies(out, ["Age", "Sex", "State"]).violations(3) == 0


@pytest.mark.parametrize("seed", range(12))
def test_sdcmicro_matches_record_by_record_reference(seed):
    rng = np.random.default_rng(seed)
    df = _table(int(rng.integers(20, 90)), seed, missing=float(rng.choice([0.0, 0.1, 0.3])))
    keys = list(df.columns)
    if df.isna().all().any():
        pytest.skip("a key lost every value")
    kc = encode_keys(df, keys)
    k = int(rng.choice([2, 3, 4]))
    imp = resolve_importance(None, kc)
    fast, _ = _sdcmicro(kc.codes, k, imp)
    assert np.array_equal(fast, _reference_sdcmicro(kc.codes, k, imp))


@pytest.mark.parametrize("method", ["minimal", "sdcmicro"])
@pytest.mark.parametrize("seed", range(8))
def test_no_record_violates_k_after_transform(method, seed):
    rng = np.random.default_rng(50 + seed)
    missing = [0.0, 0.05, 0.3][seed % 3]
    df = _table(int(rng.integers(40, 400)), 50 + seed, missing=missing)
    keys = list(df.columns)
    k = [2, 3, 5][seed % 3]
    out = LocalSuppression(keys, k=k, method=method).fit_transform(df)
    kc = encode_keys(out, keys)
    assert (brute_fk(kc.codes) >= k).all()  # the wildcard rule, by brute force
    # blanks only: every value left is the original one, existing blanks are kept
    kept = out[keys].notna()
    assert ((out[keys] == df[keys]) | ~kept).all().all()
    assert not (df[keys].isna() & out[keys].notna()).any().any()


@pytest.mark.parametrize("k", [2, 3, 5])
@pytest.mark.slow
def test_minimal_never_worse_than_sdcmicro(k):
    totals = []
    for seed in range(6):
        df = _table(1500, 200 + seed, missing=0.02 * seed)
        keys = list(df.columns)
        a = LocalSuppression(keys, k=k, method="minimal").fit(df).total_suppressions_
        b = LocalSuppression(keys, k=k, method="sdcmicro").fit(df).total_suppressions_
        assert a <= b, (seed, a, b)
        totals.append((a, b))
    assert sum(a for a, _ in totals) < sum(b for _, b in totals)


def test_preview_before_anything_changes_and_input_untouched():
    df = _table(600, 3)
    before = df.copy()
    ls = LocalSuppression(list(df.columns), k=3).fit(df)
    prev = ls.preview()
    assert list(prev.index) == list(df.columns) + ["total"]
    assert prev.loc["total", "suppressions"] == ls.total_suppressions_ > 0
    pd.testing.assert_frame_equal(df, before)
    out = ls.transform(df)
    pd.testing.assert_frame_equal(df, before)
    assert int(out.isna().sum().sum()) == ls.total_suppressions_
    assert ls.violations_before_ > 0 and ls.violations_after_ == 0
    assert "cells to blank" in ls.summary()
    assert ls.get_report()["total_suppressions"] == ls.total_suppressions_


def test_importance_is_honoured():
    df = _table(800, 4)
    keys = list(df.columns)
    # keep k3 (many categories) at almost any price: it is blanked least
    free = LocalSuppression(keys, k=3).fit(df).suppressions_
    kept = LocalSuppression(keys, k=3, importance=["k3"], importance_cost=2.0).fit(df)
    assert kept.suppressions_["k3"] < free["k3"]
    assert kept.importance_["k3"] == 1
    sdc = LocalSuppression(keys, k=3, method="sdcmicro", importance=[4, 3, 2, 1]).fit(df)
    # sdcMicro numbers: k0 has importance 4, so it is blanked first
    assert sdc.suppressions_["k0"] >= sdc.suppressions_.drop("k0").max()


def test_default_importance_follows_categories():
    df = pd.DataFrame({"a": list("xyzxyz"), "b": list("ppqqpp"), "c": list("123456")})
    kc = encode_keys(df, ["a", "b", "c"])
    assert resolve_importance(None, kc).tolist() == [2, 1, 3]
    assert resolve_importance(["c"], kc).tolist() == [3, 2, 1]
    assert resolve_importance("c,a", kc).tolist() == [2, 3, 1]
    with pytest.raises(InputError):
        resolve_importance([1, 1, 2], kc)
    with pytest.raises(InputError):
        resolve_importance(["zz"], kc)


def test_integer_keys_and_missing_values_survive():
    df = pd.DataFrame({"a": [1, 1, 2, 3, 3, 3], "b": ["x", None, "y", "x", "x", "y"]})
    out = LocalSuppression(["a", "b"], k=2).fit_transform(df)
    assert wildcard_counts(encode_keys(out, ["a", "b"]).codes).min() >= 2
    assert out["b"].isna().sum() >= 1


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"keys": ["a"], "k": 1}, "at least 2"),
        ({"keys": ["a"], "k": 2.5}, "at least 2"),
        ({"keys": ["a"], "k": 10}, "larger than the number of records"),
        ({"keys": ["nope"], "k": 2}, "not a column"),
        ({"keys": ["empty"], "k": 2}, "has no value"),
        ({"keys": ["a"], "k": 2, "method": "fast"}, "method must be"),
    ],
)
def test_bad_input(kwargs, fragment):
    df = pd.DataFrame({"a": list("xxyz"), "empty": [None] * 4})
    with pytest.raises(InputError, match=fragment):
        LocalSuppression(**kwargs).fit(df)


def test_transform_refuses_another_table():
    df = _table(100, 5)
    ls = LocalSuppression(list(df.columns), k=2).fit(df)
    other = df.copy()
    other.iloc[0, 0] = "changed"
    with pytest.raises(InputError, match="fitted on another table"):
        ls.transform(other)


@pytest.mark.parametrize(
    "data, k",
    [
        ({"a": list("abcde"), "b": list("vwxyz")}, 2),
        ({"a": list("abcde"), "b": list("vwxyz")}, 5),
        ({"a": list("aabbc"), "b": [None, "w", "x", None, "z"]}, 3),
        ({"a": list("abc"), "b": list("abc"), "c": list("abc")}, 3),
        ({"a": list("xxyzw")}, 2),
    ],
)
def test_small_awkward_tables(data, k):
    df = pd.DataFrame(data)
    keys = list(df.columns)
    got = {}
    for method in ("minimal", "sdcmicro"):
        ls = LocalSuppression(keys, k=k, method=method).fit(df)
        assert (ls.fk_after_ >= k).all()
        codes = encode_keys(df, keys).codes.copy()
        codes[ls.suppressed_.to_numpy()] = -1
        assert (brute_fk(codes) >= k).all()
        got[method] = ls.total_suppressions_
    assert got["minimal"] <= got["sdcmicro"]


def test_existing_missing_values_are_never_counted_as_suppressions():
    df = pd.DataFrame({"a": ["x", None, "y", "y", "z"], "b": ["1", "1", None, "2", "2"]})
    ls = LocalSuppression(["a", "b"], k=2).fit(df)
    assert not (ls.suppressed_.to_numpy() & df[["a", "b"]].isna().to_numpy()).any()
    assert ls.preview().loc["total", "already_missing"] == 2
