"""``htwork simulate``: write a synthetic sensitive extract (no real person).

``htwork simulate --n N --seed S --out FILE [--agency-format NAME]`` calls
:func:`htwork.simulate.simulate` and :func:`htwork.simulate.write_extract`.
"""

from __future__ import annotations

import argparse

from htwork.cli._parser import Subparsers

__all__ = ["cmd_simulate", "register"]


def cmd_simulate(args: argparse.Namespace) -> int:
    """Simulate a synthetic sensitive extract and write it."""
    from htwork.simulate import simulate, write_extract

    df = simulate(args.n, seed=args.seed, agency_format=args.agency_format)
    path = write_extract(df, args.out, agency_format=args.agency_format)
    fmt = args.agency_format or "the htwork input standard"
    print(f"wrote {len(df):,} simulated records ({fmt}) to {path}")
    return 0


def register(subparsers: Subparsers) -> None:
    """Add ``simulate`` to the sub-commands."""
    p = subparsers.add_parser(
        "simulate", help="write a synthetic sensitive extract (no real people)"
    )
    p.add_argument("--n", type=int, required=True, help="number of records")
    p.add_argument("--seed", type=int, required=True, help="random seed")
    p.add_argument("--out", required=True, help="output file")
    p.add_argument(
        "--agency-format",
        help="ctdc: the CTDC global dataset's own columns and codes (alpha-2 countries, "
        "-99 missing); or an agency's own format through its crosswalk "
        "(kh_identification_form, th_cross_ministerial)",
    )
    p.set_defaults(func=cmd_simulate)
