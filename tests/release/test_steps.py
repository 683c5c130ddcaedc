"""Each step of the release, called on its own; and release() as their composition."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from htwork.errors import InputError
from htwork.release import GateError, load_policy, release
from htwork.release import steps as S
from htwork.release.gate import measure
from htwork.release.scan import LeakError
from htwork.simulate import simulate, write_standard_csv
from htwork.standards import load_standard, release_inputs

from .conftest import REPO, folder_bytes

KEY = b"k" * 32
SMALL_K5 = {"name": "k5", "route": "anonymise",
            "quasi_identifiers": ["gender", "ageBroad", "citizenship", "yearOfRegistration"],
            "importance": ["gender"], "suppress_k": 5, "thresholds": {"k": 5}}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """400 simulated records in the input standard (identifiers included), as a file."""
    path = tmp_path_factory.mktemp("steps") / "cases.csv"
    write_standard_csv(simulate(400, seed=11), path)
    return path


@pytest.fixture(scope="module")
def df(small):
    return S.read_input(small)


@pytest.fixture(scope="module")
def k5():
    return load_policy(SMALL_K5)


@pytest.fixture(scope="module")
def base(df, k5):
    table, _ = S.map_to_release(df, k5)
    return table


@pytest.fixture(scope="module")
def protected(base, k5):
    return S.protect_table(base, k5)


# --- read, validate, map ---------------------------------------------------------------------

def test_read_input_gives_strings_on_spreadsheet_rows(df):
    assert len(df) == 400 and df.index[0] == 2
    assert {"prs_FirstName", "prs_Gender", "cas_Notes"} <= set(df.columns)
    assert all(isinstance(v, str) for v in df["prs_Gender"].dropna())


def test_read_input_through_a_crosswalk():
    raw = S.read_input(REPO / "datasets" / "demo" / "cases_th_cross_ministerial.csv",
                       "th_cross_ministerial")
    std = load_standard("input")
    assert set(raw.columns) <= set(std.field_names)
    assert raw.attrs["htwork"]["crosswalk"] == "th_cross_ministerial"


def test_validate_input_passes_good_and_stops_bad(df, small):
    assert S.validate_input(df, small).ok
    bad = df.copy()
    bad.loc[bad.index[3], "prs_Gender"] = "Martian"
    with pytest.raises(InputError, match="nothing was released") as info:
        S.validate_input(bad, small)
    assert "Martian" in str(info.value) and small.name in str(info.value)


def test_map_to_release_keeps_the_policys_columns(df, k5):
    table, record = S.map_to_release(df, k5)
    assert list(table.columns) == load_standard("release").field_names
    assert record["step"] == "map" and "400 input records" in record["text"]
    assert all(v is None or isinstance(v, str) for v in table["yearOfRegistration"])
    narrow = load_policy({**SMALL_K5, "columns": ["gender", "ageBroad", "citizenship",
                                                  "yearOfRegistration", "isForcedLabour"],
                          "never": ["isForcedLabour"]})
    table, record = S.map_to_release(df, narrow)
    assert list(table.columns) == ["gender", "ageBroad", "citizenship", "yearOfRegistration"]
    assert "(4 columns" in record["text"]


# --- identifiers -----------------------------------------------------------------------------

def test_handle_identifiers_drops_what_the_release_is_not_made_from(df, base, k5):
    table, records = S.handle_identifiers(df, base, k5)
    assert table is base
    drop = records[0]
    assert drop["step"] == "drop_identifiers"
    assert {"prs_FirstName", "prs_MobilePhone", "cas_Notes", "cas_CaseId"} <= set(drop["columns"])
    assert drop["mapped_from"] == sorted(c for c in df.columns if c in release_inputs())
    assert not set(drop["columns"]) & set(drop["mapped_from"])


def test_handle_identifiers_adds_keyed_pseudonyms(df, base):
    pol = load_policy({**SMALL_K5, "pseudonymise": {"cas_CaseId": "caseKey"},
                       "never": ["typeOfSexPornography"]})
    before = base.copy()
    table, records = S.handle_identifiers(df, base, pol, KEY)
    assert [r["step"] for r in records] == ["drop_identifiers", "never", "pseudonymise"]
    keys = table["caseKey"]
    assert keys.str.fullmatch(r"[0-9a-f]{16}").all() and keys.is_unique
    assert not set(keys) & set(df["cas_CaseId"])
    pd.testing.assert_frame_equal(base, before)  # the mapped table is not changed in place
    with pytest.raises(InputError, match="no key"):
        S.handle_identifiers(df, base, pol, None)


# --- protect ---------------------------------------------------------------------------------

def test_protect_table_anonymise_reaches_k(base, protected, k5):
    assert protected.mask is not None and protected.mask.shape == base.shape
    blanked = protected.mask.to_numpy()
    assert blanked.any()
    assert protected.table.isna().to_numpy()[blanked].all()
    assert measure(protected.table, k5)["min_fk"] >= 5
    last = protected.records[-1]
    assert last["step"] == "local_suppression" and last["cells"] == int(blanked.sum())
    assert base.notna().to_numpy()[blanked].all()  # the input table itself is left alone


def test_protect_table_recodes_and_chooses_k(base):
    pol = load_policy({**SMALL_K5, "recode": {"ageBroad": 1}, "suppress_k": "auto"})
    out = S.protect_table(base, pol)
    assert [r["step"] for r in out.records] == ["recode", "choose_k", "local_suppression"]
    assert out.categories["ageBroad"] == ["0--17", "18--29", "30--47", "48+"]
    assert set(out.table["ageBroad"].dropna()) <= set(out.categories["ageBroad"])
    assert out.records[1]["k"] in S.AUTO_K


def test_protect_table_aggregate_rounds_and_withholds(base):
    pol = load_policy("sds_resolution10")
    out = S.protect_table(base, pol)
    counts = out.table["count"].astype(int)
    assert (counts % 10 == 0).all() and (counts >= 10).all()
    assert out.mask is None and out.figures["aggregate"]["combinations_withheld"] > 0


# --- assess, gate ----------------------------------------------------------------------------

def test_assess_tables_reports_before_and_after(base, protected, k5):
    report = S.assess_tables(base, protected, k5)
    assert list(report) == ["policy", "route", "risk_before", "risk_after", "utility"]
    assert report["risk_before"]["min_fk"] < 5 <= report["risk_after"]["min_fk"]
    u = report["utility"]
    assert u["cells_suppressed"] == int(protected.mask.to_numpy().sum())
    assert set(u["total_variation"]) <= set(k5.quasi_identifiers)
    assert all(0 <= v <= 1 for v in u["total_variation"].values())


def test_gate_release_passes_and_fails(base, protected, k5, tmp_path):
    report = S.assess_tables(base, protected, k5)
    assert S.gate_release(report, base, protected, k5) == {"passed": True,
                                                          "thresholds": {"k": 5}}
    strict = load_policy({**SMALL_K5, "thresholds": {"k": 50}})
    internal = tmp_path / "risky.json"
    with pytest.raises(GateError, match="failed: k") as info:
        S.gate_release(S.assess_tables(base, protected, strict), base, protected, strict,
                       internal)
    assert "nothing was released" in str(info.value)
    detail = json.loads(internal.read_text(encoding="utf-8"))
    assert detail["risky_records"] and detail["figures"]["gate"]["passed"] is False


# --- write, and the whole ---------------------------------------------------------------------

def _report(base, protected, policy, records):
    report = S.assess_tables(base, protected, policy)
    report["gate"] = S.gate_release(report, base, protected, policy)
    report["steps"] = records
    return report


def test_write_folder_writes_every_part(small, df, base, protected, k5, tmp_path):
    report = _report(base, protected, k5, [*protected.records])
    meta = S.release_meta(small, df, k5, 0, None, protected.table)
    out = tmp_path / "rel"
    S.write_folder(out, df=df, base=base, protected=protected, policy=k5, report=report,
                   meta=meta)
    names = {p.name for p in out.iterdir()}
    assert {"data.csv", "data.parquet", "datapackage.json", "DATASHEET.md", "datasheet.html",
            "recipe.yaml", "risk_report.json", "fk.png", "marginals.png"} <= names
    assert report["leak_scan"]["leaks"] == 0 and report["leak_scan"]["identifier_values"] > 0
    data = pd.read_csv(out / "data.csv", dtype=str, keep_default_na=False)
    assert (data == "suppressed").to_numpy().sum() == int(protected.mask.to_numpy().sum())
    assert str(small.parent) not in (out / "recipe.yaml").read_text(encoding="utf-8")


def test_write_folder_writes_nothing_when_an_identifier_leaks(small, df, base, protected, k5,
                                                               tmp_path):
    name = df["prs_FirstName"].dropna().iloc[0]
    leaky = S.Protected(protected.table.assign(gender=name), protected.mask)
    report = _report(base, protected, k5, [])
    meta = S.release_meta(small, df, k5, 0, None, leaky.table)
    out = tmp_path / "leaky"
    with pytest.raises(LeakError, match="nothing was released"):
        S.write_folder(out, df=df, base=base, protected=leaky, policy=k5, report=report,
                       meta=meta)
    assert not out.exists()
    with pytest.raises(InputError, match="parent does not exist"):
        S.write_folder(tmp_path / "no" / "such", df=df, base=base, protected=protected,
                       policy=k5, report=report, meta=meta)


def test_release_is_the_steps_composed(small, tmp_path):
    """The steps called by hand give the very bytes release() writes."""
    pol = load_policy(SMALL_K5)
    made = release(small, pol, out=tmp_path / "release", seed=4, progress=False)
    df = S.read_input(small)
    S.validate_input(df, small)
    base, mapped = S.map_to_release(df, pol)
    base, records = S.handle_identifiers(df, base, pol)
    prot = S.protect_table(base, pol, seed=4)
    report = _report(base, prot, pol, [mapped, *records, *prot.records])
    meta = S.release_meta(small, df, pol, 4, None, prot.table)
    S.write_folder(tmp_path / "by-hand", df=df, base=base, protected=prot, policy=pol,
                   report=report, meta=meta)
    assert folder_bytes(tmp_path / "by-hand") == folder_bytes(made.folder)
    assert made.figures == report


def test_release_leaves_matplotlib_alone(small, tmp_path):
    import matplotlib
    import matplotlib.pyplot as plt

    mine = plt.figure()  # the user's own open figure must stay, and no other may appear
    try:
        backend, fignums = matplotlib.get_backend(), plt.get_fignums()
        rc = dict(matplotlib.rcParams)
        release(small, SMALL_K5, out=tmp_path / "r", progress=False)
        assert matplotlib.get_backend() == backend
        assert plt.get_fignums() == fignums
        assert {k for k, v in matplotlib.rcParams.items() if v != rc[k]} == set()
    finally:
        plt.close(mine)


def test_step_records_match_the_recipe(small, tmp_path):
    import yaml

    made = release(small, SMALL_K5, out=tmp_path / "r", progress=False)
    recipe = yaml.safe_load((made.folder / "recipe.yaml").read_text(encoding="utf-8"))
    assert [p["step"] for p in recipe["parameters"]] == ["map", "drop_identifiers",
                                                          "local_suppression"]
    assert np.isclose(made.figures["utility"]["share_suppressed"],
                      made.figures["utility"]["cells_suppressed"] / (400 * 4))
