"""A 20,000-record simulated extract shared by the simulator's tests."""

from __future__ import annotations

import pandas as pd
import pytest

from htwork.simulate import simulate

N = 20_000
SEED = 424242


@pytest.fixture(scope="session")
def sample() -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(extract, truth)`` of 20,000 simulated records."""
    return simulate(N, SEED, return_truth=True)


@pytest.fixture(scope="session")
def df(sample) -> pd.DataFrame:
    return sample[0]


@pytest.fixture(scope="session")
def truth(sample) -> pd.DataFrame:
    return sample[1]


@pytest.fixture(scope="session")
def ages(df) -> pd.DataFrame:
    """Registration year, age at registration (from the birth date) and age when trafficked."""
    reg = pd.to_datetime(df["cas_RegistrationDate"])
    birth = pd.to_datetime(df["prs_Birthdate"])
    before = (reg.dt.month < birth.dt.month) | (
        (reg.dt.month == birth.dt.month) & (reg.dt.day < birth.dt.day))
    return pd.DataFrame({
        "year": reg.dt.year,
        "age_at_registration": reg.dt.year - birth.dt.year - before.astype(int),
        "age_trafficked": pd.to_numeric(df["vic_AgeWhenTrafficked"]),
    })
