"""The whole release of the bundled 5,000-record demo extract, assessment included.

Goal (issue 5): <= 90 s on this machine. Prints one JSON object per preset: wall and CPU
seconds, rows, and the headline risk figures of the release.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from htwork.release import release  # noqa: E402

DEMO = REPO / "datasets" / "demo" / "cases.csv"
GOAL_SECONDS = 90.0


def main() -> int:
    ok = True
    for policy in ("ctdc_k11", "hdx_global_risk_3pct", "sds_resolution10"):
        with tempfile.TemporaryDirectory() as tmp:
            wall0, cpu0 = time.perf_counter(), time.process_time()
            result = release(DEMO, policy, out=Path(tmp) / "release", progress=False)
            wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        after = result.figures.get("risk_after") or {}
        before = result.figures.get("risk_before") or {}
        figures = {
            "benchmark": f"release_demo_5000_{policy}",
            "wall_s": round(wall, 2),
            "cpu_s": round(cpu, 2),
            "goal_s": GOAL_SECONDS,
            "meets_goal": wall <= GOAL_SECONDS,
            "records": result.n_input,
            "rows_published": result.n_rows,
            "global_risk_before": before.get("global_risk"),
            "global_risk_after": after.get("global_risk"),
            "min_fk_after": after.get("min_fk"),
            "sample_uniques_after": after.get("sample_uniques"),
            "suda2_records_after": (after.get("suda2") or {}).get("records_above_zero"),
            "cells_suppressed": result.figures.get("utility", {}).get("cells_suppressed"),
            "aggregate": result.figures.get("aggregate"),
        }
        ok &= figures["meets_goal"]
        print(json.dumps(figures))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
