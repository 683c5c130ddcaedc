"""A trainee runs a learner copy top to bottom (Run All), then goes back and runs cells again,
in any order: nothing may break.

Each learner copy is run once, then every code cell is run again from the last to the first,
so that each cell meets the state the cells after it left (the hardest order: a check of an
early exercise after later exercises, a cell making a folder that already exists, a cell
removing a file twice). No cell may raise, and every check must still answer.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from htwork.tutor.learner import lesson_files

LEARNER = lesson_files(Path(__file__).resolve().parents[2] / "tutorials" / "learner")


def _errors(cell) -> list[str]:
    return [f"{o.get('ename')}: {o.get('evalue')}" for o in cell.get("outputs", [])
            if o.get("output_type") == "error"]


def _said(cell) -> str:
    return "\n".join(o.get("data", {}).get("text/plain", "") for o in cell.get("outputs", []))


@pytest.mark.slow
@pytest.mark.parametrize("path", LEARNER, ids=lambda p: p.name)
def test_run_all_then_every_cell_again_in_reverse(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    with client.setup_kernel():
        for i, cell in code:
            client.execute_cell(cell, i)
            assert not _errors(cell), f"{path.name}, Run All, cell {i}: {_errors(cell)}"
        for i, cell in reversed(code):
            client.execute_cell(cell, i)
            assert not _errors(cell), (
                f"{path.name}: cell {i} fails when run again after Run All: {_errors(cell)}\n"
                f"{cell.source}")
            if re.search(r"^\w*checks\.\w+\(", cell.source, re.M):
                assert re.search(r"(Exercise|Questionnaire).*: ", _said(cell)), (
                    f"{path.name}: the check in cell {i} no longer answers when run again")
