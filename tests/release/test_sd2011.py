"""A real survey the project did not make: SD2011 (Social Diagnosis 2011, 5,000 x 35, survey
missing code -8), read from ``../shared/realdata`` beside the repository, never copied in.

``htwork profile`` must give types and roles a reader agrees with, and ``htwork release`` with
k = 5 on sex, agegr, placesize, region, edu and marital must write a valid folder.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml

from htwork.cli import main
from htwork.risk import frequencies
from htwork.standards import load_standard

from .conftest import REPO

SD2011 = REPO.parent / "shared" / "realdata" / "sd2011.csv"
KEYS = ["sex", "agegr", "placesize", "region", "edu", "marital"]

pytestmark = pytest.mark.skipif(not SD2011.parent.is_dir(),
                                reason=f"{SD2011.parent} is absent on this machine")


@pytest.fixture(scope="module")
def sd_schema(tmp_path_factory):
    out = tmp_path_factory.mktemp("sd") / "schema.yaml"
    assert main(["profile", str(SD2011), "--out", str(out)]) == 0
    return load_standard(out)


@pytest.fixture(scope="module")
def sd_release(tmp_path_factory):
    d = tmp_path_factory.mktemp("sdrel")
    policy = d / "k5.yaml"
    policy.write_text(yaml.safe_dump({
        "name": "sd2011_k5", "title": "k = 5 on six demographic keys", "route": "anonymise",
        "quasi_identifiers": KEYS, "suppress_k": 5, "thresholds": {"k": 5}}), "utf-8")
    out = d / "folder"
    assert main(["release", str(SD2011), "--policy", str(policy), "--out", str(out),
                 "--quiet"]) == 0
    return out


@pytest.mark.slow
def test_profile_types_a_reader_agrees_with(sd_schema):
    t = {f["name"]: f["type"] for f in sd_schema.fields}
    for col in ("age", "income", "nofriend", "height", "weight", "unempdur", "depress"):
        assert t[col] == "integer", col             # numbers stay numbers, whole ones integers
    assert t["bmi"] == "number"
    assert t["ymarr"] == "year"
    for col in ("sex", "agegr", "region", "edu", "marital", "smoke"):
        assert t[col] == "string" and sd_schema.categories(col), col
    assert "-8" in [c.rstrip("0").rstrip(".") for c in sd_schema.missing_codes("income")]
    assert sd_schema.categories("sex") == ["FEMALE", "MALE"]


@pytest.mark.slow
def test_profile_roles_a_reader_agrees_with(sd_schema):
    q = set(sd_schema.quasi_identifiers)
    assert set(KEYS) <= q
    assert {"income", "depress", "alcabuse"} <= set(sd_schema.sensitive)
    assert sd_schema.direct_identifiers == []
    assert sd_schema.role("weight") != "weight"      # body weight in kg, not a survey weight
    assert sd_schema.role("bmi") == "other"


@pytest.mark.slow
def test_release_folder_is_valid(sd_release):
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(sd_release / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "note"])[:5]
    data = pd.read_csv(sd_release / "data.csv", dtype=str, keep_default_na=False)
    assert len(data) == 5000
    assert "-8" not in set(data["income"]) and "-8.0" not in set(data["income"])
    assert data["age"].str.fullmatch(r"\d+|").all()  # integers written as integers


@pytest.mark.slow
def test_release_is_5_anonymous_with_wildcards(sd_release):
    data = pd.read_csv(sd_release / "data.csv", dtype=str, keep_default_na=False)
    seen = data[KEYS].replace({"suppressed": None, "": None})
    fk = np.asarray(frequencies(seen, KEYS).fk)
    assert fk.min() >= 5
    report = json.loads((sd_release / "risk_report.json").read_text("utf-8"))
    assert report["risk_after"]["min_fk"] >= 5
    assert report["risk_before"]["min_fk"] == 1          # it was not 5-anonymous before
    assert report["utility"]["cells_suppressed"] == int((data[KEYS] == "suppressed").sum().sum())


@pytest.mark.slow
def test_release_parquet_keeps_types(sd_release):
    types = {f.name: str(f.type) for f in pq.read_table(sd_release / "data.parquet").schema}
    assert types["age"] == "int64" and types["income"] == "int64"
    assert types["bmi"] == "double" and types["sex"] == "string"


@pytest.mark.slow
def test_release_datasheet_says_only_what_the_input_had(sd_release):
    sheet = (sd_release / "DATASHEET.md").read_text("utf-8")
    for word in ("Southeast Asia", "phone numbers", "case notes", "trafficking"):
        assert word not in sheet, word
    assert "sex, agegr, placesize, region, edu, marital" in sheet
