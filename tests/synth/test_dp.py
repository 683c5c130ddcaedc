"""Differential privacy: the zCDP accounting and the DP synthesizer's ledger."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from htwork.synth import accounting as acc
from htwork.synth.dp import DPSynthesizer, DPWarning, release_domain


@pytest.mark.parametrize("eps,delta", [(0.1, 1e-6), (1.0, 1e-9), (1.0, 1e-6), (5.0, 1e-9)])
def test_rho_from_eps_delta_is_valid_and_tight(eps, delta):
    rho = acc.cdp_rho(eps, delta)
    # the conversion holds at the rho returned, fails just above it
    assert acc.cdp_delta(rho, eps) <= delta * (1 + 1e-9)
    assert acc.cdp_delta(rho * 1.01, eps) > delta
    # tighter than (and so larger than) the classic bound, which must also be valid
    classic = acc.classic_rho(eps, delta)
    assert classic < rho
    assert acc.cdp_delta(classic, eps) <= delta
    assert abs(acc.cdp_eps(rho, delta) - eps) < 1e-6


def test_known_value_and_monotone():
    # rho-zCDP with rho = 0.5 gives delta(eps) falling with eps
    d = [acc.cdp_delta(0.5, e) for e in (1, 2, 4, 8)]
    assert all(a > b for a, b in zip(d, d[1:], strict=False))
    # the classic bound's eps always covers the CKS one
    rho, delta = 0.1, 1e-6
    assert acc.cdp_eps(rho, delta) <= rho + 2 * math.sqrt(rho * math.log(1 / delta))
    assert acc.cdp_delta(0.0, 1.0) == 0.0


def test_mechanism_formulas():
    assert acc.gaussian_rho(acc.gaussian_sigma(0.02, 3.0), 3.0) == pytest.approx(0.02)
    assert acc.exponential_rho(acc.exponential_eps(0.01)) == pytest.approx(0.01)
    assert acc.gaussian_sigma(0.5) == pytest.approx(1.0)


def test_ledger_refuses_to_overspend():
    ledger = acc.Ledger(0.1)
    ledger.spend(0.06, "a")
    with pytest.raises(ValueError, match="budget exceeded"):
        ledger.spend(0.05, "b")
    ledger.spend(0.04, "c")
    assert ledger.spent == pytest.approx(0.1)


def test_dp_synthesizer_spends_exactly_its_budget(cases):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DPWarning)
        syn = DPSynthesizer(epsilon=1.0, delta=1e-9, budget_split=(0.2, 0.1, 0.7)).fit(cases)
    p = syn.privacy_
    d = len(syn.dp_nodes_)  # a person enters each node's marginal once
    assert d < cases.shape[1]  # the typeOfLabour flags are one question node
    assert sorted(j for node in syn.dp_nodes_ for j in node) == list(range(cases.shape[1]))
    assert p["rho"] == pytest.approx(acc.cdp_rho(1.0, 1e-9))
    steps = p["ledger"]["steps"]
    assert math.fsum(s["rho"] for s in steps) == pytest.approx(p["rho"], rel=1e-9)
    one_way, two_way = steps[0], steps[-1]
    assert one_way["sensitivity"] == pytest.approx(math.sqrt(d))
    assert acc.gaussian_rho(one_way["sigma"], one_way["sensitivity"]) == pytest.approx(
        0.2 * p["rho"])
    assert two_way["marginals"] == d - 1 == len(syn.tree_)
    assert acc.gaussian_rho(two_way["sigma"], two_way["sensitivity"]) == pytest.approx(
        0.7 * p["rho"])
    rounds = [s for s in steps if s["mechanism"] == "exponential"]
    assert len(rounds) == d - 1
    assert math.fsum(acc.exponential_rho(s["epsilon"]) for s in rounds) == pytest.approx(
        0.1 * p["rho"])


@pytest.mark.slow
def test_dp_warns_when_categories_come_from_the_data(cases):
    with pytest.warns(DPWarning, match="yearOfRegistration"):
        DPSynthesizer(epsilon=1.0, domain=release_domain(cases.columns)).fit(cases)
    domain = {c: sorted(cases[c].dropna().unique().tolist()) for c in cases.columns}
    with warnings.catch_warnings():
        warnings.simplefilter("error", DPWarning)
        syn = DPSynthesizer(epsilon=1.0, domain=domain).fit(cases)
    assert syn.privacy_["categories_protected"]


@pytest.mark.slow
def test_dp_noise_is_fresh_and_scales_with_epsilon(cases, monkeypatch):
    # In use, fit draws its measurement noise from a generator it never seeds (fresh OS
    # entropy, never stored). Here every generator made without a seed gets ``noise[0]``, so
    # that the test is repeatable and each "fresh" draw is a different, known seed.
    noise = [0]
    default_rng = np.random.default_rng
    monkeypatch.setattr(np.random, "default_rng",
                        lambda seed=None: default_rng(noise[0] if seed is None else seed))
    domain = {c: sorted(cases[c].dropna().unique().tolist()) for c in cases.columns}

    def fit(eps: float, noise_seed: int) -> DPSynthesizer:
        noise[0] = noise_seed
        return DPSynthesizer(epsilon=eps, domain=domain).fit(cases)

    def error(eps: float, noise_seed: int) -> float:
        out = fit(eps, noise_seed).sample(len(cases), seed=0)
        a = cases["citizenship"].value_counts(normalize=True)
        b = out["citizenship"].value_counts(normalize=True).reindex(a.index, fill_value=0)
        return float((a - b).abs().sum())

    # more privacy, more noise: the error of a marginal grows as epsilon shrinks
    assert np.mean([error(0.05, k) for k in (1, 2, 3)]) > np.mean(
        [error(20.0, k) for k in (1, 2, 3)])
    # the noise is fresh on every fit: the same data, epsilon and sampling seed give another
    # table with other noise, and the same table with the same noise (nothing else is random)
    a = fit(1.0, 1).sample(300, seed=1)
    assert not a.equals(fit(1.0, 2).sample(300, seed=1))
    assert a.equals(fit(1.0, 1).sample(300, seed=1))


def test_bad_epsilon(cases):
    with pytest.raises(ValueError, match="epsilon"):
        DPSynthesizer(epsilon=0).fit(cases)
    with pytest.raises(ValueError, match="delta"):
        acc.cdp_rho(1.0, 0.0)


@pytest.mark.slow
def test_refinement_spends_its_shares_and_is_counted(cases):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DPWarning)
        syn = DPSynthesizer(epsilon=1.0, delta=1e-9, refine=4,
                            budget_split=(0.15, 0.1, 0.4, 0.05, 0.3)).fit(cases)
    p = syn.privacy_
    steps = p["ledger"]["steps"]
    assert math.fsum(s["rho"] for s in steps) == pytest.approx(p["rho"], rel=1e-9)
    picks = [s for s in steps if s["what"].startswith("pair selection")]
    pairs = [s for s in steps if s["what"].startswith("pair marginal")]
    assert len(picks) == len(pairs) == 4 == len(syn.refined_)
    assert math.fsum(acc.exponential_rho(s["epsilon"]) for s in picks) == pytest.approx(
        0.05 * p["rho"])
    assert math.fsum(acc.gaussian_rho(s["sigma"], s["sensitivity"]) for s in pairs) == (
        pytest.approx(0.3 * p["rho"]))
    assert all(s["sensitivity"] == 1.0 for s in picks + pairs)
    network = [s for s in steps if s["what"] == "marginals of the network"][0]
    assert acc.gaussian_rho(network["sigma"], network["sensitivity"]) == pytest.approx(
        0.4 * p["rho"])


def test_refinement_off_gives_its_budget_to_the_network(cases):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DPWarning)
        syn = DPSynthesizer(epsilon=1.0, refine=0).fit(cases)
    steps = syn.privacy_["ledger"]["steps"]
    assert not any(s["what"].startswith("pair") for s in steps)
    assert syn.refined_ == []  # the network's own tables are still the sampling targets
    assert sorted(len(scope) > 1 for scope, _ in syn.rake_) == [True] * len(syn.tree_)
    network = [s for s in steps if s["what"] == "marginals of the network"][0]
    # default shares (0.15, 0.1, 0.4, 0.05, 0.3): the last two join the network's 0.4
    assert acc.gaussian_rho(network["sigma"], network["sensitivity"]) == pytest.approx(
        0.75 * syn.privacy_["rho"])
    with pytest.raises(ValueError, match="last two shares"):
        DPSynthesizer(refine=3, budget_split=(0.2, 0.1, 0.7, 0.0, 0.0)).fit(cases)
    with pytest.raises(ValueError, match="refine"):
        DPSynthesizer(refine=-1).fit(cases)


@pytest.mark.slow
def test_refined_pairs_match_the_data_when_noise_is_small(cases):
    # at a huge epsilon the noise is negligible: the raked rows must reproduce every refined
    # pair's table closely (a broken rake or target would leave the network's error)
    domain = {c: sorted(cases[c].dropna().unique().tolist()) for c in cases.columns}
    syn = DPSynthesizer(epsilon=1e4, domain=domain, refine=4).fit(cases)
    out = syn.sample(40_000, seed=0)  # many rows: little sampling noise of our own
    free = DPSynthesizer(epsilon=1e4, domain=domain, refine=0).fit(cases)
    base = free.sample(40_000, seed=0)
    names = {syn._node_name(k): syn.dp_nodes_[k] for k in range(len(syn.dp_nodes_))}
    cols = list(cases.columns)

    def tvd(a: pd.DataFrame, b: pd.DataFrame, x: list[str]) -> float:
        pa = a[x].astype(str).value_counts(normalize=True)
        pb = b[x].astype(str).value_counts(normalize=True)
        return float(pa.sub(pb, fill_value=0).abs().sum() / 2)

    errors, before = [], []
    for a, b in syn.refined_:
        x = [cols[j] for j in (*names[a], *names[b])]
        errors.append(tvd(cases, out, x))
        before.append(tvd(cases, base, x))
    assert max(errors) < 0.03, errors  # 0.004-0.017 here
    assert np.mean(errors) < np.mean(before) / 2  # the network alone: 0.04-0.07


def test_rake_fits_consistent_targets_and_skips_impossible_ones():
    from htwork.synth.dp import _rake, _target

    rng = np.random.default_rng(0)
    rows = rng.integers(0, 3, size=(5000, 2))
    keys = {(0,): rows[:, 0], (1,): rows[:, 1], (0, 1): rows[:, 0] * 3 + rows[:, 1]}
    joint = np.array([0.3, 0.0, 0.1, 0.1, 0.2, 0.0, 0.05, 0.05, 0.2])
    targets = {(0, 1): joint, (0,): joint.reshape(3, 3).sum(1)}
    w = _rake(keys, targets, np.full(len(rows), 1 / len(rows)))
    got = np.bincount(keys[(0, 1)], weights=w, minlength=9)
    np.testing.assert_allclose(got, joint, atol=1e-9)
    impossible = {(0,): np.array([0.0, 0.0, 0.0, 1.0])}  # a cell no row is in
    w2 = _rake({(0,): rows[:, 0]}, impossible, np.full(len(rows), 1 / len(rows)))
    assert np.isclose(w2.sum(), 1) and np.allclose(w2, 1 / len(rows))
    assert _target(np.array([-5.0, 2.0, 30.0, 50.0]), 10.0).tolist() == [0, 0, 0.375, 0.625]
    assert _target(np.array([-5.0, 2.0]), 10.0) is None


def test_rare_values_are_drawn_back_by_their_count_above_two_sigma():
    syn = DPSynthesizer()
    sigma = 10.0
    y = np.array([500.0, 25.0, 12.0, -3.0, 19.0, 28.0])  # kept, then rare values below 3 sigma
    syn._compress([y], sigma)
    (kept, _), (rare, cdf) = syn.expand_[0]
    assert kept.tolist() == [0] and rare.tolist() == [1, 2, 3, 4, 5]
    weights = np.diff(np.concatenate([[0.0], cdf]))
    np.testing.assert_allclose(weights, [5 / 13, 0, 0, 0, 8 / 13])  # 25 - 20, 28 - 20
    syn._compress([np.array([500.0, 15.0, 5.0, -2.0])], sigma)  # none above 2 sigma
    weights = np.diff(np.concatenate([[0.0], syn.expand_[0][-1][1]]))
    np.testing.assert_allclose(weights, [0.75, 0.25, 0])  # by the noisy count, as before
