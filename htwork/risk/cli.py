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
import os
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from htwork.errors import InputError

__all__ = ["cmd_anonymise", "cmd_assess", "read_input", "register", "write_output"]


def read_input(path: str) -> pd.DataFrame:
    """Read a table with :func:`htwork.io.read_table`, or pandas when that is unavailable."""
    try:
        from htwork.io import read_table
    except ImportError:  # pragma: no cover - the io package ships with htwork
        read_table = None
    if read_table is not None:
        return read_table(path)
    p = Path(path)  # pragma: no cover
    if not p.is_file():  # pragma: no cover
        raise InputError("the file does not exist.", file=path, hint="check the path")
    try:  # pragma: no cover
        suffix = p.suffix.lower()
        if suffix == ".parquet":
            df = pd.read_parquet(p).astype("string").astype(object)
        elif suffix == ".xlsx":
            df = pd.read_excel(p, dtype=str)
        else:
            df = pd.read_csv(p, dtype=str, keep_default_na=False, na_values=[""])
    except Exception as exc:  # pragma: no cover
        raise InputError(f"the file cannot be read as a table ({exc}).", file=path) from None
    df.index = pd.RangeIndex(2, len(df) + 2)  # pragma: no cover
    df.attrs["htwork"] = {"file": str(path), "columns": {}, "read_problems": []}  # pragma: no cover
    return df  # pragma: no cover


def write_output(df: pd.DataFrame, path: str) -> None:
    """Write the table by its extension (.csv, .parquet, .xlsx), atomically.

    Uses :mod:`htwork.io`'s writers (temporary file, then :func:`os.replace`); CSV falls back to
    the same procedure here if they are unavailable.
    """
    suffix = Path(path).suffix.lower()
    try:
        from htwork.io import write_csv, write_parquet, write_xlsx
    except ImportError:  # pragma: no cover
        write_csv = write_parquet = write_xlsx = None
    if suffix == ".parquet" and write_parquet is not None:
        write_parquet(df, path)
    elif suffix == ".xlsx" and write_xlsx is not None:
        write_xlsx(df, path)
    elif suffix in (".csv", ".txt", "") and write_csv is not None:
        write_csv(df, path)
    elif suffix in (".csv", ".txt", ""):  # pragma: no cover
        _atomic_csv(df, path)
    else:
        raise InputError(
            f"cannot write {suffix!r} files.",
            file=path,
            hint="end the output name with .csv, .parquet or .xlsx",
        )


def _atomic_csv(df: pd.DataFrame, path: str) -> None:  # pragma: no cover - fallback
    target = Path(path)
    if not target.parent.is_dir():
        raise InputError("cannot write the file: its folder does not exist.", file=path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(df.to_csv(index=False, lineterminator="\n"))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
