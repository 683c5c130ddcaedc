"""Matplotlib figures of an :class:`~htwork.synth.evaluation.EvaluationResult`.

These are figures a user asks for and shows (``result.plot("risks")``: Jupyter shows it as a
picture; ``fig.savefig(path)`` writes it). They are :class:`htwork.plotting.Figure` objects made
without pyplot, so that asking for one leaves no open pyplot figure behind and never touches the
backend (issue 15).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from htwork.synth.evaluation.result import EvaluationResult

__all__ = ["marginals", "pair_trends", "risks"]


def marginals(result: EvaluationResult) -> Figure:
    """Column-shape scores (1 - total variation distance to training) per column."""
    from htwork.plotting import subplots

    q = result.figures["quality"]
    cols = list(q["synthetic"]["shapes"])
    syn = [q["synthetic"]["shapes"][c] for c in cols]
    hold = [q["holdout"]["shapes"].get(c, np.nan) for c in cols]
    fig, ax = subplots(figsize=(7, 0.35 * len(cols) + 1.2))
    y = np.arange(len(cols))
    ax.barh(y - 0.2, syn, height=0.4, label="synthetic")
    ax.barh(y + 0.2, hold, height=0.4, label="holdout (ideal)")
    ax.set_yticks(y, cols)
    ax.invert_yaxis()
    ax.set_xlim(min(0.8, np.nanmin(syn + hold) - 0.02), 1.0)
    ax.set_xlabel("column shape (1 - total variation distance to training data)")
    ax.legend(loc="lower left")
    fig.tight_layout()
    return fig


def pair_trends(result: EvaluationResult) -> Figure:
    """Heatmaps of column-pair trend scores: synthetic and holdout."""
    from htwork.plotting import subplots

    q = result.figures["quality"]
    cols = list(q["synthetic"]["shapes"])
    idx = {c: i for i, c in enumerate(cols)}
    fig, axes = subplots(1, 2, figsize=(12, 5.5))
    for ax, who in zip(axes, ("synthetic", "holdout"), strict=False):
        m = np.full((len(cols), len(cols)), np.nan)
        for a, b, v in q[who]["pairs"]:
            m[idx[a], idx[b]] = m[idx[b], idx[a]] = v
        im = ax.imshow(m, vmin=0.5, vmax=1.0, cmap="viridis")
        ax.set_xticks(range(len(cols)), cols, rotation=90, fontsize=7)
        ax.set_yticks(range(len(cols)), cols, fontsize=7)
        ax.set_title(f"{who}: pair trends {q[who]['column_pair_trends']:.3f}")
    fig.colorbar(im, ax=axes, shrink=0.8)
    return fig


def risks(result: EvaluationResult) -> Figure:
    """anonymeter risks with 95% intervals: synthetic beside holdout."""
    from htwork.plotting import subplots

    p = result.figures["privacy"]
    names, syn, hold = [], [], []
    keys = ["singling_out_univariate", "singling_out_multivariate", "linkability"]
    for k in keys:
        names.append(k.replace("_", " "))
        syn.append(p["synthetic"].get(k))
        hold.append(p["holdout"].get(k))
    for s, r in p["synthetic"].get("inference", {}).items():
        names.append(f"inference {s}")
        syn.append(r)
        hold.append(p["holdout"]["inference"].get(s))
    fig, ax = subplots(figsize=(7, 0.35 * len(names) + 1.2))
    y = np.arange(len(names))
    for off, data, label in ((-0.2, syn, "synthetic"), (0.2, hold, "holdout (ideal)")):
        val = np.array([d["risk"] if d and d.get("risk") is not None else np.nan for d in data])
        lo = np.array([d["ci"][0] if d and d.get("ci") else np.nan for d in data])
        hi = np.array([d["ci"][1] if d and d.get("ci") else np.nan for d in data])
        ax.errorbar(val, y + off, xerr=np.vstack([val - lo, hi - val]), fmt="o", capsize=3,
                    label=label)
    ax.set_yticks(y, names, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("anonymeter risk (excess over control), 95% interval")
    ax.axvline(0, color="grey", lw=0.5)
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig
