"""Learner copies of the lessons: solutions hidden until asked, checks in learner mode.

The lessons in ``tutorials/`` are stored with worked solutions: code cells tagged ``solution``,
collapsed (``jupyter.source_hidden``), whose first line is :data:`SOLUTION_HEADER` so that a
collapsed solution shows nothing of the answer when a trainer projects the lesson; and a first
cell calling ``tutor.start(..., solutions=True)``.

A learner copy turns every solution into a collapsed *raw* cell: the learner opens it when
stuck (click the three dots); "Run All" neither runs it nor opens it, so every exercise starts
unanswered and its check shows a hint. The copy switches the checks to learner mode
(``solutions=False``: nothing raises) and drops all outputs. ``make learner`` runs::

    python -m htwork.tutor.learner tutorials tutorials/learner
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

__all__ = ["learner_copy", "write_learner_copies", "lesson_files", "solution_body",
           "SOLUTION_TAG", "SOLUTION_HEADER", "LEARNER_SOLUTION_HEADER"]

SOLUTION_TAG = "solution"
LESSON_GLOB = "[0-9][0-9]-*.ipynb"
#: First line of every solution cell of a lesson: all a collapsed solution shows.
SOLUTION_HEADER = "# Solution: hidden until you click the three dots."
#: First line of a solution in a learner copy: all a collapsed solution shows.
LEARNER_SOLUTION_HEADER = "# Stuck? Click the three dots to see a solution (try on your own first)."
_START = re.compile(r"(tutor\.start\([^)]*solutions\s*=\s*)True")
_GLOSSARY_LINK = re.compile(r"\]\((GLOSSARY\.md)")


def lesson_files(folder: str | Path) -> list[Path]:
    """The numbered lessons in ``folder`` (``01-first-steps.ipynb``, ...), sorted."""
    return sorted(Path(folder).glob(LESSON_GLOB))


def _clean(cell: nbformat.NotebookNode) -> None:
    if cell.cell_type == "code":
        cell.outputs = []
        cell.execution_count = None
    cell.metadata.pop("execution", None)


def solution_body(source: str) -> str:
    """A solution cell's code without its :data:`SOLUTION_HEADER` line."""
    lines = source.splitlines()
    if lines and lines[0].strip() == SOLUTION_HEADER:
        lines = lines[1:]
    return "\n".join(lines).strip("\n")


def _learner_solution(cell: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The solution as a collapsed *raw* cell (same id and tags): read, never run.

    A raw cell, because JupyterLab's Run All leaves it collapsed (it opens collapsed Markdown
    cells when it renders them) and never runs it; its text can be copied as it is.
    """
    source = (f"{LEARNER_SOLUTION_HEADER}\n{solution_body(cell.source)}\n"
              "# Copy what you need into the exercise cell above, run it, then run the check.")
    metadata = {k: v for k, v in cell.metadata.items() if k not in ("execution", "jupyter")}
    metadata["jupyter"] = {"source_hidden": True}
    raw = nbformat.v4.new_raw_cell(source, metadata=metadata)
    if "id" in cell:
        raw["id"] = cell["id"]
    return raw


def learner_copy(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A learner copy of lesson ``nb`` (a new notebook; ``nb`` is unchanged)."""
    out = nbformat.reads(nbformat.writes(nb), as_version=4)
    cells = []
    for cell in out.cells:
        _clean(cell)
        if cell.cell_type == "code" and SOLUTION_TAG in cell.metadata.get("tags", []):
            cell = _learner_solution(cell)
        elif cell.cell_type == "code":
            cell.source = _START.sub(r"\1False", cell.source)
        else:  # the learner copies sit one folder down: links to the glossary follow
            cell.source = _GLOSSARY_LINK.sub(r"](../\1", cell.source)
        cells.append(cell)
    out.cells = cells
    out.metadata["htwork"] = {"learner_copy": True}
    return out


def _text(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb) + "\n"


def write_learner_copies(src: str | Path, dest: str | Path) -> list[Path]:
    """Write a learner copy of every lesson in ``src`` to ``dest``; return the files written.

    Copies of lessons no longer in ``src`` are removed, so ``dest`` mirrors ``src``.
    """
    src, dest = Path(src), Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for path in lesson_files(src):
        nb = nbformat.read(path, as_version=4)
        target = dest / path.name
        text = _text(learner_copy(nb))
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
        written.append(target)
    names = {p.name for p in written}
    for old in lesson_files(dest):
        if old.name not in names:
            old.unlink()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", nargs="?", default="tutorials")
    parser.add_argument("dest", nargs="?", default="tutorials/learner")
    args = parser.parse_args(argv)
    for path in write_learner_copies(args.src, args.dest):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
