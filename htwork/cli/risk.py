"""``htwork assess``: the disclosure risk of a table.

``htwork assess FILE --quasi A,B,C [--sensitive S] [--weight W] [--group G] [--k K,...]
[--no-suda] [--json]`` reads FILE with :func:`htwork.io.read_table` and prints the report of
:func:`htwork.risk.assess` with its plain-words explanation (one JSON object with ``--json``).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from htwork.cli._parser import Subparsers, comma_list

__all__ = ["cmd_assess", "register"]


def cmd_assess(args: argparse.Namespace) -> int:
    """Print the risk report of a file."""
    from htwork.cli.validate import keys_from_schema
    from htwork.io import read_table
    from htwork.risk import assess

    df = read_table(args.file)
    df, quasi, schema = keys_from_schema(args.file, df, args.schema, comma_list(args.quasi))
    if schema is not None:
        args.sensitive = args.sensitive or ",".join(
            x for x in schema.columns_with_role("sensitive") if x in df) or None
    report = assess(
        df,
        quasi,
        sensitive=comma_list(args.sensitive) or None,
        weight=args.weight,
        group=args.group,
        suda=not args.no_suda,
        k=_k_levels(args.k),
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


def _k_levels(text: str | None) -> list[int]:
    """The ``--k`` values: whole numbers of at least 2, comma-separated."""
    from htwork.errors import InputError

    out = []
    for part in comma_list(text):
        if not part.isdigit() or int(part) < 2:
            raise InputError(f"--k takes whole numbers of at least 2 (e.g. --k 11), not {part!r}")
        out.append(int(part))
    return out


def register(subparsers: Subparsers) -> None:
    """Add ``assess`` to the sub-commands."""
    p = subparsers.add_parser(
        "assess",
        help="disclosure risk of a table: k-anonymity, re-identification risk, SUDA2, l-diversity",
        description="Who could recognise a person in this file, and what would they learn? "
        "Missing values count as possibly matching anyone (sdcMicro's rule).",
    )
    p.add_argument("file", help="CSV, Excel (.xlsx) or Parquet file")
    p.add_argument(
        "--quasi", help="quasi-identifiers, comma-separated (sex,age,province); default: the "
        "schema's quasi-identifier columns"
    )
    p.add_argument("--schema", help="the table's own schema (types, missing codes, roles); "
                                    "inferred when absent and --quasi is not given")
    p.add_argument("--sensitive", help="sensitive attribute(s) for l-diversity / t-closeness")
    p.add_argument("--weight", help="sampling weight column (leave out for a register)")
    p.add_argument("--group", help="case / family column: risk of people identified together")
    p.add_argument("--k", help="also report k-anonymity violations at these k (a policy's k, "
                   "e.g. 11 for ctdc_k11; comma-separated); 2, 3 and 5 are always reported")
    p.add_argument("--no-suda", action="store_true", help="skip SUDA2")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_assess)
