"""BCa bootstrap with model re-selection: seeded, identical across process counts, labelled."""

from __future__ import annotations

import numpy as np
import pytest

from htwork.prevalence import bca_interval, bootstrap_selection, estimate
from htwork.prevalence.bootstrap import jackknife_acceleration


def test_bca_reduces_to_percentile_without_bias_or_acceleration():
    reps = np.random.default_rng(0).normal(100, 10, size=4001)
    lo, hi, z0 = bca_interval(reps, float(np.median(reps)), 0.0, 0.95)
    assert abs(z0) < 1e-3
    assert lo == pytest.approx(np.quantile(reps, 0.025), rel=1e-3)
    assert hi == pytest.approx(np.quantile(reps, 0.975), rel=1e-3)


def test_acceleration_formula():
    jack = np.array([10.0, 12.0, 9.0])
    w = np.array([2.0, 1.0, 3.0])
    d = (w * jack).sum() / w.sum() - jack
    expected = (w * d ** 3).sum() / (6 * (w * d ** 2).sum() ** 1.5)
    assert jackknife_acceleration(jack, w) == pytest.approx(expected)


@pytest.mark.slow
def test_seeded_and_process_count_independent(uk):
    a = bootstrap_selection(uk, "stepwise", {"pthresh": 0.02}, nboot=40, seed=5, n_jobs=1,
                            progress=False)
    b = bootstrap_selection(uk, "stepwise", {"pthresh": 0.02}, nboot=40, seed=5, n_jobs=2,
                            progress=False)
    np.testing.assert_array_equal(a.replicates, b.replicates)
    np.testing.assert_array_equal(a.jackknife, b.jackknife)
    assert a.jackknife.size == 18  # one delete-one estimate per observed pattern
    assert (a.ci_low, a.ci_high) == (b.ci_low, b.ci_high)
    c = bootstrap_selection(uk, "stepwise", {"pthresh": 0.02}, nboot=40, seed=6, n_jobs=1,
                            progress=False)
    assert not np.array_equal(a.replicates, c.replicates)


def test_model_aware_interval_is_labelled_and_wider(uk):
    cond = estimate(uk, "stepwise")
    aware = estimate(uk, "stepwise", nboot=60, seed=1, n_jobs=2)
    assert "model-aware" in aware.interval_kind and "every replicate" in aware.interval_kind
    assert "conditional" in cond.interval_kind
    assert aware.estimate == cond.estimate
    assert aware.ci_low < aware.estimate < aware.ci_high
    assert aware.ci_high - aware.ci_low > cond.ci_high - cond.ci_low
    assert aware.to_dict()["nboot"] == 60
