"""Privacy accounting in zero-concentrated differential privacy (zCDP).

The differentially private synthesizer spends a budget ``rho`` (zCDP, Bun & Steinke 2016) on
three kinds of steps, all on the "add or remove one person" neighbouring relation:

- a Gaussian mechanism on a vector of counts with L2 sensitivity ``Delta`` and noise scale
  ``sigma`` is ``Delta**2 / (2 sigma**2)``-zCDP; ``m`` marginals that each person enters once
  have ``Delta = sqrt(m)`` when measured together;
- an exponential mechanism with privacy parameter ``eps`` (score sensitivity ``Delta_u``,
  probabilities ``exp(eps * u / (2 Delta_u))``) is ``eps**2 / 8``-zCDP (Cesar & Rogers 2021);
- zCDP composes by adding the ``rho`` of each step.

A ``rho``-zCDP mechanism is ``(eps, delta)``-DP for every ``delta > 0`` with the conversion of
Canonne, Kamath & Steinke (2020, Prop. 12/Cor. 13), tighter than the classic
``eps = rho + 2 sqrt(rho log(1/delta))``::

    delta = min_{a > 1} exp((a - 1)(a rho - eps)) / (a - 1) * (1 - 1/a)**a

:func:`cdp_rho` inverts it by bisection: the largest ``rho`` whose ``delta`` at ``eps`` is at most
the ``delta`` asked for. :class:`Ledger` records each step and refuses to overspend.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

__all__ = [
    "cdp_delta",
    "cdp_rho",
    "cdp_eps",
    "classic_rho",
    "gaussian_rho",
    "gaussian_sigma",
    "exponential_rho",
    "exponential_eps",
    "Ledger",
]


def cdp_delta(rho: float, eps: float) -> float:
    """Smallest ``delta`` such that ``rho``-zCDP implies ``(eps, delta)``-DP (CKS 2020)."""
    if rho < 0 or eps < 0:
        raise ValueError("rho and eps must be >= 0")
    if rho == 0:
        return 0.0

    def log_delta(a: float) -> float:
        return (a - 1) * (a * rho - eps) + a * math.log1p(-1 / a) - math.log(a - 1)

    # log_delta is convex in a on (1, inf) with derivative (2a - 1) rho - eps + log(1 - 1/a):
    # bisect on the derivative
    lo, hi = 1.0 + 1e-12, (eps + 1) / (2 * rho) + 2
    for _ in range(300):
        mid = (lo + hi) / 2
        if (2 * mid - 1) * rho - eps + math.log1p(-1 / mid) < 0:
            lo = mid
        else:
            hi = mid
    best = log_delta(max((lo + hi) / 2, 1.0 + 1e-9))
    return float(min(math.exp(best), 1.0))


def cdp_rho(eps: float, delta: float) -> float:
    """Largest ``rho`` such that ``rho``-zCDP implies ``(eps, delta)``-DP."""
    if eps <= 0:
        raise ValueError("epsilon must be > 0")
    if not 0 < delta < 1:
        raise ValueError("delta must be in (0, 1)")
    lo, hi = 0.0, eps + 1.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if cdp_delta(mid, eps) <= delta:
            lo = mid
        else:
            hi = mid
    return lo


def cdp_eps(rho: float, delta: float) -> float:
    """Smallest ``eps`` such that ``rho``-zCDP implies ``(eps, delta)``-DP."""
    lo, hi = 0.0, rho + 2 * math.sqrt(rho * math.log(1 / delta)) + 1e-12
    for _ in range(200):
        mid = (lo + hi) / 2
        if cdp_delta(rho, mid) <= delta:
            hi = mid
        else:
            lo = mid
    return hi


def classic_rho(eps: float, delta: float) -> float:
    """``rho`` from the classic ``eps = rho + 2 sqrt(rho log(1/delta))`` (looser)."""
    L = math.log(1 / delta)
    return (math.sqrt(L + eps) - math.sqrt(L)) ** 2


def gaussian_rho(sigma: float, sensitivity: float = 1.0) -> float:
    """zCDP of the Gaussian mechanism: ``sensitivity**2 / (2 sigma**2)``."""
    return sensitivity**2 / (2 * sigma**2)


def gaussian_sigma(rho: float, sensitivity: float = 1.0) -> float:
    """Noise scale of a Gaussian mechanism that spends ``rho``."""
    return sensitivity / math.sqrt(2 * rho)


def exponential_rho(eps: float) -> float:
    """zCDP of an ``eps``-DP exponential mechanism: ``eps**2 / 8``."""
    return eps**2 / 8


def exponential_eps(rho: float) -> float:
    """The exponential mechanism's ``eps`` that spends ``rho``: ``sqrt(8 rho)``."""
    return math.sqrt(8 * rho)


@dataclass
class Ledger:
    """Record of the zCDP spent by each step; refuses to go over the budget.

    Parameters
    ----------
    rho : float
        The whole budget.
    """

    rho: float
    steps: list[dict] = field(default_factory=list)

    @property
    def spent(self) -> float:
        """Total ``rho`` spent so far."""
        return math.fsum(s["rho"] for s in self.steps)

    def spend(self, rho: float, what: str, **details) -> None:
        """Record a step; raises ``ValueError`` when it would exceed the budget."""
        if rho < 0:
            raise ValueError("a step cannot spend a negative budget")
        if self.spent + rho > self.rho * (1 + 1e-9):
            raise ValueError(
                f"privacy budget exceeded: {what} needs rho={rho:.6g}, "
                f"{self.rho - self.spent:.6g} left of {self.rho:.6g}"
            )
        self.steps.append({"what": what, "rho": rho, **details})

    def to_dict(self) -> dict:
        """Budget, spent and steps, as plain data."""
        return {"rho": self.rho, "spent": self.spent, "steps": list(self.steps)}
