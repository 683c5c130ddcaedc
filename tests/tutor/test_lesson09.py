"""Lesson 9's checks: people not registrations, recovering a hidden cell, suppress_table, the
report in one call; and the learner copy runs with hints."""

from __future__ import annotations

import pytest

from htwork.report import quarterly_report, suppress_table
from htwork.tutor import Check, Quiz, lesson09
from tests.tutor.conftest import accepts, rejects

QUARTER = "2024Q3"


@pytest.fixture(scope="module")
def ex(cases):
    return lesson09.exercises(cases, QUARTER)


@pytest.fixture(scope="module")
def d(cases):
    return lesson09.with_person(cases)


def test_every_check_knows_two_wrong_answers(ex):
    for name, obj in vars(ex).items():
        if isinstance(obj, Check):
            assert len(obj.wrong) >= 2 and all(w.hint for w in obj.wrong) and obj.hint, name
        if isinstance(obj, Quiz):
            for q in obj.questions:
                assert set(q.options) - {q.answer} <= set(q.why), name


def test_people_by_sex(ex, d):
    first = d.sort_values("cas_RegistrationDate", kind="stable").drop_duplicates("person")
    right = first.loc[first["quarter"] == QUARTER, "prs_Gender"].value_counts()
    accepts(ex.by_sex, right)
    accepts(ex.by_sex, right.sort_index())
    rejects(ex.by_sex, d.loc[d["quarter"] == QUARTER, "prs_Gender"].value_counts(),
            "counted registrations")
    # deduplicating inside the quarter keeps people registered before it
    in_q = d[d["quarter"] == QUARTER].drop_duplicates("person")
    rejects(ex.by_sex, in_q["prs_Gender"].value_counts(), "first registration")
    rejects(ex.by_sex, right / right.sum(), "shares")
    rejects(ex.by_sex, first["prs_Gender"].value_counts(), "every person in the extract")
    assert ex.by_sex.diagnose(...).status == "unanswered"


def test_recovering_the_hidden_cell(ex, cases):
    table = lesson09.with_totals(lesson09.sex_by_age(lesson09.people_in(cases, QUARTER)))
    naive = lesson09.hide_small(table)
    row = naive.loc[ex.row]
    assert (row == "x").sum() == 1
    recovered = row["Total"] - sum(v for c, v in row.items() if c != "Total" and v != "x")
    accepts(ex.recovered, recovered)
    assert recovered == table.loc[ex.row, ex.column] and 0 < recovered < 10
    rejects(ex.recovered, row["Total"], "row total")
    shown = [c for c in table.columns if c not in (ex.column, "Total")]
    rejects(ex.recovered, row["Total"] - row[shown[0]], "every shown cell")
    rejects(ex.recovered, table.loc["Total", ex.column], "column total")


def test_cells_hidden(ex, cases):
    p = suppress_table(lesson09.sex_by_age(lesson09.people_in(cases, QUARTER)), threshold=10)
    accepts(ex.hidden, p.n_suppressed)
    accepts(ex.hidden, p.n_primary + p.n_secondary)
    assert p.n_secondary > 0  # the lesson's point: the small cells need company
    rejects(ex.hidden, p.n_primary, "n_secondary")
    rejects(ex.hidden, p.n_secondary, "n_primary")
    # the protected table no longer gives a hidden count back by subtraction
    hidden = p.mask
    for row in hidden.index:
        assert hidden.loc[row].sum() != 1
    for col in hidden.columns:
        assert hidden[col].sum() != 1


def test_report_people_and_quiz(ex, cases, d):
    report = quarterly_report(cases, QUARTER)
    accepts(ex.people, report.headline["People newly identified"])
    rejects(ex.people, report.headline["Registrations"], "registrations")
    rejects(ex.people, len(cases), "every record")
    rejects(ex.people, d["person"].nunique(), "whole extract")
    accepts(ex.quiz, {1: "b", 2: "b", 3: "b", 4: "a"})
    rejects(ex.quiz, {1: "a", 2: "b", 3: "b", 4: "a"}, "first registration")
    rejects(ex.quiz, {1: "b", 2: "a", 3: "b", 4: "a"}, "subtraction")


def test_output_folder_is_outside_the_repository_files():
    folder = lesson09.output_folder("report-test")
    assert folder.parent.name == "out" and folder.parent.is_dir()


@pytest.mark.slow
def test_learner_copy_shows_hints_and_never_raises(repo_root):
    """The learner copy of lesson 9 runs to the end with every exercise unanswered."""
    import nbformat
    from nbclient import NotebookClient

    path = repo_root / "tutorials" / "learner" / "09-automating-a-report.ipynb"
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    shown = "\n".join(o.get("data", {}).get("text/plain", "") for o in outputs)
    assert shown.count("not answered yet") == 5
    assert shown.count("Hint:") >= 5
