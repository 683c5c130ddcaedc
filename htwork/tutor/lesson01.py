"""Lesson 1, first steps: the checks, with answers computed from the extract the lesson reads."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from htwork.tutor.core import Check, Question, Quiz, Wrong


def exercises(df: pd.DataFrame) -> SimpleNamespace:
    """The checks of lesson 1 for the case table ``df`` (the input standard).

    Returns
    -------
    types.SimpleNamespace
        ``rows``, ``women``, ``no_phone``, ``top_destination`` (checks) and ``quiz``.
    """
    n = len(df)
    women = int((df["prs_Gender"] == "Female").sum())
    no_phone = df["prs_MobilePhone"].isna().mean() * 100
    dest = df["vic_CountryOfExploitation"].value_counts()
    origin = df["prs_Citizenship"].value_counts()
    return SimpleNamespace(
        rows=Check(
            "Exercise 1: how many records", n,
            wrong=[Wrong(df.shape[1], "that is the number of columns (fields), not of rows "
                                      "(records). Look at df.shape: rows come first."),
                   Wrong(n + 1, "the header line of the file is not a record: count rows of "
                                "the table, with len(df)."),
                   Wrong(int(df.index.max()), "you took the last row number. Row numbers "
                                              "start at 2, as in a spreadsheet: count with "
                                              "len(df).")],
            hint="len(df) counts the rows of a table."),
        women=Check(
            "Exercise 2: records of women", women,
            wrong=[Wrong(0, "no match: codes are exact. The standard writes 'Female', with a "
                            "capital F."),
                   Wrong(n - women, "that is everyone who is NOT recorded as female."),
                   Wrong(int((df["prs_Gender"] == "Male").sum()), "that is the number of men."),
                   Wrong(women / n * 100, "you gave a percentage; the question asks how many "
                                          "records.")],
            hint="compare the column prs_Gender with 'Female', then .sum() counts the Trues."),
        no_phone=Check(
            "Exercise 3: share with no phone number (%)", no_phone, tolerance=0.1,
            wrong=[Wrong(no_phone / 100, "you gave a proportion (between 0 and 1); multiply by "
                                         "100 for a percentage."),
                   Wrong(100 - no_phone, "that is the share WITH a phone number. Missing cells "
                                         "are the ones isna() marks True."),
                   Wrong(int(df["prs_MobilePhone"].isna().sum()),
                         "that is the number of records; divide by the number of rows and "
                         "multiply by 100 (or use .mean() * 100)."),
                   Wrong(df["prs_Email"].isna().mean() * 100, "that is the e-mail column.")],
            hint="isna() marks missing cells; .mean() of True/False is the share of Trues."),
        top_destination=Check(
            "Exercise 4: most common country of exploitation", dest.index[0],
            wrong=[Wrong(origin.index[0], "that is the most common citizenship (where people "
                                          "come from). The question asks where they were "
                                          "exploited: vic_CountryOfExploitation."),
                   Wrong(int(dest.iloc[0]), "that is how many records; the question asks "
                                            "which country (its two-letter code)."),
                   Wrong(dest.index[-1], "that is the least common one: value_counts() puts "
                                         "the most common first.")],
            hint="value_counts() on vic_CountryOfExploitation; the first row is the most "
                 "common."),
        quiz=Quiz("Questionnaire", [
            Question("In this table, what is one row?",
                     {"a": "one person", "b": "one case record (a registration)",
                      "c": "one agency"}, "b",
                     {"a": "not always: the same person can be registered twice, by two "
                           "agencies.",
                      "c": "an agency registers many cases; each row is one registration."}),
            Question("A cell is empty. What does that mean?",
                     {"a": "the answer is 'no'", "b": "the person refused",
                      "c": "nothing was recorded; we do not know why"}, "c",
                     {"a": "an empty cell is not 'no': it means nothing was recorded.",
                      "b": "we cannot tell: an empty cell only says nothing was recorded."}),
            Question("Which of these is safe to show on a training screen?",
                     {"a": "the count of records per country",
                      "b": "the first five rows with names and phone numbers",
                      "c": "the case notes of one person"}, "a",
                     {"b": "names and phone numbers identify people: show only what the "
                           "lesson needs.",
                      "c": "case notes name people and places: never show them for no "
                           "reason."}),
            Question("You run df[\"prs_gender\"] and get a long red message. Its last line "
                     "says KeyError: 'prs_gender'. What went wrong?",
                     {"a": "the table is damaged: read the file again",
                      "b": "no column has exactly that name: check the spelling and the "
                           "capitals (prs_Gender)",
                      "c": "the computer ran out of memory"}, "b",
                     {"a": "the table is fine: a KeyError names what Python could not find, "
                           "here a column.",
                      "c": "that would be a MemoryError. Read the last line: KeyError names a "
                           "column that does not exist."}),
            Question("A cell says NameError: name 'df' is not defined. What do you do?",
                     {"a": "run the cells above it first (Run → Run All Above Selected Cell): "
                           "df is made by an earlier cell",
                      "b": "install pandas again",
                      "c": "rename the table to something else"}, "a",
                     {"b": "pandas is there: a NameError means a name was never made in this "
                           "session, usually because a cell above was not run.",
                      "c": "the name is right; it just does not exist yet: run the cell that "
                           "makes it."}),
        ]),
    )
