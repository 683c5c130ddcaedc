"""Lesson 10's checks: a shareable table, keyed pseudonyms, two keys, redacted notes."""

from __future__ import annotations

import pytest

from htwork.anonymise import Pseudonymiser, Redactor, detect_identifiers
from htwork.tutor import lesson10
from tests.tutor.conftest import accepts, rejects

# slow: every test shares keyed pseudonyms and redaction of 5,000 records
pytestmark = pytest.mark.slow

DOC = "prs_IdentityDocumentNumber"


@pytest.fixture(scope="module")
def lesson(cases):
    a = Pseudonymiser(bytes(range(32)), columns=[DOC], normalise="id").fit(cases)
    b = Pseudonymiser(bytes(range(1, 33)), columns=[DOC], normalise="id").fit(cases)
    with_a, with_b = a.transform(cases), b.transform(cases)
    redacted = Redactor().fit(cases).transform(cases)
    ex = lesson10.exercises(cases, with_a, with_a[DOC] == with_b[DOC], redacted)
    return ex, with_a, redacted


def test_shareable(lesson, cases):
    ex = lesson[0]
    found = detect_identifiers(cases)
    accepts(ex.shareable, cases.drop(columns=found.identifiers + found.free_text))
    rejects(ex.shareable, cases.drop(columns=found.identifiers), "case notes")
    rejects(ex.shareable, cases.drop(columns=found.free_text + ["prs_FirstName"]),
            "direct identifiers")
    rejects(ex.shareable, cases[["prs_Gender"]], "dropped columns")


def test_pseudonyms_link(lesson):
    ex, with_a, _ = lesson
    doc = with_a[DOC]
    accepts(ex.linked, doc.dropna().duplicated().sum())
    rejects(ex.linked, doc.dropna().duplicated(keep=False).sum(), "both registrations")
    rejects(ex.linked, doc.duplicated().sum(), "empty cells")
    accepts(ex.two_keys, False)
    rejects(ex.two_keys, True, "share one key")
    rejects(ex.two_keys, "no", "True or False")


def test_redacted_notes(lesson, cases):
    ex, _, redacted = lesson
    notes = redacted["cas_Notes"].dropna()
    has = notes.str.contains("[PHONE]", regex=False)
    accepts(ex.phones_in_notes, has.sum())
    rejects(ex.phones_in_notes, notes.str.contains("[", regex=False).sum(), "any redaction")
    rejects(ex.phones_in_notes, cases["prs_MobilePhone"].notna().sum(), "phone column")
    rejects(ex.phones_in_notes, (~has).sum(), "WITHOUT")
    accepts(ex.quiz, {1: "b", 2: "b", 3: "a"})
    rejects(ex.quiz, {1: "a", 2: "b", 3: "a"}, "test a phone number")
