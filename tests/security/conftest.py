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


#: The direct-identifier and free-text columns of the input standard that issue 17 counted.
IDENTIFIER_COLUMNS = ("cas_CaseId", "prs_FirstName", "prs_SecondName", "prs_Aliases",
                      "prs_IdentityDocumentNumber", "prs_MobilePhone", "prs_Email",
                      "prs_MailingStreet", "cas_Notes")


@pytest.fixture(scope="session")
def extract150(tmp_path_factory) -> Path:
    """What ``htwork simulate --n 150 --seed 31337`` writes (issue 17's extract), read-only
    for the tests by convention: a test copies it before anything may write beside it."""
    from htwork.simulate import simulate, write_standard_csv

    path = tmp_path_factory.mktemp("extract150") / "cases.csv"
    write_standard_csv(simulate(150, seed=31337), path)
    return path


def identifier_cells(path: Path) -> set[str]:
    """Every non-empty value of the identifier columns of an extract file."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {v for c in IDENTIFIER_COLUMNS if c in df for v in df[c] if v.strip()}


def output_cells(path: Path) -> set[str]:
    """Every cell and header of a CSV output."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return set(df.columns) | {v for c in df for v in df[c]}


@pytest.fixture(scope="session")
def released(extract150, tmp_path_factory) -> tuple[Path, Path]:
    """A ctdc_k11 release of the 150-record extract (input copied to a file named after a
    person, with an unknown column whose header holds a name and a phone number), and that
    input; ``pristine.csv`` beside it is an untouched copy."""
    import shutil

    folder = tmp_path_factory.mktemp("released")
    df = pd.read_csv(extract150, dtype=str, keep_default_na=False)
    df[UNKNOWN_HEADER] = "x"
    src = folder / FILE_NAME
    df.to_csv(src, index=False)
    shutil.copy(src, folder / "pristine.csv")
    out = folder / "release"
    release(src, "ctdc_k11", out=out, seed=1, progress=False)
    return out, src


#: A file named after a person, and an unknown column whose header names one (issue 17, 3).
FILE_NAME = "Somchai Jaidee case_0812345680.csv"
UNKNOWN_HEADER = "Nguyen Thi Hoa 0912345678"
SECRETS = ("Somchai", "Jaidee", "0812345680", "Nguyen Thi Hoa", "0912345678")
