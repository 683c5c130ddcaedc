"""``htwork assess`` / ``htwork anonymise`` through their argparse registration."""

from __future__ import annotations

import argparse
import json

import numpy as np
import pandas as pd
import pytest

from htwork.cli import anonymise, risk
from htwork.errors import HtworkError
from htwork.risk import frequencies


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="htwork")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in (risk, anonymise):
        command.register(sub)
    args = parser.parse_args(argv)
    return args.func(args)


@pytest.fixture()
def cases(tmp_path):
    rng = np.random.default_rng(5)
    n = 400
    df = pd.DataFrame(
        {
            "gender": rng.choice(["Female", "Male"], n),
            "ageBroad": rng.choice(["9--17", "18--20", "21--23", "24--26", "27--29"], n),
            "citizenship": rng.choice(["KH", "MM", "LA", "VN"], n),
            "province": rng.choice([f"TH-{i}" for i in range(10, 40)], n),
            "exploitation": rng.choice(["ForcedLabour", "SexualExploitation"], n),
            "w": rng.uniform(1, 5, n).round(2),
        }
    )
    df.loc[rng.choice(n, 20, replace=False), "ageBroad"] = ""
    path = tmp_path / "cases.csv"
    df.to_csv(path, index=False)
    return path


QUASI = "gender,ageBroad,citizenship,province"


def test_assess_json(cases, capsys):
    assert (
        _run(["assess", str(cases), "--quasi", QUASI, "--sensitive", "exploitation", "--json"]) == 0
    )
    d = json.loads(capsys.readouterr().out)
    assert d["n_records"] == 400
    assert set(d["k_violations"]) == {"2", "3", "5"}
    for key in (
        "equivalence_classes",
        "sample_uniques",
        "global_risk",
        "expected_reidentifications",
    ):
        assert key in d
    assert set(d["suda2"]) >= {
        "records_above_zero",
        "total_score",
        "total_dis_score",
        "contributions",
    }
    assert set(d["suda2"]["contributions"]) == set(QUASI.split(","))
    assert "records_with_l1" in d["l_diversity"]


def test_assess_text_with_weights(cases, capsys):
    assert _run(["assess", str(cases), "--quasi", QUASI, "--weight", "w"]) == 0
    out = capsys.readouterr().out
    assert "Disclosure risk report" in out and "In plain words:" in out
    assert "estimated with the sampling weights" in out


@pytest.mark.parametrize("method", ["minimal", "sdcmicro"])
def test_anonymise_writes_a_3_anonymous_table(cases, tmp_path, capsys, method):
    out = tmp_path / f"safe_{method}.csv"
    code = _run(
        [
            "anonymise",
            str(cases),
            "--quasi",
            QUASI,
            "--k",
            "3",
            "--method",
            method,
            "--out",
            str(out),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "suppressions per key:" in printed and "total" in printed
    released = pd.read_csv(out, dtype=str, keep_default_na=False, na_values=[""])
    assert len(released) == 400
    assert frequencies(released, QUASI.split(",")).violations(3) == 0


def test_minimal_no_more_cells_than_sdcmicro(cases, tmp_path, capsys):
    totals = {}
    for method in ("minimal", "sdcmicro"):
        out = tmp_path / f"{method}.csv"
        _run(
            [
                "anonymise",
                str(cases),
                "--quasi",
                QUASI,
                "--k",
                "3",
                "--method",
                method,
                "--out",
                str(out),
                "--json",
            ]
        )
        totals[method] = json.loads(capsys.readouterr().out)["total_suppressions"]
    assert totals["minimal"] <= totals["sdcmicro"]


def test_importance_option(cases, tmp_path, capsys):
    out = tmp_path / "imp.csv"
    _run(
        [
            "anonymise",
            str(cases),
            "--quasi",
            QUASI,
            "--k",
            "3",
            "--importance",
            "province",
            "--out",
            str(out),
            "--json",
        ]
    )
    rep = json.loads(capsys.readouterr().out)
    assert rep["importance"]["province"] == 1


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["--quasi", "gender,nope", "--k", "3"], "'nope' is not a column"),
        (["--quasi", "gender,ageBroad", "--k", "1"], "at least 2"),
        (["--quasi", "gender,empty", "--k", "3"], "has no value"),
    ],
)
def test_anonymise_bad_input_writes_nothing(cases, tmp_path, argv, fragment):
    df = pd.read_csv(cases)
    df["empty"] = ""
    df.to_csv(cases, index=False)
    out = tmp_path / "never.csv"
    with pytest.raises(HtworkError, match=fragment):
        _run(["anonymise", str(cases), *argv, "--out", str(out)])
    assert not out.exists()
    assert not any(p.name.startswith(".never") for p in tmp_path.iterdir())


@pytest.mark.parametrize(
    "extra, fragment",
    [
        (["--weight", "gender"], "not a number"),
        (["--weight", "zero"], "not positive"),
    ],
)
def test_assess_bad_weights(cases, extra, fragment):
    df = pd.read_csv(cases)
    df["zero"] = 0
    df.to_csv(cases, index=False)
    with pytest.raises(HtworkError, match=fragment):
        _run(["assess", str(cases), "--quasi", QUASI, *extra])


def test_anonymise_refuses_to_overwrite_input(cases):
    with pytest.raises(HtworkError, match="overwrite"):
        _run(["anonymise", str(cases), "--quasi", QUASI, "--k", "3", "--out", str(cases)])


def test_anonymise_takes_its_keys_from_the_schema(tmp_path, capsys):
    """Issue 12: every command that reads a table takes --schema; without --quasi, anonymise
    protects the schema's quasi-identifiers (and reads its missing codes as missing)."""
    src = tmp_path / "survey.csv"
    rng = np.random.default_rng(5)
    n = 400
    pd.DataFrame({"sex": rng.choice(["F", "M"], n), "region": rng.choice(list("ABCDEFGH"), n),
                  "agegr": rng.choice(["16-24", "25-34", "35-44", "-8"], n),
                  "income": rng.integers(100, 9000, n)}).to_csv(src, index=False)
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"fields": [
        {"name": "sex", "type": "string", "htwork:role": "quasi_identifier"},
        {"name": "region", "type": "string", "htwork:role": "quasi_identifier"},
        {"name": "agegr", "type": "string", "htwork:role": "quasi_identifier"},
        {"name": "income", "type": "integer", "htwork:role": "sensitive"}],
        "missingValues": ["", "-8"]}), encoding="utf-8")
    out = tmp_path / "safe.csv"
    assert _run(["anonymise", str(src), "--schema", str(schema), "--k", "5",
                 "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert all(k in printed for k in ("sex", "region", "agegr"))
    released = pd.read_csv(out, dtype=str, keep_default_na=False, na_values=[""])
    assert "-8" not in set(released["agegr"].dropna())
    sizes = released.fillna("*").groupby(["sex", "region", "agegr"]).size()
    assert len(released) == n and sizes.index.size > 0
