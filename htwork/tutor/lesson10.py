"""Lesson 10, everyday data security: what to share, keyed pseudonyms, redacting case notes."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from htwork.anonymise import detect_identifiers
from htwork.tutor.core import Check, Question, Quiz, Wrong


def _columns(a) -> set[str] | None:
    return set(map(str, a.columns)) if isinstance(a, pd.DataFrame) else None


def exercises(df: pd.DataFrame, pseudonymised: pd.DataFrame, same_under_two_keys: pd.Series,
              redacted: pd.DataFrame) -> SimpleNamespace:
    """The checks of lesson 10.

    Parameters
    ----------
    df : the extract (input standard).
    pseudonymised : ``df`` with document numbers replaced by keyed pseudonyms (key A).
    same_under_two_keys : per record, whether key A and key B gave the same pseudonym.
    redacted : ``df`` with its case notes redacted.
    """
    found = detect_identifiers(df)
    remove = set(found.identifiers) | set(found.free_text)
    keep = set(df.columns) - remove

    doc = pseudonymised["prs_IdentityDocumentNumber"]
    second = int(doc.dropna().duplicated().sum())

    notes = redacted["cas_Notes"].dropna()
    with_phone = int(notes.str.contains("[PHONE]", regex=False).sum())
    return SimpleNamespace(
        shareable=Check(
            "Exercise 1: a table to share for counting", keep,
            compare=lambda a, e: _columns(a) == e,
            wrong=[Wrong(lambda a: (c := _columns(a)) is not None
                         and bool(c & set(found.free_text)),
                         "the case notes are still there. Notes name people, places and "
                         "phone numbers: drop them (or redact them, section 4)."),
                   Wrong(lambda a: (c := _columns(a)) is not None
                         and bool(c & set(found.identifiers)),
                         "some direct identifiers are still there: drop every column "
                         "detect_identifiers lists in .identifiers."),
                   Wrong(lambda a: (c := _columns(a)) is not None and c < keep,
                         "you dropped columns the partner needs for counting (sex, age, "
                         "places...). Drop only identifiers and free text.")],
            hint="df.drop(columns=found.identifiers + found.free_text).", kind="table"),
        linked=Check(
            "Exercise 2: second registrations found with pseudonyms", second,
            wrong=[Wrong(int(doc.dropna().duplicated(keep=False).sum()),
                         "you counted both registrations of each person; count only the "
                         "second ones (as in lesson 3)."),
                   Wrong(int(doc.duplicated().sum()), "empty cells are not a match: dropna "
                                                      "first.")],
            hint="the pseudonyms link like the numbers did: dropna(), then duplicated()."),
        two_keys=Check(
            "Exercise 3: same pseudonym under two keys?", bool(same_under_two_keys.any()),
            wrong=[Wrong(not bool(same_under_two_keys.any()),
                         "look at the comparison again: different keys give unrelated "
                         "pseudonyms. Agencies that want to link must share one key, and "
                         "keep it secret."),
                   Wrong(lambda a: not isinstance(a, bool),
                         "answer True or False (no quotes).")],
            hint="(pseudonyms with key A == pseudonyms with key B).any()", kind="bool"),
        phones_in_notes=Check(
            "Exercise 4: notes in which a phone number was redacted", with_phone,
            wrong=[Wrong(int(notes.str.contains("[", regex=False).sum()),
                         "you counted every note with any redaction (names too). Count the "
                         "ones with [PHONE]."),
                   Wrong(int(df["prs_MobilePhone"].notna().sum()),
                         "that is the phone column. The question is about the case notes."),
                   Wrong(len(notes) - with_phone,
                         "that is the notes WITHOUT a phone number; count those that contain "
                         "[PHONE].")],
            hint="redacted['cas_Notes'].str.contains('[PHONE]', regex=False), then sum."),
        quiz=Quiz("Questionnaire", [
            Question("Where do you keep the key of a pseudonymiser?",
                     {"a": "in the same folder as the shared data, so partners can use it",
                      "b": "outside the shared data, where only people who must link "
                           "records can reach it",
                      "c": "in the notebook, so it is never lost"}, "b",
                     {"a": "with the key, anyone can test a phone number and find the "
                           "person's pseudonym.",
                      "c": "notebooks get shared and copied; the key leaks with them."}),
            Question("A partner asks for 'the data'. What do you send first?",
                     {"a": "the full extract, with a password on the zip file",
                      "b": "the counts or the table they need, without identifiers and "
                           "notes, after checking small cells",
                      "c": "the extract by e-mail, because e-mail is private"}, "b",
                     {"a": "send only what they need: a password does not make full records "
                           "necessary.",
                      "c": "e-mail is copied to many servers and inboxes; it is not a safe "
                           "place for case records."}),
            Question("Why is a plain hash (e.g. SHA-256) of a phone number not safe?",
                     {"a": "anyone can hash every possible phone number and look the result "
                           "up",
                      "b": "it is too slow",
                      "c": "it is safe"}, "a",
                     {"b": "speed is the problem the other way: hashing is so fast that all "
                           "numbers can be tried.",
                      "c": "phone numbers are few enough to try them all; only a secret key "
                           "stops that."}),
        ]),
    )
