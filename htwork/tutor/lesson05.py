"""Lesson 5, trends and corridors: change over time, origin -> destination flows, exploitation
by age, and why identified cases are not prevalence."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd

from htwork.core.numbers import to_numbers
from htwork.tutor.core import Check, Question, Quiz, Wrong, check_figure
from htwork.tutor.lesson04 import has_code


def corridor(answer) -> tuple[str, str] | None:
    """A corridor as ``(origin, destination)`` from a tuple, a list or text like 'MM->TH'."""
    if isinstance(answer, str):
        parts = [p for p in re.split(r"[^A-Za-z]+", answer) if p]
        return (parts[0].upper(), parts[1].upper()) if len(parts) == 2 else None
    if isinstance(answer, tuple | list | pd.Index) and len(answer) == 2:
        return (str(answer[0]).upper(), str(answer[1]).upper())
    return None


def corridors(df: pd.DataFrame, cross_border: bool = True) -> pd.Series:
    """Records per (citizenship, country of exploitation), most common first."""
    pairs = df[["prs_Citizenship", "vic_CountryOfExploitation"]].dropna()
    if cross_border:
        pairs = pairs[pairs.iloc[:, 0] != pairs.iloc[:, 1]]
    return pairs.value_counts()


def exercises(df: pd.DataFrame) -> SimpleNamespace:
    """The checks of lesson 5 for the case table ``df`` (the input standard)."""
    per_year = df["cas_RegistrationDate"].str[:4].value_counts()
    a, b = int(per_year.get("2021", 0)), int(per_year.get("2024", 0))
    change = (b - a) / a * 100 if a else float("nan")

    cross = corridors(df)
    every = corridors(df, cross_border=False)
    top = tuple(cross.index[0])
    same = tuple(every.index[0])

    age = to_numbers(df["vic_AgeWhenTrafficked"])
    sexual = has_code(df["vic_TypeOfExploitation"], "SexualExploitation")
    child = age < 18

    def share(mask: pd.Series, denominator_all: bool = False) -> float:
        s = sexual[mask]
        return float(s.fillna(False).sum() / (len(s) if denominator_all else s.notna().sum())
                     * 100)

    child_sex = share(child)
    return SimpleNamespace(
        growth=Check(
            "Exercise 1: change in records from 2021 to 2024 (%)", change, tolerance=0.1,
            wrong=[Wrong(b - a, "that is the difference in records. The question asks the "
                                "change in percent: divide it by the 2021 number, times 100."),
                   Wrong((b - a) / b * 100, "divide by the starting year (2021), not by 2024."),
                   Wrong(b / a * 100, "that is 2024 as a percentage of 2021; subtract 100 to "
                                      "get the change."),
                   Wrong(change / 100, "you gave a proportion; multiply by 100.")],
            hint="(records in 2024 - records in 2021) / records in 2021 * 100."),
        corridor=Check(
            "Exercise 2: most common cross-border corridor", top,
            compare=lambda ans, exp: corridor(ans) == exp,
            wrong=[Wrong(lambda ans: corridor(ans) == top[::-1],
                         "reversed: give the origin (citizenship) first, then the country "
                         "of exploitation."),
                   Wrong(lambda ans: corridor(ans) == same and same != top,
                         "that is people exploited in their own country. Keep rows where "
                         "the two countries differ."),
                   Wrong(lambda ans: corridor(ans) is None,
                         "give two country codes, e.g. ('KH', 'TH') or 'KH->TH'.")],
            hint="keep rows where prs_Citizenship differs from vic_CountryOfExploitation, then "
                 "value_counts() on the two columns together.", kind="corridor"),
        child_sexual=Check(
            "Exercise 3: children in sexual exploitation (%)", child_sex, tolerance=0.1,
            wrong=[Wrong(share(age <= 18), "18-year-olds are adults: a child is under 18 "
                                           "(age < 18)."),
                   Wrong(share(child, denominator_all=True),
                         "you divided by all children, also those with no type of "
                         "exploitation recorded; divide by those with an answer."),
                   Wrong(share(age >= 18), "that is adults; children are under 18."),
                   Wrong(share(pd.Series(True, index=df.index)),
                         "that is everyone; keep only children (age < 18).")],
            hint="make the age a number (pd.to_numeric), keep age < 18, then use "
                 "lesson04.has_code on vic_TypeOfExploitation."),
        figure=lambda ax: check_figure(ax, name="Exercise 4: a finished line chart",
                                       kind="line"),
        quiz=Quiz("Questionnaire", [
            Question("Records of scam-compound cases rose sharply after 2021. What can you "
                     "conclude?",
                     {"a": "trafficking into scam compounds rose by exactly that much",
                      "b": "more such cases were identified; the true number may have "
                           "changed differently",
                      "c": "nothing at all"}, "b",
                     {"a": "records count identified cases only: more raids, new hotlines or "
                           "more agencies also raise them.",
                      "c": "we learn something: how many cases agencies identified and "
                           "assisted."}),
            Question("What is prevalence?",
                     {"a": "the number of records in our database",
                      "b": "the number of people trafficked in a place and time, identified "
                           "or not",
                      "c": "the number of agencies that reported"}, "b",
                     {"a": "records cover only people who were identified and registered.",
                      "c": "agencies are not people; prevalence counts people."}),
            Question("Nearly all fishing cases in the table are men. Why be careful before "
                     "saying that women are rarely exploited in fishing?",
                     {"a": "agencies look where they expect victims (on boats, not in "
                           "processing plants), so some groups are found more easily",
                      "b": "the computer makes mistakes with sex",
                      "c": "there is no reason"}, "a",
                     {"b": "the data is what agencies recorded; the question is who they "
                           "reach.",
                      "c": "who gets identified depends on where agencies look."}),
        ]),
    )
