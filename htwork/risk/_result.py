"""The small result objects every risk measure returns (statsmodels style).

Each result has ``summary()`` (plain text), ``to_frame()`` (one row per record, or per key),
``to_dict()`` (JSON-ready: numbers, strings, lists, dicts; no NaN), a readable ``__repr__`` and
``_repr_html_`` for Jupyter.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["RiskResult", "json_ready", "plural"]


def plural(n: int | float, one: str, many: str | None = None) -> str:
    """``"1 record"``, ``"2 records"``; thousands separated."""
    word = one if n == 1 else (many or one + "s")
    if isinstance(n, float) and not n.is_integer():
        return f"{n:,.2f} {word}"
    return f"{int(n):,} {word}"


def json_ready(value: Any) -> Any:
    """Convert numpy scalars and arrays, tuples and NaN/inf into plain JSON values."""
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    if isinstance(value, np.ndarray):
        return [json_ready(v) for v in value.tolist()]
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating | float):
        f = float(value)
        return f if math.isfinite(f) else None
    return value


class RiskResult:
    """Base class: subclasses fill :meth:`_headline`, :meth:`_summary_rows` and the rest."""

    #: title shown at the top of ``summary()``
    title: str = "Risk result"

    def _headline(self) -> str:
        return ""

    def _summary_rows(self) -> list[tuple[str, Any]]:
        return []

    def _notes(self) -> list[str]:
        return []

    def to_dict(self) -> dict[str, Any]:  # pragma: no cover - overridden
        raise NotImplementedError

    def to_frame(self) -> pd.DataFrame:  # pragma: no cover - overridden
        raise NotImplementedError

    @staticmethod
    def _fmt(value: Any) -> str:
        if isinstance(value, float | np.floating):
            f = float(value)
            if not math.isfinite(f):
                return "n/a"
            if f != 0 and abs(f) < 0.001:
                return f"{f:.3g}"
            return f"{f:,.4f}".rstrip("0").rstrip(".") if not f.is_integer() else f"{f:,.0f}"
        if isinstance(value, int | np.integer):
            return f"{int(value):,}"
        return str(value)

    def summary(self) -> str:
        """A plain-text report: title, one-sentence headline, figures, notes."""
        lines = [self.title, "=" * len(self.title)]
        head = self._headline()
        if head:
            lines += [head, ""]
        rows = self._summary_rows()
        if rows:
            width = max(len(label) for label, _ in rows)
            lines += [f"{label:<{width}}  {self._fmt(value)}" for label, value in rows]
        notes = self._notes()
        if notes:
            lines += [""] + [f"note: {n}" for n in notes]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        parts = [f"<h4>{html.escape(self.title)}</h4>"]
        head = self._headline()
        if head:
            parts.append(f"<p>{html.escape(head)}</p>")
        rows = self._summary_rows()
        if rows:
            body = "".join(
                f"<tr><th style='text-align:left'>{html.escape(label)}</th>"
                f"<td style='text-align:right'>{html.escape(self._fmt(value))}</td></tr>"
                for label, value in rows
            )
            parts.append(f"<table>{body}</table>")
        notes = self._notes()
        if notes:
            parts.append("<ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in notes) + "</ul>")
        return "\n".join(parts)


def keys_phrase(keys: Iterable[str]) -> str:
    """``"sex × age band × nationality"`` from column names."""
    return " × ".join(str(k) for k in keys)
