"""``htwork validate``: check a file against the case data standard.

``htwork validate FILE [--crosswalk NAME] [--standard input|release] [--schema S] [--json]``
reads FILE (an agency file through its crosswalk), calls :func:`htwork.standards.validate` (or
:func:`htwork.standards.conform.conform` for a table's own schema: given with ``--schema``, or
inferred and summarised when the table is not in the input standard) and prints the report; the
exit status is 1 when the report has errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from htwork.cli._parser import Subparsers

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["cmd_validate", "register", "schema_for", "schema_summary"]


def _read_input(path: str, crosswalk: str | None) -> pd.DataFrame:
    """The file as read by :func:`htwork.io.read_table`, or through an agency crosswalk."""
    if crosswalk:
        from htwork.standards.crosswalk import load_crosswalk

        return load_crosswalk(crosswalk).read(path)
    from htwork.io import read_table

    return read_table(path)


def schema_for(file: str, schema: str | None, crosswalk: str | None,
               df: pd.DataFrame | None = None) -> Any:
    """The schema a command reads ``file`` with: ``schema`` when given; ``None`` for a table in
    the input standard (or read through a crosswalk); the shipped CTDC schema for a table in the
    CTDC global dataset's own columns; else a schema inferred by
    :func:`htwork.standards.profile`, whose summary is printed (to stderr)."""
    if schema is not None or crosswalk:
        return schema
    from htwork.release.own import is_input_standard, shipped_schema_of
    from htwork.standards import profile

    df = _read_input(file, None) if df is None else df
    if is_input_standard(df):
        return None
    shipped = shipped_schema_of(df)
    if shipped is not None:
        print(f"schema: htwork's shipped {shipped.name!r} schema (most columns are its fields); "
              "pass --schema to use another", file=sys.stderr)
        return shipped
    inferred = profile(df)
    print(schema_summary(inferred), file=sys.stderr)
    return inferred


def keys_from_schema(file: str, df: pd.DataFrame, schema: str | None,
                     quasi: list[str]) -> tuple[pd.DataFrame, list[str], Any]:
    """The table read as its schema says, and its quasi-identifiers, for ``assess`` and
    ``anonymise``: ``--quasi`` when given, else the schema's (``--schema``, the shipped one the
    columns match, or one inferred with a printed summary).

    Returns
    -------
    (table, quasi, schema)
        ``schema`` is ``None`` when neither ``--schema`` was given nor one was needed.
    """
    from htwork.errors import InputError

    std = schema_for(file, schema, None, df) if schema or not quasi else None
    if std is not None:
        from htwork.standards.conform import conform

        c = conform(df, std, file=file)
        if not c.ok:
            raise InputError(f"the table does not fit its schema\n{c.report.summary()}",
                             file=file)
        df, std = c.table, c.schema
        quasi = quasi or list(std.columns_with_role("quasi_identifier"))
        if not quasi:
            raise InputError("the schema marks no column as a quasi-identifier", file=file,
                             hint="pass --quasi A,B,C")
    elif not quasi:
        raise InputError("no quasi-identifiers: the table is in the input standard",
                         file=file, hint="pass --quasi A,B,C")
    return df, quasi, std


def schema_summary(schema: Any) -> str:
    """The short summary printed when a schema is inferred."""
    types: dict[str, int] = {}
    for f in schema.fields:
        types[f.get("type", "any")] = types.get(f.get("type", "any"), 0) + 1
    lines = [f"inferred schema: {len(schema.fields)} columns ("
             + ", ".join(f"{n} {t}" for t, n in types.items()) + ")"]
    for role, label in (("quasi_identifier", "quasi-identifiers"),
                        ("direct_identifier", "direct identifiers (not published)"),
                        ("free_text", "free text (not published)"),
                        ("sensitive", "sensitive"), ("weight", "weight")):
        cols = schema.columns_with_role(role)
        if cols:
            lines.append(f"  {label}: {', '.join(cols)}")
    lines.append("  pass --schema to fix (htwork profile FILE --out schema.yaml, then edit)")
    return "\n".join(lines)


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate a file against a standard (or the table's own schema) and print the report."""
    from htwork.standards import validate

    df = _read_input(args.file, args.crosswalk)
    schema = schema_for(args.file, args.schema, args.crosswalk, df) \
        if args.schema or args.standard == "input" else None
    if schema is not None and not (isinstance(schema, str) and schema.lower() in
                                   ("input", "htcds", "htcds_input")):
        from htwork.standards.conform import conform

        report = conform(df, schema, file=args.file).report
    else:
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
    p.add_argument("--schema", help="the table's own schema (htwork profile --out): check "
                                    "types, missing codes, categories and roles against it")
    p.add_argument("--json", action="store_true", help="print the report as one JSON object")
    p.set_defaults(func=cmd_validate)
