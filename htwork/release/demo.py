"""The demo release: the bundled 5,000-record simulated extract under a preset."""

from __future__ import annotations

from pathlib import Path

from htwork.release.pipeline import ReleaseResult, release

__all__ = ["run_demo", "DEMO_FILE"]

#: The bundled demo extract (simulated; no real person).
DEMO_FILE = Path(__file__).resolve().parents[2] / "datasets" / "demo" / "cases.csv"


def run_demo(out_dir: str | Path, *, policy: str = "ctdc_k11", seed: int = 0,
             progress: bool | None = None) -> ReleaseResult:
    """Release the bundled demo extract into ``out_dir`` and return the result.

    ``print(run_demo("demo-release"))`` shows the folder and its headline figures.
    """
    return release(DEMO_FILE, policy, out=out_dir, seed=seed, progress=progress)
