"""Linkage uncertainty in the estimate."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from htwork.errors import InputError
from htwork.linkage import estimate_with_links, truth_by_record
from htwork.linkage.link import LinkResult, cluster_pairs
from htwork.prevalence import estimate


def _certain_linkage(sim, key, n_false=300, seed=0) -> LinkResult:
    """A linkage whose probabilities are all 0 or 1: every true pair at 1, random false pairs
    at 0."""
    truth = truth_by_record(sim.truth, key)
    lists = list(sim.lists)
    rows = []
    for _, g in truth.groupby("person"):
        recs = sorted(zip(g["list"], g["rid"], strict=True), key=lambda r: lists.index(r[0]))
        for i in range(len(recs)):
            for j in range(i + 1, len(recs)):
                rows.append((*recs[i], *recs[j], 1.0))
    rng = np.random.default_rng(seed)
    by_list = {n: truth.loc[truth["list"] == n] for n in lists}
    for _ in range(n_false):
        a, b = sorted(rng.choice(len(lists), 2, replace=False))
        ra = by_list[lists[a]].sample(1, random_state=int(rng.integers(1 << 30))).iloc[0]
        rb = by_list[lists[b]].sample(1, random_state=int(rng.integers(1 << 30))).iloc[0]
        if ra["person"] != rb["person"]:
            rows.append((ra["list"], ra["rid"], rb["list"], rb["rid"], 0.0))
    pairs = pd.DataFrame(rows, columns=["list_l", "rid_l", "list_r", "rid_r",
                                        "match_probability"]).drop_duplicates(
        ["list_l", "rid_l", "list_r", "rid_r"])
    pairs["match_weight"] = np.where(pairs["match_probability"] > 0, 30.0, -30.0)
    clusters, capture = cluster_pairs(truth[["list", "rid"]], pairs, 0.5, lists=lists)
    return LinkResult(pairs, clusters, capture, lists, {"threshold": 0.5, "engine": "test",
                                                         "records": {}})


@pytest.mark.parametrize("method", ["stepwise", "main", "bic"])
def test_zero_one_probabilities_reproduce_the_capture_table_estimate(sim, key, method):
    res = _certain_linkage(sim, key)
    assert res.capture == sim.true_capture_table()
    direct = estimate(sim.true_capture_table(), method)
    got = estimate_with_links(res, method=method, draws=25, seed=3)
    assert got.estimate == direct.estimate
    assert got.naive.estimate == direct.estimate
    assert (got.naive.ci_low, got.naive.ci_high) == (direct.ci_low, direct.ci_high)
    assert math.isclose(got.ci_low, direct.ci_low, rel_tol=1e-9)
    assert math.isclose(got.ci_high, direct.ci_high, rel_tol=1e-9)
    assert got.draws["estimate"].nunique() == 1


def test_uncertain_links_widen_the_interval(linked):
    res = estimate_with_links(linked, method="main", draws=60, seed=1)
    assert res.draws["observed"].nunique() > 1      # the draws really differ
    assert res.ci_low < res.estimate < res.ci_high
    # wider than the interval of a typical single clustering, and holding most draws
    width = res.ci_high - res.ci_low
    one_draw = (res.draws["ci_high"] - res.draws["ci_low"]).median()
    assert width > one_draw
    inside = res.draws["estimate"].between(res.ci_low, res.ci_high).mean()
    assert inside > 0.9
    again = estimate_with_links(linked, method="main", draws=60, seed=1)
    assert again.to_dict() == res.to_dict()
    d = res.to_dict()
    assert set(d) >= {"with_linkage_uncertainty", "ignoring_linkage_uncertainty"}
    assert "with linkage uncertainty" in res.summary()
    assert len(res.to_frame()) == 2


def test_threshold_scheme_and_bad_arguments(linked):
    res = estimate_with_links(linked, method="main", scheme="thresholds")
    assert len(res.draws) == 9 and res.seed is None
    with pytest.raises(InputError, match="method"):
        estimate_with_links(linked, method="lcm")
    with pytest.raises(InputError, match="draws"):
        estimate_with_links(linked, draws=0)
    with pytest.raises(InputError, match="scheme"):
        estimate_with_links(linked, scheme="bayes")
    with pytest.raises(InputError, match="links folder does not exist"):
        estimate_with_links("/nonexistent/links")
