"""``htwork profile``: infer an editable table schema (types, missing codes, roles).

``htwork profile FILE [--out schema.yaml] [--sheet S] [--json]`` reads FILE with
:func:`htwork.io.read_table`, calls :func:`htwork.standards.profile` and prints the summary (the
descriptor as JSON with ``--json``); ``--out`` writes the schema, YAML or JSON by its extension,
for the user to edit and pass back with ``--schema`` to ``validate``, ``assess``, ``release``,
``synth`` and ``evaluate``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from htwork.cli._parser import Subparsers

__all__ = ["cmd_profile", "register"]


def cmd_profile(args: argparse.Namespace) -> int:
    """Profile a file and print (and write) its schema."""
    from htwork.errors import InputError
    from htwork.standards.profile import profile

    if args.out:
        out = Path(args.out)
        if out.suffix.lower() not in (".yaml", ".yml", ".json"):
            raise InputError("The schema file must end in .yaml, .yml or .json.", file=out,
                             hint="use --out schema.yaml")
        from htwork.io.guard import check_output

        check_output(out, [args.file], what="the schema file")
    options = {"sheet": args.sheet} if args.sheet is not None else {}
    schema = profile(args.file, **options)
    if args.out:
        schema.save(args.out)
    if args.json:
        print(json.dumps(schema.descriptor, ensure_ascii=False, indent=2))
    else:
        print(schema.summary())
        if args.out:
            print(f"\nwrote {args.out}: check the types, missing values and roles, then pass it "
                  "with --schema to htwork validate, assess, release, synth and evaluate")
    return 0


def register(subparsers: Subparsers) -> None:
    """Add ``profile`` to the sub-commands."""
    p = subparsers.add_parser(
        "profile",
        help="infer a table schema: types, missing codes and disclosure roles",
        description="Read any table and write a Frictionless table schema you can edit: each "
        "column's type, the missing-value codes found (-99, -8, NA, ...) and its role "
        "(direct identifier, quasi-identifier, sensitive, free text, weight, other) with the "
        "reason.",
    )
    p.add_argument("file", help="CSV, Excel (.xlsx) or Parquet file")
    p.add_argument("--out", help="write the schema here (.yaml or .json)")
    p.add_argument("--sheet", help="Excel only: the sheet to read")
    p.add_argument("--json", action="store_true", help="print the schema as JSON")
    p.set_defaults(func=cmd_profile)
