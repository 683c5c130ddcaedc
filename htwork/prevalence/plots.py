"""Figures for multiple systems estimation (matplotlib; each function returns the Figure).

The figures are :class:`htwork.plotting.Figure` (matplotlib figures made without pyplot): a
call leaves pyplot's list of open figures and the backend as they were. Jupyter shows a
returned figure; ``fig.savefig(path)`` writes it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from htwork.prevalence.table import CaptureTable

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from htwork.prevalence.results import ModelTable, MSEResult

__all__ = [
    "plot_upset",
    "plot_venn",
    "plot_overlap_heatmap",
    "plot_model_estimates",
    "plot_bootstrap",
    "plot_sensitivity",
]


def _subplots(*args: Any, figsize: tuple[float, float], **kwargs: Any):
    """A figure and its axes, like ``plt.subplots`` but unknown to pyplot."""
    from htwork.plotting import subplots

    return subplots(*args, figsize=figsize, **kwargs)


def plot_upset(table: CaptureTable, max_patterns: int = 40) -> Figure:
    """UpSet plot: bars of pattern counts above a dot matrix of the lists in each pattern.

    Parameters
    ----------
    table : CaptureTable
        The data.
    max_patterns : int
        Largest number of patterns shown (the most frequent).
    """
    m = table.n_lists
    counts = table.cell_counts
    pats = [p for p in range(1, 1 << m) if counts[p] > 0]
    pats.sort(key=lambda p: -counts[p])
    pats = pats[:max_patterns]
    fig, (top, bottom) = _subplots(2, 1, figsize=(max(6, 0.35 * len(pats) + 2), 5),
                                      sharex=True, gridspec_kw={"height_ratios": [3, 1.2]})
    x = np.arange(len(pats))
    top.bar(x, [counts[p] for p in pats], color="#335c81")
    for xi, p in zip(x, pats, strict=True):
        top.text(xi, counts[p], str(int(counts[p])), ha="center", va="bottom", fontsize=7)
    top.set_ylabel("people")
    top.set_title(f"Capture patterns ({table.observed:,} people on {m} lists)")
    for j in range(m):
        on = [xi for xi, p in zip(x, pats, strict=True) if p >> j & 1]
        bottom.scatter(x, [j] * len(x), color="#dddddd", s=25)
        bottom.scatter(on, [j] * len(on), color="#222222", s=25)
    for xi, p in zip(x, pats, strict=True):
        ys = [j for j in range(m) if p >> j & 1]
        if len(ys) > 1:
            bottom.plot([xi, xi], [min(ys), max(ys)], color="#222222", lw=1.5)
    bottom.set_yticks(range(m))
    bottom.set_yticklabels(table.lists)
    bottom.set_xticks([])
    bottom.invert_yaxis()
    fig.tight_layout()
    return fig


def plot_venn(table: CaptureTable) -> Figure:
    """Venn diagram with region counts, for two or three lists."""
    from matplotlib.patches import Circle

    m = table.n_lists
    if m not in (2, 3):
        raise ValueError("a Venn diagram needs two or three lists; use plot_upset")
    centres = [(-0.5, 0), (0.5, 0)] if m == 2 else [(-0.5, 0.3), (0.5, 0.3), (0, -0.5)]
    fig, ax = _subplots(figsize=(5, 5))
    colours = ["#335c81", "#c0504d", "#9bbb59"]
    for c, col, name in zip(centres, colours, table.lists, strict=False):
        ax.add_patch(Circle(c, 1.0, alpha=0.25, color=col))
        ax.text(c[0] * 1.9, c[1] * 1.9 + (0.15 if m == 2 else 0), name, ha="center",
                fontsize=11, weight="bold")
    counts = table.cell_counts
    for p in range(1, 1 << m):
        members = [centres[j] for j in range(m) if p >> j & 1]
        cx = float(np.mean([c[0] for c in members]))
        cy = float(np.mean([c[1] for c in members]))
        if len(members) == 1 and m == 3:
            cx, cy = cx * 1.6, cy * 1.6
        elif len(members) == 1:
            cx *= 1.6
        ax.text(cx, cy, str(int(counts[p])), ha="center", va="center", fontsize=10)
    ax.set_xlim(-2, 2)
    ax.set_ylim(-2, 2)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"{table.observed:,} people observed")
    return fig


def plot_overlap_heatmap(table: CaptureTable) -> Figure:
    """Pairwise overlaps (list totals on the diagonal); pairs that never overlap are marked."""
    from matplotlib.patches import Rectangle

    mat = table.overlap_matrix()
    m = table.n_lists
    fig, ax = _subplots(figsize=(1.0 * m + 2, 1.0 * m + 1.5))
    counts = mat.to_numpy()
    shown = np.log1p(counts.astype(float))
    im = ax.imshow(shown, cmap="Blues")
    for i in range(m):
        for j in range(m):
            v = int(counts[i, j])
            zero = v == 0 and i != j
            ax.text(j, i, "none" if zero else f"{v:,}", ha="center", va="center",
                    color="#b00020" if zero else ("white" if shown[i, j] > shown.max() * 0.6
                                                  else "black"),
                    fontsize=9, weight="bold" if zero else "normal")
            if zero:
                ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False,
                                       edgecolor="#b00020", lw=2, hatch="//"))
    ax.set_xticks(range(m))
    ax.set_xticklabels(table.lists, rotation=45, ha="right")
    ax.set_yticks(range(m))
    ax.set_yticklabels(table.lists)
    pairs = table.non_overlapping_pairs()
    title = "Pairwise overlaps"
    if pairs:
        title += "\nnever overlap: " + ", ".join(f"{a}:{b}" for a, b in pairs)
    ax.set_title(title)
    fig.colorbar(im, ax=ax, label="log(1 + people)", shrink=0.8)
    fig.tight_layout()
    return fig


def plot_model_estimates(models: ModelTable | pd.DataFrame, criterion: str | None = None,
                         top: int | None = None) -> Figure:
    """Population estimate of every model against its rank (by BIC or AIC).

    Parameters
    ----------
    models : ModelTable or DataFrame
        From :meth:`Selection.table` or :attr:`MSEResult.models`.
    criterion : {"bic", "aic"}, optional
        Ranking column (the table's own by default).
    top : int, optional
        Show only the best ``top`` models.
    """
    import pandas as pd

    df = models.copy() if isinstance(models, pd.DataFrame) else models.to_frame()
    crit = criterion or getattr(models, "criterion", None) or "bic"
    if crit not in df.columns:
        crit = "bic"
    df = df.sort_values(crit).reset_index(drop=True)
    if top:
        df = df.head(top)
    fig, (a1, a2) = _subplots(2, 1, figsize=(7, 6), sharex=True)
    rank = np.arange(1, len(df) + 1)
    a1.scatter(rank, df["estimate"], s=8, color="#335c81")
    a1.scatter([1], [df["estimate"].iloc[0]], s=40, color="#b00020", zorder=3,
               label=f"best: {df['hierarchy'].iloc[0]} ({df['estimate'].iloc[0]:,.0f})")
    a1.set_ylabel("population estimate")
    a1.legend(loc="best", fontsize=8)
    a1.set_title(f"{len(df)} models ranked by {crit.upper()}")
    a2.plot(rank, df[crit] - df[crit].iloc[0], color="#555555")
    a2.set_ylabel(f"{crit.upper()} - best")
    a2.set_xlabel("rank")
    if len(df) > 50:
        a1.set_xscale("log")
    fig.tight_layout()
    return fig


def plot_bootstrap(result: MSEResult, bins: int = 50) -> Figure:
    """Histogram of bootstrap replicates with the estimate and the interval."""
    reps = result.extra.get("bootstrap_replicates")
    if reps is None:
        raise ValueError("the result has no bootstrap replicates; estimate with nboot > 0")
    reps = np.asarray(reps, dtype=float)
    reps = reps[np.isfinite(reps)]
    fig, ax = _subplots(figsize=(7, 4))
    ax.hist(reps, bins=bins, color="#9fb7d0", edgecolor="white")
    ax.axvline(result.estimate, color="#b00020", lw=2, label=f"estimate {result.estimate:,.0f}")
    for v in (result.ci_low, result.ci_high):
        if math.isfinite(v):
            ax.axvline(v, color="#222222", ls="--", lw=1)
    ax.set_xlabel("population size")
    ax.set_ylabel("replicates")
    ax.set_title(f"{reps.size} bootstrap replicates; {int(result.level * 100)}% BCa "
                 f"{result.ci_low:,.0f}–{result.ci_high:,.0f}")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_sensitivity(frame: pd.DataFrame) -> Figure:
    """Estimates (with intervals) under each alternative of :func:`sensitivity`."""
    df = frame.reset_index(drop=True)
    fig, ax = _subplots(figsize=(7, 0.28 * len(df) + 1.5))
    y = np.arange(len(df))[::-1]
    colours = {"baseline": "#b00020", "threshold": "#335c81", "omit": "#9bbb59",
               "merge": "#e69f00"}
    for yi, (_, r) in zip(y, df.iterrows(), strict=True):
        c = colours.get(r["kind"], "#555555")
        if np.isfinite(r["ci_low"]) and np.isfinite(r["ci_high"]):
            ax.plot([r["ci_low"], r["ci_high"]], [yi, yi], color=c, lw=1.5)
        ax.scatter([r["estimate"]], [yi], color=c, s=18, zorder=3)
    base = df["estimate"].iloc[0]
    ax.axvline(base, color="#b00020", lw=0.8, ls=":")
    ax.set_yticks(y)
    ax.set_yticklabels(df["setting"], fontsize=8)
    ax.set_xlabel("population estimate (conditional interval)")
    ax.set_title("How the estimate moves")
    fig.tight_layout()
    return fig

