"""`mypy htwork` and `ruff check` stay clean (the settings, and the libraries without type
information, are in pyproject.toml; the stub packages are in the ``dev`` extra)."""

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


def test_ruff_finds_nothing(tmp_path):
    """`ruff check` (the rules in pyproject.toml) is clean on the package, tests, benchmarks,
    tools and the notebooks, so that CI fails on a lint error and not only `make lint`."""
    assert importlib.util.find_spec("ruff") is not None, "install the dev extra: .[dev]"
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "htwork", "tests", "benchmarks",
         "tools", "conftest.py", "notebooks", "tutorials"],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, f"ruff check:\n{proc.stdout[-6000:]}{proc.stderr[-2000:]}"
