"""Peak memory of ``assess`` on 1,000,000 records x 6 keys (issue 17: goal <= 2 GB).

Two runs, each in a fresh process so that its peak resident memory is its own:

* ``library``: :func:`htwork.risk.assess` (frequencies, risk, SUDA2) on a 1,000,000 x 6 table
  of keys in memory (:func:`bench_risk_common.categorical_table`, 5% of cells missing so that
  wildcard matching runs);
* ``command``: the issue's case, ``htwork assess cases.csv --quasi <6 keys> --json`` on a
  simulated extract of 1,000,000 records and all 39 input columns (``htwork simulate --n
  1000000``: about 745 MB of UTF-8 with Thai, Khmer and Myanmar names and notes), reading the
  file included. It peaked at 7.2 GB before issue 17.

Tables are drawn with a seed. Prints one JSON line per run (peak RSS of the child process from
``wait4``, wall time) and exits non-zero if a run exceeds the goal or fails.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_risk_common import REPO

GOAL_GB = 2.0
#: Six quasi-identifiers of the input standard.
KEYS = ["prs_Gender", "vic_AgeWhenTrafficked", "prs_Citizenship", "vic_CountryOfExploitation",
        "vic_TypeOfExploitation", "prs_MailingState"]

_LIBRARY = """
import sys
sys.path.insert(0, {repo!r}); sys.path.insert(0, {bench!r})
from bench_risk_common import categorical_table
from htwork.risk import assess
df = categorical_table({n}, 6, seed={seed}, missing={missing})
rep = assess(df, list(df.columns))
print(rep.to_dict()["sample_uniques"])
"""


def _run_alone(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """Run ``cmd``; its wall time, its own peak resident memory (GB, from ``wait4``), its exit
    status and its last line of output."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t0
        out.seek(0)
        lines = out.read().decode("utf-8", "replace").strip().splitlines()
    return wall, usage.ru_maxrss / 1024**2, proc.returncode, (lines[-1] if lines else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--missing", type=float, default=0.05)
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    bench = str(Path(__file__).resolve().parent)
    code = _LIBRARY.format(repo=str(REPO), bench=bench, n=args.n, seed=args.seed,
                           missing=args.missing)
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cases.csv"
        made = subprocess.run([sys.executable, "-m", "htwork", "simulate", "--n", str(args.n),
                               "--seed", str(args.seed), "--out", str(path)],
                              env=env, capture_output=True, text=True)
        if made.returncode:
            print(made.stderr, file=sys.stderr)
            return 1
        runs = [
            ("library", "6 key columns in memory", [sys.executable, "-c", code]),
            ("command", f"simulated extract, 39 columns, {path.stat().st_size / 1e6:.0f} MB CSV",
             [sys.executable, "-m", "htwork", "assess", str(path), "--quasi", ",".join(KEYS),
              "--json"]),
        ]
        for name, table, cmd in runs:
            wall, peak, status, last = _run_alone(cmd, env)
            ok = status == 0 and peak <= GOAL_GB
            failed |= not ok
            print(json.dumps({
                "benchmark": f"risk_assess_memory_{name}_1e6x6",
                "records": args.n, "keys": 6, "table": table, "seed": args.seed,
                "seconds": round(wall, 2), "peak_memory_gb": round(peak, 3),
                "goal_gb": GOAL_GB, "meets_goal": ok, "exit_status": status,
                "cpus": os.cpu_count(), "load_average": round(os.getloadavg()[0], 2),
                **({} if status == 0 else {"error": last[:300]}),
            }), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
