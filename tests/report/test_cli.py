"""``htwork report``: the happy path and bad input, without a traceback."""

from __future__ import annotations

import json

import pytest

from htwork.cli import main


@pytest.mark.slow
def test_report_command(repo_root, tmp_path, capsys):
    out = tmp_path / "q3"
    rc = main(["report", str(repo_root / "datasets" / "demo" / "cases.csv"), "--quarter",
               "2024Q3", "--out", str(out), "--json"])
    assert rc == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["quarter"] == "2024Q3" and printed["folder"] == str(out)
    assert (out / "report.html").exists() and (out / "sex_by_age.csv").exists()
    rc = main(["report", str(repo_root / "datasets" / "demo" / "cases.csv"), "--quarter",
               "2024Q3", "--out", str(out), "--threshold", "5", "--force"])
    assert rc == 0
    assert "counts under 5 hidden" in capsys.readouterr().out


def test_bad_input_exits_2_without_traceback(repo_root, tmp_path, capsys):
    demo = str(repo_root / "datasets" / "demo" / "cases.csv")
    for args, words in [
        ([demo, "--quarter", "2024Q7"], "not a quarter"),
        ([demo, "--quarter", "2031Q1"], "no record was registered in 2031Q1"),
        ([str(tmp_path / "missing.csv"), "--quarter", "2024Q3"], "missing.csv"),
    ]:
        rc = main(["report", *args, "--out", str(tmp_path / "never")])
        err = capsys.readouterr().err
        assert rc == 2, args
        assert words in err and "Traceback" not in err
        assert not (tmp_path / "never").exists()


def test_missing_column(tmp_path, capsys):
    path = tmp_path / "cases.csv"
    path.write_text("cas_CaseId,cas_RegistrationDate\nA-1,2024-07-01\n", encoding="utf-8")
    rc = main(["report", str(path), "--quarter", "2024Q3", "--out", str(tmp_path / "r")])
    err = capsys.readouterr().err
    assert rc == 2 and "prs_Gender" in err and "cases.csv" in err
