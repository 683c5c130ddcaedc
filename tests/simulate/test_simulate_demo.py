"""The committed demo extracts are exactly what ``make_demo`` writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from htwork.simulate.make_demo import DEMO_FILES, make_demo

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", list(DEMO_FILES.values()))
def test_demo_file_committed(name):
    assert (REPO / "datasets" / "demo" / name).is_file()


@pytest.mark.slow
def test_demo_files_regenerate_byte_for_byte(tmp_path):
    written = make_demo(tmp_path)
    assert sorted(p.name for p in written) == sorted(DEMO_FILES.values())
    for path in written:
        committed = REPO / "datasets" / "demo" / path.name
        assert path.read_bytes() == committed.read_bytes(), (
            f"{committed} is stale: run python -m htwork.simulate.make_demo")


def test_demo_readme_documents_the_command():
    text = (REPO / "datasets" / "README.md").read_text(encoding="utf-8")
    assert "python -m htwork.simulate.make_demo" in text and "synthetic" in text
