"""Lesson 8's checks: Lincoln-Petersen by hand, people missed, dependence, several lists."""

from __future__ import annotations

from htwork.prevalence import CaptureTable, estimate, simulate_lists
from htwork.tutor import lesson08
from tests.tutor.conftest import accepts, rejects


def test_two_lists():
    two = simulate_lists(2000, [0.30, 0.25], lists=["Police", "NGO"], seed=8).table
    ex = lesson08.two_lists(two)
    n1, n2, m = two.margin(["Police"]), two.margin(["NGO"]), two.margin(["Police", "NGO"])
    accepts(ex.lincoln_petersen, n1 * n2 / m)
    rejects(ex.lincoln_petersen, n1 + n2, "added the lists")
    rejects(ex.lincoln_petersen, two.observed, "seen on at least one list")
    accepts(ex.missing, n1 * n2 / m - two.observed)
    rejects(ex.missing, n1 * n2 / m, "Subtract the people seen")
    rejects(ex.missing, n1 * n2 / m - n1 - n2, "subtracted twice")


def test_dependence():
    sim = simulate_lists(2000, [0.30, 0.25], lists=["Police", "NGO"],
                         dependence={("Police", "NGO"): 1.0}, seed=8)
    ex = lesson08.dependence(sim.table, sim.true_size)
    accepts(ex.bias, "low")
    accepts(ex.bias, "Too LOW")
    rejects(ex.bias, "high", "which is bigger")
    rejects(ex.bias, 1461, "'low' or 'high'")


def test_several_lists(repo_root):
    uk = CaptureTable.from_counts(repo_root / "datasets" / "mse" / "uk_2013.csv")
    ex = lesson08.several_lists(uk)
    est = estimate(uk, "stepwise").estimate
    accepts(ex.ratio, est / uk.observed)
    rejects(ex.ratio, uk.observed / est, "upside down")
    rejects(ex.ratio, est / uk.list_totals().sum(), "several times")
    rejects(ex.ratio, estimate(uk, "main").estimate / uk.observed, "main-effects")
    accepts(ex.quiz, {1: "c", 2: "a", 3: "a"})
    rejects(ex.quiz, {1: "a", 2: "a", 3: "a"}, "counted twice")


def test_results_in_plain_words(repo_root):
    from htwork.prevalence import lincoln_petersen

    uk = CaptureTable.from_counts(repo_root / "datasets" / "mse" / "uk_2013.csv")
    fit = estimate(uk, "stepwise")
    words = lesson08.in_words(fit, uk, lesson08.UK_LISTS)
    text = repr(words)
    assert f"{fit.estimate:,.0f}" in text and f"{fit.observed:,}" in text
    assert f"{fit.estimate - fit.observed:,.0f}" in text
    assert "local authorities & NGOs" in text          # the model, in the lists' names
    assert "not for the choice of model" in text       # the interval's limit, in words
    assert "local authorities and the general public have nobody in common" in text
    for jargon in ("Wald", "MLE", "minus infinity", "log-normal"):
        assert jargon not in text and jargon not in words._repr_html_()
    two = simulate_lists(2000, [0.3, 0.25], lists=["Police", "NGO"], seed=8).table
    lp = repr(lesson08.in_words(lincoln_petersen(two)))
    assert "independent" in lp and "not for the choice of model" not in lp
    main = repr(lesson08.in_words(estimate(uk, "main"), uk, lesson08.UK_LISTS))
    assert "none: every pair of lists is taken to be independent" in main
