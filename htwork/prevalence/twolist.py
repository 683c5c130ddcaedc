"""Closed-form estimators: Lincoln-Petersen, Chapman (two lists) and Chao's lower bound.

Intervals use Chao's (1987) log-normal transformation of the unobserved count ``f0``:
``observed + f0 / C`` to ``observed + f0 * C`` with ``C = exp(z sqrt(log(1 + var / f0**2)))``,
so the lower bound never falls below the number observed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from scipy import stats

from htwork.errors import InputError
from htwork.prevalence.results import MSEResult
from htwork.prevalence.table import CaptureTable

__all__ = ["lincoln_petersen", "chapman", "chao_lower_bound", "lognormal_interval"]


def lognormal_interval(observed: float, estimate: float, variance: float,
                       level: float = 0.95) -> tuple[float, float]:
    """Chao's log-normal interval for a population size.

    Parameters
    ----------
    observed : float
        People observed.
    estimate : float
        Estimated population size.
    variance : float
        Estimated variance of the estimate.
    level : float
        Coverage.
    """
    f0 = estimate - observed
    if not math.isfinite(estimate) or not math.isfinite(variance):
        return (math.nan, math.nan)
    if f0 <= 0 or variance <= 0:
        return (estimate, estimate)
    z = stats.norm.ppf(0.5 + level / 2)
    c = math.exp(z * math.sqrt(math.log(1.0 + variance / f0 ** 2)))
    return (observed + f0 / c, observed + f0 * c)


def _pair(table: CaptureTable, lists: Sequence[str] | None) -> tuple[CaptureTable, list[str]]:
    warnings: list[str] = []
    if lists is None:
        if table.n_lists != 2:
            raise InputError(
                f"two-list estimators need two lists; the table has {table.n_lists}",
                hint="name the two lists to use, e.g. lists=('A', 'B'); people on neither "
                     "are left out",
            )
        return table, warnings
    lists = list(lists)
    if len(lists) != 2:
        raise InputError("give exactly two lists")
    others = [n for n in table.lists if n not in lists]
    sub = table.omit_lists(others) if others else table
    if others:
        lost = table.observed - sub.observed
        warnings.append(f"lists {', '.join(others)} left out; {lost} people only on them are "
                        "not counted as observed")
    return sub, warnings


def _counts(t: CaptureTable) -> tuple[int, int, int]:
    n1 = t.margin([0])
    n2 = t.margin([1])
    m = t.margin([0, 1])
    return n1, n2, m


def lincoln_petersen(table: CaptureTable, lists: Sequence[str] | None = None,
                     level: float = 0.95) -> MSEResult:
    """Lincoln-Petersen estimate ``n1 n2 / m`` with Seber's variance.

    Parameters
    ----------
    table : CaptureTable
        Two lists, or more with ``lists`` naming the two to use.
    lists : pair of str, optional
        The two lists.
    level : float
        Interval coverage.

    Returns
    -------
    MSEResult
        Infinite estimate (with a warning) when the lists do not overlap.
    """
    t, warns = _pair(table, lists)
    n1, n2, m = _counts(t)
    n = t.observed
    if m == 0:
        warns.append("the two lists do not overlap: the Lincoln-Petersen estimate is infinite; "
                     "use Chapman's estimator or more lists")
        est, var = math.inf, math.nan
    else:
        est = n1 * n2 / m
        var = n1 * n2 * (n1 - m) * (n2 - m) / m ** 3
    lo, hi = lognormal_interval(n, est, var, level) if m else (math.nan, math.nan)
    return MSEResult(
        estimate=est, ci_low=lo, ci_high=hi, level=level,
        interval_kind="log-normal (Chao 1987), Seber variance; assumes independent lists",
        method="lincoln-petersen", observed=n, lists=list(t.lists), warnings=warns,
        checks={"code": 0 if m else 1,
                "message": "lists overlap" if m else "lists do not overlap: no finite estimate"},
        extra={"n1": n1, "n2": n2, "overlap": m, "variance": var},
    )


def chapman(table: CaptureTable, lists: Sequence[str] | None = None,
            level: float = 0.95) -> MSEResult:
    """Chapman's nearly unbiased estimate ``(n1+1)(n2+1)/(m+1) - 1`` with its variance."""
    t, warns = _pair(table, lists)
    n1, n2, m = _counts(t)
    n = t.observed
    est = (n1 + 1) * (n2 + 1) / (m + 1) - 1
    var = (n1 + 1) * (n2 + 1) * (n1 - m) * (n2 - m) / ((m + 1) ** 2 * (m + 2))
    if m == 0:
        warns.append("the two lists do not overlap: Chapman's estimate is finite but rests on "
                     "no overlap at all; treat it as very uncertain")
    lo, hi = lognormal_interval(n, est, var, level)
    return MSEResult(
        estimate=est, ci_low=lo, ci_high=hi, level=level,
        interval_kind="log-normal (Chao 1987), Chapman variance; assumes independent lists",
        method="chapman", observed=n, lists=list(t.lists), warnings=warns,
        checks={"code": 0, "message": "closed form"},
        extra={"n1": n1, "n2": n2, "overlap": m, "variance": var},
    )


def chao_lower_bound(table: CaptureTable, level: float = 0.95) -> MSEResult:
    """Chao's (1987) lower bound ``n + f1**2 / (2 f2)`` from people seen once and twice.

    With ``f2 = 0`` the bias-corrected form ``n + f1 (f1 - 1) / 2`` is used. Valid under
    heterogeneous capture probabilities; it is a lower bound, not an estimate.
    """
    m = table.n_lists
    counts = table.cell_counts
    times = [bin(p).count("1") for p in range(1 << m)]
    f1 = int(sum(c for p, c in enumerate(counts) if times[p] == 1))
    f2 = int(sum(c for p, c in enumerate(counts) if times[p] == 2))
    n = table.observed
    warns: list[str] = []
    if f2 > 0:
        f0 = f1 ** 2 / (2 * f2)
        r = f1 / f2
        var = f2 * (r ** 4 / 4 + r ** 3 + r ** 2 / 2)
    else:
        f0 = f1 * (f1 - 1) / 2
        var = f1 * (f1 - 1) / 2 + f1 * (2 * f1 - 1) ** 2 / 4 - f1 ** 4 / (4 * (n + f0))
        warns.append("nobody is on exactly two lists: bias-corrected bound used")
    est = n + f0
    lo, hi = lognormal_interval(n, est, var, level)
    return MSEResult(
        estimate=est, ci_low=lo, ci_high=hi, level=level,
        interval_kind="log-normal (Chao 1987); a lower bound under heterogeneity",
        method="chao lower bound", observed=n, lists=list(table.lists), warnings=warns,
        checks={"code": 0, "message": "closed form"},
        extra={"f1": f1, "f2": f2, "variance": var},
    )
