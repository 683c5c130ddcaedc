"""Lesson 4, describing: the right denominator for multi-select fields, cross-tabulations,
a finished chart."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from htwork.tutor.core import Check, Question, Quiz, Wrong, check_figure


def has_code(values: pd.Series, code: str) -> pd.Series:
    """True where a multi-select cell (codes joined by ';') holds ``code``; NA where empty."""
    return (values.str.split(";").map(lambda items: code in items, na_action="ignore")
            .astype("boolean"))


def method_shares(methods: pd.Series) -> pd.Series:
    """Percentage of people with each method of control, among those with any recorded."""
    ticks = methods.dropna().str.split(";").explode().value_counts()
    return ticks / methods.notna().sum() * 100


def exercises(df: pd.DataFrame) -> SimpleNamespace:
    """The checks of lesson 4 for the case table ``df`` (the input standard)."""
    types = df["vic_TypeOfExploitation"]
    answered = types.notna()
    fl = has_code(types, "ForcedLabour").fillna(False).astype(bool)
    share_fl = fl.sum() / answered.sum() * 100

    methods = df["vic_MethodsOfControl"]
    shares = method_shares(methods)
    ticks = methods.dropna().str.split(";").explode().value_counts()

    labour = df["vic_TypeOfLabourExploitation"]
    domestic = has_code(labour, "DomesticWork").fillna(False).astype(bool)
    gender = df["prs_Gender"]
    female_dw = (gender[domestic] == "Female").mean() * 100
    by_col = pd.crosstab(labour, gender, normalize="columns") * 100
    by_all = pd.crosstab(labour, gender, normalize="all") * 100
    return SimpleNamespace(
        forced_labour=Check(
            "Exercise 1: share with forced labour (%)", share_fl, tolerance=0.1,
            wrong=[Wrong(fl.sum() / len(df) * 100,
                         "you divided by all records. Some records have no type of "
                         "exploitation recorded: divide by those who answered (notna)."),
                   Wrong((types == "ForcedLabour").sum() / answered.sum() * 100,
                         "you counted only cells that say exactly 'ForcedLabour'. It is a "
                         "multi-select field: 'ForcedLabour;ForcedMarriage' counts too."),
                   Wrong((types == "ForcedLabour").sum() / len(df) * 100,
                         "two slips: only exact 'ForcedLabour' cells (it is multi-select) and "
                         "divided by all records (divide by those who answered)."),
                   Wrong(share_fl / 100, "you gave a proportion; multiply by 100.")],
            hint="lesson04.has_code(column, 'ForcedLabour') finds the code inside each cell; "
                 "divide by the number of records with an answer."),
        methods=Check(
            "Exercise 2: percentage with each method of control", shares, tolerance=0.1,
            compare=lambda a, e: isinstance(a, pd.Series) and set(a.index) == set(e.index)
            and bool(((a.reindex(e.index).astype(float) - e).abs() <= 0.1).all()),
            wrong=[Wrong(lambda a: isinstance(a, pd.Series) and len(a.index) > len(ticks),
                         "some of your categories are combinations ('A;B'): split the cells "
                         "with .str.split(';') and .explode() first."),
                   Wrong(lambda a: isinstance(a, pd.Series)
                         and abs(float(a.sum()) - 100) < 0.5,
                         "your percentages add up to 100: you divided by the number of ticks. "
                         "One person can have several methods: divide by the number of people "
                         "with an answer, so the total is more than 100."),
                   Wrong(lambda a: isinstance(a, pd.Series)
                         and set(a.index) == set(ticks.index)
                         and abs(float(a.max()) - float(ticks.max() / len(df) * 100)) < 0.2,
                         "you divided by all records; divide by those with a method recorded "
                         "(notna).")],
            hint="split the cells, explode, value_counts(), then divide by the number of "
                 "records with a method recorded and multiply by 100.", kind="table"),
        female_domestic=Check(
            "Exercise 3: share of domestic workers who are female (%)", female_dw,
            tolerance=0.1,
            wrong=[Wrong(by_col.loc["DomesticWork", "Female"],
                         "that is the share of women who are domestic workers (column "
                         "percentage). The question asks the share of domestic workers who "
                         "are women: normalize='index' (row percentages)."),
                   Wrong(by_all.loc["DomesticWork", "Female"],
                         "that is a percentage of all records (normalize='all'). Use row "
                         "percentages: normalize='index'."),
                   Wrong((gender == "Female").mean() * 100,
                         "that is the share of women among all records; keep only domestic "
                         "workers."),
                   Wrong(int((gender[domestic] == "Female").sum()),
                         "that is a number of people; the question asks a percentage.")],
            hint="pd.crosstab(labour type, gender, normalize='index') * 100 gives row "
                 "percentages."),
        figure=lambda ax: check_figure(ax, name="Exercise 4: a finished bar chart", kind="bar"),
        quiz=Quiz("Questionnaire", [
            Question("A multi-select question: 60 % ticked 'debt', 50 % ticked 'threats'. "
                     "Is that an error?",
                     {"a": "yes, percentages must add up to 100",
                      "b": "no, one person can tick several answers",
                      "c": "yes, someone was counted twice by mistake"}, "b",
                     {"a": "only for single-answer questions. With several answers per "
                           "person, the total can pass 100.",
                      "c": "no mistake: each person counts once per answer ticked."}),
            Question("Out of 1,000 records, 400 have the field filled and 100 of them tick "
                     "'debt'. What share of people with an answer had debt?",
                     {"a": "25 %", "b": "10 %", "c": "40 %"}, "a",
                     {"b": "10 % divides by all records, including those with no answer.",
                      "c": "40 % is the share of records with any answer."}),
            Question("What must every chart you share have?",
                     {"a": "3-D bars and many colours",
                      "b": "the names of the people counted",
                      "c": "a title, labelled axes, and the source of the data"}, "c",
                     {"a": "decoration makes charts harder to read.",
                      "b": "never: charts show counts, not people."}),
        ]),
    )
