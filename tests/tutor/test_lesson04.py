"""Lesson 4's checks: denominators of multi-select fields, cross-tab percentages, a chart."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from htwork.tutor import lesson04  # noqa: E402
from tests.tutor.conftest import accepts, rejects  # noqa: E402


def test_forced_labour_share(cases):
    ex = lesson04.exercises(cases)
    types = cases["vic_TypeOfExploitation"]
    fl = lesson04.has_code(types, "ForcedLabour").fillna(False)
    accepts(ex.forced_labour, round(fl.sum() / types.notna().sum() * 100, 1))
    rejects(ex.forced_labour, fl.sum() / len(cases) * 100, "divided by all records")
    rejects(ex.forced_labour, (types == "ForcedLabour").sum() / types.notna().sum() * 100,
            "multi-select")
    rejects(ex.forced_labour, types.str.contains("ForcedLabour").mean(), "proportion")


def test_method_shares(cases):
    ex = lesson04.exercises(cases)
    m = cases["vic_MethodsOfControl"]
    ticks = m.dropna().str.split(";").explode().value_counts()
    accepts(ex.methods, ticks / m.notna().sum() * 100)
    rejects(ex.methods, ticks / ticks.sum() * 100, "number of ticks")
    rejects(ex.methods, ticks / len(cases) * 100, "divided by all records")
    rejects(ex.methods, m.value_counts() / m.notna().sum() * 100, "explode")


def test_row_percentages(cases):
    ex = lesson04.exercises(cases)
    labour, gender = cases["vic_TypeOfLabourExploitation"], cases["prs_Gender"]
    rows = pd.crosstab(labour, gender, normalize="index") * 100
    accepts(ex.female_domestic, rows.loc["DomesticWork", "Female"])
    cols = pd.crosstab(labour, gender, normalize="columns") * 100
    rejects(ex.female_domestic, cols.loc["DomesticWork", "Female"], "column percentage")
    alls = pd.crosstab(labour, gender, normalize="all") * 100
    rejects(ex.female_domestic, alls.loc["DomesticWork", "Female"], "normalize='all'")


def test_figure_and_quiz(cases):
    ex = lesson04.exercises(cases)
    fig, ax = plt.subplots()
    ax.barh(["a", "b"], [1, 2])
    rejects(ex.figure, ax, "title")
    ax.set_title("t")
    rejects(ex.figure, ax, "x axis")
    ax.set(xlabel="%", ylabel="method")
    accepts(ex.figure, ax)
    plt.close(fig)
    accepts(ex.quiz, {1: "b", 2: "a", 3: "c"})
    rejects(ex.quiz, {1: "a", 2: "a", 3: "c"}, "can pass 100")
    rejects(ex.quiz, {1: "b", 2: "b", 3: "c"}, "all records")
