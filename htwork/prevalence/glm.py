"""A small, fast Poisson log-linear maximum-likelihood solver (Newton-Raphson) in numpy.

Capture-table design matrices are tiny (at most ``2**m - 1`` rows), so the cost of a fit is the
Python overhead of a dozen Newton steps; this solver keeps that overhead low so that thousands of
models fit in a second. It is checked against ``statsmodels`` GLM in the tests.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import lapack
from scipy.special import gammaln

__all__ = ["PoissonFit", "fit_poisson", "spd_solve", "column_rank"]

_ETA_MAX = 700.0


def spd_solve(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Solve ``A x = b`` for symmetric positive-definite ``A`` (LAPACK ``dposv``).

    Called directly because ``numpy.linalg`` on tiny matrices pays a large threading
    overhead with some BLAS builds (0.1 ms or more per call instead of 5 microseconds).

    Raises
    ------
    numpy.linalg.LinAlgError
        When ``A`` is not positive definite.
    """
    _, x, info = lapack.dposv(A, b)
    if info != 0:
        raise np.linalg.LinAlgError("matrix is not positive definite")
    return x


def column_rank(X: np.ndarray) -> int:
    """Numerical column rank from singular values (LAPACK ``dgesdd``)."""
    if X.shape[0] == 0:
        return 0
    _, s, _, info = lapack.dgesdd(X, compute_uv=0)
    if info != 0:
        return int(np.linalg.matrix_rank(X))
    tol = s.max(initial=0.0) * max(X.shape) * np.finfo(float).eps
    return int((s > tol).sum())


@dataclass
class PoissonFit:
    """Result of :func:`fit_poisson`.

    Attributes
    ----------
    beta : ndarray
        Coefficients.
    mu : ndarray
        Fitted means.
    cov : ndarray
        Inverse Fisher information (``cov.unscaled`` in R).
    loglik : float
        Poisson log-likelihood including the ``-log y!`` terms.
    deviance : float
        Residual deviance.
    converged : bool
        Whether the Newton iterations converged.
    iterations : int
        Number of Newton steps taken.
    """

    beta: np.ndarray
    mu: np.ndarray
    cov: np.ndarray
    loglik: float
    deviance: float
    converged: bool
    iterations: int


def _xlogy(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    out = np.zeros_like(y, dtype=float)
    pos = y > 0
    out[pos] = y[pos] * np.log(x[pos])
    return out


def fit_poisson(X: np.ndarray, y: np.ndarray, beta0: np.ndarray | None = None,
                tol: float = 1e-10, max_iter: int = 60) -> PoissonFit:
    """Maximum-likelihood fit of a Poisson GLM with log link.

    Parameters
    ----------
    X : ndarray, shape (n, p)
        Design matrix of full column rank.
    y : ndarray, shape (n,)
        Counts (may be non-integer, e.g. for profile likelihood).
    beta0 : ndarray, optional
        Starting coefficients; by default one IRLS step from ``log(y + 0.5)``.
    tol : float
        Convergence when the largest coefficient change is below ``tol``.
    max_iter : int
        Most Newton steps. Non-convergence usually means that the MLE does not exist.

    Returns
    -------
    PoissonFit
    """
    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float)
    if beta0 is None:
        mu = y + 0.5
        eta = np.log(mu)
        z = eta + (y - mu) / mu
        XtW = X.T * mu
        beta = spd_solve(XtW @ X, XtW @ z)
    else:
        beta = np.array(beta0, dtype=float)
    eta = np.minimum(X @ beta, _ETA_MAX)
    mu = np.exp(eta)
    ll = float(y @ eta - mu.sum())
    converged = False
    it = 0
    H = None
    for it in range(1, max_iter + 1):  # noqa: B007 - `it` reported after the loop
        grad = X.T @ (y - mu)
        H = (X.T * mu) @ X
        try:
            step = spd_solve(H, grad)
        except np.linalg.LinAlgError:
            break
        t = 1.0
        while True:
            nb = beta + t * step
            neta = np.minimum(X @ nb, _ETA_MAX)
            nmu = np.exp(neta)
            nll = float(y @ neta - nmu.sum())
            if nll >= ll - 1e-12 * (1.0 + abs(ll)) or t < 1e-8:
                break
            t *= 0.5
        beta, eta, mu, ll = nb, neta, nmu, nll
        if np.max(np.abs(t * step)) < tol * (1.0 + np.max(np.abs(beta))):
            converged = True
            break
    H = (X.T * mu) @ X
    try:
        cov = spd_solve(H, np.eye(H.shape[0]))
    except np.linalg.LinAlgError:
        cov = np.full_like(H, np.nan)
    loglik = float(ll - gammaln(y + 1.0).sum())
    deviance = float(2.0 * (_xlogy(y, y).sum() - _xlogy(y, mu).sum() - (y - mu).sum()))
    return PoissonFit(beta=beta, mu=mu, cov=cov, loglik=loglik, deviance=max(deviance, 0.0),
                      converged=converged, iterations=it)
