"""``htwork encode`` and ``htwork link``: link agencies' lists without sharing names.

The route (see docs/LINKAGE.md)::

    htwork encode --new-key shared.key                      # once; the agencies share the file
    htwork encode police.xlsx --key shared.key --out Police.parquet   # at each agency
    htwork link Police.parquet Welfare.parquet NGO.parquet --out links/   # at the coordinator
    htwork mse --links links/                               # the estimate, missed links corrected

``encode`` calls :func:`htwork.linkage.encode_file` (then runs the leak scan,
:func:`htwork.release.scan.scan`, on the encoding against the plain list and the key before it
is moved to ``--out``; or :func:`htwork.linkage.new_key` with
``--new-key``); ``link`` calls :func:`htwork.linkage.link_files`; ``mse --links`` (in
:mod:`htwork.cli.prevalence`) calls :func:`htwork.linkage.estimate_with_linkage_errors` and
:func:`htwork.linkage.estimate_with_links` through :func:`mse_from_links` here. Nothing here
prints a name, a row's content or the key.
"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

from htwork.cli._parser import Subparsers

__all__ = ["cmd_encode", "cmd_link", "mse_from_links", "register"]

#: ``htwork mse --links`` accepts the log-linear rules only: each draw refits the model.
LINK_METHODS = ("stepwise", "bic", "aic", "downhill", "main", "bhs")


def cmd_encode(args: argparse.Namespace) -> int:
    """Make a key (``--new-key``) or encode one list with it."""
    from htwork.errors import InputError

    if args.new_key is not None:
        if args.list is not None or args.key is not None or args.out is not None:
            raise InputError("--new-key makes a key and nothing else: give it alone",
                             hint="htwork encode --new-key shared.key, then "
                             "htwork encode LIST --key shared.key --out LIST.parquet")
        from htwork.linkage import key_fingerprint, load_key, new_key

        path = new_key(args.new_key)
        print(f"wrote a new linkage key to {path} (fingerprint "
              f"{key_fingerprint(load_key(path))})")
        print("Give this file to every agency that encodes a list, through a channel the "
              "coordinator does not see; never send it with the encodings.")
        return 0
    missing = [opt for opt, v in (("LIST", args.list), ("--key", args.key), ("--out", args.out))
               if v is None]
    if missing:
        raise InputError(f"encode needs {', '.join(missing)}",
                         hint="htwork encode LIST --key KEYFILE --out ENCODING.parquet "
                         "(or htwork encode --new-key KEYFILE to make a key)")
    from htwork.io.guard import check_output

    check_output(args.out, [args.list, args.key], what="--out", make_parents=True)
    enc = _encode_and_scan(args)
    meta = enc.meta
    missing_counts = meta.get("missing", {})
    print(f"encoded {len(enc):,} records of list {enc.list_name!r} to {args.out} (key "
          f"fingerprint {enc.key_fingerprint})")
    print(f"  without a name: {missing_counts.get('name', 0):,}; without a birth date: "
          f"{missing_counts.get('dob', 0):,} (year only: {meta.get('partial_dob', 0):,}, "
          f"unreadable: {meta.get('unreadable_dob', 0):,}); without sex: "
          f"{missing_counts.get('sex', 0):,}")
    print("The file holds keyed encodings only; send it to the coordinator, never the key.")
    return 0


def _encode_and_scan(args: argparse.Namespace) -> Any:
    """Encode into a hidden folder beside ``--out``, run the leak scan there against the plain
    list (its names, birth dates, phones...) and the key, and only then move the encoding to
    ``--out``: a leak leaves nothing behind."""
    import contextlib
    import os
    import shutil
    import tempfile
    from pathlib import Path

    from htwork.linkage import encode_file, load_key
    from htwork.release.scan import LeakError, scan

    out = Path(args.out)
    # folders above --out that do not exist yet are made, and removed again if nothing is
    # written (bad input, a leak)
    made = [p for p in out.resolve().parents if not p.exists()]
    out.resolve().parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.resolve().parent, prefix=".htwork-encode-"))
    written = False
    try:
        staged = tmp / out.name
        enc = encode_file(args.list, args.key, staged, list_name=args.list_name,
                          name=args.name_column, given=args.given_column,
                          family=args.family_column, dob=args.dob_column,
                          sex=args.sex_column, dayfirst=not args.monthfirst, sheet=args.sheet)
        if args.sheet:
            from htwork.io import read_table

            against: Any = read_table(args.list, sheet=args.sheet)
        else:
            against = args.list
        found = scan(tmp, against, keys=[load_key(args.key)])
        if not found.ok:
            raise LeakError("the leak scan found a plain value of the list (or the key) in the "
                            "encoding; nothing was written.\n" + found.summary(),
                            file=args.out)
        os.replace(staged, out)
        written = True
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if not written:
            for folder in made:            # deepest first
                with contextlib.suppress(OSError):
                    folder.rmdir()
    return enc


def cmd_link(args: argparse.Namespace) -> int:
    """Link encoded lists and write the links folder."""
    from htwork.io.guard import check_output
    from htwork.linkage import link_files

    check_output(args.out, args.encodings, folder=True, what="the links folder")

    extra = {} if args.threshold is None else {"threshold": args.threshold}
    result = link_files(args.encodings, args.out, engine=args.engine,
                        spark_master=args.spark_master, **extra)
    if args.json:
        print(result.to_json(indent=2))
    else:
        print(result.summary())
        for w in result.meta.get("warnings", []):
            print(f"warning: {w}")
        print(f"wrote pairs.parquet, clusters.parquet, capture.csv, model.json and "
              f"summary.json to {args.out}")
    return 0


def mse_from_links(args: argparse.Namespace) -> int:
    """``htwork mse --links FOLDER``: the estimate from the capture table corrected for missed
    links, then the estimate with and without linkage uncertainty."""
    import sys

    from htwork.errors import InputError
    from htwork.linkage import estimate_with_linkage_errors, estimate_with_links, read_links

    if args.file is not None:
        raise InputError("give either a capture table FILE or --links FOLDER, not both")
    if args.method not in LINK_METHODS:
        raise InputError(f"--method {args.method} cannot be used with --links; use one of "
                         f"{', '.join(LINK_METHODS)}")
    if args.nboot:
        raise InputError("--nboot is not used with --links: the interval comes from the "
                         "linkage draws (each with its conditional interval)",
                         hint="use --draws to set the number of draws")
    if args.interval != "wald":
        raise InputError("--interval profile is not used with --links")
    seed = 0 if args.seed is None else args.seed
    show = not args.json and sys.stderr.isatty()
    links = read_links(args.links)
    result = estimate_with_links(links, method=args.method, draws=args.draws, seed=seed,
                                 level=args.level, scheme=args.scheme, pthresh=args.pthresh,
                                 max_order=args.max_order, progress=show)
    corrected: Any = None
    why = ""
    try:
        corrected = estimate_with_linkage_errors(links, method=args.method, draws=args.draws,
                                                 seed=seed, level=args.level,
                                                 pthresh=args.pthresh, max_order=args.max_order,
                                                 progress=show)
    except InputError as exc:  # the linkage cannot say how many links it missed
        why = exc.message
    if args.json:
        d = result.to_dict()
        d["corrected_for_missed_links"] = (corrected.to_dict() if corrected is not None
                                           else {"error": why})
        print(json.dumps(d, indent=2))
    else:
        if corrected is not None:
            print(corrected.summary())
        else:
            print(f"No correction for missed links: {why}")
        print()
        print(result.summary())
    return 0 if math.isfinite(result.estimate) else 1


def register(subparsers: Subparsers) -> None:
    """Add ``encode`` and ``link`` to the sub-commands."""
    p = subparsers.add_parser(
        "encode",
        help="encode an agency's list with the shared key (keyed encodings, no plain names)",
        description="Run at the agency, on its own machine. Reads LIST (CSV, TSV, Excel or "
        "Parquet; one row per person: name, birth date, sex) and writes keyed Bloom-filter "
        "encodings of the names and keyed hashes of the other fields to --out: nothing plain "
        "leaves. With --new-key FILE, makes the shared key instead.",
    )
    p.add_argument("list", nargs="?", help="the agency's list (.csv, .tsv, .xlsx, .parquet)")
    p.add_argument("--key", help="the shared key file (made by --new-key)")
    p.add_argument("--out", help="the encoding to write (.parquet)")
    p.add_argument("--new-key", metavar="KEYFILE",
                   help="make a new shared key and write it to KEYFILE (never overwritten)")
    p.add_argument("--list-name", help="the list's name in the capture table (default: the "
                   "output file's name, e.g. Police for Police.parquet)")
    p.add_argument("--name-column", help="column holding the full name (default: recognised, "
                   "e.g. name, full_name)")
    p.add_argument("--given-column", help="column of given names, with --family-column")
    p.add_argument("--family-column", help="column of family names")
    p.add_argument("--dob-column", help="column of birth dates (default: recognised)")
    p.add_argument("--sex-column", help="column of sex (default: recognised)")
    p.add_argument("--monthfirst", action="store_true",
                   help="read 05/06/1990 as 6 May (default: day first, 5 June)")
    p.add_argument("--sheet", help="Excel sheet (default: the first)")
    p.set_defaults(func=cmd_encode)

    p = subparsers.add_parser(
        "link",
        help="link encoded lists into persons and write the capture table",
        description="Run at the coordinator. Links the agencies' encodings (Fellegi-Sunter with "
        "splink), clusters records into persons and writes pairs.parquet (match "
        "probabilities), clusters.parquet, capture.csv (read by htwork mse), model.json and "
        "summary.json into --out.",
    )
    p.add_argument("encodings", nargs="+", help="the encodings made by 'htwork encode'")
    p.add_argument("--out", required=True, help="folder to write (new or empty)")
    p.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb",
                   help="splink backend: embedded DuckDB (default) or Spark (needs "
                   "htwork[spark] and Java 17)")
    p.add_argument("--spark-master", help="Spark master URL (default local[2])")
    p.add_argument("--threshold", type=float, default=None,
                   help="match probability at or above which two records are one person "
                   "(default: the library's)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_link)
