"""The release pipeline: valid data packages, byte-identical rebuilds, gate failures."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
import yaml
from frictionless import validate as fl_validate

from htwork.cli import GATE_FAILED
from htwork.release import GateError, release, replay

from .conftest import REPO, folder_bytes

EXPECTED = {"data.csv", "data.parquet", "datapackage.json", "DATASHEET.md", "datasheet.html",
            "risk_report.json", "recipe.yaml"}


@pytest.fixture(scope="module")
def ctdc(extract, tmp_path_factory):
    out = tmp_path_factory.mktemp("rel") / "ctdc"
    result = release(extract, "ctdc_k11", out=out, seed=3, progress=False)
    return result


@pytest.fixture(scope="module")
def releases(extract, ctdc, tmp_path_factory):
    """One release per preset and one from a user policy with recoding."""
    base = tmp_path_factory.mktemp("presets")
    pol = base / "recode.yaml"
    pol.write_text(yaml.safe_dump({
        "name": "recode_then_k5", "route": "anonymise",
        "quasi_identifiers": ["gender", "ageBroad", "citizenship", "yearOfRegistration"],
        "never": ["typeOfSexPornography"],
        "recode": {"ageBroad": 1, "yearOfRegistration": 1, "citizenship": 1},
        "suppress_k": 5, "thresholds": {"k": 5}}), encoding="utf-8")
    out = {"ctdc_k11": ctdc.folder}
    for name in ("hdx_global_risk_3pct", "sds_resolution10", pol):
        res = release(extract, name, out=base / str(getattr(name, "stem", name)), seed=3,
                      progress=False)
        out[res.policy] = res.folder
    return out


def test_folder_holds_every_part(ctdc):
    names = {p.name for p in ctdc.folder.iterdir()}
    assert EXPECTED <= names
    assert {"fk.png", "marginals.png"} <= names
    assert ctdc.figures["gate"]["passed"]
    assert ctdc.figures["risk_after"]["min_fk"] >= 11


@pytest.mark.slow
def test_every_release_is_a_valid_data_package(releases):
    for name, folder in releases.items():
        report = fl_validate(folder / "datapackage.json")
        assert report.valid, (name, report.flatten(["type", "note"])[:5])


def test_datapackage_describes_fields_and_missing_values(ctdc):
    dp = json.loads((ctdc.folder / "datapackage.json").read_text(encoding="utf-8"))
    assert dp["licenses"] and dp["sources"]
    schema = dp["resources"][0]["schema"]
    labels = {m["value"]: m["label"] for m in schema["missingValues"]}
    assert labels[""] == "not recorded" and "suppressed" in labels["suppressed"]
    gender = next(f for f in schema["fields"] if f["name"] == "gender")
    assert gender["description"] and gender["categories"]
    assert gender["constraints"]["enum"] == [c["value"] for c in gender["categories"]]
    data = (ctdc.folder / "data.csv").read_text(encoding="utf-8")
    assert ",suppressed" in data


@pytest.mark.slow
def test_recoded_fields_get_their_new_categories(releases):
    folder = releases["recode_then_k5"]
    dp = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for f in dp["resources"][0]["schema"]["fields"]}
    assert fields["ageBroad"]["constraints"]["enum"] == ["0--17", "18--29", "30--47", "48+"]
    assert "typeOfSexPornography" not in fields


def test_a_value_outside_its_categories_fails_validation(ctdc, tmp_path):
    copy = tmp_path / "broken"
    shutil.copytree(ctdc.folder, copy)
    data = copy / "data.csv"
    lines = data.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    cells = lines[1].rstrip("\n").split(",")
    cells[header.index("gender")] = "Martian"
    lines[1] = ",".join(cells) + "\n"
    data.write_text("".join(lines), encoding="utf-8")
    dp = json.loads((copy / "datapackage.json").read_text(encoding="utf-8"))
    for r in dp["resources"]:
        r.pop("hash", None)   # the hash would fail too; test the category check alone
    (copy / "datapackage.json").write_text(json.dumps(dp), encoding="utf-8")
    report = fl_validate(copy / "datapackage.json")
    assert not report.valid
    assert any(t == "constraint-error" for t, in report.flatten(["type"]))


@pytest.mark.slow
def test_same_input_seed_policy_give_identical_bytes(extract, ctdc, tmp_path):
    again = release(extract, "ctdc_k11", out=tmp_path / "again", seed=3, progress=False)
    assert folder_bytes(again.folder) == folder_bytes(ctdc.folder)


@pytest.mark.slow
def test_replay_rebuilds_the_folder(extract, ctdc, tmp_path):
    rebuilt = replay(ctdc.folder / "recipe.yaml", extract, out=tmp_path / "replayed",
                     progress=False)
    assert folder_bytes(rebuilt.folder) == folder_bytes(ctdc.folder)


def test_replay_refuses_another_input(ctdc, tmp_path):
    other = tmp_path / "other.csv"
    other.write_bytes(ctdc.folder.joinpath("data.csv").read_bytes())
    with pytest.raises(Exception, match="SHA-256"):
        replay(ctdc.folder / "recipe.yaml", other, out=tmp_path / "x", progress=False)


def test_recipe_records_steps_seed_versions_and_hash(ctdc, extract):
    from htwork.release.recipe import sha256_file

    recipe = yaml.safe_load((ctdc.folder / "recipe.yaml").read_text(encoding="utf-8"))
    assert recipe["seed"] == 3
    assert recipe["input"]["sha256"] == sha256_file(extract)
    assert {"pandas", "numpy", "pyarrow", "matplotlib", "htwork"} <= set(recipe["versions"])
    assert recipe["policy"]["thresholds"] == {"k": 11}
    assert "protect:anonymise" in recipe["steps"]


def test_no_timestamps_or_software_in_figures(ctdc):
    png = (ctdc.folder / "fk.png").read_bytes()
    assert b"Software" not in png and b"tIME" not in png
    html = (ctdc.folder / "datasheet.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html


def test_datasheet_has_the_seven_sections_and_the_policy(ctdc):
    md = (ctdc.folder / "DATASHEET.md").read_text(encoding="utf-8")
    for title in ("Motivation", "Composition", "Collection process", "Preprocessing",
                  "Uses", "Distribution", "Maintenance", "Personal and sensitive information"):
        assert f". {title}" in md or f"## {title}" in md, title
    assert "Counter Trafficking Data Collaborative" in md
    assert "global risk" in md and "total variation" in md
    assert "![" in md and "(fk.png)" in md


@pytest.mark.slow
def test_aggregate_release_rounds_and_withholds(releases):
    import pandas as pd

    df = pd.read_csv(releases["sds_resolution10"] / "data.csv")
    assert (df["count"] % 10 == 0).all() and (df["count"] >= 10).all()


def _strict_policy(tmp_path):
    path = tmp_path / "strict.yaml"
    path.write_text("name: strict\nquasi_identifiers: [gender, ageBroad, citizenship, "
                    "CountryOfExploitation, yearOfRegistration]\n"
                    "thresholds: {k: 5, global_risk: 0.05}\n", encoding="utf-8")
    return path


def test_gate_failure_explains_and_writes_nothing(extract, tmp_path):
    out = tmp_path / "never"
    internal = tmp_path / "internal.json"
    with pytest.raises(GateError) as info:
        release(extract, _strict_policy(tmp_path), out=out, progress=False,
                internal_report=internal)
    text = str(info.value)
    assert "nothing was released" in text
    assert "failed: k (threshold 5" in text and "failed: global_risk" in text
    assert "fewer risky records" in text and "recode ageBroad" in text
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    detail = json.loads(internal.read_text(encoding="utf-8"))
    assert detail["risky_records"] and "row" in detail["risky_records"][0]


@pytest.mark.slow
def test_cli_gate_failure_exits_non_zero(extract, tmp_path):
    out = tmp_path / "never"
    proc = subprocess.run([sys.executable, "-m", "htwork", "release", str(extract), "--policy",
                           str(_strict_policy(tmp_path)), "--out", str(out), "--quiet"],
                          capture_output=True, text=True, cwd=REPO, timeout=300)
    assert proc.returncode == GATE_FAILED
    assert "threshold" in proc.stderr and "what to do" in proc.stderr
    assert not out.exists()


def test_existing_folder_is_never_overwritten(extract, ctdc):
    from htwork.errors import InputError

    with pytest.raises(InputError, match="not empty"):
        release(extract, "ctdc_k11", out=ctdc.folder, progress=False)


def test_internal_report_never_inside_the_release(extract, tmp_path):
    from htwork.errors import InputError

    with pytest.raises(InputError, match="internal report"):
        release(extract, "ctdc_k11", out=tmp_path / "r", progress=False,
                internal_report=tmp_path / "r" / "risky.json")


@pytest.mark.slow
def test_synthesise_route(extract, tmp_path):
    """The synthesise route through htwork.synth's public API: anonymeter figures beside the
    holdout's, a valid package; a strict ceiling fails the gate."""
    pol = {"name": "synth_test", "route": "synthesise", "synth_attacks": 60,
           "sensitive": ["isForcedLabour"], "thresholds": {"anonymeter": 1.0}}
    result = release(extract, pol, out=tmp_path / "syn", seed=5, progress=False)
    report = json.loads((result.folder / "risk_report.json").read_text(encoding="utf-8"))
    assert set(report["anonymeter"]) == {"synthetic", "holdout"}
    assert "linkability" in report["anonymeter"]["synthetic"]
    assert fl_validate(result.folder / "datapackage.json").valid
    assert "holdout" in (result.folder / "DATASHEET.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_synthesise_route_with_differential_privacy(extract, tmp_path):
    """A policy sets epsilon and delta of the dp synthesizer; the recipe and the datasheet say
    what was spent, and no category outside the release standard's code lists appears."""
    import pandas as pd

    from htwork.release.steps import _dp_domain

    pol = {"name": "dp_test", "route": "synthesise", "synth_method": "dp",
           "synth_epsilon": 2.0, "synth_delta": 1e-8, "synth_attacks": 60,
           "thresholds": {"anonymeter": 1.0}}
    result = release(extract, pol, out=tmp_path / "dp", seed=5, progress=False)
    recipe = (result.folder / "recipe.yaml").read_text(encoding="utf-8")
    assert "synth_epsilon: 2.0" in recipe and "synth_delta: 1.0e-08" in recipe
    report = json.loads((result.folder / "risk_report.json").read_text(encoding="utf-8"))
    step = next(s for s in report["steps"] if s.get("step") == "synthesise")
    assert step["epsilon"] == 2.0 and step["delta"] == 1e-8 and step["rho"] > 0
    sheet = (result.folder / "DATASHEET.md").read_text(encoding="utf-8")
    assert "differentially private (epsilon = 2, delta = 1e-08" in sheet
    data = pd.read_csv(result.folder / "data.csv", dtype=str, keep_default_na=False)
    domain = _dp_domain(data)
    assert "yearOfRegistration" in domain  # every column's values are public
    for col, allowed in domain.items():
        seen = set(data[col]) - {""}
        assert seen <= {str(v) for v in allowed if v is not None}, col
