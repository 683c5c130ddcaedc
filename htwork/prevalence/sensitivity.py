"""How much does the estimate move? Threshold, list omission and list merging.

Multiple systems estimates of trafficking often swing with arbitrary choices (Silverman 2020;
Whitehead et al. 2021). This module recomputes the estimate under each alternative so that a
report can show the spread next to the headline number.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pandas as pd

from htwork.errors import InputError
from htwork.prevalence.estimate import estimate
from htwork.prevalence.table import CaptureTable

__all__ = ["sensitivity"]


def _row(kind: str, setting: str, table: CaptureTable, method: str, **kw) -> dict:
    try:
        r = estimate(table, method, **kw)
        return {"kind": kind, "setting": setting, "lists": table.n_lists,
                "observed": table.observed, "estimate": r.estimate, "ci_low": r.ci_low,
                "ci_high": r.ci_high, "model": r.hierarchy, "check_code": r.checks.get("code")}
    except InputError as err:
        return {"kind": kind, "setting": setting, "lists": table.n_lists,
                "observed": table.observed, "estimate": float("nan"), "ci_low": float("nan"),
                "ci_high": float("nan"), "model": None, "check_code": None,
                "error": str(err)}


def sensitivity(table: CaptureTable, method: str = "stepwise",
                thresholds: Sequence[float] = (0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2),
                omit: bool = True, merge: bool = True) -> pd.DataFrame:
    """Re-estimate under alternative thresholds, with each list left out and each pair merged.

    Parameters
    ----------
    table : CaptureTable
        The data.
    method : str
        Selection method (see :func:`~htwork.prevalence.estimate`); thresholds apply to
        ``stepwise`` only.
    thresholds : sequence of float
        Stepwise ``pthresh`` values to try.
    omit : bool
        Re-estimate with each list left out (when at least three lists).
    merge : bool
        Re-estimate with each pair of lists merged (when at least three lists).

    Returns
    -------
    DataFrame
        One row per alternative: ``kind`` (``baseline``, ``threshold``, ``omit``, ``merge``),
        ``setting``, ``estimate``, ``ci_low``, ``ci_high``, ``model``, ``check_code``.
    """
    rows = [_row("baseline", method, table, method)]
    if method == "stepwise":
        for p in thresholds:
            rows.append(_row("threshold", f"pthresh={p:g}", table, method, pthresh=p))
    if table.n_lists >= 3:
        if omit:
            for name in table.lists:
                rows.append(_row("omit", f"without {name}", table.omit_lists([name]), method))
        if merge:
            for a, b in itertools.combinations(table.lists, 2):
                rows.append(_row("merge", f"{a}+{b}", table.merge_lists([a, b]), method))
    return pd.DataFrame(rows)
