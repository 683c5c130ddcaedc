"""Helpers of the simulator's tests."""

from __future__ import annotations

import pandas as pd


def has(series: pd.Series, code: str) -> pd.Series:
    """Rows whose multi-select cell holds ``code``."""
    return series.fillna("").str.split(";").map(lambda items: code in items)


def share(mask: pd.Series, within: pd.Series | None = None) -> float:
    """Share of True in ``mask`` (among rows where ``within`` is True)."""
    if within is not None:
        mask = mask[within]
    return float(mask.mean())
