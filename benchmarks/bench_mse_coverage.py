"""Coverage study on simulated lists with a known population (200 replicates per scenario):
how often each method's 95% interval contains the truth, and its relative error.

Prints one JSON object per scenario and method, then the table as text on stderr.
"""

import json
import sys
import time

from bench_mse_common import REPO  # noqa: F401 - puts the repository on sys.path

from htwork.prevalence.coverage import coverage_study

replicates = int(sys.argv[1]) if len(sys.argv) > 1 else 200
t0 = time.perf_counter()
table = coverage_study(replicates=replicates, seed=20261126)
secs = time.perf_counter() - t0
for row in table.to_dict(orient="records"):
    print(json.dumps({"benchmark": "mse_coverage", **row}))
print(json.dumps({"benchmark": "mse_coverage_time", "seconds": round(secs, 1),
                  "replicates": replicates}))
print(table.to_string(index=False), file=sys.stderr)
