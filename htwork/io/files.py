"""Opening input files safely: read-only, with errors that name the file."""

from __future__ import annotations

import os
from pathlib import Path

from htwork.errors import InputError

__all__ = ["check_input_path", "read_bytes"]


def check_input_path(path: str | Path) -> Path:
    """Check that ``path`` names an existing regular file and return it as a ``Path``.

    Parameters
    ----------
    path : str or Path
        The file to read.

    Returns
    -------
    Path

    Raises
    ------
    InputError
        If the path does not exist or is a directory.
    """
    p = Path(path)
    if not p.exists():
        parent = p.parent if str(p.parent) else Path(".")
        hint = "check the spelling and the folder"
        if not parent.is_dir():
            hint = f"the folder {str(parent)!r} does not exist either; check the path"
        raise InputError("the file does not exist", file=path, hint=hint)
    if p.is_dir():
        raise InputError(
            "this is a folder, not a file", file=path, hint="give the path of a file inside it"
        )
    return p


def read_bytes(path: str | Path) -> bytes:
    """Read a whole file's bytes, opening it read-only.

    Parameters
    ----------
    path : str or Path
        The file to read.

    Returns
    -------
    bytes

    Raises
    ------
    InputError
        If the file does not exist, is a folder or cannot be read.
    """
    p = check_input_path(path)
    try:
        with open(p, "rb") as fh:
            return fh.read()
    except PermissionError:
        raise InputError(
            "you do not have permission to read this file", file=path,
            hint="ask whoever manages the file for read access, or copy it somewhere you can read",
        ) from None
    except OSError as exc:
        raise InputError(
            f"the file cannot be read ({exc.strerror or exc})", file=path
        ) from None


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name the same file (resolving links; false if either is missing)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()
