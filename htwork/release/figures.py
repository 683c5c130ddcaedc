"""Matplotlib figures of a release, rendered to PNG bytes deterministically.

No timestamps or software names are written into the PNG (``metadata={"Software": None}``),
the Agg backend and fixed sizes are used, so the same data always give the same bytes.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

__all__ = ["png", "fk_figure", "marginals_figure", "contributions_figure"]


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "htwork"
    return plt


def png(fig) -> bytes:
    """PNG bytes of a figure (fixed metadata, 100 dpi); the figure is closed."""
    plt = _plt()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


_BUCKETS = [(1, 1, "1"), (2, 2, "2"), (3, 4, "3-4"), (5, 10, "5-10"), (11, 20, "11-20"),
            (21, 10**12, "21+")]


def fk_buckets(fk: np.ndarray) -> dict[str, int]:
    """Records by size of the group sharing their quasi-identifiers."""
    return {lab: int(((fk >= lo) & (fk <= hi)).sum()) for lo, hi, lab in _BUCKETS}


def fk_figure(before: np.ndarray, after: np.ndarray):
    """Records by group size (fk), before and after protection."""
    plt = _plt()
    b, a = fk_buckets(before), fk_buckets(after)
    x = np.arange(len(b))
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    ax.bar(x - 0.2, list(b.values()), 0.4, label="before protection", color="#c44e52")
    ax.bar(x + 0.2, list(a.values()), 0.4, label="released", color="#4c72b0")
    ax.set_xticks(x, list(b.keys()))
    ax.set_xlabel("people sharing the same quasi-identifiers (fk)")
    ax.set_ylabel("records")
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig


_MISSING = "(blank)"
_AGE_ORDER = ["0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+",
              "0--17", "18--29", "30--47", "18+"]


def _natural(column: str, value: object) -> tuple:
    """Sort key: age bands and years in their own order, the rest as given; blanks last."""
    v = str(value)
    if v == _MISSING:
        return (2, 0, "")
    if column == "ageBroad" and v in _AGE_ORDER:
        return (0, _AGE_ORDER.index(v), v)
    if column == "yearOfRegistration":
        return (0, int(v[:4]) if v[:4].isdigit() else 0, v)
    return (1, 0, "")


def marginals_figure(before: pd.DataFrame, after: pd.DataFrame, columns: list[str]):
    """Share of each category before and after protection, one panel per column (at most 8
    categories each, the most frequent; "(blank)" = not recorded or suppressed)."""
    plt = _plt()
    cols = [c for c in columns if c in before and c in after][:6]
    fig, axes = plt.subplots(len(cols), 1, figsize=(6.4, 1.9 * max(len(cols), 1)),
                             squeeze=False)
    for ax, c in zip(axes[:, 0], cols, strict=False):
        pb = before[c].fillna(_MISSING).value_counts(normalize=True)
        pa = after[c].fillna(_MISSING).value_counts(normalize=True)
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


def contributions_figure(contributions: dict[str, float]):
    """Per-key SUDA contribution (%) of the released table."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.4, 2.6))
    keys = list(contributions)
    ax.barh(keys, [contributions[k] for k in keys], color="#4c72b0")
    ax.set_xlabel("share of special uniqueness the key takes part in (%)")
    ax.set_xlim(0, 100)
    fig.tight_layout()
    return fig
