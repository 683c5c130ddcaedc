"""The figures htwork draws: matplotlib figures made without pyplot that Jupyter still shows.

htwork never draws through pyplot: a figure made with ``plt.subplots`` joins pyplot's list of
open figures (global state the caller did not ask for, and a second copy drawn at the end of a
notebook cell). A bare :class:`matplotlib.figure.Figure` avoids that, but Jupyter shows it as a
picture only once pyplot's notebook support has been switched on. :class:`Figure` shows itself
as a PNG (``_repr_png_``) in any case, and is otherwise an ordinary matplotlib figure:
``fig.savefig(path)`` writes it.
"""

from __future__ import annotations

import io
from typing import Any

from matplotlib.figure import Figure as _MatplotlibFigure

__all__ = ["Figure", "subplots"]


class Figure(_MatplotlibFigure):
    """A :class:`matplotlib.figure.Figure` that Jupyter shows as a picture, pyplot or not."""

    def _repr_png_(self) -> bytes:
        buf = io.BytesIO()
        self.savefig(buf, format="png", bbox_inches="tight")
        return buf.getvalue()


def subplots(*args: Any, figsize: tuple[float, float], dpi: float | None = None,
             **kwargs: Any) -> tuple[Figure, Any]:
    """A :class:`Figure` and its axes, like ``plt.subplots`` but unknown to pyplot."""
    fig = Figure(figsize=figsize, dpi=dpi)
    return fig, fig.subplots(*args, **kwargs)
