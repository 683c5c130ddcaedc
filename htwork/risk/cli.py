"""The ``htwork assess`` and ``htwork anonymise`` sub-commands, thin over the library.

The main CLI calls :func:`register` with its sub-parsers object; errors are
:class:`htwork.errors.HtworkError` and the main CLI prints them without a traceback.

* ``assess FILE --quasi A,B,C [--sensitive S] [--weight W] [--group G] [--json]`` prints the
  risk report of :func:`htwork.risk.assess` (one JSON object with ``--json``).
* ``anonymise FILE --quasi A,B,C --k K [--importance A,B,C] [--method minimal|sdcmicro]
  --out OUT`` blanks key values with :class:`htwork.anonymise.suppression.LocalSuppression`,
  writes the protected table atomically (nothing is written when anything fails) and prints the
  suppressions per key.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pandas as pd

from htwork.errors import InputError

__all__ = ["cmd_anonymise", "cmd_assess", "read_input", "register", "write_output"]


def read_input(path: str) -> pd.DataFrame:
    """Read a table with :func:`htwork.io.read_table` (strings, spreadsheet row numbers)."""
    from htwork.io import read_table

    return read_table(path)


def write_output(df: pd.DataFrame, path: str) -> None:
    """Write the table by its extension (.csv, .parquet, .xlsx) with :mod:`htwork.io`'s atomic
    writers (temporary file, then rename)."""
    from htwork.io import write_csv, write_parquet, write_xlsx

    suffix = Path(path).suffix.lower()
    if suffix == ".parquet":
        write_parquet(df, path)
    elif suffix == ".xlsx":
        write_xlsx(df, path)
    elif suffix in (".csv", ".txt", ""):
        write_csv(df, path)
    else:
        raise InputError(
            f"cannot write {suffix!r} files.",
            file=path,
            hint="end the output name with .csv, .parquet or .xlsx",
        )


def _columns(text: str | None) -> list[str]:
    from htwork.risk._codes import parse_columns

    return parse_columns(text)


def cmd_assess(args: argparse.Namespace) -> int:
    """Print the risk report of a file."""
    from htwork.risk import assess

    df = read_input(args.file)
    report = assess(
        df,
        _columns(args.quasi),
        sensitive=_columns(args.sensitive) or None,
        weight=args.weight,
        group=args.group,
        suda=not args.no_suda,
    )
    if args.json:
        out: dict[str, Any] = report.to_dict()
        out["file"] = str(args.file)
        print(json.dumps(out, ensure_ascii=False, indent=2, allow_nan=False))
    else:
        print(report.summary())
        print()
        print("In plain words:")
        for sentence in report.explain().sentences:
            print(f"- {sentence}")
    return 0


def cmd_anonymise(args: argparse.Namespace) -> int:
    """Blank key values to k-anonymity and write the protected table."""
    from htwork.anonymise.suppression import LocalSuppression

    if Path(args.out).resolve() == Path(args.file).resolve():
        raise InputError(
            "the output would overwrite the input.", file=args.out, hint="choose another --out"
        )
    df = read_input(args.file)
    importance = _columns(args.importance) or None
    ls = LocalSuppression(
        _columns(args.quasi), k=args.k, importance=importance, method=args.method
    ).fit(df)
    out = ls.transform(df)
    write_output(out, args.out)
    if args.json:
        rep = ls.get_report()
        rep.update({"file": str(args.file), "out": str(args.out)})
        print(json.dumps(rep, ensure_ascii=False, indent=2))
        return 0
    print(
        f"{args.k}-anonymity ({args.method}): {ls.violations_before_:,} records violated it; "
        f"{ls.violations_after_:,} do now."
    )
    print("suppressions per key:")
    width = max(len(k) for k in [*ls.keys_, "total"])
    for key, n in ls.suppressions_.items():
        print(f"  {key:<{width}}  {int(n):>8,}")
    print(f"  {'total':<{width}}  {ls.total_suppressions_:>8,}")
    print(f"wrote {len(out):,} records to {args.out}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``assess`` and ``anonymise`` to an argparse sub-parsers object.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        What ``ArgumentParser.add_subparsers()`` returned.
    """
    p = subparsers.add_parser(
        "assess",
        help="disclosure risk of a table: k-anonymity, re-identification risk, SUDA2, l-diversity",
        description="Who could recognise a person in this file, and what would they learn? "
        "Missing values count as possibly matching anyone (sdcMicro's rule).",
    )
    p.add_argument("file", help="CSV, Excel (.xlsx) or Parquet file")
    p.add_argument(
        "--quasi", required=True, help="quasi-identifiers, comma-separated (sex,age,province)"
    )
    p.add_argument("--sensitive", help="sensitive attribute(s) for l-diversity / t-closeness")
    p.add_argument("--weight", help="sampling weight column (leave out for a register)")
    p.add_argument("--group", help="case / family column: risk of people identified together")
    p.add_argument("--no-suda", action="store_true", help="skip SUDA2")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_assess)

    p = subparsers.add_parser(
        "anonymise",
        help="blank key values until no record violates k-anonymity",
        description="Local suppression to k-anonymity. Writes the protected table (blanked "
        "cells empty) and prints the suppressions per key.",
    )
    p.add_argument("file", help="CSV, Excel (.xlsx) or Parquet file")
    p.add_argument("--quasi", required=True, help="quasi-identifiers, comma-separated")
    p.add_argument("--k", type=int, required=True, help="k of k-anonymity (at least 2)")
    p.add_argument(
        "--importance",
        help="keys to keep, most important first, comma-separated (blanked last)",
    )
    p.add_argument(
        "--method",
        choices=("minimal", "sdcmicro"),
        default="minimal",
        help="minimal: fewest blanked cells (default); sdcmicro: sdcMicro's algorithm",
    )
    p.add_argument("--out", required=True, help="output file (.csv, .parquet, .xlsx)")
    p.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    p.set_defaults(func=cmd_anonymise)
