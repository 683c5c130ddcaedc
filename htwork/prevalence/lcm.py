"""Bayesian non-parametric latent-class capture-recapture (Manrique-Vallier 2016, as LCMCR).

People belong to latent classes; within a class, lists capture independently with class-specific
probabilities, so heterogeneity in catchability is modelled rather than assumed away. The model:

* class weights from a truncated stick-breaking process with ``K`` classes and concentration
  ``alpha ~ Gamma(a_alpha, b_alpha)`` (defaults 0.25, 0.25, as LCMCR);
* capture probabilities ``lambda[j, k] ~ Beta(1, 1)``;
* population size with the prior ``p(N) ∝ 1 / N``.

The Gibbs sampler augments the unobserved people: given the other parameters, their number is
negative binomial, ``N - n ~ NegBin(n, 1 - p0)`` with ``p0`` the probability of being on no
list. Several chains run from different seeds; convergence is reported by split R-hat and the
effective sample size of ``N``.

Reference: Manrique-Vallier, D. (2016). Bayesian population size estimation using Dirichlet
process mixtures. *Biometrics* 72, 1246–1254.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from htwork.prevalence.results import MSEResult
from htwork.prevalence.table import CaptureTable

__all__ = ["LatentClassFit", "fit_lcm", "split_rhat", "effective_sample_size"]


@dataclass
class LatentClassFit:
    """Posterior draws of the latent-class model.

    Attributes
    ----------
    draws : ndarray, shape (chains, samples)
        Posterior draws of the population size ``N``.
    rhat : float
        Split R-hat of ``N`` over chains (below 1.01-1.05 when chains agree).
    ess : float
        Effective sample size of ``N`` over all chains.
    observed : int
        People observed.
    settings : dict
        Sampler settings and seed.
    """

    draws: np.ndarray
    rhat: float
    ess: float
    observed: int
    lists: list[str]
    settings: dict

    def quantiles(self, probs: list[float]) -> np.ndarray:
        """Posterior quantiles of ``N``."""
        return np.quantile(self.draws.ravel(), probs)

    def result(self, level: float = 0.95) -> MSEResult:
        """Posterior median with an equal-tailed credible interval."""
        lo, med, hi = self.quantiles([(1 - level) / 2, 0.5, (1 + level) / 2])
        ok = self.rhat < 1.05 and self.ess >= 200
        warnings = [] if ok else [
            f"the chains may not have converged (R-hat {self.rhat:.3f}, effective sample "
            f"size {self.ess:.0f}); run longer (more burn-in and samples)"]
        return MSEResult(
            estimate=float(med), ci_low=float(lo), ci_high=float(hi), level=level,
            interval_kind="Bayesian credible interval (posterior quantiles) of the latent-class "
                          "model; averages over heterogeneity, no model selection",
            method="lcm", observed=self.observed, lists=self.lists,
            checks={"code": 0 if ok else 4,
                    "message": ("chains converged" if ok else "chains may not have converged"),
                    "rhat": self.rhat, "ess": self.ess},
            warnings=warnings,
            extra={"posterior_mean": float(self.draws.mean()), "rhat": self.rhat,
                   "ess": self.ess, **self.settings},
            fit=self,
        )


def split_rhat(draws: np.ndarray) -> float:
    """Split R-hat (Gelman et al. 2013) of draws shaped (chains, samples)."""
    c, n = draws.shape
    half = n // 2
    if half < 2:
        return math.nan
    x = np.vstack([draws[:, :half], draws[:, half:2 * half]])
    means = x.mean(axis=1)
    w = x.var(axis=1, ddof=1).mean()
    b = half * means.var(ddof=1)
    if w <= 0:
        return 1.0 if b <= 0 else math.inf
    var = (half - 1) / half * w + b / half
    return float(math.sqrt(var / w))


def effective_sample_size(draws: np.ndarray) -> float:
    """Multi-chain effective sample size (Geyer's initial positive sequence)."""
    c, n = draws.shape
    if n < 4:
        return float(c * n)
    x = draws - draws.mean(axis=1, keepdims=True)
    w = draws.var(axis=1, ddof=1).mean()
    b = n * draws.mean(axis=1).var(ddof=1) if c > 1 else 0.0
    var = (n - 1) / n * w + b / n
    if var <= 0:
        return float(c * n)
    f = np.fft.rfft(x, n=2 * n, axis=1)
    acov = np.fft.irfft(f * np.conj(f), axis=1)[:, :n] / n
    rho = 1.0 - (w - acov.mean(axis=0)) / var
    rho[0] = 1.0
    tau = -1.0
    t = 0
    while t + 1 < n:
        pair = rho[t] + rho[t + 1]
        if pair < 0:
            break
        tau += 2 * pair
        t += 2
    return float(c * n / max(tau, 1.0 / math.log10(max(c * n, 10))))


def _chains(x: np.ndarray, counts: np.ndarray, K: int, a_alpha: float, b_alpha: float,
            chains: int, burnin: int, samples: int, thinning: int,
            rng: np.random.Generator) -> np.ndarray:
    """Run all chains in lockstep (arrays carry a leading chain axis); draws of N."""
    J = x.shape[1]
    C = chains
    n = int(counts.sum())
    xt = x.T
    lam = rng.beta(1.0, 1.0, size=(C, J, K))
    alpha = np.ones(C)
    v = rng.beta(1.0, 1.0, size=(C, K))
    v[:, -1] = 1.0
    pi = v * np.concatenate([np.ones((C, 1)), np.cumprod(1 - v[:, :-1], axis=1)], axis=1)
    out = np.empty((C, samples))
    total = burnin + samples * thinning
    keep_at = burnin + thinning - 1
    k_out = 0
    cnt = np.broadcast_to(counts, (C, counts.size))
    ones = np.ones((C, 1))
    for it in range(total):
        loglam = np.log(lam)
        log1m = np.log1p(-lam)
        base = log1m.sum(axis=1)  # (C, K): log P(on no list | class)
        # classes of the observed people, pattern by pattern: (C, P, K)
        logp = np.matmul(x, loglam - log1m) + (base + np.log(pi))[:, None, :]
        logp -= logp.max(axis=2, keepdims=True)
        p = np.exp(logp)
        p /= p.sum(axis=2, keepdims=True)
        m = rng.multinomial(cnt, p)
        # the unobserved people: how many (negative binomial under p(N) ∝ 1/N), which classes
        p0k = pi * np.exp(base)
        p0 = np.clip(p0k.sum(axis=1), 1e-300, 1 - 1e-12)
        n0 = rng.negative_binomial(n, 1.0 - p0)
        m0 = rng.multinomial(n0, p0k / p0k.sum(axis=1, keepdims=True))
        nk = m.sum(axis=1) + m0
        s = np.matmul(xt, m)  # (C, J, K)
        lam = rng.beta(1.0 + s, 1.0 + nk[:, None, :] - s)
        np.clip(lam, 1e-12, 1 - 1e-12, out=lam)
        tail = np.cumsum(nk[:, ::-1], axis=1)[:, ::-1]
        tail = np.concatenate([tail[:, 1:], np.zeros((C, 1))], axis=1)
        v = rng.beta(1.0 + nk, alpha[:, None] + tail)
        v[:, -1] = 1.0
        v[:, :-1] = np.minimum(v[:, :-1], 1 - 1e-12)
        pi = v * np.concatenate([ones, np.cumprod(1 - v[:, :-1], axis=1)], axis=1)
        np.maximum(pi, 1e-300, out=pi)
        alpha = rng.gamma(a_alpha + K - 1, 1.0 / (b_alpha - np.log1p(-v[:, :-1]).sum(axis=1)))
        if it >= keep_at and (it - keep_at) % thinning == 0 and k_out < samples:
            out[:, k_out] = n + n0
            k_out += 1
    return out


def fit_lcm(table: CaptureTable, *, K: int = 10, a_alpha: float = 0.25, b_alpha: float = 0.25,
            chains: int = 4, burnin: int = 2000, samples: int = 1000, thinning: int = 5,
            seed: int | None = None) -> LatentClassFit:
    """Fit the latent-class capture-recapture model by Gibbs sampling.

    Parameters
    ----------
    table : CaptureTable
        The data.
    K : int
        Largest number of latent classes (stick-breaking truncation; LCMCR's default is 5,
        its examples use 10).
    a_alpha, b_alpha : float
        Gamma prior of the stick-breaking concentration.
    chains : int
        Independent chains (for R-hat).
    burnin, samples, thinning : int
        Iterations discarded, draws kept per chain, iterations between kept draws. The
        defaults suit exploration; for publication run longer (LCMCR's example: 10,000
        burn-in, 1,000 samples thinned by 100) and check R-hat and the effective sample size.
    seed : int, optional
        Seed of the one generator driving all chains (run side by side).

    Returns
    -------
    LatentClassFit
    """
    m = table.n_lists
    counts_all = table.cell_counts
    pats = np.flatnonzero(counts_all > 0)
    x = ((pats[:, None] >> np.arange(m)) & 1).astype(float)
    counts = counts_all[pats].astype(np.int64)
    draws = _chains(x, counts, K, a_alpha, b_alpha, chains, burnin, samples, thinning,
                    np.random.default_rng(seed))
    settings = {"K": K, "a_alpha": a_alpha, "b_alpha": b_alpha, "chains": chains,
                "burnin": burnin, "samples": samples, "thinning": thinning, "seed": seed}
    return LatentClassFit(draws=draws, rhat=split_rhat(draws), ess=effective_sample_size(draws),
                          observed=table.observed, lists=list(table.lists), settings=settings)
