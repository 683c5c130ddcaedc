"""``htwork validate``: check a file against the case data standard.

``htwork validate FILE [--crosswalk NAME] [--standard input|release] [--json]`` reads FILE (an
agency file through its crosswalk), calls :func:`htwork.standards.validate` and prints the
report; the exit status is 1 when the report has errors.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from htwork.cli._parser import Subparsers

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["cmd_validate", "register"]


def _read_input(path: str, crosswalk: str | None) -> pd.DataFrame:
    """The file as read by :func:`htwork.io.read_table`, or through an agency crosswalk."""
    if crosswalk:
        from htwork.standards.crosswalk import load_crosswalk

        return load_crosswalk(crosswalk).read(path)
    from htwork.io import read_table

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


def register(subparsers: Subparsers) -> None:
    """Add ``validate`` to the sub-commands."""
    p = subparsers.add_parser("validate", help="check a file against the case data standard")
    p.add_argument("file", help="CSV, Excel (.xlsx) or Parquet file")
    p.add_argument("--crosswalk", help="agency crosswalk: a YAML path or a shipped name")
    p.add_argument(
        "--standard", default="input",
        help="standard to check against: input (default), release, ctdc (the CTDC global "
        "dataset's own columns and codes) or a schema file (.json, .yaml)"
    )
    p.add_argument("--json", action="store_true", help="print the report as one JSON object")
    p.set_defaults(func=cmd_validate)
