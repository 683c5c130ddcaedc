"""Lesson 3's checks: placeholders, day-first and Buddhist-Era dates, spellings, duplicates."""

from __future__ import annotations

import pandas as pd
import pytest

from htwork.io import parse_dates, read_table
from htwork.tutor import lesson03
from tests.tutor.conftest import accepts, rejects

# slow: every test shares the lesson's data, read from a 5,000-row Excel file
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def lesson(cases, repo_root):
    ages = cases["vic_AgeWhenTrafficked"].copy()
    gaps = ages.index[ages.isna()]
    ages[gaps[::4]] = "-"
    ages[gaps[1::4]] = "N/A"
    ages[gaps[2::4]] = "unknown "
    kh = read_table(repo_root / "datasets" / "demo" / "cases_kh_identification_form.xlsx")
    kh_dates = kh["កាលបរិច្ឆេទចុះឈ្មោះ / Registration Date"]
    th = read_table(repo_root / "datasets" / "demo" / "cases_th_cross_ministerial.csv")
    th_births = th["วันเกิด"]
    places = pd.Series(["Mae Sot", "Maesot", "mae sot ", "MAE SOT", "Mae-Sot", "Phnom Penh",
                        "phnom penh", "Phnom  Penh", "Poipet", "Poi Pet", "Kuala Lumpur", "KL",
                        "Ranong", "ranong", "Samut Sakhon", "Samut-Sakhon"])
    ex = lesson03.exercises(ages, kh_dates, th_births, places, cases)
    return ex, ages, kh_dates, th_births, places


def test_placeholders(lesson):
    ex, ages, *_ = lesson
    accepts(ex.no_age, (ages.isna() | lesson03.is_placeholder(ages)).sum())
    rejects(ex.no_age, ages.isna().sum(), "only the empty cells")
    rejects(ex.no_age, lesson03.is_placeholder(ages).sum(), "only the placeholders")


def test_day_first(lesson):
    ex, _, kh_dates, *_ = lesson
    accepts(ex.march, (parse_dates(kh_dates).values.str[5:7] == "03").sum())
    us = pd.to_datetime(kh_dates, format="%m/%d/%Y", errors="coerce")
    rejects(ex.march, (us.dt.month == 3).sum(), "month first")
    rejects(ex.march, (kh_dates.str[3:5] == "01").sum(), "January")


def test_buddhist_era(lesson):
    ex, _, _, th_births, _ = lesson
    years = parse_dates(th_births, calendar="buddhist").values.dropna().str[:4].astype(int)
    accepts(ex.birth_year, years.median())
    rejects(ex.birth_year, th_births.dropna().str[-4:].astype(int).median(), "Buddhist-Era")
    nan = parse_dates(th_births).values.dropna().str[:4].astype(float).median()
    rejects(ex.birth_year, nan, "NaN")


def test_spellings(lesson):
    ex, *_, places = lesson
    accepts(ex.places, lesson03.normalise_place(places).nunique())
    rejects(ex.places, places.nunique(), "spelling variants")
    rejects(ex.places, places.str.strip().str.lower().nunique(), "hyphens")


def test_second_registrations(lesson, cases):
    ex = lesson[0]
    doc = cases["prs_IdentityDocumentNumber"]
    accepts(ex.second, doc.dropna().duplicated().sum())
    rejects(ex.second, doc.dropna().duplicated(keep=False).sum(), "both registrations")
    rejects(ex.second, doc.duplicated().sum(), "empty cells are not a match")
    accepts(ex.quiz, {1: "b", 2: "a", 3: "b"})
    rejects(ex.quiz, {1: "b", 2: "b", 3: "b"}, "month first")
