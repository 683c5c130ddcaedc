"""Learner copies: in step with the lessons, solutions emptied, and they run without error."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from htwork.tutor.learner import SOLUTION_TAG, learner_copy, lesson_files, write_learner_copies


def test_learner_copies_in_step_with_lessons(repo_root, tmp_path):
    src = repo_root / "tutorials"
    fresh = write_learner_copies(src, tmp_path)
    committed = lesson_files(src / "learner")
    assert [p.name for p in committed] == [p.name for p in fresh], (
        "tutorials/learner/ does not list the same lessons: run `make learner`")
    for new in fresh:
        old = src / "learner" / new.name
        assert old.read_text(encoding="utf-8") == new.read_text(encoding="utf-8"), (
            f"{old} is out of date: run `make learner`")


LESSONS = lesson_files(Path(__file__).resolve().parents[2] / "tutorials")


def test_there_are_lessons():
    assert len(LESSONS) >= 5


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_shape(path):
    """Every lesson: solutions tagged and hidden, checks in solutions mode, no outputs stored,
    questions/objectives/time at the top, key points and a questionnaire at the end."""
    nb = nbformat.read(path, as_version=4)
    head = nb.cells[0].source
    for words in ("Questions this lesson answers", "Objectives", "Time"):
        assert words in head, f"{path.name}: the first cell lacks {words!r}"
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "## Key points" in text and "## Questionnaire" in text
    solutions = [c for c in nb.cells if SOLUTION_TAG in c.metadata.get("tags", [])]
    assert 3 <= len(solutions) <= 6  # 2-5 exercises and the questionnaire
    for c in solutions:
        assert c.metadata["jupyter"]["source_hidden"] is True
    assert any("solutions=True" in c.source for c in nb.cells if c.cell_type == "code")
    for c in nb.cells:
        if c.cell_type == "code":
            assert not c.outputs and c.execution_count is None, (
                f"{path.name}: clear the outputs before committing")


def test_learner_copy_empties_solutions_and_switches_mode(repo_root):
    path = lesson_files(repo_root / "tutorials")[0]
    nb = nbformat.read(path, as_version=4)
    copy = learner_copy(nb)
    for before, after in zip(nb.cells, copy.cells, strict=True):
        if SOLUTION_TAG in before.metadata.get("tags", []):
            assert after.source.startswith("# Your turn")
            assert "source_hidden" not in after.metadata.get("jupyter", {})
    code = "\n".join(c.source for c in copy.cells if c.cell_type == "code")
    assert "solutions=False" in code and "solutions=True" not in code
    assert nbformat.read(path, as_version=4) == nb  # the source is unchanged


@pytest.mark.slow
def test_learner_copy_runs_and_shows_hints(repo_root):
    """The learner copy of lesson 1 runs to the end; unanswered checks show hints."""
    from nbclient import NotebookClient

    path = lesson_files(repo_root / "tutorials" / "learner")[0]
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, resources={"metadata": {"path": str(path.parent)}}).execute()
    shown = "\n".join(o.get("data", {}).get("text/plain", "")
                      for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert shown.count("not answered yet") >= 3
    assert "Hint:" in shown


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_every_solution_is_followed_by_a_check(path):
    """Exercise cell, then its solution, then (after prose at most) a cell calling a check."""
    cells = nbformat.read(path, as_version=4).cells
    for i, cell in enumerate(cells):
        if SOLUTION_TAG not in cell.metadata.get("tags", []):
            continue
        assert "exercise" in cells[i - 1].metadata.get("tags", []), (
            f"{path.name}: solution cell {i} does not follow an exercise cell")
        later = [c for c in cells[i + 1:] if c.cell_type == "code"]
        assert later and "ex." in later[0].source, (
            f"{path.name}: no check right after solution cell {i}")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_figures_have_titles_and_labels(path):
    """Every chart drawn in a lesson sets a title and both axis labels."""
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code" and "plt.subplots" in cell.source:
            for call in ("set_title", "set_xlabel", "set_ylabel"):
                assert call in cell.source, f"{path.name}: a figure lacks {call}"
