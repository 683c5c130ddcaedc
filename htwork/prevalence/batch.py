"""Fit many log-linear models to one table at once: Newton-Raphson vectorised over models.

Model selection fits hundreds or thousands of small models to the same cells. Fitting them one
by one costs mostly Python overhead; here every model becomes one slice of a stacked design
array (dropped cells zeroed, missing columns padded with an identity block in the Hessian) and
all Newton steps run as stacked numpy operations. The numbers equal the one-at-a-time solver's;
models whose checks need the linear program, or whose iterations do not converge (typically a
maximum-likelihood estimate that does not exist), are finished one at a time.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from scipy.special import gammaln

from htwork.prevalence.checks import ModelCheck, existence_lp
from htwork.prevalence.glm import spd_solve
from htwork.prevalence.model import Model

if TYPE_CHECKING:
    from htwork.prevalence.loglinear import Design, LogLinearFit

__all__ = ["fit_many"]

_ETA_MAX = 700.0
_CHUNK = 768


def fit_many(design: Design, models: list[Model], tol: float = 1e-10,
             max_iter: int = 60, n_jobs: int = 1) -> list[LogLinearFit]:
    """Fit several models to one table, vectorised; results are cached in ``design``.

    Parameters
    ----------
    design : Design
        The table.
    models : list of Model
        Models to fit (already-fitted ones are taken from the cache).
    tol, max_iter : float, int
        Newton convergence tolerance (largest coefficient change) and iteration cap.
    n_jobs : int
        Worker processes; used when there are at least 2,000 models to fit.

    Returns
    -------
    list of LogLinearFit
        In the order of ``models``.
    """
    todo = [m for m in dict.fromkeys(models) if m.terms not in design._fits]
    if n_jobs > 1 and len(todo) >= 2000:
        _fit_parallel(design, todo, n_jobs)
        todo = [m for m in todo if m.terms not in design._fits]
    for start in range(0, len(todo), _CHUNK):
        _fit_chunk(design, todo[start:start + _CHUNK], tol, max_iter)
    return [design._fits[m.terms] for m in models]


def _export(fit: LogLinearFit) -> tuple:
    """What a worker sends back: everything but the design."""
    return (fit.model.terms, fit.check, fit.estimate, fit.dark, fit.loglik, fit.deviance,
            fit.aic, fit.bic, fit.df, fit.converged, fit._est, fit._sparse, fit._beta,
            None if fit._keep is None else np.packbits(fit._keep))


def _worker(counts: np.ndarray, lists: tuple[str, ...], term_sets: list[frozenset[int]],
            tol: float, max_iter: int) -> list[tuple]:
    from htwork.prevalence.loglinear import Design

    design = Design(counts, lists)
    models = [Model(len(lists), t) for t in term_sets]
    return [_export(f) for f in fit_many(design, models, tol, max_iter)]


def _fit_parallel(design: Design, models: list[Model], n_jobs: int, tol: float = 1e-10,
                  max_iter: int = 60) -> None:
    """Split a long list of models over worker processes (contiguous blocks, so that
    sub-models mostly share a worker with their super-models)."""
    import os
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from multiprocessing import get_context

    from htwork.prevalence.loglinear import LogLinearFit

    counts = np.concatenate([[0.0], design.y])
    size = -(-len(models) // n_jobs)
    blocks = [[m.terms for m in models[i:i + size]] for i in range(0, len(models), size)]
    ctx = get_context("fork" if os.name == "posix" else "spawn")
    try:
        with ProcessPoolExecutor(max_workers=n_jobs, mp_context=ctx) as ex:
            results = list(ex.map(_worker, [counts] * len(blocks), [design.lists] * len(blocks),
                                  blocks, [tol] * len(blocks), [max_iter] * len(blocks)))
    except BrokenProcessPool:
        # a worker died (killed for memory, or a forked child of a process with threads that
        # crashed): the caller fits what is left in this process, to the same results
        return
    n = design.cells.shape[0]
    for block in results:
        for (terms, check, est, dark, ll, dev, aic, bic, df, conv, e, sp, beta, keep) in block:
            fit = LogLinearFit(Model(design.m, terms), design.lists, check,
                               int(round(design.observed)), estimate=est, dark=dark, loglik=ll,
                               deviance=dev, aic=aic, bic=bic, df=df, converged=conv)
            fit._est, fit._sparse, fit._beta = e, sp, beta
            fit._design = design
            if keep is not None:
                fit._keep = np.unpackbits(keep)[:n].astype(bool)
            design._fits[terms] = fit


def _fit_chunk(design: Design, models: list[Model], tol: float, max_iter: int) -> None:
    from htwork.prevalence.loglinear import LogLinearFit, _fit, _name

    if not models:
        return
    if len(models) < 3:
        for m in models:
            design._fits[m.terms] = _fit(design, m)
        return
    n = design.cells.shape[0]
    y_all = design.y
    specs = []
    for mod in models:
        params = design.params(mod)
        sparse = [t for t in params[1:] if design.margin(t) == 0.0]
        est = [t for t in params if t not in sparse]
        keep = np.ones(n, dtype=bool)
        for t in sparse:
            keep &= ~design.covers(t)
        specs.append((mod, est, sparse, keep))
    B = len(specs)
    P = max(len(s[1]) for s in specs)
    X = np.zeros((B, n, P))
    rowmask = np.zeros((B, n))
    colmask = np.zeros((B, P))
    for b, (_, est, _, keep) in enumerate(specs):
        X[b, :, :len(est)] = np.stack([design.column(t) for t in est], axis=1)
        X[b, ~keep, :] = 0.0
        rowmask[b] = keep
        colmask[b, :len(est)] = 1.0
    pad = np.zeros((B, P, P))
    idx = np.arange(P)
    pad[:, idx, idx] = 1.0 - colmask
    Y = y_all[None, :] * rowmask

    # identifiability screen: Cholesky of X'X; a vanishing pivot sends the model to the
    # one-at-a-time path, which computes the rank from singular values
    XT = np.swapaxes(X, 1, 2)
    G = np.matmul(XT, X) + pad
    rankdef = _rank_screen(G)

    good = np.flatnonzero(rankdef == 0)
    # warm starts from an already fitted parent model (one term fewer), where there is one
    beta = np.zeros((B, P))
    warm = np.zeros(B, dtype=bool)
    for b, (mod, est, _, _) in enumerate(specs):
        if mod.terms:
            parent = design._fits.get(mod.terms - {mod.sorted_terms[-1]})
            if parent is not None:
                start = parent.start_for(est)
                if start is not None:
                    beta[b, :len(est)] = start
                    warm[b] = True
    converged = np.zeros(B, dtype=bool)
    if good.size:
        beta[good], converged[good] = _newton(X[good], Y[good], rowmask[good], pad[good], tol,
                                               max_iter, beta[good], warm[good])

    eta = np.minimum(np.matmul(X, beta[:, :, None])[:, :, 0], _ETA_MAX)
    mu = np.exp(eta) * rowmask
    okH = good[converged[good]]
    # certificate of existence: correct mu onto X'x = X'y and check positivity
    cert = np.zeros(B, dtype=bool)
    if okH.size:
        r = np.matmul(XT[okH], (Y[okH] - mu[okH])[:, :, None])[:, :, 0]
        delta = np.matmul(X[okH], spd_solve_stack(G[okH], r)[:, :, None])[:, :, 0]
        xc = mu[okH] + delta
        xc_masked = np.where(rowmask[okH] > 0, xc, np.inf)
        lhs = np.matmul(XT[okH], xc[:, :, None])[:, :, 0]
        rhs = np.matmul(XT[okH], Y[okH][:, :, None])[:, :, 0]
        close = np.max(np.abs(lhs - rhs), axis=1) <= 1e-7 + 1e-9 * np.max(np.abs(rhs), axis=1)
        cert[okH] = (xc_masked.min(axis=1) > 1e-6) & close
    allpos = np.all((Y > 0) | (rowmask == 0), axis=1)
    lgy = gammaln(Y + 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ylogmu = np.where(Y > 0, Y * np.log(np.where(mu > 0, mu, 1.0)), 0.0)
        ylogy = np.where(Y > 0, Y * np.log(np.where(Y > 0, Y, 1.0)), 0.0)
    loglik = (ylogmu - mu - lgy * rowmask).sum(axis=1)
    deviance = 2.0 * (ylogy - ylogmu - (Y - mu)).sum(axis=1)
    logn = math.log(max(design.observed, 1.0))
    observed = int(round(design.observed))

    for b, (mod, est, sparse, keep) in enumerate(specs):
        minus_inf = tuple(_name(t, design.lists) for t in sparse)
        p = len(est)
        if rankdef[b] == 0 and not (converged[b] and (allpos[b] or cert[b])):
            # Newton did not settle: usually no MLE. A sub-model on the same cells without an
            # MLE settles it (its Farkas direction still applies); otherwise the LP decides.
            how = design.known_nonexistent(mod, keep)
            if how is None:
                Xb = X[b][keep][:, :p]
                how = None if existence_lp(Xb, y_all[keep])[0] else "linear program"
            if how is not None:
                design.record_nonexistent(mod, keep)
                design._fits[mod.terms] = LogLinearFit(
                    mod, design.lists, ModelCheck(1, 0, minus_inf, how),
                    observed, converged=False, df=int(keep.sum() - p),
                    _est=est, _sparse=sparse, _design=design, _keep=keep)
                continue
        if rankdef[b] > 0 or not converged[b] or not (allpos[b] or cert[b]):
            design._fits[mod.terms] = _fit(design, mod)
            continue
        how = "positive cells" if allpos[b] else "certificate"
        out = LogLinearFit(mod, design.lists, ModelCheck(0, 0, minus_inf, how), observed,
                           converged=True, df=int(keep.sum() - p))
        out.loglik = float(loglik[b])
        out.deviance = max(float(deviance[b]), 0.0)
        npar = mod.n_params
        out.aic = 2 * npar - 2 * out.loglik
        out.bic = npar * logn - 2 * out.loglik
        out._est, out._sparse = est, sparse
        out._beta = beta[b, :p].copy()
        out._design, out._keep = design, keep
        out.dark = float(math.exp(beta[b, 0]))
        out.estimate = observed + out.dark
        design._fits[mod.terms] = out


def _newton(X: np.ndarray, Y: np.ndarray, rowmask: np.ndarray, pad: np.ndarray, tol: float,
            max_iter: int, beta0: np.ndarray, warm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Stacked Newton-Raphson for Poisson log-linear fits with step halving.

    Rows with ``warm`` start from ``beta0``; the others from one IRLS step at ``y + 0.5``.
    """
    B, n, P = X.shape
    XT = np.swapaxes(X, 1, 2)
    beta = beta0.copy()
    cold = np.flatnonzero(~warm)
    if cold.size:
        Xc, XTc, Yc, rc = X[cold], XT[cold], Y[cold], rowmask[cold]
        mu0 = (Yc + 0.5) * rc
        z = np.where(rc > 0, np.log(Yc + 0.5) + (Yc - mu0) / (Yc + 0.5), 0.0)
        A = np.matmul(XTc * mu0[:, None, :], Xc) + pad[cold]
        beta[cold] = spd_solve_stack(A, np.matmul(XTc, (mu0 * z)[:, :, None])[:, :, 0])
    conv = np.zeros(B, dtype=bool)

    def loglik(Xa, Ya, ra, b):
        e = np.minimum(np.matmul(Xa, b[:, :, None])[:, :, 0], _ETA_MAX)
        m = np.exp(e) * ra
        return (Ya * e - m).sum(axis=1), m

    act = np.arange(B)
    ll, mu = loglik(X, Y, rowmask, beta)
    for _ in range(max_iter):
        if act.size == 0:
            break
        Xa, XTa, Ya = X[act], XT[act], Y[act]
        ra, mua = rowmask[act], mu[act]
        grad = np.matmul(XTa, (Ya - mua)[:, :, None])[:, :, 0]
        H = np.matmul(XTa * mua[:, None, :], Xa) + pad[act]
        try:
            step = spd_solve_stack(H, grad)
        except np.linalg.LinAlgError:
            break
        t = np.ones(act.size)
        ba = beta[act]
        lla = ll[act]
        nb = ba + step
        nll, nmu = loglik(Xa, Ya, ra, nb)
        bad = nll < lla - 1e-12 * (1.0 + np.abs(lla))
        for _h in range(40):
            if not bad.any():
                break
            t[bad] *= 0.5
            nb[bad] = ba[bad] + t[bad, None] * step[bad]
            nll[bad], nmu[bad] = loglik(Xa[bad], Ya[bad], ra[bad], nb[bad])
            bad = nll < lla - 1e-12 * (1.0 + np.abs(lla))
        beta[act], ll[act], mu[act] = nb, nll, nmu
        moved = np.max(np.abs(t[:, None] * step), axis=1)
        done = moved < tol * (1.0 + np.max(np.abs(nb), axis=1))
        conv[act[done]] = True
        # drifting off to infinity: likelihood flat while fitted zero cells vanish
        zero_cells = (Ya == 0) & (ra > 0)
        tiny = np.where(zero_cells, nmu, np.inf).min(axis=1) < 1e-9
        flat = (nll - lla) < 1e-9 * (1.0 + np.abs(lla))
        act = act[~done & ~(tiny & flat)]
    return beta, conv


def spd_solve_stack(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Solve a stack of symmetric positive-definite systems ``A[k] x[k] = b[k]``.

    Small stacks call LAPACK once per matrix; large ones use numpy's stacked Cholesky and
    vectorised triangular substitution (``numpy.linalg.solve`` on stacks is several times
    slower with some BLAS builds).
    """
    B, P, _ = A.shape
    if B < 256:
        out = np.empty_like(b)
        for k in range(B):
            out[k] = spd_solve(A[k], b[k])
        return out
    L = np.linalg.cholesky(A)
    z = np.empty_like(b)
    for j in range(P):
        z[:, j] = (b[:, j] - (L[:, j, :j] * z[:, :j]).sum(axis=1)) / L[:, j, j]
    x = np.empty_like(b)
    for j in range(P - 1, -1, -1):
        x[:, j] = (z[:, j] - (L[:, j + 1:, j] * x[:, j + 1:]).sum(axis=1)) / L[:, j, j]
    return x


def _rank_screen(G: np.ndarray) -> np.ndarray:
    """1 where a Gram matrix looks singular (tiny Cholesky pivot), else 0."""
    try:
        L = np.linalg.cholesky(G)
        piv = np.diagonal(L, axis1=1, axis2=2) ** 2
        diag = np.diagonal(G, axis1=1, axis2=2)
        return (piv < 1e-9 * np.maximum(diag, 1.0)).any(axis=1).astype(int)
    except np.linalg.LinAlgError:
        out = np.zeros(G.shape[0], dtype=int)
        for k in range(G.shape[0]):
            try:
                Lk = np.linalg.cholesky(G[k])
                piv = np.diag(Lk) ** 2
                out[k] = int((piv < 1e-9 * np.maximum(np.diag(G[k]), 1.0)).any())
            except np.linalg.LinAlgError:
                out[k] = 1
        return out
