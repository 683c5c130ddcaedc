"""Lesson 3, cleaning: placeholders for missing values, day-first and Buddhist-Era dates,
spelling variants, second registrations of the same person."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from htwork.io import parse_dates
from htwork.tutor.core import Check, Question, Quiz, Wrong

#: What staff type in a cell when nothing is known (the lesson's list).
PLACEHOLDERS = ("-", "n/a", "na", "unknown", "?", "ไม่ทราบ")


def is_placeholder(values: pd.Series) -> pd.Series:
    """True where a cell holds a placeholder meaning 'nothing recorded'."""
    return values.astype("string").str.strip().str.lower().isin(PLACEHOLDERS).fillna(False)


def normalise_place(values: pd.Series) -> pd.Series:
    """Place names without case, spaces or hyphens ('Mae-Sot ' -> 'maesot')."""
    return values.astype("string").str.lower().str.replace(r"[\s\-]+", "", regex=True)


def exercises(ages: pd.Series, kh_dates: pd.Series, th_births: pd.Series, places: pd.Series,
              df: pd.DataFrame) -> SimpleNamespace:
    """The checks of lesson 3.

    Parameters
    ----------
    ages : the age column with placeholders typed in some empty cells.
    kh_dates : registration dates of the Cambodian export as written (dd/mm/yyyy).
    th_births : birth dates of the Thai export as written (dd/mm/25xx, Buddhist Era).
    places : the hand-typed place names of the lesson.
    df : the regional extract (for second registrations by document number).
    """
    placeholder = is_placeholder(ages)
    no_age = int((ages.isna() | placeholder).sum())

    def month3(dayfirst: bool) -> int:
        iso = parse_dates(kh_dates, dayfirst=dayfirst).values
        return int((iso.str[5:7] == "03").sum())

    march = month3(True)
    births = parse_dates(th_births, calendar="buddhist").values.dropna()
    median_year = float(births.str[:4].astype(int).median())

    cleaned = normalise_place(places)
    simple = places.astype("string").str.strip().str.lower()

    doc = df["prs_IdentityDocumentNumber"]
    second = int(doc.dropna().duplicated().sum())
    return SimpleNamespace(
        no_age=Check(
            "Exercise 1: records with no age recorded", no_age,
            wrong=[Wrong(int(ages.isna().sum()), "you counted only the empty cells. '-', 'N/A', "
                                                 "'unknown' and the like also mean nothing "
                                                 "was recorded."),
                   Wrong(int(placeholder.sum()), "you counted only the placeholders; empty "
                                                 "cells are missing too."),
                   Wrong(len(ages) - no_age, "that is the number of records WITH an age.")],
            hint="count empty cells (isna) and cells holding a placeholder, together."),
        march=Check(
            "Exercise 2: Cambodian registrations in March", march,
            wrong=[Wrong(month3(False), "you read the dates month first (the US way). In "
                                        "Cambodia 03/01/2018 is 3 January: day first "
                                        "(dayfirst=True)."),
                   Wrong(int((kh_dates.astype("string").str[3:5] == "01").sum()),
                         "that is January; March is month 03.")],
            hint="parse_dates(kh_dates).values gives ISO dates (YYYY-MM-DD); the month is "
                 "characters 5 to 7."),
        birth_year=Check(
            "Exercise 3: median birth year in the Thai file", median_year, tolerance=0.5,
            wrong=[Wrong(median_year + 543, "that is a Buddhist-Era year: read the dates with "
                                            "calendar='buddhist' (or subtract 543)."),
                   Wrong(lambda a: a != a, "you got NaN (not a number): the dates did not "
                                           "parse. Read them with calendar='buddhist'.")],
            hint="parse_dates(th_births, calendar='buddhist'), then take the year and its "
                 "median."),
        places=Check(
            "Exercise 4: different places after cleaning", int(cleaned.nunique()),
            wrong=[Wrong(int(places.nunique()), "you counted spelling variants as different "
                                                "places. Clean the names first."),
                   Wrong(int(simple.nunique()), "better, but 'Mae Sot' and 'Mae-Sot' still "
                                                "differ: remove spaces and hyphens too.")],
            hint="lower-case the names and remove spaces and hyphens, then nunique()."),
        second=Check(
            "Exercise 5: second registrations found by document number", second,
            wrong=[Wrong(int(doc.dropna().duplicated(keep=False).sum()),
                         "you counted both registrations of each person. Count only the "
                         "second ones: duplicated() marks all but the first."),
                   Wrong(int(doc.duplicated().sum()), "empty cells are not a match: drop the "
                                                      "missing document numbers first "
                                                      "(dropna)."),
                   Wrong(len(df) - second, "that is the number of records left after "
                                           "removing second registrations.")],
            hint="keep the non-empty document numbers (dropna), then count duplicated()."),
        quiz=Quiz("Questionnaire", [
            Question("A cell says 'N/A'. What is it?",
                     {"a": "a value, like any other", "b": "a missing value in disguise",
                      "c": "a code of the standard"}, "b",
                     {"a": "it means nothing was recorded: treat it as missing.",
                      "c": "the standard has no 'N/A' code; empty means missing."}),
            Question("How is 4 May 2023 written day first?",
                     {"a": "04/05/2023", "b": "05/04/2023", "c": "2023-04-05"}, "a",
                     {"b": "that is month first (the US way).",
                      "c": "that is 5 April 2023, written year first."}),
            Question("Two agencies registered the same person. What happens if you count "
                     "rows?",
                     {"a": "nothing: rows are people",
                      "b": "you count that person twice: more people than there really are",
                      "c": "the person disappears"}, "b",
                     {"a": "rows are registrations; one person can have several.",
                      "c": "no, the person is counted twice."}),
        ]),
    )
