"""The one guard every output passes: never over, inside or around an input.

Every command that writes something made from an extract (``release``, ``replay``,
``anonymise``, ``synth``, ``evaluate``, ``report``, ``profile``) asks :func:`check_output`
before it writes, and :func:`htwork.io.atomic_folder` asks :func:`check_replace` before it
swaps out an existing folder. Together they keep three promises:

* an input is never overwritten, replaced by a folder, or written inside of;
* a folder that holds an input (or is inside one) is never an output, even with ``--force``;
* nothing is deleted that htwork did not write: a folder is replaced only when every file in
  it is one the new folder writes again, and a file is never swapped for a folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from htwork.errors import InputError

__all__ = ["check_output", "check_replace", "is_inside"]


def _real(path: str | Path) -> Path:
    return Path(os.path.realpath(os.path.abspath(os.fspath(path))))


def is_inside(path: str | Path, folder: str | Path) -> bool:
    """Whether ``path`` is ``folder`` itself or lies somewhere below it (links resolved)."""
    p, f = _real(path), _real(folder)
    return p == f or f in p.parents


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return _real(a) == _real(b)


def check_output(
    out: str | Path,
    inputs: Iterable[str | Path | None],
    *,
    folder: bool = False,
    what: str = "the output",
    make_parents: bool = False,
) -> Path:
    """Refuse an output path that would write over, inside or around an input.

    Parameters
    ----------
    out : str or Path
        The file (or, with ``folder=True``, the folder) about to be written.
    inputs : iterable of str, Path or None
        The files (or folders) the output is made from; ``None`` entries are ignored.
    folder : bool, default False
        Whether ``out`` is a folder to create.
    what : str
        How to name the output in messages ("the release folder", "--internal-report").
    make_parents : bool, default False
        Whether the caller will create missing folders above ``out`` when it writes (then the
        nearest folder that exists must be writable); nothing is created here.

    Returns
    -------
    Path
        ``out`` as a ``Path``.

    Raises
    ------
    htwork.errors.InputError
        When ``out`` is an input, holds an input, lies inside an input folder, is a folder
        where a file is expected (or a file where a folder is), its folder does not exist, or
        that folder cannot be written to.
    """
    target = Path(out)
    for given in inputs:
        if given is None:
            continue
        src = Path(given)
        if not src.exists():
            continue
        if target.exists() and _same(target, src):
            raise InputError(f"{what} would overwrite the input", file=target,
                             hint="write somewhere else; inputs are never modified")
        if is_inside(src, target):
            raise InputError(f"{what} would be a folder that holds the input {src.name!r}",
                             file=target,
                             hint="choose a new folder outside the one that holds the input")
        if src.is_dir() and is_inside(target, src):
            raise InputError(f"{what} would be written inside the input folder", file=target,
                             hint="choose a place outside the input folder")
    if target.exists():
        if folder and not target.is_dir():
            raise InputError(f"{what} must be a folder, and a file is already there", file=target,
                             hint="htwork never replaces a file with a folder; choose a new name")
        if not folder and target.is_dir():
            raise InputError(f"{what} is a folder, not a file", file=target,
                             hint="give a file name, e.g. out.csv")
    parent = _real(target).parent
    if make_parents:
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
    if not parent.is_dir():
        raise InputError(f"cannot write {what}: the folder above it does not exist",
                         file=target, hint="create that folder first, or choose another path")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"cannot write {what}: the folder above it is read-only",
                         file=target, hint="choose a folder you can write to")
    return target


def check_replace(old: Path, new: Path) -> None:
    """Refuse to replace the folder ``old`` by ``new`` when that would delete a stranger's file.

    Parameters
    ----------
    old : Path
        The existing folder.
    new : Path
        The complete new folder that would take its place.

    Raises
    ------
    htwork.errors.InputError
        When ``old`` is not a folder, or holds a file or folder that ``new`` does not hold
        (htwork did not write it, so htwork must not delete it).
    """
    if not old.is_dir() or old.is_symlink():
        raise InputError("cannot replace this path: it is not a folder htwork wrote", file=old,
                         hint="htwork never replaces a file with a folder; choose a new name")
    theirs = {p.relative_to(old).as_posix() for p in old.rglob("*")}
    ours = {p.relative_to(new).as_posix() for p in new.rglob("*")}
    strangers = sorted(theirs - ours)
    if strangers:
        shown = ", ".join(strangers[:3]) + (f" and {len(strangers) - 3} more"
                                            if len(strangers) > 3 else "")
        raise InputError(f"the folder holds files htwork would not write again ({shown}); "
                         "replacing it would delete them", file=old,
                         hint="move those files out yourself, or choose a new folder")
