"""How fast ``htwork --help`` and ``htwork validate --help`` answer (issue 16: at most 0.5 s).

Runs each command ``repeat`` times as a new process (``python -m htwork ...``, as the console
script does), beside a bare ``python -c pass`` for the interpreter's own start-up, and prints one
JSON object: the median and best wall-clock seconds and the median CPU seconds of each (CPU time
is the steadier figure on a loaded machine), the heavy libraries the help imported (none
expected) and the target. Exits non-zero when a median wall time misses the target.
``python benchmarks/bench_cli_startup.py [repeat]``; the ``htwork`` measured is the one
``python -m htwork`` imports from the current folder.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time

TARGET_SECONDS = 0.5
HEAVY = ("pandas", "numpy", "scipy", "matplotlib", "sklearn", "pyarrow", "torch", "sdv")

_LOADED = (
    "import contextlib, io, json, sys\n"
    "import htwork.cli\n"
    "for argv in (['--help'], ['validate', '--help']):\n"
    "    with contextlib.redirect_stdout(io.StringIO()):\n"
    "        try:\n"
    "            htwork.cli.main(argv)\n"
    "        except SystemExit:\n"
    "            pass\n"
    f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time(argv: list[str], repeat: int) -> dict[str, float]:
    """Median and best wall-clock seconds, and median CPU seconds, of ``python *argv``."""
    wall, cpu = [], []
    for _ in range(repeat):
        c0, t0 = _cpu(), time.perf_counter()
        subprocess.run([sys.executable, *argv], check=True, capture_output=True)
        wall.append(time.perf_counter() - t0)
        cpu.append(_cpu() - c0)
    return {"median": round(statistics.median(wall), 3), "best": round(min(wall), 3),
            "cpu_median": round(statistics.median(cpu), 3)}


def main(repeat: int = 20) -> int:
    loaded = subprocess.run([sys.executable, "-c", _LOADED], check=True, capture_output=True,
                            text=True).stdout
    result = {
        "benchmark": "cli_startup",
        "repeat": repeat,
        "python_bare_seconds": _time(["-c", "pass"], repeat),
        "help_seconds": _time(["-m", "htwork", "--help"], repeat),
        "validate_help_seconds": _time(["-m", "htwork", "validate", "--help"], repeat),
        "heavy_modules_imported": json.loads(loaded),
        "target_seconds": TARGET_SECONDS,
        "load_average": round(os.getloadavg()[0], 2),  # other processes on the machine
    }
    result["pass"] = (result["help_seconds"]["median"] <= TARGET_SECONDS
                      and result["validate_help_seconds"]["median"] <= TARGET_SECONDS
                      and not result["heavy_modules_imported"])
    print(json.dumps(result))
    return 0 if result["pass"] else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20))
