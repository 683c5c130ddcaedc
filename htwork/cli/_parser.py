"""Argument parsing helpers shared by the command modules.

:class:`CommandParser` lets a sub-command add its arguments on first use, so a command whose
options come from the library (the synthesis methods, the evaluation parts) does not import
that library while ``htwork --help`` or another command is parsed.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["CommandParser", "Subparsers", "add_arguments_later", "comma_list"]

#: What ``ArgumentParser.add_subparsers()`` returns; each ``register`` receives one.
Subparsers = argparse._SubParsersAction

#: Adds the arguments of one sub-command to its parser.
Filler = Callable[[argparse.ArgumentParser], None]


class CommandParser(argparse.ArgumentParser):
    """An :class:`argparse.ArgumentParser` that can add some arguments only when it is used.

    Fillers registered with :meth:`defer` run once, before the parser first parses, formats its
    help or its usage. The sub-parsers of a ``CommandParser`` are ``CommandParser`` too.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pending: list[Filler] = []

    def defer(self, filler: Filler) -> None:
        """Run ``filler(self)`` just before this parser is first used."""
        self._pending.append(filler)

    def _fill(self) -> None:
        while self._pending:
            self._pending.pop(0)(self)

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        """Add any deferred arguments, then parse as :class:`argparse.ArgumentParser` does."""
        self._fill()
        return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        """Add any deferred arguments, then format the usage line."""
        self._fill()
        return super().format_usage()

    def format_help(self) -> str:
        """Add any deferred arguments, then format the help."""
        self._fill()
        return super().format_help()


def add_arguments_later(parser: argparse.ArgumentParser, filler: Filler) -> None:
    """Add a sub-command's arguments when its parser is first used, or now.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The sub-command's parser. A :class:`CommandParser` (as ``htwork`` builds) defers;
        any other parser gets its arguments at once.
    filler : callable
        ``filler(parser)`` adds the arguments (and may set the description).
    """
    if isinstance(parser, CommandParser):
        parser.defer(filler)
    else:
        filler(parser)


def comma_list(text: str | None) -> list[str]:
    """The names in a comma-separated option value (blanks around them ignored).

    Examples
    --------
    >>> comma_list("sex, age,,province")
    ['sex', 'age', 'province']
    >>> comma_list(None)
    []
    """
    if not text:
        return []
    return [part.strip() for part in text.split(",") if part.strip()]
