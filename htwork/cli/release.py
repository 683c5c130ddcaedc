"""``htwork release``, ``htwork replay`` and ``htwork scan``: the command line over
:mod:`htwork.release`.

* ``release FILE --policy NAME|policy.yaml [--crosswalk YAML] [--schema S] [--quasi A,B]
  [--strict] --out DIR [--seed S] [--internal-report PATH] [--key-file KEY] [--json]
  [--quiet]`` calls
  :func:`htwork.release.release`;
* ``replay recipe.yaml FILE --out DIR [--crosswalk YAML] [--key-file KEY] [--quiet]`` calls
  :func:`htwork.release.replay`;
* ``scan DIR --against FILE [--crosswalk YAML] [--key-file KEY]`` calls
  :func:`htwork.release.scan` and exits with status 1 when it finds a leak.

A gate failure (:class:`htwork.release.GateError`) is printed by :func:`htwork.cli.main` with
the failed thresholds and the computed fixes, and the command exits with status
:data:`htwork.cli.GATE_FAILED` (3).
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from htwork.cli._parser import Subparsers

if TYPE_CHECKING:
    from htwork.release import ReleaseResult

__all__ = ["cmd_release", "cmd_replay", "cmd_scan", "register"]


def _key(path: str | None) -> bytes | None:
    if not path:
        return None
    from htwork.anonymise import load_key

    return load_key(path)


def _print_result(result: ReleaseResult, as_json: bool) -> None:
    if as_json:
        f = result.figures
        print(json.dumps({"folder": str(result.folder), "policy": result.policy,
                          "route": result.route, "rows": result.n_rows,
                          "seconds": round(result.seconds or 0, 3),
                          "risk_after": f.get("risk_after"), "utility": f.get("utility"),
                          "aggregate": f.get("aggregate"), "gate": f.get("gate")},
                         ensure_ascii=False, indent=2))
    else:
        print(result.summary())


def cmd_release(args: argparse.Namespace) -> int:
    """Make a release folder (nothing is written when the gate fails)."""
    from htwork.cli._parser import comma_list
    from htwork.cli.validate import schema_for
    from htwork.release import release

    # an inferred schema is printed here and handed to release(), which says in the datasheet
    # and the recipe that it was inferred (a given one is passed by its file name)
    inferred = schema_for(args.file, args.schema, args.crosswalk)
    schema = inferred if getattr(inferred, "inferred", False) else args.schema
    quasi = comma_list(args.quasi) or None
    result = release(args.file, args.policy, crosswalk=args.crosswalk, out=args.out,
                     seed=args.seed, internal_report=args.internal_report,
                     key=_key(args.key_file), progress=not args.quiet, schema=schema,
                     quasi=quasi, strict=args.strict)
    _print_result(result, args.json)
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    """Rebuild a release folder from its recipe and the same input."""
    from htwork.release import replay

    result = replay(args.recipe, args.file, out=args.out, crosswalk=args.crosswalk,
                    key=_key(args.key_file), progress=not args.quiet, schema=args.schema)
    _print_result(result, False)
    return 0


def cmd_scan(args: argparse.Namespace) -> int:
    """Look for the input's direct identifiers in a folder."""
    from htwork.release import scan

    against: Any = args.against
    if args.crosswalk:
        from htwork.standards.crosswalk import load_crosswalk

        against = load_crosswalk(args.crosswalk).read(args.against)
    key = _key(args.key_file)
    schema = None
    if args.schema:
        from htwork.standards import load_standard

        schema = load_standard(args.schema)
    result = scan(args.dir, against, keys=[key] if key else None, schema=schema)
    print(result.summary())
    return 0 if result.ok else 1


def register(subparsers: Subparsers) -> None:
    """Add ``release``, ``replay`` and ``scan`` to the sub-commands."""
    p = subparsers.add_parser(
        "release", help="make a publishable release folder from a sensitive extract",
        description="read, validate, map to the release standard, drop and pseudonymise "
                    "identifiers, protect, assess and gate against a policy; write the folder "
                    "only if every threshold is met and the leak scan finds nothing.")
    p.add_argument("file", help="the sensitive extract")
    p.add_argument("--policy", required=True,
                   help="ctdc_k11, sds_resolution10, hdx_global_risk_3pct or a policy YAML")
    p.add_argument("--crosswalk", help="agency crosswalk (shipped name or YAML file)")
    p.add_argument("--out", required=True, help="release folder to create (must not exist)")
    p.add_argument("--seed", type=int, default=0, help="seed of every random step (0)")
    p.add_argument("--internal-report", dest="internal_report",
                   help="write risky-record detail (JSON, internal only) here")
    p.add_argument("--key-file", dest="key_file", help="pseudonymisation key (kept private)")
    p.add_argument("--schema", help="the table's own schema (htwork profile --out); inferred "
                                    "when absent, unless the table is in the input standard")
    p.add_argument("--quasi", help="quasi-identifiers replacing the policy's (A,B,C)")
    p.add_argument("--strict", action="store_true",
                   help="fail when the policy names a key the table lacks")
    p.add_argument("--json", action="store_true", help="print the headline figures as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_release)

    p = subparsers.add_parser("replay", help="rebuild a release folder from its recipe.yaml",
                              description="rebuild the same folder, byte for byte, from a "
                                          "release's recipe.yaml and the same input file.")
    p.add_argument("recipe", help="recipe.yaml of a release")
    p.add_argument("file", help="the same sensitive extract (checked by SHA-256)")
    p.add_argument("--out", required=True, help="folder to create")
    p.add_argument("--crosswalk", help="crosswalk, if not where the recipe says")
    p.add_argument("--key-file", dest="key_file", help="pseudonymisation key")
    p.add_argument("--schema", help="the table's own schema, if the release used one")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_replay)

    p = subparsers.add_parser("scan", help="look for the input's identifiers in a folder",
                              description="search every file of a folder for the values of the "
                                          "input's direct-identifier columns (and keys).")
    p.add_argument("dir", help="the folder to scan")
    p.add_argument("--against", required=True, help="the sensitive input")
    p.add_argument("--crosswalk", help="agency crosswalk of the input")
    p.add_argument("--key-file", dest="key_file", help="a pseudonymisation key to look for")
    p.add_argument("--schema", help="the input's own schema (htwork profile): the values of its "
                                    "direct-identifier columns are searched too")
    p.set_defaults(func=cmd_scan)
