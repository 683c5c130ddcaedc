"""Can a log-linear model be estimated from this table? Existence and identifiability checks.

Two separate conditions, with the codes SparseMSE's ``checkident`` and
MultipleSystemsEstimation's ``check_extended_MLE`` use:

* **existence** of the extended maximum-likelihood estimate (Fienberg and Rinaldo 2012): terms
  whose observed margin is zero are set to minus infinity and the cells they cover dropped; on the
  cells left, the MLE exists when the observed margins lie inside the marginal cone, which a
  linear program decides: maximise ``s`` subject to ``A x = A y``, ``x >= s``, ``x >= 0``
  (``A`` the transposed design matrix); the estimate does not exist when the optimum is 0;
* **identifiability**: the design matrix on the cells left has full column rank.

Code 0 means both hold, 1 that the estimate does not exist, 2 that it is not identifiable, 3 both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import linprog

from htwork.core.results import Result
from htwork.prevalence.glm import spd_solve

__all__ = ["ModelCheck", "existence_lp", "CODE_WORDS"]

CODE_WORDS = {
    0: "the extended maximum-likelihood estimate exists and is identifiable",
    1: "the maximum-likelihood estimate does not exist (Fienberg-Rinaldo linear program): the "
       "estimate would be infinite or meaningless",
    2: "the model is not identifiable: its design matrix is rank deficient on the cells that can "
       "be fitted, so the estimate is arbitrary",
    3: "the maximum-likelihood estimate does not exist and the model is not identifiable",
}


@dataclass(frozen=True)
class ModelCheck(Result):
    """Outcome of the existence and identifiability checks for one model on one table.

    Attributes
    ----------
    code : int
        0 fine, 1 no (extended) MLE, 2 not identifiable, 3 both.
    rank_deficiency : int
        Number of design columns beyond the rank.
    minus_infinity : tuple of str
        Terms set to minus infinity (observed margin zero), as ``"A:B"``.
    method : str
        How existence was decided: ``"positive cells"``, ``"certificate"`` (the fitted means
        satisfy the linear program's constraints strictly) or ``"linear program"``.
    """

    code: int
    rank_deficiency: int = 0
    minus_infinity: tuple[str, ...] = field(default_factory=tuple)
    method: str = ""

    @property
    def ok(self) -> bool:
        """True when the model can be used."""
        return self.code == 0

    @property
    def exists(self) -> bool:
        """True when the extended MLE exists."""
        return not self.code & 1

    @property
    def identifiable(self) -> bool:
        """True when the parameters are identifiable."""
        return not self.code & 2

    @property
    def message(self) -> str:
        """The code in words."""
        text = CODE_WORDS[self.code]
        if self.minus_infinity and self.code == 0:
            text += (f"; {', '.join(self.minus_infinity)} at minus infinity (no overlap), "
                     "cells dropped")
        return text

    def summary(self) -> str:
        """The code and its meaning, in one line."""
        return f"check code {self.code}: {self.message}"

    def _data(self) -> dict[str, Any]:
        """Code, message, existence, identifiability and the terms at minus infinity."""
        return {
            "code": self.code,
            "message": self.message,
            "exists": self.exists,
            "identifiable": self.identifiable,
            "rank_deficiency": self.rank_deficiency,
            "minus_infinity": list(self.minus_infinity),
            "method": self.method,
        }


def existence_lp(X: np.ndarray, y: np.ndarray) -> tuple[bool, float]:
    """Fienberg-Rinaldo linear program for existence of the MLE.

    Parameters
    ----------
    X : ndarray, shape (cells, params)
        Design matrix on the cells kept (cells under minus-infinity terms removed).
    y : ndarray, shape (cells,)
        Observed counts on those cells.

    Returns
    -------
    exists : bool
        True when the optimum ``s`` is positive.
    s : float
        The optimum.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, p = X.shape
    A = X.T
    t = A @ y
    c = np.zeros(n + 1)
    c[-1] = -1.0  # maximise s
    a_eq = np.hstack([A, np.zeros((p, 1))])
    a_ub = np.hstack([-np.eye(n), np.ones((n, 1))])  # s - x_i <= 0
    res = linprog(c, A_ub=a_ub, b_ub=np.zeros(n), A_eq=a_eq, b_eq=t,
                  bounds=[(0, None)] * (n + 1), method="highs")
    if res.status != 0 or res.fun is None:
        return False, 0.0
    s = float(-res.fun)
    return s > 1e-9 * max(1.0, float(y.sum())), s


def certificate(X: np.ndarray, y: np.ndarray, mu: np.ndarray) -> bool:
    """Cheap proof that the MLE exists: a strictly positive point satisfying the LP constraints.

    At a converged fit the score equations ``X' mu = X' y`` hold up to rounding; ``mu`` is
    corrected onto the constraint set by least squares. If every corrected value is clearly
    positive, the linear program's optimum is positive and the MLE exists. When this fails the
    caller runs the linear program.
    """
    r = X.T @ (y - mu)
    try:
        delta = X @ spd_solve(X.T @ X, r)
    except np.linalg.LinAlgError:
        return False
    x = mu + delta
    return bool(np.min(x) > 1e-6 and _close(X.T @ x, X.T @ y))


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.max(np.abs(a - b)) <= 1e-7 + 1e-9 * np.max(np.abs(b)))
