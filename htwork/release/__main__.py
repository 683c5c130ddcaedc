"""``python -m htwork.release release|replay|scan ...``: the release commands on their own
(the same as ``htwork release ...`` once the main CLI registers them)."""

from __future__ import annotations

import argparse
import sys

from htwork.errors import HtworkError
from htwork.release.cli import register


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` and run one release command; errors print as sentences (exit 2)."""
    parser = argparse.ArgumentParser(prog="python -m htwork.release")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except HtworkError as err:
        print(f"htwork {args.command}: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
