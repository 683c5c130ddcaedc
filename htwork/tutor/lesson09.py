"""Lesson 9, automating a report: people, not registrations; hiding small counts; why one
hidden cell is not enough; the whole quarterly report in one call."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

from htwork.report import suppress_table
from htwork.report.people import link_people, prepare
from htwork.tutor.core import Check, Question, Quiz, Wrong, _series_close
from htwork.tutor.data import output_folder as _output_folder

#: Counts from 1 to THRESHOLD - 1 are hidden.
THRESHOLD = 10
AGE_GROUPS = ["Child (0-17)", "Adult (18+)", "Age not recorded"]


def with_person(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with ``person`` (records sharing an identity document number are one person)
    and ``quarter`` (of the registration, e.g. ``"2024Q3"``)."""
    person, _ = link_people(df)
    quarter = pd.to_datetime(df["cas_RegistrationDate"]).dt.to_period("Q").astype(str)
    return df.assign(person=person, quarter=quarter)


def people_in(df: pd.DataFrame, quarter: str) -> pd.DataFrame:
    """One row per person newly identified in ``quarter``: ``sex`` and ``age_group``."""
    people = prepare(df).people
    q = people[people["quarter"].astype(str) == quarter]
    age = pd.cut(q["age"], [0, 18, np.inf], right=False, labels=AGE_GROUPS[:2])
    return pd.DataFrame({"sex": q["sex"].to_numpy(),
                         "age_group": age.astype(object).fillna(AGE_GROUPS[2]).to_numpy()})


def sex_by_age(people: pd.DataFrame) -> pd.DataFrame:
    """People by sex (rows) and age group (columns), without totals."""
    table = pd.crosstab(people["sex"], people["age_group"])
    table = table.reindex(columns=[c for c in AGE_GROUPS if c in table.columns])
    table.index.name, table.columns.name = "Sex", "Age group"
    return table


def with_totals(table: pd.DataFrame) -> pd.DataFrame:
    """The table with a ``Total`` column and row."""
    out = table.copy()
    out["Total"] = out.sum(axis=1)
    out.loc["Total"] = out.sum(axis=0)
    return out


def hide_small(table: pd.DataFrame, threshold: int = THRESHOLD) -> pd.DataFrame:
    """The naive rule alone: every count from 1 to ``threshold - 1`` shown as ``x``."""
    small = (table > 0) & (table < threshold)
    return table.astype(object).mask(small, "x")


def output_folder(name: str) -> Path:
    """``out/<name>`` in the htwork folder (not shared; ``out/`` is never committed)."""
    return _output_folder(name)


def _row_with_one_hidden(naive: pd.DataFrame) -> str:
    for row in naive.index:
        if (naive.loc[row] == "x").sum() == 1:
            return str(row)
    raise ValueError("no row with exactly one hidden cell")


def _series(a: object, e: pd.Series) -> bool:
    return isinstance(a, pd.Series) and _series_close(a, e, 0)


def exercises(df: pd.DataFrame, quarter: str) -> SimpleNamespace:
    """The checks of lesson 9 for the case table ``df`` and ``quarter`` (e.g. ``"2024Q3"``)."""
    d = with_person(df)
    first = d.sort_values("cas_RegistrationDate", kind="stable").drop_duplicates("person")
    by_sex = first.loc[first["quarter"] == quarter, "prs_Gender"].value_counts()
    in_q = d[d["quarter"] == quarter]
    registrations = in_q["prs_Gender"].value_counts()
    everyone = first["prs_Gender"].value_counts()

    people = people_in(df, quarter)
    table = with_totals(sex_by_age(people))
    naive = hide_small(table)
    row = _row_with_one_hidden(naive)
    col = str(naive.columns[(naive.loc[row] == "x").to_numpy()][0])
    hidden = int(table[col][row])
    shown = [c for c in table.columns if c not in (col, "Total")]
    protected = suppress_table(sex_by_age(people), THRESHOLD)

    n_people = int(by_sex.sum())
    return SimpleNamespace(
        row=row,
        column=col,
        by_sex=Check(
            f"Exercise 1: people newly identified in {quarter}, by sex", by_sex,
            compare=_series, kind="table",
            wrong=[Wrong(lambda a: _series(a, registrations),
                         "you counted registrations. Some people in this quarter had already "
                         "been registered by another agency before: keep each person's first "
                         "registration over the whole extract (drop_duplicates on person), "
                         "then keep the quarter."),
                   Wrong(lambda a: _series(a, by_sex / n_people)
                         or _series(a, by_sex / n_people * 100),
                         "you gave shares; the question asks the number of people "
                         "(value_counts() without normalize)."),
                   Wrong(lambda a: _series(a, everyone),
                         "that is every person in the extract: keep only those whose first "
                         "registration is in the quarter.")],
            hint="sort by cas_RegistrationDate, drop_duplicates('person'), keep the quarter, "
                 "then value_counts() of prs_Gender."),
        recovered=Check(
            f"Exercise 2: the hidden count in the row {row!r}", hidden,
            wrong=[Wrong(int(table["Total"][row]),
                         "that is the row total. Subtract the cells that are shown in the row."),
                   Wrong(int(table["Total"][row] - table[shown[0]][row]),
                         "subtract every shown cell of the row, not only one."),
                   Wrong(int(table[col]["Total"]),
                         "that is the column total, which counts the other rows too. Use the "
                         "row total.")],
            hint=f"row total minus the shown cells: naive.loc[{row!r}, 'Total'] minus the "
                 "other numbers of that row."),
        hidden=Check(
            "Exercise 3: cells hidden by suppress_table", protected.n_suppressed,
            wrong=[Wrong(protected.n_primary,
                         "those are only the small counts (primary). Count also the cells "
                         "hidden to protect them (n_secondary)."),
                   Wrong(protected.n_secondary,
                         "those are only the cells hidden to protect the small ones; add the "
                         "small counts themselves (n_primary)."),
                   Wrong(int((naive == "x").to_numpy().sum()),
                         "that is the naive table's x's. suppress_table hides more: read "
                         "n_suppressed of its result.")],
            hint="protected = suppress_table(...); then protected.n_suppressed (or "
                 "n_primary + n_secondary)."),
        people=Check(
            f"Exercise 4: people newly identified in {quarter}, from the report", n_people,
            wrong=[Wrong(int(len(in_q)),
                         "that is the number of registrations in the quarter: a person "
                         "registered twice counts twice. Read 'People newly identified'."),
                   Wrong(int(len(df)), "that is every record of the extract."),
                   Wrong(int(len(first)), "that is every person in the whole extract; the "
                                          "report is about one quarter.")],
            hint="report.headline['People newly identified']."),
        quiz=Quiz("Questionnaire", [
            Question("A woman was registered by an NGO in June and by the police in August. "
                     "In the report of people newly identified in July-September she counts",
                     {"a": "once, in July-September", "b": "not at all: she was first "
                                                          "identified in April-June",
                      "c": "twice"}, "b",
                     {"a": "she was already counted in the quarter of her first registration "
                           "(June).",
                      "c": "a person is counted once, in the quarter of her first "
                           "registration."}),
            Question("A table hides every count under 10 but shows the row totals. One row has "
                     "a single hidden cell. Is it protected?",
                     {"a": "yes, it shows x", "b": "no: the total minus the other cells of "
                                                   "the row gives it back",
                      "c": "yes, if the total is large"}, "b",
                     {"a": "subtraction from the row total gives it back (exercise 2).",
                      "c": "the size of the total does not matter: the subtraction is exact."}),
            Question("What does secondary (complementary) suppression hide?",
                     {"a": "the small counts",
                      "b": "other cells, chosen so that the small counts cannot be worked out",
                      "c": "the names of the people in the table"}, "b",
                     {"a": "that is primary suppression.",
                      "c": "a table of counts has no names; both kinds hide counts."}),
            Question("Why are zeros shown?",
                     {"a": "a zero names nobody", "b": "zeros are always data errors",
                      "c": "to make the table look full"}, "a",
                     {"b": "zeros are often true: nobody of that group was identified.",
                      "c": "it is about protecting people, not about looks."}),
        ]),
    )
