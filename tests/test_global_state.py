"""A library call leaves global state as it found it: matplotlib's backend, pyplot's open
figures, matplotlib's settings, warnings filters, the working folder.

Each test starts from the backend JupyterLab uses (``matplotlib_inline``), calls htwork, and
compares. A call that switched to Agg (``matplotlib.use``) would stop every later chart of the
notebook from showing (issue 15, point 3); a figure made through pyplot and not closed would be
drawn a second time at the end of the cell.
"""

from __future__ import annotations

import copy
import os
import warnings

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from htwork.simulate import simulate, write_standard_csv
from tests.synth.fixtures import case_table

INLINE = "module://matplotlib_inline.backend_inline"


def _state() -> dict:
    return {
        "backend": matplotlib.get_backend(),
        "figures": plt.get_fignums(),
        "rcParams": copy.deepcopy(dict(matplotlib.rcParams)),
        "warnings": list(warnings.filters),
        "cwd": os.getcwd(),
    }


def _differences(before: dict, after: dict) -> list[str]:
    out = []
    for key in ("backend", "figures", "warnings", "cwd"):
        if before[key] != after[key]:
            out.append(f"{key}: {before[key]!r} -> {after[key]!r}")
    changed = sorted(k for k in before["rcParams"]
                     if not _same(before["rcParams"][k], after["rcParams"].get(k)))
    if changed:
        out.append(f"rcParams changed: {changed}")
    return out


def _same(a, b) -> bool:
    try:
        return bool(np.all(a == b)) if not isinstance(a, str) else a == b
    except (TypeError, ValueError):
        return repr(a) == repr(b)


@pytest.fixture
def inline_backend():
    """The notebook's backend, as in JupyterLab; the suite's own backend put back after."""
    old = matplotlib.get_backend()
    plt.close("all")
    plt.switch_backend(INLINE)
    try:
        yield
    finally:
        plt.close("all")
        plt.switch_backend(old)


def _unchanged(call):
    before = _state()
    result = call()
    after = _state()
    assert not _differences(before, after), _differences(before, after)
    return result


def test_the_check_sees_a_backend_switch_and_a_pyplot_figure(inline_backend):
    """The comparison itself can fail: a backend switch and an open pyplot figure are seen."""
    before = _state()
    matplotlib.use("agg")
    assert any(d.startswith("backend") for d in _differences(before, _state()))
    plt.switch_backend(INLINE)
    before = _state()
    plt.subplots()
    assert any(d.startswith("figures") for d in _differences(before, _state()))
    before = _state()
    matplotlib.rcParams["svg.hashsalt"] = "changed"
    assert any("svg.hashsalt" in d for d in _differences(before, _state()))
    matplotlib.rcParams["svg.hashsalt"] = before["rcParams"]["svg.hashsalt"]


@pytest.fixture(scope="module")
def extract(tmp_path_factory):
    path = tmp_path_factory.mktemp("extract") / "cases.csv"
    write_standard_csv(simulate(1200, seed=7), path)
    return path


def test_release_leaves_plotting_state_alone(inline_backend, extract, tmp_path):
    from htwork.release import release

    result = _unchanged(lambda: release(extract, "ctdc_k11", out=tmp_path / "rel", seed=3,
                                        progress=False))
    assert (result.folder / "fk.png").exists()  # it did draw its figures


def test_release_figures_leave_plotting_state_alone(inline_backend):
    from htwork.release import figures

    before = pd.DataFrame({"gender": list("FFMMF"), "ageBroad": ["0--8"] * 5})
    fk = np.array([1, 2, 3, 5, 11])
    for make in (lambda: figures.fk_figure(fk, fk + 1),
                 lambda: figures.marginals_figure(before, before, ["gender", "ageBroad"]),
                 lambda: figures.contributions_figure({"gender": 40.0, "ageBroad": 60.0})):
        fig = _unchanged(make)
        assert _unchanged(lambda fig=fig: figures.png(fig)).startswith(b"\x89PNG")


@pytest.fixture(scope="module")
def evaluation_tables():
    t = case_table(600, seed=5)
    return t.iloc[:300].reset_index(drop=True), t.iloc[300:].reset_index(drop=True)


def test_evaluate_leaves_plotting_state_alone(inline_backend, evaluation_tables):
    from htwork.synth import evaluate

    train, holdout = evaluation_tables
    parts = ("copies", "leakage")  # the fast parts (quality and privacy take minutes)
    evaluate(train, holdout.copy(), holdout, parts=parts, seed=1)  # first imports set filters
    result = _unchanged(lambda: evaluate(train, holdout.copy(), holdout, parts=parts, seed=1))
    assert "exact_copies" in result.figures


def _scores(value: float) -> dict:
    return {"risk": value, "ci": [value - 0.01, value + 0.01]}


def test_evaluation_figures_leave_plotting_state_alone(inline_backend):
    """``EvaluationResult.plot`` on the plain data an evaluation holds (see ``to_dict``)."""
    from htwork.synth.evaluation.result import EvaluationResult

    cols = ["gender", "ageBroad", "citizenship"]

    def quality(shift: float) -> dict:
        return {"shapes": {c: 0.95 - shift for c in cols}, "column_pair_trends": 0.9 - shift,
                "pairs": [("gender", "ageBroad", 0.9), ("gender", "citizenship", 0.85),
                          ("ageBroad", "citizenship", 0.8 - shift)]}

    def privacy(value: float) -> dict:
        return {"singling_out_univariate": _scores(value),
                "singling_out_multivariate": _scores(value),
                "linkability": _scores(value), "inference": {"gender": _scores(value)}}

    result = EvaluationResult(figures={
        "quality": {"synthetic": quality(0.05), "holdout": quality(0.0)},
        "privacy": {"synthetic": privacy(0.03), "holdout": privacy(0.02)}})
    for kind in ("marginals", "pairs", "risks"):
        assert _unchanged(lambda kind=kind: result.plot(kind)).axes


def test_compare_analysis_plot_leaves_plotting_state_alone(inline_backend, evaluation_tables):
    from htwork.synth import compare_analysis

    train, holdout = evaluation_tables

    def share(table):
        p = float((table["gender"] == "Female").mean())
        se = (p * (1 - p) / len(table)) ** 0.5
        return pd.DataFrame({"estimate": [p], "lower": [p - 2 * se], "upper": [p + 2 * se]},
                            index=["women"])

    comparison = compare_analysis(share, train, holdout, holdout)
    fig = _unchanged(comparison.plot)
    assert fig.axes[0].get_title()


def test_quarterly_report_leaves_plotting_state_alone(inline_backend, repo_root, tmp_path):
    from htwork.io import read_table
    from htwork.report import quarterly_report

    cases = read_table(repo_root / "datasets" / "demo" / "cases.csv")
    report = _unchanged(lambda: quarterly_report(cases, "2024Q3"))
    assert report.figures
    _unchanged(lambda: report.save(tmp_path / "report"))
    _unchanged(report._repr_html_)


def test_report_charts_leave_plotting_state_alone(inline_backend):
    from htwork.report import charts

    values = pd.Series([12, pd.NA, 30], index=["a", "b", "c"], dtype="Int64")
    table = pd.DataFrame({"Female": [12, 15], "Male": [pd.NA, 20]}, index=["x", "y"],
                         dtype="Int64")
    trend = pd.DataFrame({"people": [10, 12, 14]}, index=["2024Q1", "2024Q2", "2024Q3"],
                         dtype="Int64")
    kw = dict(title="t", xlabel="x", ylabel="y", threshold=10, source="s")
    for make in (lambda: charts.bar_chart(values, **kw),
                 lambda: charts.grouped_bar_chart(table, **kw),
                 lambda: charts.trend_chart(trend, **kw)):
        fig = _unchanged(make)
        assert _unchanged(lambda fig=fig: charts.png_bytes(fig)).startswith(b"\x89PNG")


def test_risk_explanation_figure_leaves_plotting_state_alone(inline_backend):
    from htwork.risk import explain

    df = pd.DataFrame({"sex": list("FFFFMM"), "age": ["a", "a", "b", "b", "a", "c"],
                       "province": ["p", "p", "q", "r", "p", "p"]})
    e = _unchanged(lambda: explain(df, ["sex", "age", "province"]))
    assert _unchanged(e.figure).axes
    assert "<img" in _unchanged(e._repr_html_)


def test_prevalence_plots_leave_plotting_state_alone(inline_backend, repo_root):
    from htwork.prevalence import (
        CaptureTable,
        Design,
        estimate,
        exhaustive,
        plots,
        sensitivity,
        simulate_lists,
    )

    three = simulate_lists(800, [0.3, 0.25, 0.2], seed=3).table
    five = CaptureTable.from_counts(repo_root / "datasets" / "mse" / "uk_2013.csv")
    boot = estimate(three, "stepwise", nboot=30, seed=1, n_jobs=1)
    models = exhaustive(Design.of(three), "bic", max_order=2).table()
    frame = sensitivity(three, "stepwise", thresholds=(0.01, 0.05))
    for make in (lambda: plots.plot_upset(five), lambda: plots.plot_venn(three),
                 lambda: plots.plot_overlap_heatmap(five),
                 lambda: plots.plot_model_estimates(models),
                 lambda: plots.plot_bootstrap(boot), lambda: plots.plot_sensitivity(frame)):
        assert _unchanged(make).axes


def test_figures_show_as_pictures_in_jupyter_without_pyplot(repo_root):
    """A figure htwork returns is shown as a PNG by IPython even when the notebook never
    imported pyplot (a bare matplotlib Figure would show as ``<Figure size 800x420 ...>``)."""
    from IPython.core.formatters import DisplayFormatter

    from htwork.prevalence import CaptureTable, plots
    from htwork.report import charts
    from htwork.risk.explain import contribution_figure

    five = CaptureTable.from_counts(repo_root / "datasets" / "mse" / "uk_2013.csv")
    values = pd.Series([12, 30], index=["a", "b"], dtype="Int64")
    figures = [plots.plot_upset(five), plots.plot_overlap_heatmap(five),
               charts.bar_chart(values, title="t", xlabel="x", ylabel="y", threshold=10,
                                source="s"),
               contribution_figure(pd.Series({"sex": 40.0, "age": 70.0}))]
    formatter = DisplayFormatter()
    for fig in figures:
        data, _ = formatter.format(fig)
        assert data.get("image/png", b"")[:4] == b"\x89PNG", type(fig)
