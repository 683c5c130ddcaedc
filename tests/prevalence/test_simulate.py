"""The list simulator: seeded, and estimators recover the known population size."""

from __future__ import annotations

import numpy as np
import pytest

from htwork.errors import InputError
from htwork.prevalence import estimate, simulate_lists


def test_seeded_and_exact_probabilities():
    a = simulate_lists(5000, [0.2, 0.3, 0.25], seed=1)
    b = simulate_lists(5000, [0.2, 0.3, 0.25], seed=1)
    assert a.table == b.table
    assert a.true_size == 5000 and a.unobserved + a.table.observed == 5000
    big = simulate_lists(400000, [0.2, 0.3, 0.25], seed=2)
    tot = big.table.list_totals() / 400000
    np.testing.assert_allclose(tot.to_numpy(), [0.2, 0.3, 0.25], atol=0.004)


def test_dependence_and_heterogeneity_move_overlaps():
    base = simulate_lists(50000, [0.2, 0.2, 0.2], seed=3).table
    dep = simulate_lists(50000, [0.2, 0.2, 0.2], dependence={"A:B": 1.0}, seed=3).table
    assert dep.margin(["A", "B"]) > 1.5 * base.margin(["A", "B"])
    het = simulate_lists(50000, [0.2, 0.2, 0.2], heterogeneity=1.5, seed=3).table
    assert het.margin(["A", "C"]) / het.observed > base.margin(["A", "C"]) / base.observed


def test_main_effects_interval_covers_truth_most_of_the_time():
    hits = 0
    runs = 40
    for seed in range(runs):
        sim = simulate_lists(1000, [0.2, 0.3, 0.25], seed=seed)
        r = estimate(sim.table, "main")
        hits += r.ci_low <= sim.true_size <= r.ci_high
    assert hits >= 0.85 * runs


def test_stepwise_recovers_n_with_dependence():
    errs = []
    for seed in range(20):
        sim = simulate_lists(3000, [0.25, 0.3, 0.2, 0.15], dependence={"A:B": 1.0}, seed=seed)
        errs.append(estimate(sim.table, "stepwise").estimate / 3000 - 1)
    assert abs(np.median(errs)) < 0.1


def test_bad_settings():
    with pytest.raises(InputError):
        simulate_lists(100, [0.2])
    with pytest.raises(InputError):
        simulate_lists(100, [0.2, 1.2])
    with pytest.raises(InputError, match="unknown"):
        simulate_lists(100, [0.2, 0.3], dependence={"A:Z": 1.0})


def test_coverage_study_small():
    from htwork.prevalence.coverage import Scenario, coverage_study

    sc = [Scenario("indep", 1500, (0.2, 0.25, 0.3))]
    table = coverage_study(sc, replicates=8, seed=3)
    assert set(table["method"]) >= {"main effects", "stepwise (conditional)"}
    row = table[table["method"] == "main effects"].iloc[0]
    assert row["coverage"] >= 0.75 and abs(row["median_rel_error"]) < 0.05
    assert (table["failed"] == 0).all()
