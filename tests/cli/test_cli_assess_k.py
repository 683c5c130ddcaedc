"""``htwork assess --k 11``: k-violations at the k a policy uses, not only at 2, 3 and 5."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from htwork.cli import main
from htwork.risk import assess, frequencies

KEYS = ["gender", "ageBroad", "citizenship", "yearOfRegistration"]


@pytest.fixture(scope="module")
def ctdc_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("assess") / "ctdc.csv"
    assert main(["simulate", "--agency-format", "ctdc", "--n", "2000", "--seed", "11",
                 "--out", str(out)]) == 0
    return out


def test_cli_reports_violations_at_k_11(ctdc_file, capsys):
    assert main(["assess", str(ctdc_file), "--quasi", ",".join(KEYS), "--k", "11",
                 "--no-suda", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report["k_violations"]) == {"2", "3", "5", "11"}
    df = pd.read_csv(ctdc_file, dtype=str, keep_default_na=False)
    fk = frequencies(df.replace("", np.nan), KEYS).fk
    assert report["k_violations"]["11"] == int((fk < 11).sum())
    assert report["k_violations"]["11"] >= report["k_violations"]["5"] > 0
    assert any("At k = 11" in s for s in report["explanation"])


def test_cli_text_report_and_several_k(ctdc_file, capsys):
    assert main(["assess", str(ctdc_file), "--quasi", "gender,ageBroad", "--k", "11,20",
                 "--no-suda"]) == 0
    out = capsys.readouterr().out
    assert "records violating 11-anonymity" in out and "records violating 20-anonymity" in out


@pytest.mark.parametrize("bad", ["0", "1", "eleven", "-3"])
def test_bad_k_is_a_clear_error(ctdc_file, capsys, bad):
    assert main(["assess", str(ctdc_file), "--quasi", "gender", f"--k={bad}"]) == 2
    assert "--k takes whole numbers" in capsys.readouterr().err


def test_library_k_levels():
    df = pd.DataFrame({"a": list("xxxxxxxxxy"), "b": ["1"] * 10})
    rep = assess(df, ["a", "b"], k=[11, 7], suda=False)
    assert rep.k_levels == [2, 3, 5, 7, 11]
    assert rep.to_dict()["k_violations"] == {"2": 1, "3": 1, "5": 1, "7": 1, "11": 10}
    assert list(assess(df, ["a"], suda=False).to_dict()["k_violations"]) == ["2", "3", "5"]
