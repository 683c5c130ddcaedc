"""SDMetrics' quality report (column shapes, column pair trends) for categorical tables."""

from __future__ import annotations

import contextlib
import io
import warnings
from typing import Any

import pandas as pd

from htwork.synth.evaluation.prep import as_text, safe_names

__all__ = ["quality_report"]


def quality_report(real: pd.DataFrame, synthetic: pd.DataFrame) -> dict[str, Any]:
    """SDMetrics ``QualityReport`` with every column categorical.

    SDMetrics 0.32 averages the pair trends over the pairs whose association in ``real``
    (Cramer's V) exceeds 0.3 only; the others appear in ``pairs`` with a NaN score.

    Parameters
    ----------
    real, synthetic : DataFrame
        Same columns. Missing cells count as a category of their own.

    Returns
    -------
    dict
        ``score``, ``column_shapes``, ``column_pair_trends`` (0..1, higher = closer),
        ``shapes`` (column -> TV complement) and ``pairs`` (list of ``[a, b, score]``).
    """
    with warnings.catch_warnings():
        # sdmetrics 0.32 calls this report deprecated; its successor takes multi-table
        # metadata and data. Kept until that API settles.
        warnings.simplefilter("ignore", FutureWarning)
        from sdmetrics.reports.single_table import QualityReport

    names = safe_names(list(real.columns))
    back = {v: k for k, v in names.items()}
    r, s = as_text(real, names), as_text(synthetic, names)
    metadata = {"columns": {n: {"sdtype": "categorical"} for n in names.values()}}
    report = QualityReport()
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        report.generate(r, s, metadata, verbose=False)
    props = report.get_properties().set_index("Property")["Score"]
    shapes = report.get_details("Column Shapes")
    pairs = report.get_details("Column Pair Trends")
    return {
        "score": float(report.get_score()),
        "column_shapes": float(props.get("Column Shapes")),
        "column_pair_trends": float(props.get("Column Pair Trends")),
        "shapes": {
            str(back[c]): float(v)
            for c, v in zip(shapes["Column"], shapes["Score"], strict=True)
        },
        "pairs": [
            [str(back[a]), str(back[b]), float(v)]
            for a, b, v in zip(pairs["Column 1"], pairs["Column 2"], pairs["Score"], strict=False)
        ],
    }
