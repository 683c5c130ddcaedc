"""Shared helpers of the MSE benchmarks; running it does nothing."""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

UK = REPO / "datasets" / "mse" / "uk_2013.csv"


def best_of(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Smallest wall time over ``repeat`` runs, and the last result."""
    best = float("inf")
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def cpu_of(fn: Callable[[], object]) -> float:
    """CPU seconds of this process for one run (less sensitive to a busy machine)."""
    c0 = time.process_time()
    fn()
    return time.process_time() - c0


def load() -> float | None:
    """One-minute load average (None where not available)."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def report(name: str, seconds: float, goal: float, r_reference: str, **extra: object) -> None:
    """Print one JSON line with the timing, the goal and the R reference."""
    print(json.dumps({
        "benchmark": name,
        "seconds": round(seconds, 4),
        "goal_seconds": goal,
        "meets_goal": seconds <= goal,
        "r_reference": r_reference,
        "cpus": os.cpu_count(),
        "load_average": load(),
        "python": platform.python_version(),
        **extra,
    }))
