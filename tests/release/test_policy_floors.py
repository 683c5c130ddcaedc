"""No policy can publish unprotected data (issue 17, point 5): every threshold has a floor, and
a policy with no protection is refused with a sentence saying why."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from htwork.errors import InputError
from htwork.release import Policy, load_policy
from htwork.release.gate import check
from htwork.release.policy import Thresholds

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("policy,words", [
    ({"name": "x", "thresholds": {}}, ["no protection", "k, global_risk, individual_risk"]),
    ({"name": "x"}, ["no protection"]),
    ({"name": "x", "thresholds": {"l_diversity": 3}}, ["no protection", "l_diversity: 3"]),
    ({"name": "x", "thresholds": {"k": -5}}, ["k must be a whole number of at least 2", "-5"]),
    ({"name": "x", "thresholds": {"k": 1}}, ["at least 2"]),
    ({"name": "x", "thresholds": {"k": 2.5}}, ["whole number"]),
    ({"name": "x", "thresholds": {"k": True}}, ["whole number"]),
    ({"name": "x", "thresholds": {"global_risk": 0}}, ["above 0 and at most 1"]),
    ({"name": "x", "thresholds": {"global_risk": 1.5}}, ["above 0 and at most 1"]),
    ({"name": "x", "thresholds": {"global_risk": float("nan")}}, ["above 0"]),
    ({"name": "x", "thresholds": {"individual_risk": -0.1}}, ["individual_risk"]),
    ({"name": "x", "thresholds": {"k": 3, "suda_records": -1}}, ["suda_records"]),
    ({"name": "x", "thresholds": {"k": 3, "l_diversity": 1}}, ["l_diversity", "at least 2"]),
    ({"name": "x", "route": "aggregate", "thresholds": {}}, ["no protection", "min_cell"]),
    ({"name": "x", "route": "aggregate", "thresholds": {"rounding": 10}}, ["no protection"]),
    ({"name": "x", "route": "aggregate", "thresholds": {"min_cell": 1}},
     ["min_cell", "one person"]),
    ({"name": "x", "route": "aggregate", "thresholds": {"min_cell": -3}}, ["min_cell"]),
    ({"name": "x", "route": "aggregate", "thresholds": {"min_cell": 5, "rounding": 0}},
     ["rounding"]),
    ({"name": "x", "route": "aggregate", "reporting_length": -1,
      "thresholds": {"min_cell": 5}}, ["reporting_length"]),
    ({"name": "x", "route": "aggregate", "reporting_length": 0,
      "thresholds": {"min_cell": 5}}, ["reporting_length"]),
    ({"name": "x", "route": "synthesise", "thresholds": {}}, ["no protection", "anonymeter"]),
    ({"name": "x", "route": "synthesise", "thresholds": {"anonymeter": 2}}, ["anonymeter"]),
    ({"name": "x", "route": "synthesise", "synth_method": "dp",
      "thresholds": {"anonymeter": 0.05}}, ["needs synth_epsilon"]),
    ({"name": "x", "route": "synthesise", "synth_method": "dp", "synth_epsilon": 0,
      "thresholds": {"anonymeter": 0.05}}, ["synth_epsilon must be a number above 0"]),
    ({"name": "x", "route": "synthesise", "synth_method": "dp", "synth_epsilon": 1,
      "synth_delta": 0.5, "thresholds": {"anonymeter": 0.05}}, ["synth_delta", "below 0.001"]),
    ({"name": "x", "route": "synthesise", "synth_epsilon": 1,
      "thresholds": {"anonymeter": 0.05}}, ["synth_epsilon apply only", "synth_method default"]),
    ({"name": "x", "synth_delta": 1e-9, "thresholds": {"k": 5}}, ["synth_delta apply only"]),
])
def test_unprotected_policies_are_refused(policy, words):
    with pytest.raises(InputError) as err:
        load_policy(policy)
    text = str(err.value)
    for word in words:
        assert word in text, text


@pytest.mark.parametrize("policy", [
    {"name": "x", "thresholds": {"k": 2}},
    {"name": "x", "thresholds": {"global_risk": 1}},
    {"name": "x", "thresholds": {"individual_risk": 0.2, "suda_records": 0}},
    {"name": "x", "route": "aggregate", "reporting_length": 1, "thresholds": {"min_cell": 2}},
    {"name": "x", "route": "synthesise", "thresholds": {"anonymeter": 0.05}},
])
def test_policies_at_the_floor_load(policy):
    assert load_policy(policy).name == "x"


def test_gate_refuses_an_unprotected_policy_built_around_the_checks():
    pol = load_policy("ctdc_k11")
    object.__setattr__(pol, "thresholds", Thresholds())  # what a caller could do by force
    try:
        failures = check({"k_violations": {}, "min_fk": 1, "global_risk": 0.5,
                          "max_individual_risk": 1.0, "suda2": {"records_above_zero": 9}}, pol)
    finally:
        object.__setattr__(pol, "thresholds", Thresholds(k=11))
    assert [f.measure for f in failures] == ["protection"]
    assert "no protection" in failures[0].text


def test_policy_constructor_refuses_too():
    with pytest.raises(InputError, match="no protection"):
        Policy(name="bare")


@pytest.mark.parametrize("text", ["name: open\nthresholds: {}\n",
                                  "name: open\nthresholds: {k: -5}\n"])
def test_release_command_refuses_with_a_message(tmp_path, text):
    policy = tmp_path / "open.yaml"
    policy.write_text(text, encoding="utf-8")
    extract = REPO / "datasets" / "demo" / "cases.csv"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.run([sys.executable, "-m", "htwork", "release", str(extract), "--policy",
                           str(policy), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode != 0
    assert "Gate: passed" not in proc.stdout
    assert "Traceback" not in proc.stderr
    assert "policy 'open'" in proc.stdout + proc.stderr
    assert not (tmp_path / "out").exists()
