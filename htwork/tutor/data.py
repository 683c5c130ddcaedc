"""Finding the bundled data from a lesson, wherever the notebook runs from."""

from __future__ import annotations

from pathlib import Path

from htwork.errors import HtworkError

__all__ = ["data_path", "output_folder"]


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


def output_folder(name: str, start: str | Path | None = None) -> Path:
    """``out/<name>`` in the htwork folder, where lessons write what trainees open afterwards.

    ``out/`` is never committed nor shared; it sits beside ``datasets/``, so JupyterLab's file
    browser shows it when JupyterLab runs from the htwork folder (``make lab``). The folder
    ``out/`` is created if needed; ``out/<name>`` is not.
    """
    out = data_path("demo", start).parents[1] / "out"
    out.mkdir(exist_ok=True)
    return out / name
