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
