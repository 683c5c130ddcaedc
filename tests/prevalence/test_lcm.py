"""Bayesian latent-class model (LCMCR): seeded, converges, recovers N under heterogeneity."""

from __future__ import annotations

import numpy as np
import pytest

from htwork.prevalence import estimate, fit_lcm, simulate_lists
from htwork.prevalence.lcm import effective_sample_size, split_rhat


@pytest.fixture(scope="module")
def hetero():
    return simulate_lists(2000, [0.2, 0.3, 0.25, 0.15], heterogeneity=1.0, seed=5)


@pytest.fixture(scope="module")
def lcm_fit(hetero):
    return fit_lcm(hetero.table, seed=1, burnin=1000, samples=500, thinning=4, chains=3)


@pytest.mark.slow
def test_recovers_population_under_heterogeneity(hetero, lcm_fit):
    r = lcm_fit.result()
    assert r.ci_low <= hetero.true_size <= r.ci_high
    # the independence model misses the heterogeneity badly; the latent classes do better
    main = estimate(hetero.table, "main")
    assert abs(r.estimate - 2000) < abs(main.estimate - 2000)
    assert "credible" in r.interval_kind
    assert lcm_fit.draws.shape == (3, 500)
    # short chains for a fast test: R-hat is reported, and a warning is given above 1.05
    assert np.isfinite(lcm_fit.rhat) and lcm_fit.rhat < 1.5
    assert (lcm_fit.rhat >= 1.05 or lcm_fit.ess < 200) == bool(r.warnings)


def test_seeded(hetero):
    a = fit_lcm(hetero.table, seed=7, burnin=50, samples=20, thinning=1, chains=2)
    b = fit_lcm(hetero.table, seed=7, burnin=50, samples=20, thinning=1, chains=2)
    np.testing.assert_array_equal(a.draws, b.draws)


def test_diagnostics_on_known_draws():
    rng = np.random.default_rng(0)
    iid = rng.normal(size=(4, 1000))
    assert split_rhat(iid) == pytest.approx(1.0, abs=0.01)
    assert 2500 < effective_sample_size(iid) <= 4500
    shifted = iid + np.arange(4)[:, None]
    assert split_rhat(shifted) > 1.5
    ar = np.zeros((2, 2000))
    for t in range(1, 2000):
        ar[:, t] = 0.9 * ar[:, t - 1] + rng.normal(size=2)
    assert effective_sample_size(ar) < 600
