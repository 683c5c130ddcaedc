"""Shared fixtures: a small simulated extract written as the input standard."""

from __future__ import annotations

from pathlib import Path

import pytest

from htwork.simulate import simulate, write_standard_csv

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "datasets" / "demo" / "cases.csv"


@pytest.fixture(scope="session")
def extract(tmp_path_factory) -> Path:
    """1,200 simulated records in the input standard (names, phones, IDs, notes included)."""
    path = tmp_path_factory.mktemp("extract") / "cases.csv"
    write_standard_csv(simulate(1200, seed=7), path)
    return path


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Every file of a folder, by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}
