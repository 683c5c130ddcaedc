"""Closed-form estimators checked against hand computation."""

from __future__ import annotations

import math

import pytest

from htwork.errors import InputError
from htwork.prevalence import CaptureTable, chao_lower_bound, chapman, estimate, lincoln_petersen

Z = 1.959963984540054


@pytest.fixture
def two():
    # n1 = 50 on A, n2 = 40 on B, m = 10 on both, 80 observed
    return CaptureTable.from_dict({"10": 40, "01": 30, "11": 10}, lists=["A", "B"])


def _lognormal(n, est, var):
    f0 = est - n
    c = math.exp(Z * math.sqrt(math.log(1 + var / f0 ** 2)))
    return n + f0 / c, n + f0 * c


def test_lincoln_petersen_by_hand(two):
    r = lincoln_petersen(two)
    assert r.estimate == pytest.approx(50 * 40 / 10)  # 200
    var = 50 * 40 * 40 * 30 / 10 ** 3  # 2400
    lo, hi = _lognormal(80, 200, var)
    assert (r.ci_low, r.ci_high) == pytest.approx((lo, hi))
    assert round(r.ci_low, 1) == 135.6 and round(r.ci_high, 1) == 339.0
    # equals the independence log-linear model
    assert estimate(two, "main").estimate == pytest.approx(200.0)


def test_chapman_by_hand(two):
    r = chapman(two)
    assert r.estimate == pytest.approx(51 * 41 / 11 - 1)  # 189.09
    var = 51 * 41 * 40 * 30 / (11 ** 2 * 12)
    assert (r.ci_low, r.ci_high) == pytest.approx(_lognormal(80, 51 * 41 / 11 - 1, var))


def test_chao_lower_bound_by_hand(two):
    r = chao_lower_bound(two)
    assert r.estimate == pytest.approx(80 + 70 ** 2 / (2 * 10))  # 325


def test_no_overlap_is_explicit():
    t = CaptureTable.from_dict({"10": 40, "01": 30}, lists=["A", "B"])
    r = lincoln_petersen(t)
    assert math.isinf(r.estimate)
    assert any("do not overlap" in w for w in r.warnings)
    assert chapman(t).estimate == pytest.approx(41 * 31 - 1)


def test_two_of_many_lists(uk):
    r = lincoln_petersen(uk, lists=("NG", "PFNCA"))
    assert r.extra["n1"] == 567 and r.extra["n2"] == 1169 and r.extra["overlap"] == 68
    assert any("left out" in w for w in r.warnings)
    with pytest.raises(InputError, match="two lists"):
        lincoln_petersen(uk)
