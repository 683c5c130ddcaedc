"""Lesson 1's checks accept the right answers and catch the typical wrong ones."""

from __future__ import annotations

from htwork.tutor import lesson01
from tests.tutor.conftest import accepts, rejects


def test_lesson01(cases):
    df = cases
    ex = lesson01.exercises(df)
    accepts(ex.rows, len(df))
    rejects(ex.rows, df.shape[1], "columns")
    rejects(ex.rows, len(df) + 1, "header")

    accepts(ex.women, (df["prs_Gender"] == "Female").sum())
    rejects(ex.women, (df["prs_Gender"] == "female").sum(), "capital F")
    rejects(ex.women, (df["prs_Gender"] != "Female").sum(), "NOT")

    pct = df["prs_MobilePhone"].isna().mean() * 100
    accepts(ex.no_phone, round(pct, 1))
    rejects(ex.no_phone, df["prs_MobilePhone"].isna().mean(), "proportion")
    rejects(ex.no_phone, df["prs_MobilePhone"].notna().mean() * 100, "WITH")
    rejects(ex.no_phone, df["prs_MobilePhone"].isna().sum(), "divide")

    dest = df["vic_CountryOfExploitation"].value_counts()
    accepts(ex.top_destination, dest.index[0])
    rejects(ex.top_destination, df["prs_Citizenship"].value_counts().index[0], "citizenship")
    rejects(ex.top_destination, dest.iloc[0], "which country")

    accepts(ex.quiz, {1: "b", 2: "c", 3: "a", 4: "b", 5: "a"})
    rejects(ex.quiz, {1: "a", 2: "c", 3: "a", 4: "b", 5: "a"}, "registered twice")
    rejects(ex.quiz, {1: "b", 2: "c", 3: "a", 4: "a", 5: "a"}, "KeyError")
    rejects(ex.quiz, {1: "b", 2: "c", 3: "a", 4: "b", 5: "b"}, "cell above was not run")
