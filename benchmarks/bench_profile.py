"""Profile a 1,000,000-row × 40-column table (issue 12): types, missing codes and roles.

The table is made here, as :func:`htwork.io.read_table` returns a file: every cell a string or
``None``. Its columns mix what real tables hold: categories with ``-99`` and ``Unknown``,
0/1 flags, whole numbers with the survey code ``-8``, decimal numbers, years, ISO dates, ISO
country codes, record numbers (a million distinct values) and a few free-text notes. Prints one
JSON object (wall-clock and CPU seconds of :func:`htwork.standards.profile`, peak resident
memory of the process, the targets 10 s and 2,048 MB); exits non-zero when a target is missed.
``python benchmarks/bench_profile.py [n]``.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time

import numpy as np
import pandas as pd

from htwork.standards import profile

TARGET_SECONDS = 10
TARGET_MB = 2048


def _pick(rng: np.random.Generator, pool: list[str | None], n: int) -> np.ndarray:
    return np.asarray(pool, dtype=object)[rng.integers(0, len(pool), n)]


def make_table(n: int, seed: int = 12) -> pd.DataFrame:
    """A table of strings with 40 columns of mixed kinds."""
    rng = np.random.default_rng(seed)
    cols: dict[str, np.ndarray] = {}
    cats = [["Female", "Male", "-99"], ["0--8", "9--17", "18--20", "21--29", "30--38", "-99"],
            ["Adult", "Minor", "Unknown"], ["KH", "MM", "TH", "VN", "LA", "-99"],
            ["yes", "no", "N/A", None]]
    for i in range(10):
        cols[f"category_{i}"] = _pick(rng, cats[i % len(cats)], n)
    for i in range(10):
        cols[f"isFlag_{i}"] = _pick(rng, ["0", "1", "-99"], n)
    for i in range(6):
        v = rng.integers(0, 120, n).astype(str).astype(object)
        v[rng.random(n) < 0.1] = "-8"
        cols[f"count_{i}"] = v
    for i in range(4):
        v = np.round(rng.gamma(2.0, 800.0, n), 2).astype(str).astype(object)
        v[rng.random(n) < 0.05] = None
        cols[f"amount_{i}"] = v
    for i in range(3):
        cols[f"yearOf_{i}"] = rng.integers(2002, 2024, n).astype(str).astype(object)
    days = pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 3000, n), unit="D")
    for i in range(3):
        cols[f"date_{i}"] = days.strftime("%Y-%m-%d").to_numpy(dtype=object)
    cols["age"] = rng.integers(0, 90, n).astype(str).astype(object)
    cols["record_no"] = np.char.add("R", np.arange(n).astype(str)).astype(object)
    cols["case_ref"] = np.char.add("C-", rng.permutation(n).astype(str)).astype(object)
    words = ["broker", "kept", "her", "papers", "at", "the", "border", "shelter", "visit",
             "said", "worked", "on", "boat", "for", "months", "without", "pay"]
    notes = [" ".join(rng.choice(words, 12)) + f" ({k})" for k in range(5000)]
    cols["notes"] = _pick(rng, notes, n)
    return pd.DataFrame(cols)


def main(n: int = 1_000_000) -> int:
    df = make_table(n)
    assert df.shape == (n, 40)
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    schema = profile(df)
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    types: dict[str, int] = {}
    for f in schema.fields:
        types[f["type"]] = types.get(f["type"], 0) + 1
    result = {
        "benchmark": "profile",
        "rows": n,
        "columns": df.shape[1],
        "seconds": round(seconds, 2),
        "cpu_seconds": round(time.process_time() - cpu0, 2),
        "peak_rss_mb": round(peak_mb, 1),
        "types": types,
        "roles": {r: len(schema.columns_with_role(r)) for r in
                  ("direct_identifier", "quasi_identifier", "sensitive", "free_text", "other")},
        "target_seconds": TARGET_SECONDS,
        "target_mb": TARGET_MB,
        "load_average": round(os.getloadavg()[0], 2),  # other processes on the machine
    }
    result["pass"] = seconds <= TARGET_SECONDS and peak_mb <= TARGET_MB
    print(json.dumps(result))
    return 0 if result["pass"] else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000))
