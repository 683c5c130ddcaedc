"""Simulate overlapping agency lists from a population of known size.

Each person's capture pattern ``x`` (one 0/1 per list) is drawn from

``P(x | u) ∝ exp( sum_j x_j (logit p_j + u) + sum_{j<k} g_jk x_j x_k )``

with ``p_j`` the capture probability of list ``j``, ``g_jk`` the pairwise dependence (log odds
ratio: positive when agency ``j`` refers people to agency ``k``, negative when they work with
different groups) and ``u ~ Normal(0, heterogeneity**2)`` a person's own catchability, shared by
all lists (the heterogeneity that makes log-linear models underestimate). With no dependence and
no heterogeneity, lists are independent with probabilities exactly ``p_j``.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.special import logit

from htwork.errors import InputError
from htwork.prevalence.table import CaptureTable

__all__ = ["Simulation", "simulate_lists"]


@dataclass
class Simulation:
    """Simulated lists and the truth behind them.

    Attributes
    ----------
    table : CaptureTable
        What the agencies would see.
    true_size : int
        Population size (observed plus never captured).
    unobserved : int
        People on no list.
    params : dict
        Settings used (probabilities, dependence, heterogeneity, seed).
    """

    table: CaptureTable
    true_size: int
    unobserved: int
    params: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        return (f"Simulation(true_size={self.true_size}, observed={self.table.observed}, "
                f"lists={list(self.table.lists)})")


def _pattern_logits(m: int, base: np.ndarray, gamma: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    pats = np.arange(1 << m)
    bits = ((pats[:, None] >> np.arange(m)) & 1).astype(float)
    inter = np.einsum("pj,jk,pk->p", bits, np.triu(gamma, 1), bits)
    return bits, bits @ base + inter


def simulate_lists(n: int, probs: Sequence[float] | np.ndarray, *,
                   dependence: (Mapping[tuple[str, str], float] | Mapping[str, float]
                                | None) = None,
                   heterogeneity: float = 0.0, lists: Sequence[str] | None = None,
                   seed: int | None = None) -> Simulation:
    """Simulate capture lists for a population of ``n`` people.

    Parameters
    ----------
    n : int
        True population size.
    probs : sequence of float
        Capture probability of each list (for an average person, without dependence).
    dependence : mapping, optional
        Pairwise log odds ratios, keyed ``("A", "B")`` or ``"A:B"``.
    heterogeneity : float
        Standard deviation of each person's shared catchability on the logit scale (0: none).
    lists : sequence of str, optional
        List names (``A``, ``B``, ... by default).
    seed : int, optional
        Random seed (numpy ``default_rng``).

    Returns
    -------
    Simulation

    Raises
    ------
    htwork.errors.InputError
        Probabilities outside (0, 1), fewer than two lists, unknown list names, or a
        population in which nobody is captured.
    """
    probs = np.asarray(probs, dtype=float)
    m = probs.size
    if m < 2:
        raise InputError("simulate at least two lists")
    if np.any((probs <= 0) | (probs >= 1)):
        raise InputError("capture probabilities must lie strictly between 0 and 1")
    if n < 1:
        raise InputError("population size must be at least 1")
    names = list(lists) if lists is not None else [chr(ord("A") + i) for i in range(m)]
    if len(names) != m:
        raise InputError(f"{len(names)} list names for {m} probabilities")
    gamma = np.zeros((m, m))
    for key, val in (dependence or {}).items():
        a, b = key.split(":") if isinstance(key, str) else key
        if a not in names or b not in names:
            raise InputError(f"dependence names unknown list(s) {a!r}, {b!r}")
        i, j = sorted((names.index(a), names.index(b)))
        gamma[i, j] = float(val)
    rng = np.random.default_rng(seed)
    bits, eta0 = _pattern_logits(m, logit(probs), gamma)
    if heterogeneity <= 0:
        w = np.exp(eta0 - eta0.max())
        counts = rng.multinomial(n, w / w.sum())
    else:
        counts = np.zeros(1 << m, dtype=np.int64)
        ntimes = bits.sum(axis=1)
        chunk = 20000
        done = 0
        while done < n:
            k = min(chunk, n - done)
            u = rng.normal(0.0, heterogeneity, size=k)
            eta = eta0[None, :] + u[:, None] * ntimes[None, :]
            eta -= eta.max(axis=1, keepdims=True)
            pr = np.exp(eta)
            pr /= pr.sum(axis=1, keepdims=True)
            cum = np.cumsum(pr, axis=1)
            draw = (cum < rng.random(k)[:, None]).sum(axis=1)
            counts += np.bincount(np.minimum(draw, (1 << m) - 1), minlength=1 << m)
            done += k
    unobserved = int(counts[0])
    counts[0] = 0
    if counts.sum() == 0:
        raise InputError("nobody was captured in this simulation; raise the probabilities or n")
    table = CaptureTable(names, counts, source="simulated")
    params = {
        "n": int(n), "probs": probs.tolist(), "lists": names,
        "dependence": {f"{names[i]}:{names[j]}": float(gamma[i, j])
                       for i, j in itertools.combinations(range(m), 2) if gamma[i, j]},
        "heterogeneity": float(heterogeneity), "seed": seed,
    }
    return Simulation(table=table, true_size=int(n), unobserved=unobserved, params=params)
