"""Finding the bundled data from a lesson, wherever the notebook runs from."""

from __future__ import annotations

from pathlib import Path

from htwork.errors import HtworkError

__all__ = ["data_path"]


def data_path(name: str, start: str | Path | None = None) -> Path:
    """Path of ``datasets/<name>`` in the htwork repository, looked for upwards from ``start``.

    Lessons live in ``tutorials/`` and learner copies in ``tutorials/learner/``; both find
    ``datasets/demo/cases.csv`` with ``data_path("demo/cases.csv")``.

    Raises
    ------
    htwork.errors.HtworkError
        When no folder above ``start`` (default: the current folder) holds the file.
    """
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "datasets" / name
        if candidate.exists():
            return candidate
    raise HtworkError(f"could not find datasets/{name} in {here} or any folder above it; "
                      "open the lesson from the htwork folder (make lab)")
