"""Shared data for the tutor tests: the bundled extracts, read once."""

from __future__ import annotations

import pytest

from htwork import tutor
from htwork.io import read_table


@pytest.fixture(scope="session")
def cases(repo_root):
    return read_table(repo_root / "datasets" / "demo" / "cases.csv")


@pytest.fixture(autouse=True)
def _learner_mode():
    """Each test starts in learner mode and leaves it so."""
    tutor.mode("learner")
    yield
    tutor.mode("learner")


def rejects(check, answer, words: str) -> None:
    """``check`` calls ``answer`` wrong with a hint containing ``words`` (and raises in
    solutions mode)."""
    r = check.diagnose(answer) if hasattr(check, "diagnose") else check(answer)
    assert r.status == "wrong", r
    assert words.lower() in r.hint.lower(), r.hint
    tutor.mode("solutions")
    try:
        with pytest.raises(AssertionError, match="(?i)" + __import__("re").escape(words)):
            check(answer)
    finally:
        tutor.mode("learner")


def accepts(check, answer) -> None:
    tutor.mode("solutions")
    try:
        assert check(answer).ok
    finally:
        tutor.mode("learner")
