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
        (tmp / "new.txt").write_text("2", encoding="utf-8")
    assert [p.name for p in out.iterdir()] == ["new.txt"]
    assert (out / "new.txt").read_text(encoding="utf-8") == "2"
    assert [p.name for p in tmp_path.iterdir()] == ["release"]


def test_replace_never_deletes_a_file_the_new_folder_does_not_write(tmp_path):
    out = tmp_path / "release"
    out.mkdir()
    (out / "mine.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(InputError, match="would not write again"), \
            atomic_folder(out, replace=True) as tmp:
        (tmp / "new.txt").write_text("2", encoding="utf-8")
    assert (out / "mine.txt").read_text(encoding="utf-8") == "keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["release"]


def test_replace_never_swaps_a_file_for_a_folder(tmp_path):
    out = tmp_path / "in.csv"
    out.write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a folder"), atomic_folder(out, replace=True) as tmp:
        (tmp / "x.txt").write_text("2", encoding="utf-8")
    assert out.read_text(encoding="utf-8") == "a\n1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_missing_parent_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="folder above it"), atomic_folder(tmp_path / "no" / "x"):
        pass
