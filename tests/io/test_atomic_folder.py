"""atomic_folder: a folder appears whole or not at all."""

from __future__ import annotations

import pytest

from htwork.errors import InputError
from htwork.io import atomic_folder


def test_folder_appears_only_when_complete(tmp_path):
    out = tmp_path / "release"
    with atomic_folder(out) as tmp:
        (tmp / "a.csv").write_text("x\n", encoding="utf-8")
        assert not out.exists()
    assert (out / "a.csv").read_text(encoding="utf-8") == "x\n"
    assert oct((out / "a.csv").stat().st_mode & 0o777) == "0o644"
    assert [p.name for p in tmp_path.iterdir()] == ["release"]  # no temporary left


def test_failure_leaves_nothing(tmp_path):
    out = tmp_path / "release"
    with pytest.raises(RuntimeError), atomic_folder(out) as tmp:
        (tmp / "a.csv").write_text("x\n", encoding="utf-8")
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_empty_folder_replaced_full_one_only_on_request(tmp_path):
    out = tmp_path / "release"
    out.mkdir()
    with atomic_folder(out) as tmp:
        (tmp / "new.txt").write_text("1", encoding="utf-8")
    with pytest.raises(InputError, match="already exists"), atomic_folder(out) as tmp:
        (tmp / "newer.txt").write_text("2", encoding="utf-8")
    assert [p.name for p in out.iterdir()] == ["new.txt"]
    with atomic_folder(out, replace=True) as tmp:
        (tmp / "newer.txt").write_text("2", encoding="utf-8")
    assert [p.name for p in out.iterdir()] == ["newer.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["release"]


def test_missing_parent_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="folder above it"), atomic_folder(tmp_path / "no" / "x"):
        pass
