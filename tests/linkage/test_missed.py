"""The estimate corrected for missed links (:mod:`htwork.linkage.missed`)."""

from __future__ import annotations

import dataclasses
import itertools
import json

import numpy as np
import pandas as pd
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
from htwork.linkage.missed import _restored_pairs, merged_table
from htwork.linkage.true_pairs import true_pairs
from htwork.prevalence import CaptureTable, estimate


def test_a_merge_moves_its_weight_to_the_union():
    observed = np.zeros(16)
    observed[[1, 2, 14, 15]] = [100, 80, 50, 10]
    # half of the people seen on list 0 alone are the people seen on lists 1-3
    out = merged_table(observed, np.array([1, 1]), np.array([14, 2]), np.array([20.0, 5.0]))
    assert out[1] == 75 and out[14] == 30 and out[15] == 30
    assert out[2] == 75 and out[3] == 5
    # each record stays on its list: list totals do not change
    for i in range(4):
        on = [p for p in range(16) if p >> i & 1]
        assert out[on].sum() == pytest.approx(observed[on].sum())
    # and each merge makes one person of two
    assert out.sum() == pytest.approx(observed.sum() - 25)


def test_restored_pairs_count_the_pairs_across_a_merge():
    pairs = list(itertools.combinations(range(4), 2))
    got = _restored_pairs(np.array([1, 3]), np.array([14, 4]), pairs)
    # {0} with {1,2,3}: pairs 0-1, 0-2, 0-3; {0,1} with {2}: pairs 0-2, 1-2
    assert got[:, 0].tolist() == [1, 1, 1, 0, 0, 0]
    assert got[:, 1].tolist() == [0, 1, 0, 1, 0, 0]


@pytest.fixture(scope="module")
def bigger(key):
    """Lists of a population of 6,000 (about 10,600 records), linked as ``htwork link`` does
    (the u probabilities from 2 million random pairs: the sums of probabilities the correction
    rests on need them; from 200,000 they ran 10% high)."""
    sim = simulate_agency_lists(6000, seed=1)
    enc = [encode(df, key, name) for name, df in sim.lists.items()]
    return sim, link(enc)


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
    assert got.merges > 0 and got.candidates > got.merges and got.scale > 0
    assert (got.pairs["restored"] > 0).all()
    assert got.corrected.observed < got.uncorrected.observed   # fragments joined back
    d = json.loads(got.to_json())
    assert d["corrected_for_missed_links"]["estimate"] == pytest.approx(got.estimate)
    assert len(d["pairs_of_lists"]) == 6
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
    """Every true pair linked at probability 1 and nothing else: no pair of clusters is left to
    join, and the estimate stays where the true links put it."""
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
    assert got.candidates == 0          # no scored pair is left between two clusters
    assert got.estimate == got.uncorrected.estimate
    assert got.pairs["expected_false"].sum() == 0


def test_small_lists_are_warned_about(linked):
    got = estimate_with_linkage_errors(linked, draws=5, seed=0)
    assert got.pairs["true_pairs"].min() < 1000
    assert any("noisy at this size" in w for w in got.warnings)


def test_name_coincidence_counts_the_names_a_list_holds_twice():
    from htwork.linkage.link import name_coincidence

    a = pd.DataFrame({"h_name": ["x", "x", "y", "z"]})
    b = pd.DataFrame({"h_name": ["x", "y", "w", "w", None]})
    # list a: 4 named records, 1 pair sharing a name; list b: 4, 1 pair; cross pairs sharing a
    # name: x (2 * 1) + y (1 * 1) = 3; expected by coincidence 4 * 4 * (1/16 + 1/16) = 2
    assert name_coincidence([a, b]) == pytest.approx(2 / 3)
    assert np.isnan(name_coincidence([a[a["h_name"] == "z"], b]))


def test_name_coincidence_is_near_the_truth(bigger, key):
    from htwork.linkage.link import _frames_for_engine, name_coincidence

    sim, res = bigger
    enc = [encode(df, key, name) for name, df in sim.lists.items()]
    frames = _frames_for_engine(enc)
    truth = truth_by_record(sim.truth, key).set_index(["list", "rid"])["person"]
    shared = different = 0
    for (fa, la), (fb, lb) in itertools.combinations(zip(frames, res.lists, strict=True), 2):
        m = (fa[["rid", "h_name"]].dropna().merge(fb[["rid", "h_name"]].dropna(), on="h_name"))
        pa = truth.loc[la].reindex(m["rid_x"].astype(str)).to_numpy()
        pb = truth.loc[lb].reindex(m["rid_y"].astype(str)).to_numpy()
        shared += len(m)
        different += int((pa != pb).sum())
    got = name_coincidence(frames)
    assert got == pytest.approx(different / shared, abs=0.05)
    assert res.meta["name_coincidence"] == pytest.approx(got, abs=1e-4)


def test_lists_where_names_coincide_are_warned_about(bigger):
    from htwork.linkage.link import NAME_COINCIDENCE_WARN, coincidence_warning

    _, res = bigger
    assert res.meta["name_coincidence"] < NAME_COINCIDENCE_WARN
    assert coincidence_warning(res.meta["name_coincidence"]) is None
    assert coincidence_warning(None) is None
    crowded = dataclasses.replace(res, meta={**res.meta, "name_coincidence": 0.95})
    got = estimate_with_linkage_errors(crowded, draws=5, seed=0)
    assert any("95% of the pairs" in w and "runs low" in w for w in got.warnings)


def test_a_link_without_rivals_gains_and_rivals_lose():
    from htwork.linkage.missed import one_to_one_probabilities

    # records 0, 1 on list 0; 2, 3, 4 on list 1. 0-2 alone; 1-3 and 1-4 rivals for record 1
    node_list = np.array([0, 0, 1, 1, 1])
    left, right = np.array([0, 1, 1]), np.array([2, 3, 4])
    prob = np.array([0.6, 0.6, 0.6])
    got = one_to_one_probabilities(node_list, left, right, prob)
    assert got[0] > 0.6                        # no rival: stronger than its probability
    assert got[1] == pytest.approx(got[2]) and got[1] < 0.5   # one of two at most is true
    assert ((got >= 0) & (got <= 1)).all()
    # a certain link stays certain, an impossible one impossible
    sure = one_to_one_probabilities(node_list, left, right, np.array([1.0, 1.0, 0.0]))
    assert sure[0] == pytest.approx(1.0) and sure[2] == pytest.approx(0.0, abs=1e-9)


def test_false_joins_are_counted_near_the_truth(bigger, key):
    # the correction subtracts the false pairs the clusters hold from the pairs linked
    from htwork.linkage.cluster import cluster_joins
    from htwork.linkage.link import _nodes, edge_arrays
    from htwork.linkage.missed import one_to_one_probabilities

    sim, res = bigger
    recs = _nodes(res.clusters, res.lists)
    left, right, prob, order = edge_arrays(recs, res.pairs)
    node_list = recs["list_no"].to_numpy()
    _, joins = cluster_joins(node_list, left, right, prob >= res.threshold, order)
    person = truth_by_record(sim.truth, key).set_index(["list", "rid"])["person"]
    person = person.reindex(pd.MultiIndex.from_arrays([recs["list"], recs["rid"]])).to_numpy()
    false = int((person[left[joins.link]] != person[right[joins.link]]).sum())
    adjusted = one_to_one_probabilities(node_list, left, right, prob)[joins.link]
    assert false > 20
    assert abs((1 - adjusted).sum() / false - 1) < 0.5, ((1 - adjusted).sum(), false)
