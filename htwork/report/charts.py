"""Charts of a quarterly report (:class:`htwork.plotting.Figure`: no global pyplot state).

A hidden (suppressed) cell is never drawn as a value: its bar or point is left out and an
``x`` marks the place, with a footnote saying why.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from matplotlib.figure import Figure as MatplotlibFigure

from htwork.core.missing import Missing
from htwork.plotting import Figure

__all__ = ["bar_chart", "grouped_bar_chart", "trend_chart", "png_bytes", "FOOTNOTE"]

_X = Missing.SUPPRESSED.table_value  # "x"
FOOTNOTE = (f"{_X}: hidden, fewer than {{t}} people or hidden so that a small count cannot be "
            "worked out")
_COLOURS = ("#1f5f8b", "#d9822b", "#5b8c5a", "#8c5a8c", "#7f7f7f", "#b0413e")


def _finish(fig: Figure, ax, title: str, xlabel: str, ylabel: str, threshold: int,
            any_hidden: bool, source: str) -> Figure:
    ax.set_title(title, fontsize=11, fontweight="bold")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.spines[["top", "right"]].set_visible(False)
    notes = [source]
    if any_hidden:
        notes.append(FOOTNOTE.format(t=threshold))
    fig.text(0.01, 0.01, "\n".join(notes), fontsize=7, color="#555555", va="bottom")
    fig.subplots_adjust(bottom=0.2 if any_hidden else 0.16)
    return fig


def bar_chart(values: pd.Series, *, title: str, xlabel: str, ylabel: str, threshold: int,
              source: str) -> Figure:
    """Horizontal bars, one per row of ``values`` (``<NA>`` = hidden: no bar, an ``x``)."""
    fig = Figure(figsize=(7, 0.45 * len(values) + 1.8), dpi=100)
    ax = fig.add_subplot()
    labels = [str(i) for i in values.index][::-1]
    nums = values.astype("Float64").to_numpy(dtype=float, na_value=np.nan)[::-1]
    y = np.arange(len(nums))
    ax.barh(y, np.nan_to_num(nums), color=_COLOURS[0],
            alpha=1.0, height=0.7, label="_bars")
    for yi, v in zip(y, nums, strict=True):
        if np.isnan(v):
            ax.text(0, yi, f" {_X}", va="center", ha="left", fontsize=9, color="#b02a37")
    ax.set_yticks(y, labels)
    fig = _finish(fig, ax, title, xlabel, ylabel, threshold, bool(np.isnan(nums).any()),
                  source)
    longest = max((len(s) for s in labels), default=0)
    fig.subplots_adjust(left=min(0.5, 0.08 + 0.0105 * longest))
    return fig


def grouped_bar_chart(table: pd.DataFrame, *, title: str, xlabel: str, ylabel: str,
                      threshold: int, source: str) -> Figure:
    """Vertical bars grouped by row, one colour per column (``<NA>`` = hidden)."""
    fig = Figure(figsize=(8, 4.2), dpi=100)
    ax = fig.add_subplot()
    n_rows, n_cols = table.shape
    width = 0.8 / max(n_cols, 1)
    x = np.arange(n_rows)
    hidden_any = False
    for j, col in enumerate(table.columns):
        nums = table[col].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        pos = x - 0.4 + width * (j + 0.5)
        ax.bar(pos, np.nan_to_num(nums), width=width, label=str(col),
               color=_COLOURS[j % len(_COLOURS)])
        for p, v in zip(pos, nums, strict=True):
            if np.isnan(v):
                hidden_any = True
                ax.text(p, 0, _X, ha="center", va="bottom", fontsize=8, color="#b02a37")
    ax.set_xticks(x, [str(i) for i in table.index])
    ax.legend(frameon=False, fontsize=8)
    return _finish(fig, ax, title, xlabel, ylabel, threshold, hidden_any, source)


def trend_chart(table: pd.DataFrame, *, title: str, xlabel: str, ylabel: str, threshold: int,
                source: str) -> Figure:
    """One line per column over the rows (quarters); hidden points are gaps marked ``x``."""
    fig = Figure(figsize=(8, 4), dpi=100)
    ax = fig.add_subplot()
    x = np.arange(len(table))
    hidden_any = False
    for j, col in enumerate(table.columns):
        nums = table[col].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        ax.plot(x, nums, marker="o", label=str(col), color=_COLOURS[j % len(_COLOURS)])
        for xi, v in zip(x, nums, strict=True):
            if np.isnan(v):
                hidden_any = True
                ax.text(xi, 0, _X, ha="center", va="bottom", fontsize=9, color="#b02a37")
    ax.set_xticks(x, [str(i) for i in table.index], rotation=0)
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize=8)
    return _finish(fig, ax, title, xlabel, ylabel, threshold, hidden_any, source)


def png_bytes(fig: MatplotlibFigure) -> bytes:
    """The figure as PNG; the same figure always gives the same bytes (no date, no version)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    return buf.getvalue()
