"""The ready-made datasets in ``synthetic/`` are complete, valid release folders."""

from __future__ import annotations

import json

import pytest
import yaml
from frictionless import validate as fl_validate

from htwork.release.recipe import sha256_file

from .conftest import REPO

FOLDERS = sorted(p for p in (REPO / "synthetic").iterdir() if p.is_dir())


def test_there_is_a_10000_row_dataset():
    assert any(json.loads((f / "risk_report.json").read_text(encoding="utf-8"))
               ["risk_after"]["n_records"] == 10_000 for f in FOLDERS)


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
@pytest.mark.slow
def test_synthetic_folder_is_a_valid_release(folder):
    assert fl_validate(folder / "datapackage.json").valid
    dp = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert dp["resources"][0]["hash"] == "sha256:" + sha256_file(folder / "data.csv")
    recipe = yaml.safe_load((folder / "recipe.yaml").read_text(encoding="utf-8"))
    assert recipe["kind"] == "htwork-release-recipe"
    readme = (REPO / "synthetic" / "README.md").read_text(encoding="utf-8")
    assert folder.name in readme and "htwork release" in readme
