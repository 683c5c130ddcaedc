"""``htwork demo``: the main job on the bundled synthetic extract.

``htwork demo [--data FILE] [--policy NAME] [--out DIR] [--seed S]`` validates the extract
(:func:`htwork.standards.validate`), then releases it (:func:`htwork.release.release`). The
extract is ``datasets/demo/cases.csv``, written by :mod:`htwork.simulate.make_demo`.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from htwork.cli._parser import Subparsers
from htwork.errors import HtworkError

__all__ = ["cmd_demo", "register"]

#: Where the demo's release goes when ``--out`` is not given (replaced on each run).
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "out" / "demo-release"


def cmd_demo(args: argparse.Namespace) -> int:
    """Run the main job on the bundled synthetic extract: validate it, then release it."""
    from htwork.io import read_table
    from htwork.release import release
    from htwork.simulate.make_demo import DEMO_FILES, DEMO_N, DEMO_SEED, default_folder
    from htwork.standards import validate

    path = Path(args.data) if args.data else default_folder() / DEMO_FILES[None]
    if not path.exists():
        raise HtworkError(
            "the bundled demo extract is missing",
            file=path,
            hint=f"regenerate it: htwork simulate --n {DEMO_N} --seed {DEMO_SEED} --out {path}",
        )
    print(f"htwork demo: the bundled synthetic extract {path} (simulated; no real person)")
    print("\n1. validation against the case data standard")
    report = validate(read_table(path), "input", file=str(path))
    print(report.summary())
    if not report.ok:
        return 1
    out = Path(args.out) if args.out else DEFAULT_OUT
    if not args.out and (out / "recipe.yaml").exists():
        shutil.rmtree(out)  # the previous demo's own release folder; releases never overwrite
    out.parent.mkdir(parents=True, exist_ok=True)
    print(f"\n2. release under the {args.policy} policy")
    result = release(path, args.policy, out=out, seed=args.seed)
    print(result)
    return 0


def register(subparsers: Subparsers) -> None:
    """Add ``demo`` to the sub-commands."""
    p = subparsers.add_parser("demo", help="run the main job on the bundled synthetic extract")
    p.add_argument("--data", help="use this extract instead of the bundled one")
    p.add_argument("--policy", default="ctdc_k11", help="release policy preset or YAML")
    p.add_argument("--out", help="release folder (default: out/demo-release)")
    p.add_argument("--seed", type=int, default=0, help="seed of the release (default 0)")
    p.set_defaults(func=cmd_demo)
