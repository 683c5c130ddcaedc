"""Shared helpers of the risk benchmarks (random categorical tables, timing); running it does
nothing.

Tables are drawn with a seed: keys shaped like case data (sex, age band, nationality, province,
year, exploitation type) with Zipf-like frequencies, as text (what ``htwork.io.read_table``
gives), optionally with a share of cells missing at random.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

#: (name, number of categories, Zipf exponent)
KEYS = [
    ("sex", 3, 2.5),
    ("age_band", 9, 0.6),
    ("nationality", 12, 1.1),
    ("province", 80, 1.0),
    ("year", 10, 0.3),
    ("exploitation", 6, 1.0),
]


def categorical_table(n: int, p: int, seed: int, missing: float = 0.0) -> pd.DataFrame:
    """``n`` records of the first ``p`` keys of :data:`KEYS`, as text, ``missing`` share blank."""
    rng = np.random.default_rng(seed)
    cols = {}
    for name, card, s in KEYS[:p]:
        prob = 1.0 / np.arange(1, card + 1) ** s
        labels = np.array([f"{name}_{i:02d}" for i in range(card)], dtype=object)
        cols[name] = labels[rng.choice(card, n, p=prob / prob.sum())]
    df = pd.DataFrame(cols)
    if missing:
        df = df.mask(rng.uniform(size=df.shape) < missing)
    return df


def timed(fn: Callable[[], object], repeat: int = 1) -> tuple[float, float, object]:
    """Best wall time and CPU time over ``repeat`` runs, and the last result.

    The benchmark machine is shared: CPU time is reported next to wall time so that a run
    slowed down by other work can be told apart.
    """
    best_wall = best_cpu = float("inf")
    out = None
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        best_wall = min(best_wall, time.perf_counter() - w0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    return best_wall, best_cpu, out


def peak_memory_gb() -> float:
    """Peak resident memory of this process so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def report(
    name: str, wall: float, cpu: float, goal: float, reference: str, **extra: object
) -> None:
    """Print one JSON line with the timing, the goal and sdcMicro's figure."""
    print(
        json.dumps(
            {
                "benchmark": name,
                "seconds": round(wall, 3),
                "cpu_seconds": round(cpu, 3),
                "goal_seconds": goal,
                "meets_goal": wall <= goal,
                "meets_goal_cpu": cpu <= goal,
                "sdcmicro_reference": reference,
                "peak_memory_gb": round(peak_memory_gb(), 2),
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                **extra,
            }
        ),
        flush=True,
    )
