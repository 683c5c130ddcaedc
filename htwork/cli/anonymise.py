"""``htwork anonymise``: blank key values until no record violates k-anonymity.

``htwork anonymise FILE [--quasi A,B,C | --schema S] --k K [--importance A,B,C]
[--method minimal|sdcmicro] [--keep COL,...] --out OUT [--json]`` reads the table by its schema
(``--schema``, or the one inferred: keys from its roles when ``--quasi`` is not given), drops
the direct identifiers, case numbers and free text (:class:`htwork.anonymise.DropIdentifiers`;
kept: the ``--quasi`` keys and the ``--keep`` columns), fits
:class:`htwork.anonymise.LocalSuppression`, writes the protected table with
:func:`htwork.io.write_table` (atomically: nothing is written when anything fails; never over,
inside or around the input) and prints the suppressions per key.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from htwork.cli._parser import Subparsers, comma_list
from htwork.errors import InputError

__all__ = ["cmd_anonymise", "register"]


def cmd_anonymise(args: argparse.Namespace) -> int:
    """Blank key values to k-anonymity and write the protected table."""
    from htwork.anonymise import LocalSuppression
    from htwork.cli.validate import keys_from_schema
    from htwork.io import read_table, write_table
    from htwork.io.files import check_input_path
    from htwork.io.guard import check_output

    check_input_path(args.file)
    check_output(args.out, [args.file], what="--out")
    df, quasi, schema = keys_from_schema(args.file, read_table(args.file), args.schema,
                                         comma_list(args.quasi))
    df, dropped = _drop_identifiers(df, quasi, comma_list(args.keep), schema)
    importance = comma_list(args.importance) or None
    ls = LocalSuppression(quasi, k=args.k, importance=importance, method=args.method).fit(df)
    out = ls.transform(df)
    write_table(out, args.out)
    if args.json:
        rep = ls.get_report()
        rep.update({"file": str(args.file), "out": str(args.out),
                    "dropped_identifiers": dropped})
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


def _drop_identifiers(df: Any, quasi: list[str], keep: list[str],
                      schema: Any = None) -> tuple[Any, list[str]]:
    """``df`` less its direct identifiers and free text (the schema's roles and detection;
    kept: ``keep`` and the ``quasi`` keys), with a note on stderr naming what was dropped."""
    from htwork.anonymise import DropIdentifiers

    named = [c for c in [*keep, *quasi] if c in set(map(str, df.columns))]
    missing = [c for c in keep if c not in set(map(str, df.columns))]
    if missing:
        raise InputError(f"--keep names columns the table does not have: {missing}",
                         file=(df.attrs.get("htwork") or {}).get("file"))
    drop = DropIdentifiers(keep=named, schema=schema).fit(df)
    if drop.columns_:
        print(f"note: dropped {len(drop.columns_)} column(s) that identify people or hold free "
              f"text: {', '.join(drop.columns_)} (name them with --keep to keep them)",
              file=sys.stderr)
    return drop.transform(df), list(drop.columns_)


def register(subparsers: Subparsers) -> None:
    """Add ``anonymise`` to the sub-commands."""
    p = subparsers.add_parser(
        "anonymise",
        help="blank key values until no record violates k-anonymity",
        description="Local suppression to k-anonymity. Writes the protected table (blanked "
        "cells empty) and prints the suppressions per key.",
    )
    p.add_argument("file", help="CSV, Excel (.xlsx) or Parquet file")
    p.add_argument("--quasi", help="quasi-identifiers, comma-separated; default: the schema's "
                   "quasi-identifier columns")
    p.add_argument("--schema", help="the table's own schema (types, missing codes, roles); "
                   "inferred when absent and --quasi is not given")
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
    p.add_argument("--keep", help="columns to keep although they identify people or hold free "
                   "text, comma-separated (by default they are dropped, with a note)")
    p.add_argument("--out", required=True, help="output file (.csv, .parquet, .xlsx)")
    p.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    p.set_defaults(func=cmd_anonymise)
