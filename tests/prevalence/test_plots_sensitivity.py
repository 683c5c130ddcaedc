"""Figures draw without error; sensitivity table covers thresholds, omissions and merges."""

from __future__ import annotations

import matplotlib.pyplot as plt  # the suite's conftest selects the Agg backend
import pytest

from htwork.prevalence import Design, estimate, exhaustive, plots, sensitivity


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_overlap_figures(uk, artificial):
    assert plots.plot_upset(uk).axes
    fig = plots.plot_overlap_heatmap(uk)
    assert "LA:GP" in fig.axes[0].get_title()
    assert plots.plot_venn(artificial).axes
    with pytest.raises(ValueError):
        plots.plot_venn(uk)


@pytest.mark.slow
def test_model_and_bootstrap_figures(uk):
    sel = exhaustive(Design.of(uk), "bic", max_order=2)
    fig = plots.plot_model_estimates(sel.table())
    assert "1024 models" in fig.axes[0].get_title()
    r = estimate(uk, "main", nboot=30, seed=1, n_jobs=1)
    assert plots.plot_bootstrap(r).axes
    with pytest.raises(ValueError):
        plots.plot_bootstrap(estimate(uk, "main"))


def test_sensitivity(uk):
    frame = sensitivity(uk, "stepwise", thresholds=(0.01, 0.02, 0.05))
    assert list(frame["kind"].unique()) == ["baseline", "threshold", "omit", "merge"]
    assert len(frame) == 1 + 3 + 5 + 10
    base = frame.iloc[0]
    assert round(base["estimate"], 1) == 11313.0
    row = frame[frame["setting"] == "pthresh=0.02"].iloc[0]
    assert row["estimate"] == base["estimate"]
    assert plots.plot_sensitivity(frame).axes
