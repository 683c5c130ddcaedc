"""The estimate corrected for missed links (:mod:`htwork.linkage.missed`)."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from htwork.errors import InputError
from htwork.linkage import (
    encode,
    estimate_with_linkage_errors,
    link,
    read_links,
    simulate_agency_lists,
    truth_by_record,
)
from htwork.linkage.evaluate import _pairs
from htwork.linkage.missed import _correct_table, _fit_rates, detachment_matrix
from htwork.linkage.true_pairs import true_pairs
from htwork.prevalence import CaptureTable, estimate


def test_detachment_matrix_counts_the_fragments():
    rates = np.array([0.1, 0.0, 0.3, 0.05])
    m = detachment_matrix(rates)
    for s in range(1, 16):
        members = [i for i in range(4) if s >> i & 1]
        # one person: the records kept together (unless all are cut off), plus each one cut off
        expected = 1 - np.prod(rates[members]) + rates[members].sum()
        assert m[:, s].sum() == pytest.approx(expected)
        assert all(m[t, s] == 0 for t in range(16) if t & s != t)     # only parts of s
    assert np.allclose(detachment_matrix(np.zeros(3))[1:, 1:], np.eye(7))


def test_correction_recovers_a_table_broken_at_random():
    """Cut records off a known table at known rates; the correction gives the table back."""
    rng = np.random.default_rng(5)
    true = np.r_[0, rng.integers(400, 3000, 15)]
    rates = np.array([0.04, 0.08, 0.02, 0.12])
    observed = np.zeros(16)
    for s in range(1, 16):
        members = np.array([i for i in range(4) if s >> i & 1])
        cut = rng.random((true[s], len(members))) < rates[members]
        for row in cut:
            core = sum(1 << i for i, c in zip(members, row, strict=True) if not c)
            if core:
                observed[core] += 1
            for i in members[row]:
                observed[1 << i] += 1
    assert np.abs(observed - true).max() > 150          # the breaking shows
    fixed = _correct_table(observed, rates)
    assert np.abs(fixed - true[1:]).max() < 60
    assert abs(fixed.sum() - true.sum()) < 60


def test_rates_fit_the_pairs_of_lists():
    rates = np.array([0.03, 0.1, 0.05])
    pairs = list(itertools.combinations(range(3), 2))
    missed = np.array([1 - (1 - rates[i]) * (1 - rates[j]) for i, j in pairs])
    assert np.allclose(_fit_rates(missed, pairs, 3), rates)
    # none missed: rates 0, never negative
    assert np.allclose(_fit_rates(np.array([0.0, -0.02, 0.0]), pairs, 3), 0.0)


@pytest.fixture(scope="module")
def bigger(key):
    """Lists of a population of 3,000 (about 5,300 records), linked."""
    sim = simulate_agency_lists(3000, seed=1)
    enc = [encode(df, key, name) for name, df in sim.lists.items()]
    return sim, link(enc, u_pairs=200_000)


def test_true_pairs_are_estimated_from_the_linkage(bigger, key):
    sim, res = bigger
    truth = truth_by_record(sim.truth, key)
    real = _pairs(truth, "person")
    stats = res.meta["missed_links"]
    for a, b in itertools.combinations(res.lists, 2):
        n_true = sum(1 for x, y in real if {x[0], y[0]} == {a, b})
        n, se = true_pairs(stats, a, b)
        assert 0 < se < 0.2
        assert abs(np.log(n / n_true)) < 3 * se + 0.02, (a, b, n, n_true)


def test_corrected_estimate_is_near_the_true_links(bigger):
    sim, res = bigger
    from_truth = estimate(sim.true_capture_table(), "stepwise").estimate
    got = estimate_with_linkage_errors(res, draws=40, seed=2)
    linked_err = abs(got.uncorrected.estimate / from_truth - 1)
    corrected_err = abs(got.estimate / from_truth - 1)
    assert linked_err > 0.1                      # missed links put the linkage's estimate high
    assert corrected_err < linked_err / 2
    assert got.ci_low <= got.estimate <= got.ci_high
    assert got.ci_low <= from_truth * 1.02
    assert (got.rates > 0).any() and (got.rates < 0.3).all()
    assert got.corrected.observed < got.uncorrected.observed   # fragments joined back
    d = json.loads(got.to_json())
    assert d["corrected_for_missed_links"]["estimate"] == pytest.approx(got.estimate)
    assert set(d["detachment_rates"]) == set(res.lists)
    assert "corrected for missed links" in got.summary()
    assert "corrected for missed links" in got._repr_html_()
    again = estimate_with_linkage_errors(res, draws=40, seed=2)
    assert (again.estimate, again.ci_low, again.ci_high) == (got.estimate, got.ci_low,
                                                             got.ci_high)


def test_the_counts_travel_with_the_links_folder(bigger, tmp_path):
    _, res = bigger
    res.save(tmp_path / "links")
    back = read_links(tmp_path / "links")
    assert back.meta["missed_links"] == json.loads(json.dumps(res.meta["missed_links"]))
    a = estimate_with_linkage_errors(res, draws=10, seed=0)
    b = estimate_with_linkage_errors(back, draws=10, seed=0)
    assert a.estimate == pytest.approx(b.estimate)


def test_an_older_linkage_or_bad_arguments_are_refused(linked):
    meta = {k: v for k, v in linked.meta.items() if k != "missed_links"}
    older = type(linked)(linked.pairs, linked.clusters, linked.capture, linked.lists, meta)
    with pytest.raises(InputError, match="older 'htwork link'"):
        estimate_with_linkage_errors(older)
    with pytest.raises(InputError, match="draws"):
        estimate_with_linkage_errors(linked, draws=0)
    with pytest.raises(InputError, match="cannot be used"):
        estimate_with_linkage_errors(linked, method="lcm")
    with pytest.raises(InputError, match="not used"):
        estimate_with_linkage_errors(linked, nboot=10)


def test_no_same_date_pair_is_a_clear_error(linked):
    stats = json.loads(json.dumps(linked.meta["missed_links"]))
    for rec in stats["pairs"]:
        rec["same_date_p"] = 0.0
    meta = dict(linked.meta, missed_links=stats)
    res = type(linked)(linked.pairs, linked.clusters, linked.capture, linked.lists, meta)
    with pytest.raises(InputError, match="no pair with the same birth date"):
        estimate_with_linkage_errors(res)


def test_capture_tables_stay_whole(linked):
    got = estimate_with_linkage_errors(linked, draws=5, seed=0)
    assert isinstance(got.corrected, CaptureTable)
    assert got.corrected.cell_counts.dtype.kind == "i"


def test_a_perfect_linkage_is_left_nearly_as_it_is(bigger, key):
    """Every true pair linked at probability 1 and nothing else: the counts find (almost) no
    link missed, and the estimate stays where the true links put it."""
    from htwork.linkage.link import _frames_for_engine, _mark_rare_names, cluster_pairs
    from htwork.linkage.true_pairs import missed_link_stats

    sim, res = bigger
    truth = truth_by_record(sim.truth, key)
    lists = list(sim.lists)
    rows = []
    for _, g in truth.groupby("person"):
        recs = sorted(zip(g["list"], g["rid"], strict=True), key=lambda r: lists.index(r[0]))
        rows += [(*recs[i], *recs[j], 1.0) for i in range(len(recs))
                 for j in range(i + 1, len(recs))]
    import pandas as pd

    pairs = pd.DataFrame(rows, columns=["list_l", "rid_l", "list_r", "rid_r",
                                        "match_probability"])
    pairs["match_weight"] = 30.0
    clusters, capture = cluster_pairs(truth[["list", "rid"]], pairs, 0.5, lists=lists)
    assert capture == sim.true_capture_table()
    enc = [encode(df, key, name) for name, df in sim.lists.items()]
    frames = _frames_for_engine(enc)
    _mark_rare_names(frames)
    meta = {"threshold": 0.5, "missed_links": missed_link_stats(frames, lists, pairs)}
    perfect = type(res)(pairs, clusters, capture, lists, meta)
    got = estimate_with_linkage_errors(perfect, draws=20, seed=0)
    assert (got.rates < 0.03).all()
    assert abs(got.estimate / got.uncorrected.estimate - 1) < 0.05
    assert got.pairs["expected_false"].sum() == 0
