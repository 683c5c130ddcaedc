"""Small result objects returned by the prevalence estimators (statsmodels style)."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from htwork.core.results import Result, json_ready, warnings_html

__all__ = ["MSEResult", "ModelTable"]


def _fmt(x: float, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "n/a" if x is None or math.isnan(x) else ("inf" if x > 0 else "-inf")
    return f"{x:,.{digits}f}"


@dataclass
class MSEResult(Result):
    """A population-size estimate with its interval, model and checks.

    Attributes
    ----------
    estimate : float
        Estimated population size (observed plus unobserved).
    ci_low, ci_high : float
        Interval bounds.
    level : float
        Interval coverage (0.95 by default).
    interval_kind : str
        How the interval was made, saying whether it is conditional on the chosen model or
        accounts for model selection.
    method : str
        The estimator or selection rule.
    model : list of str
        Interaction terms of the model used (``"A:B"`` in the lists' names); empty for the
        main-effects model and for two-list estimators.
    hierarchy : str
        The model in generator notation (``"[12,25,34]"``), when a log-linear model was used.
    lists : list of str
        List names.
    observed : int
        People observed on at least one list.
    checks : dict
        Existence / identifiability check of the model used (``code`` and ``message``).
    warnings : list of str
        Problems a reader must know about (empty lists, failed checks, ...).
    models : ModelTable, optional
        The ranked table of every model the selection considered.
    extra : dict
        Method-specific details (bootstrap replicates, acceleration, p-values, ...).
    """

    estimate: float
    ci_low: float
    ci_high: float
    interval_kind: str
    method: str
    observed: int
    lists: list[str]
    model: list[str] = field(default_factory=list)
    hierarchy: str | None = None
    level: float = 0.95
    checks: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    models: ModelTable | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    fit: Any = field(default=None, repr=False)

    @property
    def dark(self) -> float:
        """Estimated number of people on no list."""
        return self.estimate - self.observed

    def _data(self) -> dict[str, Any]:
        """The estimate, interval, model, checks, warnings, extras and the first 20 models."""
        out: dict[str, Any] = {
            "method": self.method,
            "lists": list(self.lists),
            "observed": int(self.observed),
            "estimate": self.estimate,
            "dark_figure": self.dark,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "level": self.level,
            "interval_kind": self.interval_kind,
            "model": list(self.model),
            "hierarchy": self.hierarchy,
            "checks": self.checks,
            "warnings": list(self.warnings),
        }
        for k, v in self.extra.items():
            if isinstance(v, np.ndarray):
                continue
            out[k] = v
        if self.models is not None:
            out["models"] = self.models.to_dict(top=20)
        return out

    def to_frame(self) -> pd.DataFrame:
        """One-row table of the estimate."""
        d = self.to_dict()
        row = {k: d[k] for k in ("method", "observed", "estimate", "ci_low", "ci_high", "level",
                                 "interval_kind", "hierarchy")}
        row["model"] = " + ".join(self.model) if self.model else "main effects"
        row["check_code"] = self.checks.get("code")
        return pd.DataFrame([row])

    def summary(self) -> str:
        """A few lines in plain words."""
        pct = int(round(self.level * 100))
        lines = [
            f"Population estimate ({self.method}): {_fmt(self.estimate)}",
            f"  {pct}% interval: {_fmt(self.ci_low)} to {_fmt(self.ci_high)} "
            f"({self.interval_kind})",
            f"  observed on at least one list: {self.observed:,} "
            f"(lists: {', '.join(self.lists)})",
        ]
        if self.hierarchy is not None:
            model = " + ".join(self.model) if self.model else "none"
            lines.append(f"  model: main effects + interactions {model}  {self.hierarchy}")
        if self.checks:
            lines.append(f"  checks: code {self.checks.get('code')}: "
                         f"{self.checks.get('message', '')}")
        for w in self.warnings:
            lines.append(f"  warning: {w}")
        if self.models is not None:
            n = len(self.models)
            lines.append(f"  {n} model{'s' if n != 1 else ''} considered; "
                         f"{'first five' if n > 5 else 'table'}:")
            lines.extend("    " + s for s in self.models.to_frame().head(5).to_string(
                index=False).splitlines())
        return "\n".join(lines)

    def __repr__(self) -> str:
        pct = int(round(self.level * 100))
        return (f"MSEResult(method={self.method!r}, estimate={_fmt(self.estimate)}, "
                f"{pct}% [{_fmt(self.ci_low)}, {_fmt(self.ci_high)}] ({self.interval_kind}), "
                f"model={self.hierarchy or self.model}, observed={self.observed})")

    def _repr_html_(self) -> str:
        pct = int(round(self.level * 100))
        rows = [
            ("estimate", _fmt(self.estimate)),
            (f"{pct}% interval", f"{_fmt(self.ci_low)} – {_fmt(self.ci_high)}"),
            ("interval", self.interval_kind),
            ("method", self.method),
            ("observed", f"{self.observed:,}"),
            ("model", " + ".join(self.model) if self.model else "main effects"),
            ("checks", self.checks.get("message", "")),
        ]
        body = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
                       f"<td style='text-align:left'>{html.escape(str(v))}</td></tr>"
                       for k, v in rows)
        return f"<table>{body}</table>{warnings_html(self.warnings)}"


class ModelTable(Result):
    """Every model a selection considered, ranked (best first).

    Parameters
    ----------
    frame : DataFrame
        Columns ``rank``, ``hierarchy``, ``model``, ``estimate``, ``aic``, ``bic``,
        ``deviance``, ``df``, ``n_params``, ``check_code`` (and rule-specific columns).
    criterion : str
        Column the ranking follows.
    """

    def __init__(self, frame: pd.DataFrame, criterion: str) -> None:
        self._frame = frame.reset_index(drop=True)
        self.criterion = criterion

    def __len__(self) -> int:
        return len(self._frame)

    @property
    def best(self) -> pd.Series:
        """First row."""
        return self._frame.iloc[0]

    def to_frame(self) -> pd.DataFrame:
        """The ranked table (a copy)."""
        return self._frame.copy()

    def _data(self) -> list[dict[str, Any]]:
        return self.to_dict()

    def to_dict(self, top: int | None = None) -> list[dict[str, Any]]:  # type: ignore[override]
        """Rows as dictionaries (``top`` first rows only, when given); NaN becomes None."""
        df = self._frame if top is None else self._frame.head(top)
        rows: list[dict[str, Any]] = json_ready(df.to_dict(orient="records"))
        return rows

    def summary(self, top: int = 10) -> str:
        """The first rows as text."""
        head = f"{len(self)} models ranked by {self.criterion}"
        return head + "\n" + self._frame.head(top).to_string(index=False)

    def __repr__(self) -> str:
        return f"ModelTable({len(self)} models by {self.criterion}; best {self.best['hierarchy']})"

    def _repr_html_(self) -> str:
        return (f"<p>{len(self)} models ranked by {html.escape(self.criterion)}</p>"
                + self._frame.head(20).to_html(index=False))
