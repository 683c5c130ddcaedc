"""Lesson 6, who could recognise this person: identifiers, quasi-identifiers, k-anonymity, local
suppression and small cells in published tables."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from htwork.anonymise import LocalSuppression
from htwork.risk import frequencies
from htwork.standards import load_standard
from htwork.tutor.core import Check, Question, Quiz, Wrong, _iterable

#: The columns exercise 1 asks about.
COLUMNS = ["prs_FirstName", "prs_MobilePhone", "prs_Gender", "prs_Birthdate",
           "prs_IdentityDocumentNumber", "vic_CountryOfExploitation", "prs_Email",
           "cas_RegistrationDate"]


def with_years(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with ``birth_year`` and ``registration_year`` (the lesson's coarser keys)."""
    return df.assign(birth_year=df["prs_Birthdate"].str[:4],
                     registration_year=df["cas_RegistrationDate"].str[:4])


#: The quasi-identifiers of the lesson.
KEYS = ["prs_Gender", "birth_year", "prs_Citizenship", "vic_CountryOfExploitation",
        "registration_year"]


def exercises(d: pd.DataFrame, k: int = 3) -> SimpleNamespace:
    """The checks of lesson 6 for ``d = with_years(df)``."""
    std = load_standard()
    direct = set(COLUMNS) & set(std.direct_identifiers)
    quasi = set(COLUMNS) & set(std.quasi_identifiers)

    complete = d.dropna(subset=KEYS)
    fc = frequencies(complete, KEYS)

    fr = frequencies(d, KEYS)
    hand_missing_as_value = int((d.fillna({c: "<missing>" for c in KEYS})
                                 .groupby(KEYS)[KEYS[0]].transform("size") < k).sum())

    ls = LocalSuppression(KEYS, k=k).fit(d)

    table = pd.crosstab(d["prs_Citizenship"], d["prs_Gender"])
    small = int(((table > 0) & (table < k)).to_numpy().sum())
    return SimpleNamespace(
        direct=Check(
            "Exercise 1: direct identifiers", direct,
            compare=lambda a, e: _iterable(a) and set(a) == e,
            wrong=[Wrong(lambda a: _iterable(a) and bool(set(a) & quasi),
                         "you included a quasi-identifier (such as the birth date or sex). "
                         "Alone it names nobody; it becomes dangerous only in combination. "
                         "Direct identifiers name or reach a person by themselves."),
                   Wrong(lambda a: _iterable(a) and set(a) < direct,
                         "some direct identifiers are missing: anything that reaches the "
                         "person (a phone number, an e-mail address) counts too.")],
            hint="which columns alone would let you name, call or find the person?",
            kind="set"),
        uniques=Check(
            "Exercise 2: records alone in their combination", fc.sample_uniques,
            wrong=[Wrong(fc.n_classes, "you counted combinations (groups). Count the records "
                                       "whose group has size 1."),
                   Wrong(fc.violations(k), f"that is every record in a group smaller than {k}; "
                                           "the question asks about groups of exactly 1."),
                   Wrong(len(complete),
                         "that is every complete record; keep those whose group size is 1.")],
            hint="groupby(KEYS) then transform('size') gives each record's group size; count "
                 "the 1s."),
        violations=Check(
            f"Exercise 3: records violating {k}-anonymity", fr.violations(k),
            wrong=[Wrong(fr.sample_uniques, f"that counts only records alone (fk = 1). "
                                            f"{k}-anonymity also fails for fk = 2."),
                   Wrong(hand_missing_as_value,
                         "you treated an empty cell as a value of its own. htwork counts an "
                         "empty cell as possibly matching anyone (a wildcard): use "
                         "frequencies(d, KEYS).violations(3)."),
                   Wrong(fr.violations(5), "that is 5-anonymity; the question asks k = 3.")],
            hint="frequencies(d, KEYS) gives a result with .violations(k)."),
        blanks=Check(
            "Exercise 4: cells blanked by local suppression", ls.total_suppressions_,
            wrong=[Wrong(ls.violations_before_,
                         "that is the number of records at risk before suppression. One "
                         "blank often protects several records: count the cells blanked "
                         "(total_suppressions_)."),
                   Wrong(int(ls.suppressions_.max()), "that is only the key blanked most; "
                                                      "add all keys."),
                   Wrong(ls.violations_after_, "that is the records still at risk after "
                                               "suppression (none).")],
            hint="fit LocalSuppression(KEYS, k=3) and read total_suppressions_."),
        small_cells=Check(
            "Exercise 5: small cells in the published table", small,
            wrong=[Wrong(int((table < k).to_numpy().sum()),
                         "you counted the empty cells (0) too. A 0 names nobody; the risky "
                         "cells are 1 and 2."),
                   Wrong(int((table == 1).to_numpy().sum()), "a cell of 2 is small too: two "
                                                              "people can recognise each "
                                                              "other."),
                   Wrong(int(table[(table > 0) & (table < k)].sum().sum()),
                         "that is the number of people in small cells; the question asks "
                         "how many cells.")],
            hint="cells with a count of 1 or 2: (table > 0) & (table < 3), then sum twice."),
        quiz=Quiz("Questionnaire", [
            Question("You removed names, phones and ID numbers. Is the table anonymous?",
                     {"a": "yes", "b": "not necessarily: sex, age, nationality, places and "
                                         "dates together can single a person out",
                      "c": "yes, if the file has a password"}, "b",
                     {"a": "quasi-identifiers in combination can still point to one "
                           "person.",
                      "c": "a password protects the file, not the people in a shared "
                           "table."}),
            Question("A published table shows 1 Lao woman exploited in Singapore in 2023. "
                     "Who could learn something?",
                     {"a": "nobody", "b": "her family, employer or community, who know "
                                         "she was there",
                      "c": "only the police"}, "b",
                     {"a": "anyone who knows of one Lao woman there learns she was "
                           "identified as a victim.",
                      "c": "anyone who knows her story can recognise her."}),
            Question("What does 3-anonymity mean?",
                     {"a": "every record shares its quasi-identifiers with at least 2 "
                           "others",
                      "b": "3 columns were removed",
                      "c": "3 % of records are at risk"}, "a",
                     {"b": "it is about group sizes, not columns.",
                      "c": "it is a rule about every record, not a percentage."}),
        ]),
    )
