"""Small-cell suppression of count tables: primary and secondary (complementary) suppression.

A published count of 1 to ``threshold - 1`` people can point at them ("3 Lao boys exploited in
fishing"), so such cells are hidden (*primary* suppression). Hiding them alone is not enough
when the table shows its totals: a row with one hidden cell gives it back by subtraction
(total minus the shown cells). *Secondary* (complementary) suppression hides further cells so
that this cannot happen.

What this module does, and the guarantee it gives
-------------------------------------------------

1. **Primary**: every cell, totals included, holding 1 to ``threshold - 1`` is hidden.
   Zeros are shown: by convention a true zero names nobody, and hiding it would only hide
   information (tau-argus and sdcTable treat empty cells the same way). Zeros are never chosen
   as complementary cells either (a reader who knows the field's structure knows many zeros
   anyway), except as a last resort when an equation has nothing else left.
2. **Secondary, line by line**: every *equation* of the table (each row, inner cells summing to
   the row total; each column, likewise; the totals row and totals column, summing to the
   grand total) that holds exactly one hidden cell gets a second one: the smallest non-zero
   shown cell of that equation, inner cells before totals and the grand total last of all
   (ties: a cell that also completes another equation with one hidden cell, then table order).
   This repeats until no equation holds exactly one hidden cell.
3. **Audit against exact recovery** (``audit=True``, the default): line-by-line protection is
   not enough on its own. Two hidden 2×2 "squares" joined by a single hidden cell let a
   reader add two rows and subtract two columns to get that cell back (the example in
   sdcTable's tests of its simple heuristic). So the table's equations are solved as a linear
   system in the hidden cells: a hidden cell is *exactly recoverable* when its value is the
   same in every solution (its row in a basis of the null space is zero). Each recoverable
   cell gets one more complementary cell (the cheapest that makes it unrecoverable), and step
   2 runs again, until no hidden cell is recoverable. This is the attacker problem that
   sdcTable's ``SIMPLEHEURISTIC`` and SSB's ``GaussSuppression`` solve for the same reason.

**Guarantee**: with ``audit=True`` no hidden cell can be computed exactly from the published
cells of *this table* by any combination of its row and column equations (in particular not
from one row or one column). Shown cells are the true counts.

**Not guaranteed**: this is a heuristic, not tau-argus's or sdcTable's optimal (linear
programming) protection. (a) *Intervals*: using that counts are never negative, a reader can
bound a hidden cell (e.g. "between 0 and 4"); no minimum width of that interval (a
*protection level*) is enforced. (b) *Several tables*: equations shared with other published
tables (the same totals in another table, last quarter's report, a revised figure) are not
seen here; :func:`htwork.report.quarterly_report` links the tables of one report by forcing a
cell hidden in one table to be hidden wherever else it appears (``force``), but nothing links
reports published at different times. (c) *Singletons*: a person who knows they are in a
hidden cell of 1 learns little here (counts of people, not of money), so no special rule is
applied. (d) It is not minimal: the greedy choice may hide more than an optimal method would.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from htwork.core.missing import Missing
from htwork.core.results import Result
from htwork.errors import InputError

__all__ = ["suppress_table", "SuppressionResult", "recoverable_cells", "TOTAL", "SYMBOL"]

#: Label of the added totals row and column.
TOTAL = "Total"
#: What a hidden cell shows in a published table (``Missing.SUPPRESSED.table_value``).
SYMBOL = Missing.SUPPRESSED.table_value

_TIER_INNER, _TIER_MARGIN, _TIER_GRAND = 0, 1, 2
_MAX_TRIALS = 40  # candidates tried to break one recoverable cell before taking the cheapest


@dataclass(repr=False)
class SuppressionResult(Result):
    """A count table after small-cell suppression.

    Attributes
    ----------
    table : pandas.DataFrame
        The counts with their totals (``"Total"`` row, and column for a table of several
        columns), dtype ``Int64``; hidden cells are ``<NA>``. Every shown cell is the true count.
    status : pandas.DataFrame
        Same shape: ``""`` (shown), ``"primary"`` (a small count) or ``"secondary"``
        (hidden so that a small count cannot be worked out from the others, or because the
        same figure is hidden in a linked table).
    threshold : int
        Counts from 1 to ``threshold - 1`` were hidden.
    """

    table: pd.DataFrame
    status: pd.DataFrame
    threshold: int
    _counts: pd.DataFrame = field(repr=False, default=None)  # type: ignore[assignment]

    @property
    def mask(self) -> pd.DataFrame:
        """True where a cell is hidden."""
        return self.status != ""

    @property
    def n_primary(self) -> int:
        """Number of cells hidden because they are small."""
        return int((self.status == "primary").to_numpy().sum())

    @property
    def n_secondary(self) -> int:
        """Number of cells hidden to protect the small ones (complementary cells)."""
        return int((self.status == "secondary").to_numpy().sum())

    @property
    def n_suppressed(self) -> int:
        """All hidden cells."""
        return self.n_primary + self.n_secondary

    def display(self, symbol: str = SYMBOL) -> pd.DataFrame:
        """The table as it is published: numbers as text, hidden cells as ``symbol``."""
        out = self.table.astype(object).copy()
        values = self.table.to_numpy(dtype=object)
        hidden = self.mask.to_numpy()
        text = np.where(hidden, symbol, [[str(v) for v in row] for row in values])
        return pd.DataFrame(text, index=out.index, columns=out.columns)

    def _data(self) -> dict[str, Any]:
        """Threshold and the number of cells hidden (no hidden value is included)."""
        return {"threshold": self.threshold, "primary": self.n_primary,
                "secondary": self.n_secondary, "cells": int(self.status.size)}

    def to_frame(self) -> pd.DataFrame:
        """The counts as published: ``Int64``, hidden cells ``<NA>`` (a copy)."""
        return self.table.copy()

    def _headline(self) -> str:
        return (f"{self.status.size} cells, {self.n_primary} primary and {self.n_secondary} "
                f"secondary suppressions (threshold {self.threshold})")

    def summary(self) -> str:
        """How many cells were hidden, then the table as published."""
        return f"<SuppressionResult: {self._headline()}>\n{self.display().to_string()}"

    def _repr_html_(self) -> str:
        return (f"<p>{html.escape(self._headline())}</p>"
                + self.display().to_html(escape=True))


# --- the table's linear structure -----------------------------------------------------------


def _structure(n_rows: int, n_cols: int) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Equations and cost tiers of an ``(n_rows + 1) x (n_cols [+ 1])`` table with totals.

    Returns the equations (arrays of flat cell indices, the total last), a ``(n_eq, n_cells)``
    coefficient matrix (+1 for a part, -1 for the total) and each cell's tier.
    """
    width = n_cols + 1 if n_cols > 1 else 1
    height = n_rows + 1
    idx = np.arange(height * width).reshape(height, width)
    equations: list[np.ndarray] = []
    if n_cols > 1:
        for i in range(height):
            equations.append(idx[i, :])
    for j in range(width):
        equations.append(idx[:, j])
    coef = np.zeros((len(equations), height * width))
    for k, eq in enumerate(equations):
        coef[k, eq[:-1]] = 1.0
        coef[k, eq[-1]] = -1.0
    tier = np.full((height, width), _TIER_MARGIN)
    tier[:n_rows, : (n_cols if n_cols > 1 else 1)] = _TIER_INNER
    tier[-1, -1] = _TIER_GRAND
    return equations, coef, tier.ravel()


def recoverable_cells(coef: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """Flat indices of hidden cells whose value every solution of the equations shares.

    Parameters
    ----------
    coef : numpy.ndarray
        ``(n_equations, n_cells)`` coefficients of the table's equations (``coef @ x = 0``).
    hidden : numpy.ndarray of bool
        Which cells are hidden.

    Returns
    -------
    numpy.ndarray
        Indices (into all cells) of the hidden cells a reader can compute exactly from the
        shown ones with the equations (non-negativity is not used).
    """
    from scipy.linalg import null_space

    cells = np.flatnonzero(hidden)
    if not len(cells):
        return cells
    sub = coef[:, cells]
    sub = sub[np.any(sub != 0, axis=1)]
    if not len(sub):
        return np.zeros(0, dtype=int)
    basis = null_space(sub)
    if basis.shape[1] == 0:
        return cells
    fixed = np.max(np.abs(basis), axis=1) < 1e-9
    return cells[fixed]


def _protect(values: np.ndarray, equations: list[np.ndarray], coef: np.ndarray,
             tier: np.ndarray, hidden: np.ndarray, audit: bool) -> np.ndarray:
    """Add complementary cells to ``hidden`` (a flat bool array) until it is protected."""
    hidden = hidden.copy()
    member: list[list[int]] = [[] for _ in range(len(values))]
    for k, eq in enumerate(equations):
        for c in eq:
            member[int(c)].append(k)

    def count(k: int) -> int:
        return int(hidden[equations[k]].sum())

    def cost(c: int, k: int) -> tuple:
        completes = any(count(o) == 1 for o in member[c] if o != k)
        return (values[c] == 0, tier[c], values[c], not completes, c)

    while True:
        changed = True
        while changed:
            changed = False
            for k, eq in enumerate(equations):
                if count(k) != 1:
                    continue
                shown = [int(c) for c in eq if not hidden[c]]
                if not shown:
                    continue
                best = min(shown, key=lambda c: cost(c, k))
                hidden[best] = True
                changed = True
        if not audit:
            return hidden
        stuck = recoverable_cells(coef, hidden)
        if not len(stuck):
            return hidden
        target = int(stuck[0])
        near = {int(c) for k in member[target] for c in equations[k]}
        order = sorted((int(c) for c in np.flatnonzero(~hidden)),
                       key=lambda c: (values[c] == 0, c not in near, tier[c], values[c], c))
        pick = None
        for c in order[:_MAX_TRIALS]:
            trial = hidden.copy()
            trial[c] = True
            if target not in set(recoverable_cells(coef, trial).tolist()):
                pick = c
                break
        if pick is None:
            pick = order[0]
        hidden[pick] = True


def _without_margins(frame: pd.DataFrame, values: np.ndarray, threshold: int,
                     force: Any) -> SuppressionResult:
    full = pd.DataFrame(values, index=frame.index, columns=frame.columns)
    primary = (values > 0) & (values < threshold)
    forced = _force_mask(force, full).reshape(values.shape) & ~primary
    status = pd.DataFrame(np.where(primary, "primary", np.where(forced, "secondary", "")),
                          index=frame.index, columns=frame.columns)
    shown = full.astype("Int64").mask(status != "")
    return SuppressionResult(table=shown, status=status, threshold=threshold, _counts=full)


# --- the public function --------------------------------------------------------------------


def _as_frame(table: pd.DataFrame | pd.Series) -> pd.DataFrame:
    if isinstance(table, pd.Series):
        return table.to_frame(name=table.name if table.name is not None else "count")
    if isinstance(table, pd.DataFrame):
        return table
    raise InputError(f"suppress_table needs a pandas DataFrame or Series, not "
                     f"{type(table).__name__}")


def _counts(frame: pd.DataFrame) -> np.ndarray:
    try:
        values = frame.to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise InputError("the table must hold counts (whole numbers), not text",
                         hint="make it with pd.crosstab or value_counts") from None
    if np.isnan(values).any():
        raise InputError("the table has empty cells; a count table has a number in every cell",
                         hint="fill the empty cells with 0 if nobody is in them")
    if (values < 0).any() or not np.allclose(values, np.round(values)):
        raise InputError("the table must hold counts: whole numbers, 0 or more")
    return np.round(values).astype(np.int64)


def _force_mask(force: Any, full: pd.DataFrame) -> np.ndarray:
    mask = np.zeros(full.shape, dtype=bool)
    if force is None:
        return mask.ravel()
    if isinstance(force, pd.DataFrame):
        aligned = force.reindex(index=full.index, columns=full.columns, fill_value=False)
        return aligned.to_numpy(dtype=bool).ravel()
    rows = {label: i for i, label in enumerate(full.index)}
    cols = {label: j for j, label in enumerate(full.columns)}
    for cell in force:
        r, c = cell if isinstance(cell, tuple) else (cell, full.columns[0])
        if r not in rows or c not in cols:
            raise InputError(f"force names a cell ({r!r}, {c!r}) the table does not have")
        mask[rows[r], cols[c]] = True
    return mask.ravel()


def suppress_table(
    table: pd.DataFrame | pd.Series,
    threshold: int = 10,
    *,
    total: int | None = None,
    margins: bool = True,
    force: Iterable[tuple[Any, Any]] | pd.DataFrame | None = None,
    audit: bool = True,
    total_label: str = TOTAL,
) -> SuppressionResult:
    """Hide small counts of a table, and enough other cells that they cannot be worked out.

    See the module's documentation for the exact rules and the guarantee.

    Parameters
    ----------
    table : pandas.DataFrame or pandas.Series
        Counts of people **without** totals (e.g. from ``pd.crosstab`` without ``margins``).
        A Series (or one-column frame) gets a totals row; a table of several columns gets a
        totals row and a totals column.
    threshold : int, default 10
        Counts from 1 to ``threshold - 1`` are hidden (primary suppression). Zeros are shown.
        ``threshold`` of 0 or 1 hides nothing.
    total : int, optional
        For a one-column table whose cells do **not** add up to the total, such as a
        multi-select field where one person can count in several rows: the number of people
        the rows are out of. The rows are then protected as if they did add up to it, which
        protects more than needed, never less.
    margins : bool, default True
        Add the totals and protect the small cells against subtraction from them. ``False``
        for a table whose cells add up to nothing published (e.g. counts per quarter shown
        side by side without a total): only the small cells (and ``force``) are hidden.
    force : iterable of (row, column) or DataFrame of bool, optional
        Cells to hide whatever their value, e.g. a figure hidden in a linked table (labels as
        in the result, so the totals are ``"Total"``). Counted as secondary.
    audit : bool, default True
        Check with linear algebra that no hidden cell can be computed exactly from the shown
        ones, and hide more until none can (see the module's documentation).
    total_label : str, default "Total"
        Label of the totals row and column.

    Returns
    -------
    SuppressionResult
        ``table`` (Int64, hidden cells ``<NA>``), ``status``, ``mask``, ``n_primary``,
        ``n_secondary``, ``display()``.

    Raises
    ------
    htwork.errors.InputError
        For a table of anything but counts, or a ``force`` cell it does not have.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"Female": [12, 3, 25], "Male": [15, 20, 30]},
    ...                  index=["0-17", "18-24", "25+"])
    >>> r = suppress_table(t, threshold=10)
    >>> r.n_primary, r.n_secondary
    (1, 3)
    >>> r.display().loc["18-24"].tolist()
    ['x', 'x', '23']
    """
    frame = _as_frame(table)
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise InputError("the table is empty: there is nothing to publish")
    threshold = int(threshold)
    values = _counts(frame)
    n_rows, n_cols = values.shape
    if total is not None and n_cols != 1:
        raise InputError("total= is for a one-column table (a multi-select field)")
    if not margins:
        return _without_margins(frame, values, threshold, force)
    if n_cols > 1:
        full_values = np.zeros((n_rows + 1, n_cols + 1), dtype=np.int64)
        full_values[:n_rows, :n_cols] = values
        full_values[:n_rows, -1] = values.sum(axis=1)
        full_values[-1, :n_cols] = values.sum(axis=0)
        full_values[-1, -1] = values.sum()
        columns = [*frame.columns, total_label]
    else:
        full_values = np.vstack([values, [[values.sum() if total is None else int(total)]]])
        columns = list(frame.columns)
    index = [*frame.index, total_label]
    full = pd.DataFrame(full_values, index=pd.Index(index, name=frame.index.name),
                        columns=pd.Index(columns, name=frame.columns.name))

    flat = full_values.ravel()
    equations, coef, tier = _structure(n_rows, n_cols)
    primary = (flat > 0) & (flat < threshold)
    forced = _force_mask(force, full) & ~primary
    hidden = _protect(flat, equations, coef, tier, primary | forced, audit)
    status = np.where(primary, "primary", np.where(hidden, "secondary", ""))
    status_frame = pd.DataFrame(status.reshape(full.shape), index=full.index,
                                columns=full.columns)
    shown = full.astype("Int64").mask(status_frame != "")
    return SuppressionResult(table=shown, status=status_frame, threshold=threshold,
                             _counts=full)
