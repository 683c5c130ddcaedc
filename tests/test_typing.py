"""`mypy htwork` stays clean (the settings and the libraries without type information are in
pyproject.toml's ``[tool.mypy]``; the stub packages are in the ``dev`` extra)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_mypy_finds_no_error_in_the_package(tmp_path):
    assert importlib.util.find_spec("mypy") is not None, "install the dev extra: .[dev]"
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy"), "htwork"],
        cwd=REPO, capture_output=True, text=True, timeout=1800,
    )
    assert proc.returncode == 0, f"mypy htwork:\n{proc.stdout[-6000:]}{proc.stderr[-2000:]}"
    assert "Success: no issues found" in proc.stdout
