"""u from random pairs, with the true matches among them taken out."""

from __future__ import annotations

import numpy as np
import pytest

from htwork.linkage._levels import correct_u


def test_correct_u_takes_the_expected_matches_out():
    # three levels, most similar first: matches are most of the rarest level's share
    u_true = np.array([1e-4, 0.05, 0.9499])
    m = np.array([0.7, 0.25, 0.05])
    prior = 4e-4
    share = prior * m + (1 - prior) * u_true
    got = correct_u({"name": share}, {"name": m}, prior)["name"]
    np.testing.assert_allclose(got, u_true / u_true.sum(), rtol=1e-9)
    assert share[0] / got[0] > 3      # the raw share overstated u of the rarest level


def test_correct_u_never_reaches_zero():
    share = np.array([1e-4, 0.2, 0.7999])
    m = np.array([0.9, 0.05, 0.05])   # more matches expected than the share holds
    got = correct_u({"dob": share}, {"dob": m}, 1e-3, floor=0.02)["dob"]
    assert (got > 0).all() and got.sum() == pytest.approx(1)
    # the rarest level is held at 2% of its share (before the renormalisation)
    rest = (share[1:] - 1e-3 * m[1:]) / (1 - 1e-3)
    assert got[0] == pytest.approx(0.02 * share[0] / (0.02 * share[0] + rest.sum()))
