"""SDMetrics' quality report (column shapes, column pair trends) on mixed tables.

Metadata come from the columns' types (:func:`htwork.synth.evaluation.prep.column_types`):
numbers and years are ``numerical`` (shapes by the Kolmogorov-Smirnov complement, pairs of
numbers by correlation), dates ``datetime``, everything else ``categorical`` (total-variation
complement; contingency similarity for pairs). A missing number (blank or a survey code) is
left out of its column's shape and correlations, as SDMetrics does with NaN.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from htwork.synth.evaluation.prep import as_text, safe_names

__all__ = ["quality_report"]


def _prepared(df: pd.DataFrame, names: dict, types: Mapping[Hashable, Any]) -> pd.DataFrame:
    from htwork.synth.types import parse_values

    cats = [c for c in df.columns if not (c in types and types[c].numeric)]
    out = as_text(df[cats], names) if cats else pd.DataFrame(index=range(len(df)))
    for c in df.columns:
        if c in cats:
            continue
        values = parse_values(df[c], types[c])[0]
        if types[c].kind == "date":
            stamps = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
            ok = ~np.isnan(values)
            stamps[ok] = np.datetime64("1970-01-01", "ns") + np.round(
                values[ok] * 86400e9).astype("int64").astype("timedelta64[ns]")
            out[names[c]] = stamps
        else:
            out[names[c]] = values
    return out[[names[c] for c in df.columns]]


def _sdtype(t: Any) -> dict[str, str]:
    if t is None or not t.numeric:
        return {"sdtype": "categorical"}
    if t.kind == "date":
        return {"sdtype": "datetime"}
    return {"sdtype": "numerical"}


def quality_report(real: pd.DataFrame, synthetic: pd.DataFrame,
                   types: Mapping[Hashable, Any] | None = None) -> dict[str, Any]:
    """SDMetrics ``QualityReport`` with numerical, datetime and categorical metadata.

    SDMetrics 0.32 averages the pair trends over the pairs whose association in ``real``
    (Cramer's V) exceeds 0.3 only; the others appear in ``pairs`` with a NaN score.

    Parameters
    ----------
    real, synthetic : DataFrame
        Same columns. A missing category is a category of its own.
    types : mapping, optional
        Column -> ColumnType; default: every column categorical.

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
    types = dict(types or {})
    r, s = _prepared(real, names, types), _prepared(synthetic, names, types)
    metadata = {"columns": {names[c]: _sdtype(types.get(c)) for c in real.columns}}
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
