"""A CTDC-native table (the CTDC global dataset's own columns and codes: alpha-2 countries,
``-99`` for missing, typed year of registration) releases under ``ctdc_k11`` with no
crosswalk, and 11-anonymity holds on the keys present, suppressed and missing cells counting
as wildcards."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from htwork.release import load_policy, release
from htwork.risk import frequencies
from htwork.simulate import simulate, write_extract


@pytest.fixture(scope="module")
def ctdc_release(tmp_path_factory):
    d = tmp_path_factory.mktemp("ctdc")
    table = write_extract(simulate(1500, seed=11), d / "ctdc.csv", agency_format="ctdc")
    out = d / "folder"
    result = release(table, "ctdc_k11", schema="ctdc", out=out, progress=False)
    return table, out, result


def test_ctdc_native_table_releases_under_ctdc_k11(ctdc_release):
    table, out, result = ctdc_release
    raw = pd.read_csv(table, dtype=str, keep_default_na=False)
    assert (raw == "-99").any().any()                       # CTDC's missing code is there
    assert raw["citizenship"].str.fullmatch(r"[A-Z]{2}|-99").all()
    assert result.policy == "ctdc_k11" and result.n_rows == len(raw)
    keys = list(load_policy("ctdc_k11").quasi_identifiers)
    data = pd.read_csv(out / "data.csv", dtype=str, keep_default_na=False)
    present = [k for k in keys if k in data]
    assert present == keys                                  # every key is a CTDC column
    assert "-99" not in set(data[present].to_numpy().ravel())
    seen = data[present].replace({"suppressed": None, "": None})
    fk = np.asarray(frequencies(seen, present).fk)
    assert fk.min() >= 11
    report = json.loads((out / "risk_report.json").read_text("utf-8"))
    assert report["risk_before"]["min_fk"] < 11             # protection had work to do
    assert report["risk_after"]["min_fk"] >= 11
    assert report["gate"]["passed"]


def test_ctdc_native_folder_is_valid(ctdc_release):
    frictionless = pytest.importorskip("frictionless")
    _, out, _ = ctdc_release
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "note"])[:5]
    assert (out / "marginals.png").stat().st_size > 0       # a typed year key is drawn too


def test_ctdc_native_table_needs_no_schema_option(tmp_path):
    """A user's first try, `htwork release ctdc.csv --policy ctdc_k11`, finds the shipped CTDC
    schema by the table's columns (no --schema, no crosswalk, nothing inferred)."""
    import subprocess
    import sys

    table = write_extract(simulate(400, seed=3), tmp_path / "ctdc.csv", agency_format="ctdc")
    out = tmp_path / "folder"
    proc = subprocess.run([sys.executable, "-m", "htwork", "release", str(table), "--policy",
                           "ctdc_k11", "--out", str(out)], capture_output=True, text=True,
                          timeout=600, env={**__import__("os").environ,
                                            "HTWORK_NO_PROGRESS": "1"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "inferred schema" not in proc.stderr
    data = pd.read_csv(out / "data.csv", dtype=str, keep_default_na=False)
    assert "meansOfControlConcatenated" in data     # not dropped as guessed free text
