"""Matplotlib figures of a release, rendered to PNG bytes deterministically.

Figures are drawn on :class:`matplotlib.figure.Figure` objects with the Agg canvas, never through
pyplot: no backend is chosen, no figure is registered, no global setting changes. No timestamps
or software names are written into the PNG (``metadata={"Software": None}``) and sizes are
fixed, so the same data always give the same bytes.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from htwork.release.protect import RECODE_LEVELS, recode_categories
from htwork.standards import load_standard

if TYPE_CHECKING:  # matplotlib is imported when a figure is drawn, not with htwork.release
    from matplotlib.figure import Figure

__all__ = ["png", "fk_figure", "marginals_figure", "contributions_figure"]


def _figure(width: float, height: float) -> Figure:
    """A new figure on its own Agg canvas (not known to pyplot)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    return fig


def png(fig: Figure) -> bytes:
    """PNG bytes of a figure (fixed metadata, 100 dpi)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    return buf.getvalue()


_BUCKETS = [(1, 1, "1"), (2, 2, "2"), (3, 4, "3-4"), (5, 10, "5-10"), (11, 20, "11-20"),
            (21, 10**12, "21+")]


def fk_buckets(fk: np.ndarray) -> dict[str, int]:
    """Records by size of the group sharing their quasi-identifiers."""
    return {lab: int(((fk >= lo) & (fk <= hi)).sum()) for lo, hi, lab in _BUCKETS}


def fk_figure(before: np.ndarray, after: np.ndarray) -> Figure:
    """Records by group size (fk), before and after protection."""
    b, a = fk_buckets(before), fk_buckets(after)
    x = np.arange(len(b))
    fig = _figure(6.4, 3.2)
    ax = fig.subplots()
    ax.bar(x - 0.2, list(b.values()), 0.4, label="before protection", color="#c44e52")
    ax.bar(x + 0.2, list(a.values()), 0.4, label="released", color="#4c72b0")
    ax.set_xticks(x, list(b.keys()))
    ax.set_xlabel("people sharing the same quasi-identifiers (fk)")
    ax.set_ylabel("records")
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig


_MISSING = "(blank)"


@lru_cache(maxsize=16)
def _category_order(column: str) -> tuple[str, ...]:
    """The order of an ordered categorical release column: the release standard's categories,
    then those of its recoded levels."""
    std = load_standard("release")
    if column not in std or not std.field(column).get("categoriesOrdered"):
        return ()
    order = [str(v) for v in std.categories(column)]
    for level in range(1, len(RECODE_LEVELS.get(column, ()))):
        order += [str(v) for v in recode_categories(column, level, pd.Series(dtype=object))]
    return tuple(dict.fromkeys(order))


def _is_count(column: str) -> bool:
    """Whether a release column holds whole numbers in their own order (e.g. years)."""
    std = load_standard("release")
    return (column in std and std.field(column).get("type") == "integer"
            and not std.categories(column))


def _natural(column: str, value: object) -> tuple:
    """Sort key: ordered categories (age bands) and whole numbers (years) in their own order,
    the rest as given; blanks last."""
    v = str(value)
    if v == _MISSING:
        return (2, 0, "")
    order = _category_order(column)
    if v in order:
        return (0, order.index(v), v)
    if _is_count(column):
        return (0, int(v[:4]) if v[:4].isdigit() else 0, v)
    return (1, 0, "")


def _cells(s: pd.Series) -> pd.Series:
    """A column's values as text, :data:`_MISSING` where missing (typed columns too:
    ``Int64`` years, booleans)."""
    return s.astype(object).where(s.notna(), _MISSING).astype(str)


def marginals_figure(before: pd.DataFrame, after: pd.DataFrame, columns: list[str]) -> Figure:
    """Share of each category before and after protection, one panel per column (at most 8
    categories each, the most frequent; "(blank)" = not recorded or suppressed)."""
    cols = [c for c in columns if c in before and c in after][:6]
    fig = _figure(6.4, 1.9 * max(len(cols), 1))
    axes = fig.subplots(len(cols), 1, squeeze=False)
    for ax, c in zip(axes[:, 0], cols, strict=False):
        pb = _cells(before[c]).value_counts(normalize=True)
        pa = _cells(after[c]).value_counts(normalize=True)
        cats = sorted(set(pb.index) | set(pa.index), key=lambda v: (-pb.get(v, 0), str(v)))[:8]
        cats = sorted(cats, key=lambda v: _natural(c, v))
        x = np.arange(len(cats))
        ax.bar(x - 0.2, [pb.get(v, 0) for v in cats], 0.4, color="#c44e52", label="input")
        ax.bar(x + 0.2, [pa.get(v, 0) for v in cats], 0.4, color="#4c72b0", label="released")
        ax.set_xticks(x, [str(v) for v in cats], fontsize=7)
        ax.set_title(c, fontsize=9, loc="left")
        ax.tick_params(axis="y", labelsize=7)
    axes[0, 0].legend(frameon=False, fontsize=7)
    fig.tight_layout()
    return fig


def contributions_figure(contributions: dict[str, float]) -> Figure:
    """Per-key SUDA contribution (%) of the released table."""
    fig = _figure(6.4, 2.6)
    ax = fig.subplots()
    keys = list(contributions)
    ax.barh(keys, [contributions[k] for k in keys], color="#4c72b0")
    ax.set_xlabel("share of special uniqueness the key takes part in (%)")
    ax.set_xlim(0, 100)
    fig.tight_layout()
    return fig
