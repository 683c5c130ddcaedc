"""Lesson 2, why standards matter: checks on validation, a crosswalk and Buddhist-Era dates."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from htwork.standards import ValidationReport, validate
from htwork.tutor.core import Check, Question, Quiz, Wrong


def _fixed(original: pd.DataFrame):
    def compare(answer, expected) -> bool:
        return (isinstance(answer, pd.DataFrame) and len(answer) == len(original)
                and validate(answer).n_errors == expected)
    return compare


def exercises(typed: pd.DataFrame, report: ValidationReport) -> SimpleNamespace:
    """The checks of lesson 2's first part: ``n_errors`` and ``fixed``.

    Parameters
    ----------
    typed : the small hand-typed table of the lesson.
    report : ``validate(typed)``.
    """
    problems = report.problems
    return SimpleNamespace(
        n_errors=Check(
            "Exercise 1: errors in the typed table", report.n_errors,
            wrong=[Wrong(problems["row"].nunique(), "you counted rows with a problem; some "
                                                    "rows have more than one problem. Count "
                                                    "problems (report.n_errors)."),
                   Wrong(len(report.groups()), "you counted kinds of problem (one line per "
                                               "column and kind); count every problem."),
                   Wrong(problems["column"].nunique(), "you counted columns with a problem; "
                                                       "count every problem.")],
            hint="validate(typed) gives a report; report.n_errors counts its errors."),
        fixed=Check(
            "Exercise 2: a table that meets the standard", 0,
            compare=_fixed(typed),
            wrong=[Wrong(lambda a: isinstance(a, pd.DataFrame) and len(a) < len(typed),
                         "you removed records. Correct the values instead: every record "
                         "counts."),
                   Wrong(lambda a: isinstance(a, pd.DataFrame) and validate(a).n_errors > 0,
                         "validation still finds errors: run validate(fixed) and use the "
                         "suggestions ('did you mean ...').")],
            hint="copy the table (typed.copy()), change the bad cells with .loc[row, column], "
                 "then validate again.", kind="table"),
    )


def thai_exercises(df: pd.DataFrame, raw: pd.DataFrame, th: pd.DataFrame) -> SimpleNamespace:
    """The checks of lesson 2's second part: ``thai_2023``, ``thai_myanmar`` and ``quiz``.

    Parameters
    ----------
    df : the regional extract in the standard (``cases.csv``).
    raw : the Thai export as read, without its crosswalk (Thai headers, Buddhist-Era dates).
    th : the same file read through crosswalk ``th_cross_ministerial``.
    """
    year = th["cas_RegistrationDate"].str[:4]
    n2023 = int((year == "2023").sum())
    mm_th = int((th["prs_Citizenship"] == "MM").sum())
    header = th.attrs.get("htwork", {}).get("columns", {}).get("prs_Citizenship")
    raw_nat = raw[header] if header in raw.columns else pd.Series([], dtype=object)
    return SimpleNamespace(
        thai_2023=Check(
            "Exercise 3: Thai records registered in 2023", n2023,
            wrong=[Wrong(0, "no match: the Thai file writes years in the Buddhist Era. 2023 is "
                            "2566 BE. Use the table th, read through the crosswalk."),
                   Wrong(int((df["cas_RegistrationDate"].str[:4] == "2023").sum()),
                         "that is the regional table df. Count in the Thai table th."),
                   Wrong(int((year == "2022").sum()), "that is 2022: 2566 BE is 2023 "
                                                      "(2566 - 543).")],
            hint="th['cas_RegistrationDate'].str[:4] gives the year of each registration."),
        thai_myanmar=Check(
            "Exercise 4: Thai records of people from Myanmar", mm_th,
            wrong=[Wrong(int((raw_nat == "MM").sum()),
                         "no match: the Thai file writes nationality in Thai words. Use th, "
                         "where the crosswalk turned them into the code MM."),
                   Wrong(int((df["prs_Citizenship"] == "MM").sum()),
                         "that is the regional table df. Count in the Thai table th."),
                   Wrong(int((th["vic_CountryOfRecruitment"] == "MM").sum()),
                         "that is the country of recruitment. The question is about "
                         "citizenship (prs_Citizenship).")],
            hint="compare th['prs_Citizenship'] with 'MM' and sum."),
        quiz=Quiz("Questionnaire", [
            Question("Why do agencies agree on a data standard?",
                     {"a": "so their tables can be combined and compared",
                      "b": "so that every agency uses the same database software",
                      "c": "so that no field is ever empty"}, "a",
                     {"b": "a standard is about fields and codes, not software.",
                      "c": "empty cells are allowed; a standard says what a value must look "
                           "like when there is one."}),
            Question("An agency's export has its own column names, in Thai. What do you do?",
                     {"a": "rename the columns by hand each time",
                      "b": "write a crosswalk file once, and read every export through it",
                      "c": "ask the agency to change its database"}, "b",
                     {"a": "by hand is slow and error-prone; a crosswalk does it the same way "
                           "every time.",
                      "c": "not needed: a crosswalk maps their columns and codes to the "
                           "standard."}),
            Question("A Thai record says 15/03/2567. In which Gregorian year is that?",
                     {"a": "2567", "b": "2024", "c": "2023"}, "b",
                     {"a": "2567 is a Buddhist-Era year: subtract 543.",
                      "c": "2567 - 543 = 2024."}),
        ]),
    )
