"""Learner copies: in step with the lessons, solutions emptied, and they run without error."""

from __future__ import annotations

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


def lessons(repo_root=None):
    from pathlib import Path

    return lesson_files(Path(__file__).resolve().parents[2] / "tutorials")


@pytest.mark.parametrize("path", lessons(), ids=lambda p: p.name)
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
