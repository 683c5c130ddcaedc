"""Shared tables for the synth tests (small, so that the module runs in well under a minute)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.synth.fixtures import case_table


@pytest.fixture(scope="session")
def cases() -> pd.DataFrame:
    """3,000 simulated CTDC-shaped rows."""
    return case_table(3000, seed=7)


@pytest.fixture(scope="session")
def split() -> tuple[pd.DataFrame, pd.DataFrame]:
    """1,200 training rows and 1,200 holdout rows from one simulated table."""
    t = case_table(2400, seed=11)
    return t.iloc[:1200].reset_index(drop=True), t.iloc[1200:].reset_index(drop=True)
