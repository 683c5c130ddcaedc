"""``htwork simulate --agency-format ctdc``: a CTDC-native table from the simulated people."""

from __future__ import annotations

import pandas as pd

from htwork.cli import main
from htwork.io import read_table
from htwork.standards import load_standard, validate


def test_cli_writes_a_ctdc_native_table_that_validates(tmp_path, capsys):
    out = tmp_path / "ctdc.csv"
    assert main(["simulate", "--agency-format", "ctdc", "--n", "1500", "--seed", "7",
                 "--out", str(out)]) == 0
    table = read_table(out)
    std = load_standard("ctdc")
    assert list(table.columns) == std.field_names
    assert len(table) == 1500
    assert validate(table, "ctdc").ok
    assert main(["validate", str(out), "--standard", "ctdc"]) == 0
    assert "0 errors" in capsys.readouterr().out
    assert (table == "-99").to_numpy().sum() > 0
    assert all(len(c) == 2 for c in set(table["citizenship"]) - {"-99"})  # alpha-2
    assert not table.isna().to_numpy().any()  # missing is written -99, never empty


def test_same_seed_same_bytes_and_the_input_standard_rejects_it(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    for p in (a, b):
        assert main(["simulate", "--agency-format", "ctdc", "--n", "300", "--seed", "3",
                     "--out", str(p)]) == 0
    assert a.read_bytes() == b.read_bytes()
    assert not validate(read_table(a), "input").ok


def test_parquet_by_extension(tmp_path):
    out = tmp_path / "ctdc.parquet"
    assert main(["simulate", "--agency-format", "ctdc", "--n", "200", "--seed", "1",
                 "--out", str(out)]) == 0
    table = pd.read_parquet(out)
    assert list(table.columns) == load_standard("ctdc").field_names
