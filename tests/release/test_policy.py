"""Policies: presets cite their sources; YAML policies load and are checked."""

from __future__ import annotations

import pytest

from htwork.errors import InputError
from htwork.release import PRESETS, Policy, load_policy
from htwork.release import policy as policy_module


@pytest.mark.parametrize("name", ["ctdc_k11", "sds_resolution10", "hdx_global_risk_3pct"])
def test_presets_cite_their_source(name):
    pol = load_policy(name)
    assert pol.name == name
    assert pol.source and pol.title
    doc = getattr(policy_module, name).__doc__
    assert "Source" in doc


def test_preset_thresholds():
    assert PRESETS["ctdc_k11"].thresholds.k == 11
    assert PRESETS["hdx_global_risk_3pct"].thresholds.global_risk == 0.03
    sds = PRESETS["sds_resolution10"]
    assert sds.route == "aggregate"
    assert (sds.thresholds.min_cell, sds.thresholds.rounding) == (10, 10)


def test_yaml_policy_round_trip(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(
        "title: mine\nquasi_identifiers: gender,ageBroad\nsensitive: [isForcedLabour]\n"
        "never: [typeOfSexPornography]\nroute: anonymise\nrecode: {ageBroad: 1}\n"
        "suppress_k: 5\nthresholds: {k: 5, global_risk: 0.1, l_diversity: 2,"
        " suda_records: 100, individual_risk: 0.2, anonymeter: 0.05}\n",
        encoding="utf-8")
    pol = load_policy(path)
    assert pol.name == "mine"
    assert pol.quasi_identifiers == ("gender", "ageBroad")
    assert pol.thresholds.anonymeter == 0.05
    assert Policy.from_dict(pol.to_dict()) == pol


@pytest.mark.parametrize("text,word", [
    ("name: x\nroute: publish\n", "route"),
    ("name: x\nthresholds: {kk: 3}\n", "kk"),
    ("name: x\ncolour: red\n", "colour"),
    ("name: x\nsuppress_k: 1\n", "suppress_k"),
])
def test_bad_policies_say_what_is_wrong(tmp_path, text, word):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=word):
        load_policy(path)


def test_unknown_preset():
    with pytest.raises(InputError, match="preset"):
        load_policy("ctdc_k12")


def test_docstring_examples():
    import doctest

    result = doctest.testmod(policy_module)
    assert result.attempted and not result.failed
