"""PRAM (invariance, determinism, matrices) and noise addition."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from htwork.anonymise import PRAM, AddNoise, invariant_matrix, stationary_distribution
from htwork.errors import InputError

GENDERS = ["Male", "Female", "Transgender/NonConforming", "Unknown"]


@pytest.fixture(scope="module")
def big() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 100_000
    df = pd.DataFrame(
        {
            "gender": rng.choice(GENDERS, n, p=[0.6, 0.35, 0.01, 0.04]),
            "nat": rng.choice(["MM", "KH", "LA", "VN", "TH"], n, p=[0.5, 0.2, 0.15, 0.1, 0.05]),
            "age": rng.integers(10, 60, n).astype(str),
            "income": rng.lognormal(8, 0.5, n),
        },
        index=range(2, n + 2),
    )
    df.loc[df.index[:50], "gender"] = None
    df["debt"] = df["income"] * 0.5 + rng.normal(0, 500, n)
    return df


def test_invariant_matrix_by_hand():
    """Two categories, p = (0.75, 0.25), P = [[0.8, 0.2], [0.2, 0.8]], alpha = 1."""
    P = np.array([[0.8, 0.2], [0.2, 0.8]])
    p = np.array([0.75, 0.25])
    R = invariant_matrix(P, p, alpha=1.0)
    # s = pP = (0.65, 0.35); Q[0] = (0.8*.75, 0.2*.25)/0.65, Q[1] = (0.2*.75, 0.8*.25)/0.35
    Q = np.array([[0.6 / 0.65, 0.05 / 0.65], [0.15 / 0.35, 0.2 / 0.35]])
    np.testing.assert_allclose(R, P @ Q)
    np.testing.assert_allclose(p @ R, p)
    np.testing.assert_allclose(R.sum(axis=1), 1.0)
    half = invariant_matrix(P, p, alpha=0.5)
    np.testing.assert_allclose(half, 0.5 * P @ Q + 0.5 * np.eye(2))


def test_stationary_distribution_is_the_observed_one(big):
    pram = PRAM(["gender", "nat"], seed=1).fit(big)
    for col in ("gender", "nat"):
        R = pram.transition_matrices_[col]
        freq = pram.frequencies_[col]
        observed = big[col].value_counts(normalize=True).reindex(freq.index)
        np.testing.assert_allclose(freq.to_numpy(), observed.to_numpy())
        np.testing.assert_allclose(stationary_distribution(R), freq.to_numpy(), atol=1e-10)
        np.testing.assert_allclose(freq.to_numpy() @ R.to_numpy(), freq.to_numpy(), atol=1e-12)
        np.testing.assert_allclose(R.sum(axis=1), 1.0)
        assert list(R.index) == list(R.columns) == sorted(big[col].dropna().unique())


def test_empirical_marginals_preserved(big):
    pram = PRAM(["gender", "nat"], retention=0.5, alpha=1.0, seed=3).fit(big)
    out = pram.transform(big)
    for col in ("gender", "nat"):
        before = big[col].value_counts(normalize=True)
        after = out[col].value_counts(normalize=True).reindex(before.index)
        # binomial standard error at n = 100,000 is below 0.0016; changes are large
        assert np.abs(after - before).max() < 0.01, (col, before, after)
        assert (out[col] != big[col]).mean() > 0.1
    assert out["gender"].isna().sum() == 50
    assert out.loc[big["gender"].isna(), "gender"].isna().all()


def test_non_invariant_pram_drifts(big):
    out = PRAM("gender", retention=0.5, invariant=False, seed=3).fit_transform(big)
    before = big["gender"].value_counts(normalize=True)
    after = out["gender"].value_counts(normalize=True)
    assert abs(after["Transgender/NonConforming"] - before["Transgender/NonConforming"]) > 0.1


def test_seeded_and_deterministic(big):
    small = big.iloc[:2000]
    a = PRAM(["gender", "nat"], seed=11).fit_transform(small)
    b = PRAM(["gender", "nat"], seed=11).fit_transform(small)
    c = PRAM(["gender", "nat"], seed=12).fit_transform(small)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)
    p = PRAM("gender").fit(small)
    assert isinstance(p.seed_, int)
    again = PRAM("gender", seed=p.seed_).fit_transform(small)
    pd.testing.assert_frame_equal(p.transform(small), again)
    # adding a column does not change the first column's draws
    only = PRAM(["gender"], seed=11).fit_transform(small)
    pd.testing.assert_series_equal(only["gender"], a["gender"])


def test_sdcmicro_style_random_diagonal_and_reports(big):
    p = PRAM("nat", retention=(0.8, 1.0), seed=5).fit(big)
    keep = p.keep_probability_["nat"]
    assert ((keep > 0) & (keep <= 1)).all()
    assert 0 < p.expected_change_["nat"] < 0.2
    out = p.transform(big)
    changes = PRAM.changes(big, out, ["nat"])
    assert changes.loc[0, "changed"] == int((out["nat"] != big["nat"]).sum())


def test_user_matrix_zero_probabilities_never_drawn():
    cats = ["A", "B", "C"]
    m = pd.DataFrame([[0.9, 0.1, 0.0], [0.1, 0.8, 0.1], [0.0, 0.1, 0.9]], index=cats, columns=cats)
    df = pd.DataFrame({"x": ["A"] * 3000 + ["C"] * 3000})
    out = PRAM("x", retention=m, invariant=False, seed=1).fit_transform(df)
    assert not ((df["x"] == "A") & (out["x"] == "C")).any()
    assert not ((df["x"] == "C") & (out["x"] == "A")).any()
    inv = PRAM("x", retention=m, seed=1).fit(df)
    np.testing.assert_allclose(
        stationary_distribution(inv.transition_matrices_["x"])[[0, 2]], [0.5, 0.5], atol=1e-10
    )


def test_pram_errors(big):
    small = big.iloc[:100]
    with pytest.raises(InputError, match="no such column"):
        PRAM("nope").fit(small)
    with pytest.raises(InputError, match="between 0 and 1"):
        PRAM("nat", retention=1.5).fit(small)
    bad = pd.DataFrame([[0.5, 0.6], [0.5, 0.5]], index=["KH", "MM"], columns=["KH", "MM"])
    with pytest.raises(InputError, match="no row for|sum to 1"):
        PRAM("nat", retention=bad).fit(small)
    p = PRAM("nat", seed=1).fit(small)
    other = small.copy()
    other.loc[other.index[0], "nat"] = "XX"
    with pytest.raises(InputError, match="not seen at fit") as err:
        p.transform(other)
    assert err.value.row == 2


@pytest.mark.slow
def test_additive_noise(big):
    before = big.copy()
    a = AddNoise(["income", "debt"], noise=20, seed=1).fit(big)
    assert a.scale_["income"] == pytest.approx(0.2 * big["income"].std(ddof=1))
    out = a.transform(big)
    diff = out["income"] - big["income"]
    assert abs(diff.mean()) < 0.01 * big["income"].std()
    assert diff.std() == pytest.approx(a.scale_["income"], rel=0.02)
    pd.testing.assert_frame_equal(out, a.transform(big))
    pd.testing.assert_frame_equal(big, before)


@pytest.mark.slow
def test_correlated_noise_keeps_correlation(big):
    c = AddNoise(["income", "debt"], noise=50, method="correlated", seed=2).fit(big)
    out = c.transform(big)
    noise = np.column_stack([out["income"] - big["income"], out["debt"] - big["debt"]])
    np.testing.assert_allclose(np.cov(noise, rowvar=False), c.covariance_.to_numpy(), rtol=0.03)
    r_before = np.corrcoef(big["income"], big["debt"])[0, 1]
    r_after = np.corrcoef(out["income"], out["debt"])[0, 1]
    assert r_after == pytest.approx(r_before, abs=0.01)


def test_noise_on_text_ages_with_rounding_and_clipping(big):
    df = big.iloc[:1000].copy()
    df.loc[df.index[3], "age"] = None
    out = AddNoise("age", noise=50, seed=4, decimals=0, clip=(0, 100)).fit_transform(df)
    assert out["age"].iloc[3] is None
    vals = out["age"].dropna().astype(int)
    assert vals.between(0, 100).all()
    assert out["age"].dropna().str.fullmatch(r"\d+").all()


def test_noise_errors(big):
    df = pd.DataFrame({"x": ["1", "two", "3"]}, index=[2, 3, 4])
    with pytest.raises(InputError, match="not numbers") as err:
        AddNoise("x").fit(df)
    assert err.value.row == 3
    with pytest.raises(InputError, match="not available"):
        AddNoise("income", method="ROMM").fit(big)
    with pytest.raises(InputError, match="no such column"):
        AddNoise("nope").fit(big)
