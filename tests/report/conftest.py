"""Shared data for the report tests: the bundled demo extract and its 2024Q3 report."""

from __future__ import annotations

import pytest

from htwork.io import read_table
from htwork.report import quarterly_report

QUARTER = "2024Q3"


@pytest.fixture(scope="session")
def demo(repo_root):
    return read_table(repo_root / "datasets" / "demo" / "cases.csv")


@pytest.fixture(scope="session")
def report(demo):
    return quarterly_report(demo, QUARTER)
