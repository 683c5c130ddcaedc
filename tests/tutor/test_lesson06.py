"""Lesson 6's checks: identifiers, uniques, k-anonymity, local suppression, small cells."""

from __future__ import annotations

import pandas as pd
import pytest

from htwork.anonymise import LocalSuppression
from htwork.risk import frequencies
from htwork.tutor import lesson06
from tests.tutor.conftest import accepts, rejects

KEYS = lesson06.KEYS


@pytest.fixture(scope="module")
def d(cases):
    return lesson06.with_years(cases)


@pytest.fixture(scope="module")
def ex(d):
    return lesson06.exercises(d)


def test_direct_identifiers(ex):
    right = {"prs_FirstName", "prs_MobilePhone", "prs_IdentityDocumentNumber", "prs_Email"}
    accepts(ex.direct, right)
    accepts(ex.direct, sorted(right))
    rejects(ex.direct, right | {"prs_Birthdate"}, "quasi-identifier")
    rejects(ex.direct, {"prs_FirstName", "prs_IdentityDocumentNumber"}, "missing")


def test_uniques_by_hand(ex, d):
    complete = d.dropna(subset=KEYS)
    size = complete.groupby(KEYS)["prs_Gender"].transform("size")
    accepts(ex.uniques, (size == 1).sum())
    rejects(ex.uniques, complete.groupby(KEYS).ngroups, "combinations")
    rejects(ex.uniques, (size < 3).sum(), "exactly 1")


def test_k_anonymity(ex, d):
    accepts(ex.violations, frequencies(d, KEYS).violations(3))
    rejects(ex.violations, frequencies(d, KEYS).sample_uniques, "fk = 2")
    as_value = d.fillna({k: "?" for k in KEYS}).groupby(KEYS)["prs_Gender"].transform("size")
    rejects(ex.violations, (as_value < 3).sum(), "wildcard")


def test_local_suppression(ex, d):
    ls = LocalSuppression(KEYS, k=3).fit(d)
    accepts(ex.blanks, ls.suppressions_.sum())
    rejects(ex.blanks, ls.violations_before_, "records at risk")
    rejects(ex.blanks, ls.suppressions_.max(), "add all keys")
    assert frequencies(ls.transform(d), KEYS).violations(3) == 0


def test_small_cells_and_quiz(ex, d):
    t = pd.crosstab(d["prs_Citizenship"], d["prs_Gender"])
    accepts(ex.small_cells, ((t > 0) & (t < 3)).sum().sum())
    rejects(ex.small_cells, (t < 3).sum().sum(), "empty cells")
    rejects(ex.small_cells, (t == 1).sum().sum(), "2 is small too")
    accepts(ex.quiz, {1: "b", 2: "b", 3: "a"})
    rejects(ex.quiz, {1: "c", 2: "b", 3: "a"}, "password")


def test_second_part_of_exercise_4(ex, d):
    protected = LocalSuppression(KEYS, k=3).fit(d).transform(d)
    accepts(ex.still_at_risk, frequencies(protected, KEYS).violations(3))
    rejects(ex.still_at_risk, frequencies(d, KEYS).violations(3), "before suppression")
    rejects(ex.still_at_risk, LocalSuppression(KEYS, k=3).fit(d).total_suppressions_,
            "cells blanked")


def test_what_if_figures_match_a_direct_computation(d):
    f = lesson06.what_if_figures(d, list(lesson06.WHAT_IF_KEYS), 3, "year of birth")
    ls = LocalSuppression(KEYS, k=3).fit(d)
    assert f["at_risk_before"] == frequencies(d, KEYS).violations(3)
    assert f["cells_blanked"] == ls.total_suppressions_
    assert f["at_risk_after"] == 0
    assert f["global_risk_after"] < f["global_risk_before"]
    assert f["global_risk_before"] == pytest.approx(100 * (1 / frequencies(d, KEYS).fk).mean())


def test_what_if_coarser_age_fewer_keys_bigger_k(d):
    keys = list(lesson06.WHAT_IF_KEYS)
    risk = [lesson06.what_if_figures(d, keys, 3, age)["at_risk_before"]
            for age in ("year of birth", "5-year band of birth", "10-year band of birth")]
    assert risk[0] > risk[1] > risk[2]
    assert (lesson06.what_if_figures(d, ["sex", "citizenship"], 3)["at_risk_before"]
            < lesson06.what_if_figures(d, keys, 3)["at_risk_before"])
    assert (lesson06.what_if_figures(d, keys, 11)["cells_blanked"]
            > lesson06.what_if_figures(d, keys, 3)["cells_blanked"])
    with pytest.raises(ValueError):
        lesson06.what_if_figures(d, [], 3)
    with pytest.raises(ValueError):
        lesson06.recode_age(d, "by decade")


def test_recode_age_keeps_missing_and_bands(d):
    child = lesson06.recode_age(d, "child or adult")
    assert set(child.dropna()) == {"child", "adult"}
    assert child.isna().sum() == d["birth_year"].isna().sum()
    bands = lesson06.recode_age(d, "age band at registration").dropna()
    assert bands.isin(["0-8", "9-17", "18-20", "21-23", "24-26", "27-29", "30-38", "39-47",
                       "48+"]).all()


def test_what_if_widget_updates_when_a_control_changes(d):
    w = lesson06.what_if(d)
    first = dict(w.figures)
    assert "global risk" in w.result.value
    w.k.value = 5
    assert w.figures["at_risk_before"] > first["at_risk_before"]
    w.keys["year of registration"].value = False
    assert w.figures["at_risk_before"] < first["at_risk_before"]
    for box in w.keys.values():
        box.value = False
    assert w.figures == {} and "Tick at least one key" in w.result.value
    assert "application/vnd.jupyter.widget-view+json" in w._repr_mimebundle_()
