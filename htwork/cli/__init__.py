"""The ``htwork`` command line: a thin layer over the library.

One module per command group; each has ``register(subparsers)``, which adds its sub-commands,
and one handler per sub-command that parses nothing more and calls public library functions:

=================  =================================  ======================================
module             commands                           library
=================  =================================  ======================================
``validate``       ``validate``                       :func:`htwork.standards.validate`
``profile``        ``profile``                        :func:`htwork.standards.profile`
``simulate``       ``simulate``                       :func:`htwork.simulate.simulate`
``demo``           ``demo``                           ``validate`` then ``release``
``risk``           ``assess``                         :func:`htwork.risk.assess`
``anonymise``      ``anonymise``                      :class:`~htwork.anonymise.LocalSuppression`
``synth``          ``synth``, ``evaluate``            :mod:`htwork.synth`
``release``        ``release``, ``replay``, ``scan``  :mod:`htwork.release`
``policy``         ``policy list``, ``policy show``   :func:`htwork.release.load_policy`
``linkage``        ``encode``, ``link``               :mod:`htwork.linkage`
``prevalence``     ``mse``                            :mod:`htwork.prevalence`
``report``         ``report``                         :func:`htwork.report.quarterly_report`
=================  =================================  ======================================

Building the parser imports no scientific library (pandas, scipy, matplotlib, ...): each
handler imports what it calls, so ``htwork --help`` answers at once.

Errors are handled here and only here. An :class:`htwork.errors.HtworkError` is printed as
plain sentences (file, column, row, what to do), without a traceback; the exit status is 2, or 3
when a release gate fails. An unforeseen ``OSError`` is a sentence too (status 2); a closed
pipe (``htwork ... | head``) ends quietly (status 1); SIGTERM is handled like Ctrl-C, so that
temporary files and folders are removed (status 143, Ctrl-C 130). A handler returns 0 on
success and 1 when the data has problems (validation errors, a leak found, no usable estimate).
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
from collections.abc import Sequence
from typing import Any

from htwork.errors import HtworkError

__all__ = [
    "COMMAND_MODULES",
    "ERROR",
    "GATE_FAILED",
    "INTERRUPTED",
    "OK",
    "PROBLEMS",
    "TERMINATED",
    "Terminated",
    "build_parser",
    "main",
]

#: Exit statuses of the ``htwork`` command.
OK = 0
PROBLEMS = 1  # the command ran and found problems in the data
ERROR = 2  # the command could not run (bad input, bad options); argparse uses 2 too
GATE_FAILED = 3  # a release did not meet its policy: nothing was written
INTERRUPTED = 130
TERMINATED = 143  # 128 + SIGTERM, as a shell reports a process ended by it

#: The command modules, in the order their commands appear in ``htwork --help``.
COMMAND_MODULES = (
    "htwork.cli.validate",
    "htwork.cli.profile",
    "htwork.cli.simulate",
    "htwork.cli.demo",
    "htwork.cli.risk",
    "htwork.cli.anonymise",
    "htwork.cli.synth",
    "htwork.cli.release",
    "htwork.cli.policy",
    "htwork.cli.linkage",
    "htwork.cli.prevalence",
    "htwork.cli.report",
)


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser of the ``htwork`` command.

    Returns
    -------
    argparse.ArgumentParser
        The parser; each sub-command's handler is its ``func`` default.
    """
    from htwork import __version__
    from htwork.cli._parser import CommandParser

    parser = CommandParser(
        prog="htwork",
        description="Research workbench for human-trafficking case data: validate, protect, "
        "synthesise and release.",
    )
    parser.add_argument("--version", action="version", version=f"htwork {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        importlib.import_module(module).register(sub)
    return parser


def _exit_status(err: HtworkError) -> int:
    # A GateError's module is loaded whenever one was raised; looking it up in sys.modules
    # keeps the other errors from importing the release machinery just to be printed.
    gate = sys.modules.get("htwork.release.gate")
    if gate is not None and isinstance(err, gate.GateError):
        return GATE_FAILED
    return ERROR


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``htwork`` console command.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; ``sys.argv[1:]`` when omitted.

    Returns
    -------
    int
        Exit status: 0 success, 1 the data has problems, 2 the command could not run, 3 a
        release gate failed (nothing was released), 130 interrupted, 143 terminated (SIGTERM:
        cleaned up as on Ctrl-C).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    previous = _terminate_like_interrupt()
    try:
        status: int = args.func(args)
        sys.stdout.flush()
    except HtworkError as err:
        print(f"htwork {args.command}: {err}", file=sys.stderr)
        return _exit_status(err)
    except BrokenPipeError:
        _silence_stdout()
        return PROBLEMS  # as Python itself exits on EPIPE
    except Terminated:
        print("terminated: nothing was written", file=sys.stderr)
        return TERMINATED
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return INTERRUPTED
    except OSError as err:  # the system refused a read or a write htwork did not foresee
        where = f" ({err.filename})" if err.filename else ""
        print(f"htwork {args.command}: the system refused to read or write a file{where}: "
              f"{err.strerror or err}\n  what to do: check the path and that you may write "
              "there", file=sys.stderr)
        return ERROR
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return status


class Terminated(BaseException):
    """Raised in the main thread when the command receives SIGTERM, so that whatever it was
    writing is cleaned up (temporary folders removed) exactly as on Ctrl-C."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated()


def _terminate_like_interrupt() -> Any:
    """Make SIGTERM raise :class:`Terminated` while the command runs; the previous handler
    (restored afterwards), or None when no handler can be set (not the main thread)."""
    try:
        return signal.signal(signal.SIGTERM, _raise_terminated)
    except ValueError:
        return None


def _silence_stdout() -> None:
    """After a broken pipe (``htwork ... | head``), point stdout at devnull so that Python's
    final flush does not fail again (as the :mod:`signal` documentation advises)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
