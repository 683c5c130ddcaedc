"""Issue 17, point 2: no command writes over, inside or around its input, and none deletes what
it did not create (:mod:`htwork.io.guard`)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

from htwork.cli import main
from htwork.errors import InputError
from htwork.io.guard import check_output


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def data(extract150, tmp_path) -> Path:
    """A copy of the extract in a folder ``data`` that also holds an unrelated file."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(extract150, folder / "in.csv")
    (folder / "notes.txt").write_text("an unrelated file", encoding="utf-8")
    return folder / "in.csv"


def listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def refused(argv: list[str], capsys, words: str) -> str:
    status = main(argv)
    err = capsys.readouterr().err
    assert status == 2, err
    assert words in err
    assert "Traceback" not in err
    return err


def test_release_internal_report_over_the_input(data, capsys):
    """``release in.csv --internal-report in.csv`` replaced the extract with a JSON file."""
    before, files = digest(data), listing(data.parent)
    refused(["release", str(data), "--policy", "ctdc_k11", "--out", str(data.parent / "rel"),
             "--internal-report", str(data), "--quiet"], capsys, "overwrite the input")
    assert digest(data) == before and listing(data.parent) == files


def test_release_out_around_the_input(data, capsys):
    before = digest(data)
    refused(["release", str(data), "--policy", "ctdc_k11", "--out", str(data.parent),
             "--quiet"], capsys, "holds the input")
    assert digest(data) == before


def test_synth_out_over_the_input(data, capsys):
    """``synth in.csv --out in.csv`` overwrote the extract."""
    before = digest(data)
    refused(["synth", str(data), "--seed", "1", "--out", str(data)], capsys,
            "overwrite the input")
    assert digest(data) == before


def test_synth_save_model_over_the_input(data, capsys):
    before = digest(data)
    refused(["synth", str(data), "--seed", "1", "--out", str(data.parent / "s.csv"),
             "--save-model", str(data)], capsys, "overwrite the input")
    assert digest(data) == before
    assert not (data.parent / "s.csv").exists()


def test_anonymise_out_over_the_input(data, capsys):
    before = digest(data)
    refused(["anonymise", str(data), "--quasi", "prs_Gender", "--k", "2", "--out", str(data)],
            capsys, "overwrite the input")
    assert digest(data) == before


def test_report_force_on_the_folder_holding_the_input(data, capsys):
    """``report data/in.csv --out data --force`` deleted the folder holding the input and an
    unrelated file."""
    before, files = digest(data), listing(data.parent)
    refused(["report", str(data), "--quarter", "2024Q3", "--out", str(data.parent), "--force"],
            capsys, "holds the input")
    assert digest(data) == before and listing(data.parent) == files
    assert [p.name for p in data.parent.parent.iterdir()] == ["data"]


def test_report_force_over_the_input_file(data, capsys):
    """``report --out in.csv --force`` hid the input as ``.in.csv.<hex>.old``."""
    before, files = digest(data), listing(data.parent)
    refused(["report", str(data), "--quarter", "2024Q3", "--out", str(data), "--force"],
            capsys, "overwrite the input")
    assert digest(data) == before and listing(data.parent) == files
    assert not list(data.parent.glob(".*"))


def test_report_force_never_deletes_a_stranger(data, tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["report", str(data), "--quarter", "2024Q3", "--out", str(out)]) == 0
    first = listing(out)
    assert main(["report", str(data), "--quarter", "2024Q3", "--out", str(out),
                 "--force"]) == 0  # a report replaces its own kind
    assert listing(out) == first
    (out / "my-notes.docx").write_bytes(b"mine")
    capsys.readouterr()
    refused(["report", str(data), "--quarter", "2024Q3", "--out", str(out), "--force"], capsys,
            "my-notes.docx")
    assert (out / "my-notes.docx").read_bytes() == b"mine"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_evaluate_figures_around_an_input(data, capsys):
    refused(["evaluate", str(data), str(data), "--holdout", str(data), "--figures",
             str(data.parent)], capsys, "holds the input")


def test_check_output_rules(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("a\n1\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(src)
    for out, kw in [(src, {}), (link, {}), (tmp_path, {"folder": True}),
                    (tmp_path, {}), (src, {"folder": True})]:
        with pytest.raises(InputError):
            check_output(out, [src], **kw)
    inside = tmp_path / "dir"
    inside.mkdir()
    with pytest.raises(InputError, match="inside the input folder"):
        check_output(inside / "x.csv", [inside])
    with pytest.raises(InputError, match="does not exist"):
        check_output(tmp_path / "no" / "x.csv", [src])
    assert check_output(tmp_path / "ok.csv", [src, None]) == tmp_path / "ok.csv"


def test_replay_out_around_the_input(released, tmp_path, capsys):
    folder, src = released
    refused(["replay", str(folder / "recipe.yaml"), str(src), "--out", str(src.parent),
             "--quiet"], capsys, "holds the input")


def test_no_command_changes_its_input(released):
    folder, src = released
    assert pd.read_csv(src, dtype=str).shape == (150, 40)
    assert digest(src) == digest(src.parent / "pristine.csv")
