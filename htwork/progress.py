"""Progress bars that suit where htwork runs: a widget in Jupyter, text in a terminal, else none.

Every long step of htwork (a release, a bootstrap, a coverage study) reports its progress
through :func:`progress_bar`, never through ``tqdm`` directly, so that all of them behave alike:

- in a Jupyter kernel (JupyterLab, Notebook), the bar is a widget (tqdm's notebook bar, the
  one ``tqdm.auto`` picks there, drawn with ``ipywidgets``), not plain text on the red
  background of ``stderr``;
- in a terminal, the bar is text on ``stderr``;
- anywhere else (output piped to a file or a log, a batch job, the test suite) there is no bar.

The environment variable ``HTWORK_NO_PROGRESS`` (any non-empty value) turns every default bar
off; the test suite sets it, so notebook runs under nbval stay quiet too.
"""

from __future__ import annotations

import os
import sys
from typing import Any

__all__ = ["progress_bar", "progress_wanted", "in_notebook"]


def in_notebook() -> bool:
    """True inside a Jupyter kernel (where a widget can be shown), False elsewhere."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    try:
        shell = ipython.get_ipython()
    except Exception:  # an IPython too broken to ask is not a notebook we can draw in
        return False
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (AttributeError, ValueError):  # closed or replaced stream
        return False


def progress_wanted(progress: bool | None = None) -> bool:
    """Whether a bar would be shown for ``progress`` (see :func:`progress_bar`)."""
    if progress is False:
        return False
    if progress is None and (os.environ.get("HTWORK_NO_PROGRESS")
                             or os.environ.get("TQDM_DISABLE")):
        return False
    return in_notebook() or _stderr_is_terminal()


def progress_bar(total: int | None = None, *, desc: str = "", unit: str = "it",
                 leave: bool = True, progress: bool | None = None, **kwargs: Any):
    """A tqdm progress bar, shown only where someone can see it.

    Parameters
    ----------
    total : int, optional
        Number of steps.
    desc : str
        Label in front of the bar.
    unit : str
        What a step is ("step", "replicate").
    leave : bool
        Keep the finished bar on screen.
    progress : bool, optional
        ``False``: never a bar. ``True``: a bar if there is a notebook or a terminal to show
        it in. ``None`` (the default of htwork's functions): the same, unless the environment
        variable ``HTWORK_NO_PROGRESS`` is set.
    **kwargs
        Passed to tqdm.

    Returns
    -------
    tqdm.tqdm
        A bar (disabled, and silent, when it would not be seen): use ``update`` and ``close``
        as with any tqdm bar.
    """
    show = progress_wanted(progress)
    if show and in_notebook():
        try:
            import ipywidgets  # noqa: F401  (tqdm.auto needs it for the widget)
        except ImportError:  # pragma: no cover - ipywidgets is a dependency
            show = False
        else:
            from tqdm.notebook import tqdm as widget_bar  # what tqdm.auto picks in a kernel

            return widget_bar(total=total, desc=desc, unit=unit, leave=leave, **kwargs)
    from tqdm import tqdm as text_bar

    return text_bar(total=total, desc=desc, unit=unit, leave=leave, disable=not show,
                    file=sys.stderr, **kwargs)
