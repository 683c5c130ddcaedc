"""Fixtures of the security tests: a simulated extract, a clean release of it, the corpus."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from htwork.release import release

from .corpus import make_extract, plant_all

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "datasets" / "demo" / "cases.csv"


@pytest.fixture(scope="session")
def corpus_extract(tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    path = tmp_path_factory.mktemp("corpus") / "cases.csv"
    return path, make_extract(path)


@pytest.fixture(scope="session")
def clean_release(corpus_extract, tmp_path_factory) -> Path:
    path, _ = corpus_extract
    out = tmp_path_factory.mktemp("clean") / "release"
    return release(path, "ctdc_k11", out=out, seed=1, progress=False).folder


@pytest.fixture(scope="session")
def plants(corpus_extract, clean_release, tmp_path_factory):
    _, df = corpus_extract
    return plant_all(clean_release, tmp_path_factory.mktemp("plants"), df)
