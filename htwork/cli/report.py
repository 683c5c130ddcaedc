"""``htwork report``: a quarter's standard tables and charts, small cells hidden.

``htwork report FILE --quarter 2024Q3 --out DIR [--threshold 10] [--quarters 8]
[--crosswalk NAME] [--person-key COLUMN] [--match document,name_birthdate] [--force] [--json]``
calls :func:`htwork.report.quarterly_report` and writes its folder with
:meth:`~htwork.report.QuarterlyReport.save`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from htwork.cli._parser import Subparsers, comma_list

__all__ = ["cmd_report", "register"]


def cmd_report(args: argparse.Namespace) -> int:
    """Make the quarter's report and write its folder."""
    from htwork.report import quarterly_report

    report = quarterly_report(args.file, args.quarter, threshold=args.threshold,
                              n_quarters=args.quarters, person_key=args.person_key,
                              match=tuple(comma_list(args.match)), crosswalk=args.crosswalk)
    folder = report.save(args.out, overwrite=args.force,
                         check=lambda tmp: _leak_scan(tmp, args.file, args.crosswalk))
    if args.json:
        print(json.dumps({"folder": str(folder), "quarter": report.quarter,
                          "threshold": report.threshold, "headline": report.headline,
                          "suppressed": {"primary": report.n_primary,
                                         "secondary": report.n_secondary}},
                         ensure_ascii=False, indent=2))
    else:
        print(report.summary())
        print(f"wrote {folder}/ (report.html, report.md, report.json, "
              f"{len(report.sections)} CSV tables, {len(report.figures)} charts)")
    return 0


def _leak_scan(folder: Path, file: str, crosswalk: str | None) -> None:
    """Raise :class:`htwork.release.LeakError` when an identifier of the input is in
    ``folder`` (the report's temporary folder, before it is published)."""
    from htwork.release import scan
    from htwork.release.scan import LeakError

    against: Any = file
    if crosswalk:
        from htwork.standards.crosswalk import load_crosswalk

        against = load_crosswalk(crosswalk).read(file)
    result = scan(folder, against)
    if not result.ok:
        raise LeakError("the leak scan found identifiers of the input in the report; nothing "
                        "was written.\n" + result.summary(),
                        hint="report the issue: a report should hold counts only")


def register(subparsers: Subparsers) -> None:
    """Add ``report`` to the sub-commands."""
    p = subparsers.add_parser(
        "report", help="a quarter's standard tables and charts, small cells hidden",
        description="count the people newly identified in a quarter (once each, in the quarter "
                    "of their first registration) by age and sex, citizenship, country of "
                    "exploitation, corridor and form of exploitation, registrations by kind of "
                    "organisation and the trend; hide small counts and the cells that would "
                    "give them away; write HTML, Markdown, CSV and PNG to a new folder.")
    p.add_argument("file", help="the case extract (CSV, Excel or Parquet, input standard)")
    p.add_argument("--quarter", required=True, help="the quarter, e.g. 2024Q3")
    p.add_argument("--out", required=True, help="report folder to create")
    p.add_argument("--threshold", type=int, default=10,
                   help="hide counts from 1 to THRESHOLD-1 (default 10)")
    p.add_argument("--quarters", type=int, default=8,
                   help="quarters in the trend, this one included (default 8)")
    p.add_argument("--crosswalk", help="agency crosswalk (shipped name or YAML file)")
    p.add_argument("--person-key", dest="person_key",
                   help="column with one value per person (from record linkage)")
    p.add_argument("--match", default="document",
                   help="linking rules when there is no person key: document, name_birthdate "
                        "(comma-separated; empty for none). Default: document")
    p.add_argument("--force", action="store_true", help="replace the folder if it exists")
    p.add_argument("--json", action="store_true", help="print the headline figures as JSON")
    p.set_defaults(func=cmd_report)
