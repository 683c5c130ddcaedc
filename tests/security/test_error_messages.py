"""Issue 17, points 8 and 10: every error a message (no traceback), SIGTERM cleans up like
Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from htwork.cli import TERMINATED, main

REPO = Path(__file__).resolve().parents[2]


def message_only(argv: list[str], capsys, *words: str) -> str:
    status = main(argv)
    err = capsys.readouterr().err
    assert status == 2, err
    assert "Traceback" not in err
    for w in words:
        assert w in err, err
    return err


@pytest.fixture
def read_only(tmp_path, monkeypatch) -> Path:
    """A folder nobody may write to. Root may write anywhere, so for root the folder is also
    reported as read-only by ``os.access`` (what a non-root user's system reports)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    if os.geteuid() == 0:
        real = os.access

        def access(path, mode, *a, **kw):
            if Path(path).resolve() == folder.resolve() and mode & os.W_OK:
                return False
            return real(path, mode, *a, **kw)

        monkeypatch.setattr(os, "access", access)
    yield folder
    folder.chmod(0o755)


def small_tables(folder: Path, extract: Path) -> tuple[Path, Path, Path]:
    df = pd.read_csv(extract, dtype=str, keep_default_na=False)[
        ["prs_Gender", "prs_Citizenship", "vic_TraffickingStatus"]]
    paths = []
    for name, part in (("train", df.iloc[:75]), ("syn", df.iloc[75:]), ("hold", df.iloc[75:])):
        p = folder / f"{name}.csv"
        part.to_csv(p, index=False)
        paths.append(p)
    return paths[0], paths[1], paths[2]


@pytest.mark.parametrize("command", ["release", "report", "synth", "evaluate"])
def test_read_only_output_folder(extract150, read_only, tmp_path, capsys, command):
    """A read-only output folder gave a PermissionError traceback."""
    train, syn, hold = small_tables(tmp_path, extract150)
    argv = {
        "release": ["release", str(extract150), "--policy", "ctdc_k11", "--quiet",
                    "--out", str(read_only / "rel")],
        "report": ["report", str(extract150), "--quarter", "2024Q3",
                   "--out", str(read_only / "rep")],
        "synth": ["synth", str(train), "--seed", "1", "--min-rows", "10",
                  "--out", str(read_only / "s.csv")],
        "evaluate": ["evaluate", str(train), str(syn), "--holdout", str(hold), "--parts",
                     "copies", "--figures", str(read_only / "figs")],
    }[command]
    message_only(argv, capsys, "read-only")
    assert list(read_only.iterdir()) == []


def test_policy_columns_naming_an_input_column(extract150, tmp_path, capsys):
    """A policy ``columns:`` entry naming an input column raised a KeyError."""
    policy = tmp_path / "p.yaml"
    policy.write_text("name: mine\nroute: anonymise\nthresholds:\n  k: 3\n"
                      "columns: [gender, prs_FirstName]\n", encoding="utf-8")
    message_only(["release", str(extract150), "--policy", str(policy), "--quiet",
                  "--out", str(tmp_path / "rel")], capsys, "prs_FirstName", "input column")
    assert not (tmp_path / "rel").exists()


def test_replay_with_bad_recipes_and_a_folder(released, tmp_path, capsys):
    """``replay`` with a non-YAML recipe, or a folder as its input, gave tracebacks."""
    folder, src = released
    binary = tmp_path / "recipe.yaml"
    binary.write_bytes((folder / "fk.png").read_bytes())
    message_only(["replay", str(binary), str(src), "--out", str(tmp_path / "a")], capsys,
                 "recipe")
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: [htwork\n  - x: {\n", encoding="utf-8")
    message_only(["replay", str(broken), str(src), "--out", str(tmp_path / "b")], capsys,
                 "not valid YAML")
    message_only(["replay", str(folder / "recipe.yaml"), str(tmp_path), "--out",
                  str(tmp_path / "c")], capsys, "folder")
    message_only(["release", str(tmp_path), "--policy", "ctdc_k11", "--out",
                  str(tmp_path / "d")], capsys, "folder")


def test_evaluate_copies_with_figures(extract150, tmp_path, capsys):
    """``evaluate --parts copies --figures`` died on the missing quality figures."""
    train, syn, hold = small_tables(tmp_path, extract150)
    figs = tmp_path / "figs"
    status = main(["evaluate", str(train), str(syn), "--holdout", str(hold), "--parts", "copies",
                   "--figures", str(figs)])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert "no figure was written" in captured.err
    assert "Traceback" not in captured.err


def run_htwork(*args: str, **kw) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO), "HTWORK_NO_PROGRESS": "1"}
    return subprocess.Popen([sys.executable, "-m", "htwork", *args], env=env, cwd=REPO, **kw)


def test_broken_pipe_is_quiet(extract150):
    """``htwork ... | head`` printed a BrokenPipeError traceback."""
    p = run_htwork("profile", str(extract150), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert p.stdout is not None and p.stderr is not None
    p.stdout.close()  # the reader has gone before the first line is written
    err = p.stderr.read().decode()
    p.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert p.returncode == 1


SLOW_SCAN = """
import sys, time
import htwork.release.steps as steps
real = steps.scan
def slow(*a, **k):
    print("writing", flush=True)
    time.sleep(60)
    return real(*a, **k)
steps.scan = slow
from htwork.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_terminated_release_leaves_no_temp_folder(extract150, tmp_path, sig):
    """SIGTERM during a release left a hidden ``.OUT.xxxx.tmp/`` with a full, unscanned
    release; now it is removed as on Ctrl-C (SIGINT)."""
    out = tmp_path / "rel"
    env = {**os.environ, "PYTHONPATH": str(REPO), "HTWORK_NO_PROGRESS": "1"}
    p = subprocess.Popen([sys.executable, "-c", SLOW_SCAN, "release", str(extract150),
                          "--policy", "ctdc_k11", "--quiet", "--out", str(out)], env=env,
                         cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert p.stdout is not None
    assert p.stdout.readline().strip() == "writing"  # the release is in its temporary folder
    assert [q.name for q in tmp_path.glob(".rel.*.tmp")]
    time.sleep(0.2)
    p.send_signal(sig)
    _, err = p.communicate(timeout=60)
    assert p.returncode == (TERMINATED if sig == signal.SIGTERM else 130), err
    assert "Traceback" not in err
    assert not list(tmp_path.glob(".*")), list(tmp_path.iterdir())
    assert not out.exists()
