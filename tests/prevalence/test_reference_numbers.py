"""The published numbers of issue 6 (SparseMSE 2.0.1 and MultipleSystemsEstimation on UK 2013).

Reproduced to 0.1% (in fact to the printed decimal).
"""

from __future__ import annotations

import pytest

from htwork.prevalence import Design, estimate, exhaustive, fit_loglinear, stepwise

REL = 1e-3


def close(a: float, b: float) -> bool:
    return abs(a - b) <= REL * abs(b)


def test_uk_table_as_published(uk):
    assert uk.lists == ("LA", "NG", "PFNCA", "GO", "GP")
    assert uk.observed == 2744
    assert uk.count("10000") == 54 and uk.count("11110") == 1
    assert uk.non_overlapping_pairs() == [("LA", "GP")]


def test_stepwise_sparsemse(uk):
    r = estimate(uk, "stepwise", pthresh=0.02)
    assert close(r.estimate, 11313.0)
    assert close(r.ci_low, 9884.4) and close(r.ci_high, 13027.4)
    assert round(r.estimate, 1) == 11313.0
    assert (round(r.ci_low, 1), round(r.ci_high, 1)) == (9884.4, 13027.4)
    # terms in the order SparseMSE adds them
    sel = stepwise(Design.of(uk), 0.02)
    added = [step["added"] for step in sel.path if step["added"]]
    assert added == ["LA:NG", "NG:GP", "PFNCA:GP", "LA:PFNCA", "GO:GP", "NG:GO"]
    assert sorted(r.model) == sorted(added)
    assert r.checks["code"] == 0
    assert "conditional" in r.interval_kind


def test_main_effects(uk):
    r = estimate(uk, "main")
    assert (round(r.estimate, 1), round(r.ci_low, 1), round(r.ci_high, 1)) == (
        13444.1, 11985.2, 15133.4)


def test_best_bic_two_list_terms(uk):
    sel = exhaustive(Design.of(uk), "bic", max_order=2)
    assert sel.fit.model.hierarchy() == "[12,13,23,25,34]"
    assert round(sel.fit.estimate, 1) == 22991.3
    table = sel.table()
    assert len(table) == 1024  # every two-list model passes the checks on this table
    assert table.best["hierarchy"] == "[12,13,23,25,34]"


@pytest.mark.parametrize("max_order", [3, None])
@pytest.mark.slow
def test_best_bic_all_orders(uk, max_order):
    sel = exhaustive(Design.of(uk), "bic", max_order=max_order)
    assert sel.fit.model.hierarchy() == "[123,25,34]"
    assert round(sel.fit.estimate, 1) == 25311.3


@pytest.mark.slow
def test_cli_default_bic_matches_mse_package(uk):
    r = estimate(uk, "bic")  # max order 3 for five lists, as MultipleSystemsEstimation
    assert r.hierarchy == "[123,25,34]"
    assert close(r.estimate, 25311.3)
    assert "LA:NG:PFNCA" in r.model


def test_artificial_three_lists(artificial):
    full = fit_loglinear(artificial, ["A:B", "A:C", "B:C"])
    assert full.check.code == 2 and not full.check.identifiable
    assert full.check.minus_infinity == ("A:C", "B:C")
    assert full.estimate != full.estimate  # NaN: never a silent number
    for model in (["A:B"], ["A:B", "A:C"], ["A:B", "B:C"]):
        f = fit_loglinear(artificial, model)
        assert not f.check.exists, model
        assert f.check.code in (1, 3)
    assert fit_loglinear(artificial, ["A:B"]).check.code == 1
    ok = fit_loglinear(artificial, ["A:C", "B:C"])
    assert ok.check.code == 0 and ok.ok
    assert ok.check.minus_infinity == ("A:C", "B:C")
    assert ok.estimate == pytest.approx(296.0)


def test_check_messages_in_words(artificial):
    f = fit_loglinear(artificial, ["A:B", "A:C", "B:C"])
    assert "not identifiable" in f.check.message
    assert "does not exist" in fit_loglinear(artificial, ["A:B"]).check.message
    r = estimate(artificial, "fixed", model=["A:B"])
    assert r.checks["code"] == 1
    assert any("cannot be used" in w for w in r.warnings)
