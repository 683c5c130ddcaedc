"""``data.parquet`` of a release through the input standard keeps the release standard's types
(issue 12, point 5): the year and the 0/1 flags are integers, suppressed and not-recorded cells
in them null; text columns are as ``data.csv`` writes them; ``data.csv`` is unchanged text."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml

from htwork.release import release
from htwork.standards import load_standard

from .conftest import DEMO


@pytest.fixture(scope="module")
def demo_release(tmp_path_factory):
    out = tmp_path_factory.mktemp("typed") / "ctdc"
    return release(DEMO, "ctdc_k11", out=out, seed=0, progress=False).folder


def _csv(folder):
    return pd.read_csv(folder / "data.csv", dtype=str, keep_default_na=False)


def test_parquet_keeps_the_release_standard_types(demo_release):
    types = {f.name: str(f.type) for f in pq.read_table(demo_release / "data.parquet").schema}
    std = load_standard("release")
    csv = _csv(demo_release)
    assert list(types) == list(csv.columns)
    for name, kind in types.items():
        expected = {"integer": "int64", "string": "string"}[std.field(name)["type"]]
        assert kind == expected, name
    assert types["yearOfRegistration"] == "int64" and types["isForcedLabour"] == "int64"
    assert types["gender"] == "string" and types["citizenship"] == "string"


def test_parquet_values_match_the_csv(demo_release):
    csv = _csv(demo_release)
    data = pq.read_table(demo_release / "data.parquet").to_pandas()
    year = csv["yearOfRegistration"]
    hidden = year.isin(["suppressed", ""])
    assert (year == "suppressed").sum() > 0                  # k = 11 suppressed some years
    assert data["yearOfRegistration"][hidden.to_numpy()].isna().all()
    assert (data["yearOfRegistration"][~hidden.to_numpy()].astype(int).astype(str)
            == year[~hidden].to_numpy()).all()
    flags = csv["isForcedLabour"]
    assert set(flags) <= {"0", "1", ""}
    assert (data["isForcedLabour"].astype("Int64").astype(str).replace("<NA>", "")
            == flags.to_numpy()).all()
    # text columns hold what data.csv holds, suppressed cells included
    assert (data["gender"].fillna("") == csv["gender"].to_numpy()).all()
    assert (csv["gender"] == "suppressed").sum() == (data["gender"] == "suppressed").sum() > 0


def test_csv_is_still_text_and_the_package_says_what_parquet_holds(demo_release):
    first = (demo_release / "data.csv").read_text("utf-8").splitlines()[1]
    assert ".0," not in first                                 # integers written as integers
    dp = json.loads((demo_release / "datapackage.json").read_text("utf-8"))
    note = dp["resources"][1]["description"]
    assert "release standard's types" in note and "every column text" not in note


@pytest.mark.slow
def test_recoded_and_aggregate_columns(tmp_path):
    pol = tmp_path / "recode.yaml"
    pol.write_text(yaml.safe_dump({
        "name": "recode_year", "route": "anonymise",
        "quasi_identifiers": ["gender", "ageBroad", "citizenship", "yearOfRegistration"],
        "recode": {"yearOfRegistration": 1}, "suppress_k": 5, "thresholds": {"k": 5}}),
        encoding="utf-8")
    rec = release(DEMO, pol, out=tmp_path / "recode", progress=False).folder
    types = {f.name: str(f.type) for f in pq.read_table(rec / "data.parquet").schema}
    assert types["yearOfRegistration"] == "string"          # bands like 2018-2019 are text
    assert types["isForcedLabour"] == "int64"
    agg = release(DEMO, "sds_resolution10", out=tmp_path / "agg", progress=False).folder
    t = pq.read_table(agg / "data.parquet")
    types = {f.name: str(f.type) for f in t.schema}
    assert types["count"] == "int64" and types["attributes"] == "int64"
    csv = _csv(agg)
    assert (t.column("count").to_pandas().astype(str) == csv["count"].to_numpy()).all()
