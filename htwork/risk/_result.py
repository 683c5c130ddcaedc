"""The layout shared by the risk measures' results (on :class:`htwork.core.results.Result`).

Each result has ``summary()`` (plain text: title, headline, figures, notes), ``to_frame()``
(one row per record, or per key), ``to_dict()`` (JSON-ready: numbers, strings, lists, dicts;
no NaN), ``to_json()``, a readable ``__repr__`` and ``_repr_html_`` for Jupyter.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from htwork.core.results import Result

__all__ = ["RiskResult", "keys_phrase", "plural"]


def plural(n: int | float, one: str, many: str | None = None) -> str:
    """``"1 record"``, ``"2 records"``; thousands separated."""
    word = one if n == 1 else (many or one + "s")
    if isinstance(n, float) and not n.is_integer():
        return f"{n:,.2f} {word}"
    return f"{int(n):,} {word}"


class RiskResult(Result):
    """Base class: subclasses fill :meth:`_headline`, :meth:`_summary_rows`, :meth:`_data`
    and :meth:`to_frame`."""

    #: title shown at the top of ``summary()``
    title: str = "Risk result"

    def _headline(self) -> str:
        return ""

    def _summary_rows(self) -> list[tuple[str, Any]]:
        return []

    def _notes(self) -> list[str]:
        return []

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
