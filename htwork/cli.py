"""The ``htwork`` command line: a thin layer over the library.

Every sub-command calls one or two library functions and prints their result. Errors on bad
input are :class:`htwork.errors.HtworkError` subclasses; they are printed as plain sentences
(file, column, row, what to do) and the command exits with status 2, without a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from htwork.errors import HtworkError

# Sub-commands that live beside their subsystem; each module has ``register(subparsers)``.
_SUBSYSTEM_CLIS = (
    "htwork.risk.cli",
    "htwork.synth.cli",
    "htwork.release.cli",
    "htwork.prevalence.cli",
    "htwork.report.cli",
)

DEMO_SEED = 20261125
DEMO_N = 5000


def _repo_root() -> Path:
    return Path(__file__).resolve().parents[1]


def demo_extract_path() -> Path:
    """Path of the bundled synthetic demo extract (``datasets/demo/cases.csv``)."""
    return _repo_root() / "datasets" / "demo" / "cases.csv"


# --- sub-commands ---------------------------------------------------------------------------


def _read_input(path: str, crosswalk: str | None):
    from htwork.io import read_table
    from htwork.standards.crosswalk import load_crosswalk

    if crosswalk:
        return load_crosswalk(crosswalk).read(path)
    return read_table(path)


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate a file against a standard and print the report."""
    from htwork.standards import validate

    df = _read_input(args.file, args.crosswalk)
    report = validate(df, args.standard, file=args.file)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(report.summary())
    return 0 if report.ok else 1


def cmd_simulate(args: argparse.Namespace) -> int:
    """Simulate a synthetic sensitive extract and write it."""
    from htwork.simulate import simulate, write_extract

    df = simulate(args.n, seed=args.seed, agency_format=args.agency_format)
    path = write_extract(df, args.out, agency_format=args.agency_format)
    fmt = args.agency_format or "the htwork input standard"
    print(f"wrote {len(df):,} simulated records ({fmt}) to {path}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Run the main job on the bundled synthetic extract: validate it, then release it."""
    from htwork.io import read_table
    from htwork.release import release
    from htwork.standards import validate

    path = Path(args.data) if args.data else demo_extract_path()
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
    out = Path(args.out) if args.out else _repo_root() / "out" / "demo-release"
    if not args.out and (out / "recipe.yaml").exists():
        shutil.rmtree(out)  # the previous demo's own release folder; releases never overwrite
    out.parent.mkdir(parents=True, exist_ok=True)
    print(f"\n2. release under the {args.policy} policy")
    result = release(path, args.policy, out=out, seed=args.seed)
    print(result)
    return 0


# --- parser ---------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser of the ``htwork`` command."""
    from htwork import __version__

    parser = argparse.ArgumentParser(
        prog="htwork",
        description="Research workbench for human-trafficking case data: validate, protect, "
        "synthesise and release.",
    )
    parser.add_argument("--version", action="version", version=f"htwork {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check a file against the case data standard")
    p.add_argument("file", help="CSV, Excel (.xlsx) or Parquet file")
    p.add_argument("--crosswalk", help="agency crosswalk: a YAML path or a shipped name")
    p.add_argument(
        "--standard", default="input", help="standard to check against: input (default) or release"
    )
    p.add_argument("--json", action="store_true", help="print the report as one JSON object")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("simulate", help="write a synthetic sensitive extract (no real people)")
    p.add_argument("--n", type=int, required=True, help="number of records")
    p.add_argument("--seed", type=int, required=True, help="random seed")
    p.add_argument("--out", required=True, help="output file")
    p.add_argument(
        "--agency-format",
        help="write in an agency's own format through its crosswalk "
        "(kh_identification_form, th_cross_ministerial)",
    )
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser("demo", help="run the main job on the bundled synthetic extract")
    p.add_argument("--data", help="use this extract instead of the bundled one")
    p.add_argument("--policy", default="ctdc_k11", help="release policy preset or YAML")
    p.add_argument("--out", help="release folder (default: out/demo-release)")
    p.add_argument("--seed", type=int, default=0, help="seed of the release (default 0)")
    p.set_defaults(func=cmd_demo)

    for module in _SUBSYSTEM_CLIS:
        importlib.import_module(module).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``htwork`` console command.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; ``sys.argv[1:]`` when omitted.

    Returns
    -------
    int
        Exit status: 0 success, 1 the data has problems, 2 the command could not run.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except HtworkError as err:
        print(f"htwork {args.command}: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
