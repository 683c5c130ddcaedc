"""htwork.tutor.core: results, modes, the generic checks."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from htwork import tutor  # noqa: E402
from htwork.tutor import Check, Question, Quiz, Wrong  # noqa: E402
from tests.tutor.conftest import accepts, rejects  # noqa: E402

PEOPLE = pd.DataFrame({"person": ["a", "a", "b", "c"]})


def people_check():
    return Check("people", PEOPLE["person"].nunique(),
                 wrong=[(len(PEOPLE), "you counted rows; some people appear twice"),
                        Wrong(PEOPLE["person"].duplicated().sum(), "that is the repeats")],
                 hint="count unique people")


def test_right_wrong_and_hint():
    c = people_check()
    accepts(c, 3)
    rejects(c, 4, "you counted rows")
    rejects(c, 1, "repeats")
    rejects(c, 7, "count unique people")  # no typical wrong answer: the general hint


def test_unanswered_learner_mode_does_not_raise_but_solutions_mode_does():
    c = people_check()
    for blank in (..., None):
        r = c(blank)
        assert r.status == "unanswered" and "unique people" in r.hint
        assert "not answered" in repr(r)
    tutor.start("t", solutions=True)
    with pytest.raises(AssertionError, match="not answered"):
        c(...)


def test_start_and_mode():
    assert tutor.start("x", solutions=True) is None  # no stray output in a lesson's first cell
    assert tutor.mode() == "solutions"
    tutor.start("x")
    assert tutor.mode() == "learner"
    with pytest.raises(ValueError):
        tutor.mode("teacher")


def test_numpy_and_one_value_answers_are_numbers():
    c = people_check()
    assert c(PEOPLE["person"].drop_duplicates().shape[0]).ok
    assert c(pd.Series([3])).ok
    assert c(pd.Series([3]).astype("int64").sum()).ok


def test_type_hints():
    c = people_check()
    assert "not text" in c.diagnose("3").hint
    assert "table" in c.diagnose(pd.Series([1, 2])).hint
    code = Check("code", "TH")
    assert "exact" in code.diagnose("th").hint
    assert "in quotes" in code.diagnose(5).hint


def test_wrong_value_equal_to_expected_is_ignored():
    c = Check("x", 5, wrong=[(5, "never shown")])
    assert c(5).ok


def test_html():
    html = people_check()(4)._repr_html_()
    assert "Hint" in html and "you counted rows" in html
    assert "&lt;" in Check("x", 1, hint="a < b")(...)._repr_html_()


def test_check_number_percent():
    accepts(lambda a: tutor.check_number(a, 42.04, tolerance=0.1, percent=True), 42)
    r = tutor.check_number(0.4204, 42.04, tolerance=0.1, percent=True)
    assert "proportion" in r.hint


def test_check_set_explains_missing_and_extra():
    r = tutor.check_set({"TH", "MM", "XX"}, {"TH", "MM", "KH"})
    assert r.status == "wrong" and "1 missing" in r.hint and "XX" in r.hint
    assert tutor.check_set(["KH", "TH", "MM"], {"TH", "MM", "KH"}).ok


def test_check_series():
    e = pd.Series({"a": 1.0, "b": 2.0})
    assert tutor.check_series(pd.Series({"b": 2.0, "a": 1.0}), e).ok
    r = tutor.check_series(pd.Series({"a": 2.0, "b": 4.0}), e,
                           wrong=[(e * 2, "doubled")])
    assert r.hint == "doubled"


def test_check_figure():
    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [1, 2])
    r = tutor.check_figure(ax, kind="bar")
    assert r.status == "wrong" and "title" in r.hint and "x axis" in r.hint
    ax.set(title="T", xlabel="x", ylabel="y")
    assert tutor.check_figure(fig, kind="bar").ok
    assert "line" in tutor.check_figure(ax, kind="line").hint
    assert tutor.check_figure(...).status == "unanswered"
    plt.close(fig)


def test_quiz():
    q = Quiz("Q", [Question("a?", {"a": "x", "b": "y"}, "b", {"a": "no, x is wrong"}),
                   Question("b?", {"a": "x", "b": "y"}, "a")])
    assert q({1: "b", 2: "a"}).ok
    assert q(["B)", "a"]).ok
    r = q({1: "a", 2: "a"})
    assert r.status == "wrong" and "Question 1: no, x is wrong" in r.hint
    assert "choose one of" in q({1: "z", 2: "a"}).hint
    assert q({1: ..., 2: ...}).status == "unanswered"
    assert "a?" in repr(q) and "<ol>" in q._repr_html_()
    tutor.mode("solutions")
    with pytest.raises(AssertionError):
        q({1: "a", 2: "a"})


def test_data_path(tmp_path, repo_root):
    assert tutor.data_path("demo/cases.csv", repo_root / "tutorials" / "learner").is_file()
    from htwork.errors import HtworkError

    with pytest.raises(HtworkError):
        tutor.data_path("nope.csv", tmp_path)


def test_a_set_answer_is_read_back_whole():
    """A right answer made of long names is shown item by item, never cut ("prs_Em...")."""
    names = {"prs_FirstName", "prs_MobilePhone", "prs_IdentityDocumentNumber", "prs_Email"}
    r = tutor.check_set(names, names, name="direct identifiers")
    assert r.ok
    for n in names:
        assert n in r.message
    assert "..." not in r.message


def test_solutions_mode_confirms_without_showing_the_answer():
    """The trainer's copy may be run on a projector: a right answer is not echoed there."""
    c = people_check()
    right = PEOPLE["person"].nunique()
    assert str(right) in c(right).message  # learner mode: the learner's answer read back
    tutor.start("t", solutions=True)
    r = c(right)
    assert r.ok and str(right) not in r.message and f"right, {right}" not in r._repr_html_()
