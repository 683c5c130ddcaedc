"""Lesson 5's checks: change in percent, corridors, children, a line chart."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from htwork.tutor import lesson04, lesson05  # noqa: E402
from tests.tutor.conftest import accepts, rejects  # noqa: E402


def test_growth(cases):
    ex = lesson05.exercises(cases)
    y = cases["cas_RegistrationDate"].str[:4].value_counts()
    a, b = y["2021"], y["2024"]
    accepts(ex.growth, round((b - a) / a * 100, 1))
    rejects(ex.growth, b - a, "difference in records")
    rejects(ex.growth, (b - a) / b * 100, "starting year")
    rejects(ex.growth, b / a * 100, "subtract 100")


def test_corridor(cases):
    ex = lesson05.exercises(cases)
    pairs = cases[["prs_Citizenship", "vic_CountryOfExploitation"]].dropna()
    cross = pairs[pairs.iloc[:, 0] != pairs.iloc[:, 1]].value_counts().index[0]
    accepts(ex.corridor, cross)
    accepts(ex.corridor, f"{cross[0]} -> {cross[1]}")
    rejects(ex.corridor, cross[::-1], "reversed")
    rejects(ex.corridor, "TH", "two country codes")
    assert lesson05.corridor(["mm", "th"]) == ("MM", "TH")


def test_children(cases):
    ex = lesson05.exercises(cases)
    age = pd.to_numeric(cases["vic_AgeWhenTrafficked"], errors="coerce")
    sexual = lesson04.has_code(cases["vic_TypeOfExploitation"], "SexualExploitation")
    kids = sexual[age < 18]
    accepts(ex.child_sexual, kids.sum() / kids.notna().sum() * 100)
    kids18 = sexual[age <= 18]
    rejects(ex.child_sexual, kids18.sum() / kids18.notna().sum() * 100, "under 18")
    rejects(ex.child_sexual, kids.sum() / len(kids) * 100, "no type of exploitation")


def test_figure_and_quiz(cases):
    ex = lesson05.exercises(cases)
    fig, ax = plt.subplots()
    ax.bar(["2020", "2021"], [1, 2])
    ax.set(title="t", xlabel="year", ylabel="records")
    rejects(ex.figure, ax, "a line")
    ax.plot(["2020", "2021"], [1, 2])
    accepts(ex.figure, ax)
    plt.close(fig)
    accepts(ex.quiz, {1: "b", 2: "b", 3: "a"})
    rejects(ex.quiz, {1: "a", 2: "b", 3: "a"}, "identified")
    rejects(ex.quiz, {1: "b", 2: "a", 3: "a"}, "only people who were identified")
