"""Shared fixtures: the published tables shipped in datasets/mse."""

from __future__ import annotations

from pathlib import Path

import pytest

from htwork.prevalence import CaptureTable

DATA = Path(__file__).resolve().parents[2] / "datasets" / "mse"


@pytest.fixture(scope="session")
def uk() -> CaptureTable:
    """UK 2013, five lists (Silverman 2014)."""
    return CaptureTable.from_counts(DATA / "uk_2013.csv")


@pytest.fixture(scope="session")
def artificial() -> CaptureTable:
    """SparseMSE's artificial three-list table."""
    return CaptureTable.from_counts(DATA / "artificial_3.csv")
