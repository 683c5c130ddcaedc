"""How the linkage learns the m probabilities of the birth date (:mod:`htwork.linkage.link`)."""

from __future__ import annotations

import numpy as np
import pytest

from htwork.linkage.link import DOB_M_FLOOR, DOB_MIN_PAIRS, dob_m_from_block

# u of the birth-date levels, most similar first (same date ... dates differ), as on the
# simulated lists
U = np.array([6.2e-05, 1.8e-05, 1.2e-04, 1.8e-03, 4.5e-03, 2.07e-02, 5.26e-02, 9.2e-01])
U = U / U.sum()
M = np.array([0.79, 0.012, 0.032, 0.0, 0.156, 0.0, 0.004, 0.006])
M = M / M.sum()


@pytest.mark.parametrize("lam", [0.95, 0.85, 0.6])
def test_the_dates_of_different_people_are_taken_out(lam):
    counts = 100_000 * (lam * M + (1 - lam) * U)
    m = dob_m_from_block(counts, U)
    # the level "dates differ" is the anchor: the share of matches is set so that it is as
    # small as the dates allow, which puts its m at the floor (6/1000 of the matches in truth
    # here), and every other level within a point of the truth
    assert m is not None and m.sum() == pytest.approx(1.0)
    assert m[-1] < 0.01
    np.testing.assert_allclose(m[:-1], M[:-1], atol=0.01)
    # with the name weighed in (every pair a match), m of "dates differ" would be the block's
    # share, far above the truth when many are different people
    naive = counts / counts.sum()
    assert naive[-1] > (1 - lam) * 0.9


def test_no_level_is_zero():
    m = dob_m_from_block(np.array([90.0, 0, 0, 0, 10, 0, 0, 0]), U)
    assert m is not None and (m >= DOB_M_FLOOR * 0.99).all()


def test_too_few_pairs_keep_the_starting_values():
    warnings: list[str] = []
    assert dob_m_from_block(np.full(8, 1.0), U, warnings) is None
    assert dob_m_from_block(None, U, warnings) is None
    assert len(warnings) == 2 and str(DOB_MIN_PAIRS) in warnings[0]


def test_linked_lists_keep_dates_that_differ_for_different_people(linked):
    # on the simulated lists true pairs almost never give birth years two or more apart
    comp = next(c for c in linked.meta["model"]["comparisons"] if c["output_column_name"] == "dob")
    levels = [lev for lev in comp["comparison_levels"] if not lev.get("is_null_level")]
    differ = levels[-1]
    assert differ["label_for_charts"] == "dates differ"
    assert differ["m_probability"] < 0.01
    assert levels[0]["m_probability"] > 0.5


# name levels, most similar first: same name no list holds twice, same name, Dice bands, differ
W_NAME = np.array([0.0, 3e-5, 7e-5, 9e-4, 5.1e-3, 2.11e-2, 8.99e-2, 0.0])
W_NAME[-1] = 1 - W_NAME.sum()
M_NAME = np.array([0.285, 0.461, 0.043, 0.135, 0.038, 0.020, 0.011, 0.007])


@pytest.mark.parametrize("lam", [0.15, 0.07])
def test_name_m_when_most_pairs_born_the_same_day_are_different_people(lam):
    from htwork.linkage.link import name_m_from_block

    n = 3_000_000
    block = {"name": n * (lam * M_NAME + (1 - lam) * W_NAME),
             "sex": n * np.array([lam * 1.0 + (1 - lam) * 0.506, (1 - lam) * 0.494])}
    within = {"name": 500_000 * W_NAME, "sex": 500_000 * np.array([0.506, 0.494])}
    em = M_NAME.copy()
    em[-1] = 0.0125                    # EM's value of "names differ" is kept as it is
    m = name_m_from_block(block, within, em)
    assert m is not None and m.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(m[:-1], M_NAME[:-1] / (1 + 0.0125 - 0.007), rtol=0.02)
    assert m[-1] == pytest.approx(0.0125 / (1 + 0.0125 - 0.007), rel=0.02)


def test_name_m_needs_enough_pairs_and_few_matches_among_them():
    from htwork.linkage.link import name_m_from_block

    lam, n = 0.37, 3_000_000         # as on four lists of 12,000: EM's m are kept
    block = {"name": n * (lam * M_NAME + (1 - lam) * W_NAME),
             "sex": n * np.array([lam + (1 - lam) * 0.506, (1 - lam) * 0.494])}
    within = {"name": 500_000 * W_NAME, "sex": 500_000 * np.array([0.506, 0.494])}
    assert name_m_from_block(block, within, M_NAME) is None

    small = {"name": np.full(8, 10.0), "sex": np.array([50.0, 30.0])}
    assert name_m_from_block(small, small, M_NAME) is None
    assert name_m_from_block(None, None, M_NAME) is None


def test_splinks_unseen_level_lines_are_said_once_by_htwork(caplog):
    # splink logs a line of its own for each level EM's pairs never show; htwork keeps the
    # labels for one warning of its own and lets every other line through
    import logging

    from htwork.linkage.link import _UnseenLevels

    logger = logging.getLogger("splink.internals.expectation_maximisation")
    found: list[str] = []
    catch = _UnseenLevels(found)
    logger.addFilter(catch)
    try:
        with caplog.at_level(logging.WARNING, logger="splink"):
            for _ in range(2):
                logger.warning("WARNING:\nLevel Dice >= 0.94 on comparison name not observed in "
                               "dataset, unable to train m value\n")
            logger.warning("something else")
    finally:
        logger.removeFilter(catch)
    assert found == ["name: Dice >= 0.94"]
    said = [r.getMessage() for r in caplog.records]
    assert said == ["something else"]


def test_a_linkage_prints_no_splink_line_for_unseen_levels(encoded, caplog):
    import logging

    from htwork.linkage import link

    with caplog.at_level(logging.WARNING, logger="splink"):
        res = link(encoded)
    assert not [r for r in caplog.records if "unable to train m value" in r.getMessage()]
    unseen = [w for w in res.meta["warnings"] if "keep their starting m" in w]
    assert len(unseen) == 1 and "name: Dice >= " in unseen[0]   # small lists leave some unseen
