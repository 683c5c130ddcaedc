"""The result of :func:`htwork.report.quarterly_report`: tables, figures, headline figures,
and writing them all to a folder at once."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from htwork.core.results import Result
from htwork.errors import InputError
from htwork.io import atomic_folder
from htwork.io.guard import check_output
from htwork.report.suppression import SYMBOL, SuppressionResult

__all__ = ["ReportTable", "QuarterlyReport"]


@dataclass
class ReportTable(Result):
    """One table of a report, as published.

    Attributes
    ----------
    name : str
        File-name-safe key (``"sex_by_age"``).
    title : str
        The table's title.
    note : str
        Unit and denominator, in words.
    result : SuppressionResult
        The suppressed counts (hidden cells ``<NA>``) and each cell's status.
    percent : pandas.Series, optional
        Percentages shown beside the counts (hidden where the count is), already rounded.
    percent_label : str
        Header of the percentage column.
    """

    name: str
    title: str
    note: str
    result: SuppressionResult
    percent: pd.Series | None = None
    percent_label: str = ""

    @property
    def values(self) -> pd.DataFrame:
        """The counts as published: ``Int64``, hidden cells ``<NA>``."""
        return self.result.table

    @property
    def published(self) -> pd.DataFrame:
        """The table as text, hidden cells ``x``, with the percentage column if any."""
        out = self.result.display()
        if self.percent is not None:
            out[self.percent_label] = [SYMBOL if pd.isna(v) else f"{v:.1f}"
                                       for v in self.percent.reindex(out.index)]
        return out

    def to_frame(self) -> pd.DataFrame:
        """The table as published (see :attr:`published`)."""
        return self.published

    def summary(self) -> str:
        """The title, the table as published, and the note."""
        return f"{self.title}\n{self.published.to_string()}\n{self.note}"

    def _data(self) -> dict[str, Any]:
        """Title, note, labels and cells as published, and the suppression counts."""
        pub = self.published
        return {"title": self.title, "note": self.note, "row_label": self.values.index.name,
                "columns": [str(c) for c in pub.columns], "rows": [str(r) for r in pub.index],
                "cells": pub.to_numpy().tolist(), **self.result.to_dict()}


def _ints(d: dict[str, Any]) -> str:
    return ", ".join(f"{k}: {v:,}" if isinstance(v, int) else f"{k}: {v}" for k, v in d.items())


@dataclass
class QuarterlyReport(Result):
    """A quarter's standard tables and charts, small cells hidden.

    Attributes
    ----------
    quarter : str
        ``"2024Q3"``.
    threshold : int
        Counts from 1 to ``threshold - 1`` are hidden.
    headline : dict
        The quarter's key figures (each already checked against the threshold).
    notes : list of str
        Unit, linking rule, denominators and the suppression method, in words.
    figures : dict of str to matplotlib Figure
    source : str, optional
        A neutral label of the input with the start of its SHA-256, never its file name or
        path (a file may be named after a person).
    inputs : tuple of Path
        The files the report was made from; :meth:`save` never writes over, inside or around
        them. Not published.
    """

    quarter: str
    threshold: int
    sections: dict[str, ReportTable]
    figures: dict[str, Figure] = field(repr=False)
    headline: dict[str, Any]
    notes: list[str]
    source: str | None = None
    inputs: tuple[Path, ...] = field(default=(), repr=False, compare=False)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table as published (text; hidden cells ``x``), by name."""
        return {name: t.published for name, t in self.sections.items()}

    def __getitem__(self, name: str) -> ReportTable:
        try:
            return self.sections[name]
        except KeyError:
            raise KeyError(f"no table {name!r}; the tables are: "
                           + ", ".join(self.sections)) from None

    @property
    def n_primary(self) -> int:
        return sum(t.result.n_primary for t in self.sections.values())

    @property
    def n_secondary(self) -> int:
        return sum(t.result.n_secondary for t in self.sections.values())

    def _data(self) -> dict[str, Any]:
        """Everything published."""
        return {"quarter": self.quarter, "threshold": self.threshold, "source": self.source,
                "headline": dict(self.headline), "notes": list(self.notes),
                "suppressed": {"primary": self.n_primary, "secondary": self.n_secondary},
                "tables": {n: t.to_dict() for n, t in self.sections.items()}}

    def to_frame(self) -> pd.DataFrame:
        """One row per table: name, title, rows, and the cells hidden."""
        return pd.DataFrame(
            [{"name": n, "title": t.title, "rows": t.result.table.shape[0],
              "primary": t.result.n_primary, "secondary": t.result.n_secondary}
             for n, t in self.sections.items()],
            columns=["name", "title", "rows", "primary", "secondary"])

    def summary(self) -> str:
        """The report in a few lines of text."""
        lines = [f"Quarterly report {self.quarter} (counts under {self.threshold} hidden)",
                 "  " + _ints(self.headline)]
        for t in self.sections.values():
            lines.append(f"  {t.title}: {t.result.table.shape[0]} rows, "
                         f"{t.result.n_primary} small cells hidden, "
                         f"{t.result.n_secondary} more hidden to protect them")
        lines += [f"  - {n}" for n in self.notes]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"<QuarterlyReport {self.quarter}: {len(self.sections)} tables, "
                f"{len(self.figures)} charts, {self.n_primary} primary and "
                f"{self.n_secondary} secondary suppressions>\n" + self.summary())

    def _repr_html_(self) -> str:
        from htwork.report.render import headline_html, table_html

        parts = [f"<h3>Quarterly report {html.escape(self.quarter)}</h3>",
                 headline_html(self)]
        for t in self.sections.values():
            parts.append(table_html(t))
        return "".join(parts)

    def save(self, folder: str | Path, *, overwrite: bool = False,
             check: Callable[[Path], None] | None = None) -> Path:
        """Write the report to a new folder, all at once.

        The files (``report.html`` with the charts inside, ``report.md``, ``report.json``,
        one CSV per table, one PNG per chart) are written to a temporary folder beside
        ``folder``, which is then renamed: a reader never sees half a report.

        Parameters
        ----------
        folder : str or Path
            The folder to create. Its parent must exist.
        overwrite : bool, default False
            Replace an existing folder (it is swapped out only after the new one is complete,
            and only when it holds nothing but files the new report writes again).
        check : callable, optional
            Called with the complete temporary folder before it is renamed into place; if it
            raises, nothing is written (the command line runs the leak scan here).

        Returns
        -------
        Path

        Raises
        ------
        htwork.errors.InputError
            When the folder exists (and ``overwrite`` is False) or its parent does not.
        """
        from htwork.report.render import write_files

        target = Path(folder)
        check_output(target, self.inputs, folder=True, what="the report folder")
        parent = target.parent
        if not parent.is_dir():
            raise InputError("cannot write the report: the folder above it does not exist",
                             file=target, hint="create it first, or choose another --out")
        if target.exists() and not overwrite:
            raise InputError("the report folder already exists", file=target,
                             hint="choose a new folder, or overwrite it (--force)")
        with atomic_folder(target, replace=True) as tmp:
            write_files(self, tmp)
            if check is not None:
                check(tmp)
        return target
