"""``htwork policy list`` / ``htwork policy show NAME``: presets as YAML to edit."""

from __future__ import annotations

import pytest
import yaml

from htwork.cli import main
from htwork.release.policy import PRESETS, Policy, load_policy


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_show_prints_yaml_that_loads_back_as_the_preset(name, capsys, tmp_path):
    assert main(["policy", "show", name]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"# Release policy {name!r}")
    assert Policy.from_dict(yaml.safe_load(text)) == PRESETS[name]
    edited = tmp_path / "mine.yaml"
    edited.write_text(text.replace(f"name: {name}", "name: mine"), encoding="utf-8")
    mine = load_policy(edited)
    assert mine.name == "mine" and mine.thresholds == PRESETS[name].thresholds


def test_show_checks_a_policy_file(tmp_path, capsys):
    path = tmp_path / "p.yaml"
    path.write_text("name: p\nquasi_identifiers: [gender, ageBroad]\nsuppress_k: 11\n"
                    "thresholds: {k: 11}\n", encoding="utf-8")
    assert main(["policy", "show", str(path)]) == 0
    shown = yaml.safe_load(capsys.readouterr().out)
    assert shown["quasi_identifiers"] == ["gender", "ageBroad"] and shown["thresholds"] == {"k": 11}


def test_unknown_policy_is_a_clear_error(capsys):
    assert main(["policy", "show", "ctdc_k12"]) == 2
    err = capsys.readouterr().err
    assert "unknown policy 'ctdc_k12'" in err and "ctdc_k11" in err


def test_list_names_every_preset(capsys):
    assert main(["policy", "list"]) == 0
    out = capsys.readouterr().out
    for name in PRESETS:
        assert name in out
