"""``CaseSimulator``: :func:`~htwork.simulate.simulate` with scikit-learn-style parameters."""

from __future__ import annotations

import pandas as pd

from htwork.core.params import ParamsMixin
from htwork.simulate.core import simulate


class CaseSimulator(ParamsMixin):
    """Draw synthetic sensitive case extracts.

    Parameters are stored unchanged (scikit-learn convention); :meth:`sample` draws. There is
    nothing to fit: the simulator's knowledge is its package data (``htwork/simulate/data``).

    Parameters
    ----------
    start_year, end_year : int, default 2018, 2025
    duplicate_rate : float, default 0.04
    agency_format : str, optional
        Draw only records of this crosswalk's country's agencies (see :func:`simulate`).

    Examples
    --------
    >>> sim = CaseSimulator(start_year=2021, end_year=2024)
    >>> df = sim.sample(200, seed=1)
    >>> int(df["cas_RegistrationDate"].min()[:4]) >= 2021
    True
    """

    def __init__(self, start_year: int = 2018, end_year: int = 2025,
                 duplicate_rate: float = 0.04, agency_format: str | None = None) -> None:
        self.start_year = start_year
        self.end_year = end_year
        self.duplicate_rate = duplicate_rate
        self.agency_format = agency_format

    def sample(self, n: int, seed: int = 0, *, return_truth: bool = False
               ) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
        """Draw ``n`` records (see :func:`htwork.simulate.simulate`)."""
        return simulate(n, seed, return_truth=return_truth, **self.get_params())

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"CaseSimulator({args})"
