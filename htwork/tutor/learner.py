"""Learner copies of the lessons: solution cells emptied, checks in learner mode.

The lessons in ``tutorials/`` are stored with worked solutions: code cells tagged ``solution``
(hidden with ``jupyter.source_hidden``) and a first cell calling
``tutor.start(..., solutions=True)``. A learner copy empties every solution cell, switches the
checks to learner mode (``solutions=False``: nothing raises, unanswered exercises show a hint)
and drops all outputs. ``make learner`` runs::

    python -m htwork.tutor.learner tutorials tutorials/learner
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

__all__ = ["learner_copy", "write_learner_copies", "lesson_files", "SOLUTION_TAG"]

SOLUTION_TAG = "solution"
LESSON_GLOB = "[0-9][0-9]-*.ipynb"
_START = re.compile(r"(tutor\.start\([^)]*solutions\s*=\s*)True")
_EMPTIED = "# Your turn: write your answer in the cell above. (The trainer's copy has a solution.)"


def lesson_files(folder: str | Path) -> list[Path]:
    """The numbered lessons in ``folder`` (``01-first-steps.ipynb``, ...), sorted."""
    return sorted(Path(folder).glob(LESSON_GLOB))


def _clean(cell: nbformat.NotebookNode) -> None:
    if cell.cell_type == "code":
        cell.outputs = []
        cell.execution_count = None
    cell.metadata.pop("execution", None)


def learner_copy(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A learner copy of lesson ``nb`` (a new notebook; ``nb`` is unchanged)."""
    out = nbformat.reads(nbformat.writes(nb), as_version=4)
    for cell in out.cells:
        _clean(cell)
        if cell.cell_type != "code":
            continue
        if SOLUTION_TAG in cell.metadata.get("tags", []):
            cell.source = _EMPTIED
            jup = cell.metadata.get("jupyter", {})
            jup.pop("source_hidden", None)
            if not jup:
                cell.metadata.pop("jupyter", None)
        else:
            cell.source = _START.sub(r"\1False", cell.source)
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
