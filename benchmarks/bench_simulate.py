"""Simulate 1,000,000 synthetic case records and write them as the standard CSV.

Prints one JSON object: wall-clock seconds of the simulation and of the write, CPU seconds,
the peak resident memory of the process, and the targets (60 s, 2,048 MB). Exits non-zero when
a target is missed. ``python benchmarks/bench_simulate.py [n]``.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from htwork.simulate import simulate, write_extract

TARGET_SECONDS = 60
TARGET_MB = 2048


def main(n: int = 1_000_000, seed: int = 20261125) -> int:
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    df = simulate(n, seed)
    t1 = time.perf_counter()
    peak_simulate_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with tempfile.TemporaryDirectory() as tmp:
        path = write_extract(df, Path(tmp) / "cases.csv")
        size = path.stat().st_size
    t2 = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    result = {
        "benchmark": "simulate",
        "n": n,
        "seconds_simulate": round(t1 - t0, 2),
        "seconds_write": round(t2 - t1, 2),
        "cpu_seconds": round(time.process_time() - cpu0, 2),
        "peak_rss_mb": round(peak_mb, 1),
        "peak_rss_mb_after_simulate": round(peak_simulate_mb, 1),
        "csv_mb": round(size / 2**20, 1),
        "target_seconds": TARGET_SECONDS,
        "target_mb": TARGET_MB,
        "load_average": round(os.getloadavg()[0], 2),  # other processes on the machine
    }
    result["pass"] = (result["seconds_simulate"] + result["seconds_write"] <= TARGET_SECONDS
                      and peak_mb <= TARGET_MB)
    print(json.dumps(result))
    return 0 if result["pass"] else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000))
