"""Learner copies: in step with the lessons, solutions hidden until asked, and they run without
error, also when a trainee runs a cell again after Run All."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from htwork.tutor.learner import (
    LEARNER_SOLUTION_HEADER,
    SOLUTION_HEADER,
    SOLUTION_TAG,
    learner_copy,
    lesson_files,
    solution_body,
    write_learner_copies,
)


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
        # a collapsed cell shows its first line: it must give nothing away when projected
        assert c.source.splitlines()[0] == SOLUTION_HEADER, (
            f"{path.name}: a solution cell does not start with {SOLUTION_HEADER!r}")
    assert any("solutions=True" in c.source for c in nb.cells if c.cell_type == "code")
    for c in nb.cells:
        if c.cell_type == "code":
            assert not c.outputs and c.execution_count is None, (
                f"{path.name}: clear the outputs before committing")


def test_learner_copy_hides_solutions_and_switches_mode(repo_root):
    """Each solution becomes a collapsed raw cell: there when asked, never run (nor opened) by
    Run All, and its collapsed first line gives nothing away."""
    path = lesson_files(repo_root / "tutorials")[0]
    nb = nbformat.read(path, as_version=4)
    copy = learner_copy(nb)
    assert len(copy.cells) == len(nb.cells)
    for before, after in zip(nb.cells, copy.cells, strict=True):
        if SOLUTION_TAG in before.metadata.get("tags", []):
            assert after.cell_type == "raw"
            assert after.metadata["jupyter"]["source_hidden"] is True
            assert after.source.splitlines()[0] == LEARNER_SOLUTION_HEADER
            body = solution_body(before.source)
            assert body and f"\n{body}\n" in after.source
            compile(after.source, "solution", "exec")  # it can be pasted into a code cell
            assert SOLUTION_HEADER not in after.source
            assert after.id == before.id  # same cell, so the copies are stable
    code = "\n".join(c.source for c in copy.cells if c.cell_type == "code")
    assert "solutions=False" in code and "solutions=True" not in code
    assert nbformat.read(path, as_version=4) == nb  # the source is unchanged


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_each_exercise_set_has_its_own_name(path):
    """Checks are never kept under a reused name (``ex``): after Run All, the check of an
    earlier exercise must still find its own set of checks."""
    made = [m.group(1) for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"
            for m in re.finditer(r"^(\w+) = lesson\d\d\.\w+\(", c.source, re.M)]
    made = [name for name in made if name.endswith("checks")]
    assert made, f"{path.name}: no set of checks"
    assert len(made) == len(set(made)), f"{path.name}: a name is reused for checks: {made}"


def _slug(heading: str) -> str:
    """The anchor GitHub (and JupyterLab) give a Markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def test_glossary_links_resolve_in_both_copies(repo_root):
    """Every lesson links the glossary; every link names an entry that exists, from the
    trainer's copies (tutorials/) and from the learner copies (tutorials/learner/)."""
    glossary = repo_root / "tutorials" / "GLOSSARY.md"
    anchors = {_slug(line.lstrip("#")) for line in glossary.read_text(encoding="utf-8")
               .splitlines() if line.startswith("#")}
    for folder in (repo_root / "tutorials", repo_root / "tutorials" / "learner"):
        for path in lesson_files(folder):
            text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells
                             if c.cell_type == "markdown")
            links = re.findall(r"\]\(([^)#]*GLOSSARY\.md)(?:#([^)]*))?\)", text)
            assert links, f"{path}: no link to the glossary"
            for target, anchor in links:
                assert (folder / target).resolve() == glossary.resolve(), (path, target)
                assert not anchor or anchor in anchors, f"{path}: no glossary entry #{anchor}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_chart_cells_end_with_show(path):
    """A chart cell ends with plt.show(), so that it shows the chart and no stray
    ``[<matplotlib.lines.Line2D ...>]`` line."""
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code" and "plt.subplots" in cell.source:
            lines = [line for line in cell.source.splitlines()
                     if line.strip() and not line.lstrip().startswith("#")]
            assert "plt.show()" in cell.source, f"{path.name}: a chart cell lacks plt.show()"
            assert not re.match(r"\s*(ax\d*|plt)\.(?!show)", lines[-1]), (
                f"{path.name}: a chart cell ends with {lines[-1]!r}")


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
        assert later and re.search(r"\w*checks\.\w+", later[0].source), (
            f"{path.name}: no check right after solution cell {i}")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_figures_have_titles_and_labels(path):
    """Every chart drawn in a lesson sets a title and both axis labels."""
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code" and "plt.subplots" in cell.source:
            for call in ("set_title", "set_xlabel", "set_ylabel"):
                assert call in cell.source, f"{path.name}: a figure lacks {call}"


def test_make_learner_and_make_lab(repo_root):
    """``make learner`` rebuilds the learner copies; ``make lab`` roots JupyterLab at the
    repository (datasets/, synthetic/ and out/ reachable) with the course guide open."""
    import subprocess

    def dry(target: str) -> str:
        run = subprocess.run(["make", "-n", "-W", ".venv/.installed", target], cwd=repo_root,
                             capture_output=True, text=True, check=True)
        return run.stdout

    learner = dry("learner")
    assert "-m htwork.tutor.learner tutorials tutorials/learner" in learner
    lab = dry("lab")
    assert "jupyter lab --ServerApp.root_dir=." in lab and "tutorials/README.md" in lab
    assert "tools/jupyterlab" in lab
    assert (repo_root / "tools" / "jupyterlab" / "overrides.json").is_file()
