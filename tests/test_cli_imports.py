"""The command line is one package that builds its parser without the scientific stack.

``htwork --help`` and ``htwork validate --help`` must answer at once (issue 16), so building the
parser and printing any help but ``synth``'s and ``evaluate``'s imports none of the heavy
libraries; those two add their arguments (the library's methods and parts) on first use.
The wall time is a benchmark (``benchmarks/bench_cli_startup.py``), not a test.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

import htwork.cli
from htwork.cli import synth as synth_cli
from htwork.cli._parser import CommandParser, comma_list

HEAVY = ("pandas", "numpy", "scipy", "matplotlib", "sklearn", "pyarrow", "torch", "sdv",
         "sdmetrics", "anonymeter", "polars", "yaml", "openpyxl")

COMMANDS = ("validate", "profile", "simulate", "demo", "assess", "anonymise", "synth", "evaluate",
            "release", "replay", "scan", "policy", "encode", "link", "mse", "report")


def _heavy_after(*argvs: list[str]) -> list[str]:
    """Heavy modules a fresh interpreter holds after building the parser and these helps."""
    code = (
        "import contextlib, io, json, sys\n"
        "import htwork.cli\n"
        "htwork.cli.build_parser()\n"
        f"for argv in {list(argvs)!r}:\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        try:\n"
        "            htwork.cli.main(argv)\n"
        "        except SystemExit:\n"
        "            pass\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r})))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    return json.loads(proc.stdout)


def test_help_and_validate_help_import_no_heavy_library() -> None:
    assert _heavy_after(["--help"], ["validate", "--help"]) == []


@pytest.mark.parametrize("command", [c for c in COMMANDS if c not in ("synth", "evaluate")])
def test_each_command_help_imports_no_heavy_library(command: str) -> None:
    assert _heavy_after([command, "--help"]) == []


def test_the_probe_sees_a_heavy_import() -> None:
    # synth's help lists the library's methods, so it does import the library: the probe works
    assert "pandas" in _heavy_after(["synth", "--help"])


def test_commands_in_help_order() -> None:
    parser = htwork.cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert tuple(sub.choices) == COMMANDS
    assert all(callable(p.get_default("func")) for p in sub.choices.values())


def test_deferred_arguments_match_a_plain_parser() -> None:
    """synth/evaluate under ``htwork`` (deferred) and under a plain parser (at once) agree."""
    from htwork.synth import METHODS

    lazy = htwork.cli.build_parser()
    plain = argparse.ArgumentParser(prog="htwork")
    synth_cli.register(plain.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    for command in ("synth", "evaluate"):
        lazy_sub = next(a for a in lazy._actions if isinstance(a, argparse._SubParsersAction))
        plain_sub = next(a for a in plain._actions if isinstance(a, argparse._SubParsersAction))
        assert lazy_sub.choices[command].format_help() == plain_sub.choices[command].format_help()
    text = " ".join(lazy_sub.choices["synth"].format_help().split())
    assert all(f"{name}: " in text for name in METHODS)
    args = lazy.parse_args(["synth", "t.csv", "--method", "cart", "--seed", "1", "--out", "o"])
    assert args.method == "cart" and args.func is synth_cli.cmd_synth


def test_bad_choice_of_a_deferred_option_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        htwork.cli.main(["synth", "t.csv", "--method", "nope", "--seed", "1", "--out", "o"])
    assert exc.value.code == 2
    assert "invalid choice: 'nope'" in capsys.readouterr().err


def test_command_parser_fills_once() -> None:
    calls: list[str] = []

    def fill(p: argparse.ArgumentParser) -> None:
        calls.append("x")
        p.add_argument("--x", type=int)

    parser = CommandParser(prog="t")
    parser.defer(fill)
    assert calls == []
    assert parser.parse_args(["--x", "3"]).x == 3
    assert "--x" in parser.format_help()
    assert calls == ["x"]


@pytest.mark.parametrize(("text", "names"), [
    (None, []), ("", []), ("a", ["a"]), (" sex, age ,,province ", ["sex", "age", "province"]),
])
def test_comma_list(text: str | None, names: list[str]) -> None:
    assert comma_list(text) == names


def test_htwork_error_prints_without_traceback_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert htwork.cli.main(["validate", str(tmp_path / "nope.csv")]) == htwork.cli.ERROR == 2
    err = capsys.readouterr().err
    assert err.startswith("htwork validate: ") and "nope.csv" in err and "Traceback" not in err
