"""No identifier from the extracts in the committed lessons (sources and learner copies)."""

from __future__ import annotations

import re

import pytest

from htwork.standards.patterns import is_phone

NUMBERISH = re.compile(r"\+?[\d(][\d\s().\-]{6,}\d")


def notebooks(repo_root):
    folder = repo_root / "tutorials"
    return sorted(folder.glob("[0-9][0-9]-*.ipynb")) + sorted(
        (folder / "learner").glob("[0-9][0-9]-*.ipynb"))


@pytest.fixture(scope="module")
def texts(repo_root):
    return {p.relative_to(repo_root).as_posix(): p.read_text(encoding="utf-8")
            for p in notebooks(repo_root)}


def test_there_are_lessons(texts):
    assert len(texts) >= 2


def test_no_phone_like_strings(texts):
    for name, text in texts.items():
        bad = [m for m in NUMBERISH.findall(text) if is_phone(m.strip())]
        assert not bad, f"{name} holds phone-like strings: {bad[:3]}"


@pytest.mark.slow
def test_no_identifier_of_the_extract(texts, cases):
    values = set()
    for col in ("prs_MobilePhone", "prs_IdentityDocumentNumber", "prs_Email"):
        values |= set(cases[col].dropna())
    full = (cases["prs_FirstName"] + " " + cases["prs_SecondName"]).dropna()
    values |= set(full)
    for name, text in texts.items():
        hits = [v for v in values if len(v) >= 6 and v in text]
        assert not hits, f"{name} shows identifiers of the extract ({len(hits)} values)"
