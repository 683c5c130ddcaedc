"""Generalisation hierarchies: reusable, shipped as data, ARX-style.

A hierarchy is a table with one row per leaf value and one column per level, the original
values first and the coarsest last (``*``)::

    age,band5,band10,band20,any
    34,30--34,30--39,20--39,*

Shipped (``load_hierarchy(name)``; the CSVs are in ``htwork/anonymise/data/hierarchies/``):

=============  ================================================================================
``age``        single years 0-120 → 5-year → 10-year → 20-year bands → ``*``
``age_ctdc``   single years → the release standard's ``ageBroad`` (``0--8 ... 48+``) →
               ``Minor``/``Adult`` → ``*``
``nationality`` ISO 3166-1 alpha-2 *and* alpha-3 codes → UN M49 sub-region → region → ``*``
``geography``  ISO 3166-2 first-level regions of the ASEAN states (and bare alpha-2 country codes,
               for places known only to the country) → country → UN M49 sub-region → ``*``
``date``       ``YYYY-MM-DD`` → month ``YYYY-MM`` → quarter ``YYYY-Q1`` → year ``YYYY`` → ``*``
               (computed, not a table: the leaves are every day of every year)
=============  ================================================================================

Like ARX, a hierarchy must be a tree: each value of a level has exactly one value at the next
level. Unlike ARX, the CSV carries a header row naming the levels; :meth:`Hierarchy.to_arx`
writes ARX's own layout (``;``-separated, no header).
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from htwork.core.numbers import to_numbers
from htwork.errors import InputError, StandardError
from htwork.io.write import atomic_write

__all__ = [
    "DateHierarchy",
    "Hierarchy",
    "available_hierarchies",
    "load_hierarchy",
]

_UNKNOWN = ("error", "missing", "keep")
_INTEGRAL = re.compile(r"^[+-]?\d+(?:\.0*)?$")


def _is_missing(v: object) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and np.isnan(v):
        return True
    if v is pd.NaT or v is pd.NA:
        return True
    return isinstance(v, str) and not v.strip()


def _key(v: object) -> str:
    if isinstance(v, bool | np.bool_):
        return str(v)
    if isinstance(v, int | np.integer):
        return str(int(v))
    if isinstance(v, float | np.floating) and float(v).is_integer():
        return str(int(v))
    return str(v).strip()


def _numeric_key(text: str) -> str | None:
    if _INTEGRAL.match(text):
        return str(int(float(text)))
    return None


def _rows_of(series: pd.Series, mask: np.ndarray) -> list[Any]:
    return [series.index[i] for i in np.flatnonzero(mask)[:5]]


def _unknown_error(series: pd.Series, mask: np.ndarray, name: str, what: str) -> InputError:
    values = pd.unique(series[mask].map(_key))[:5]
    rows = _rows_of(series, mask)
    first_row = rows[0] if rows and isinstance(rows[0], int | np.integer) else None
    return InputError(
        f"{int(mask.sum())} value(s) are not in the {name!r} hierarchy, e.g. "
        f"{', '.join(map(repr, values))} (rows {', '.join(map(str, rows))}).",
        column=None if series.name is None else str(series.name),
        row=None if first_row is None else int(first_row),
        hint=f"correct the values, or pass unknown='missing' (or 'keep') to {what}",
    )


class Hierarchy:
    """A generalisation hierarchy given as a table (one row per leaf, one column per level).

    Parameters
    ----------
    table : pandas.DataFrame
        Leaves in the first column; each further column one level, coarser to the right.
        Column names are the level names. All cells must be non-empty text.
    name : str
        What to call the hierarchy in messages.

    Raises
    ------
    StandardError
        If leaves repeat, cells are empty, or a level is not a tree (one value with two
        parents at the next level).
    """

    def __init__(self, table: pd.DataFrame, name: str = "custom", *, file: Any = None) -> None:
        if not isinstance(table, pd.DataFrame) or table.shape[1] < 2 or table.empty:
            raise StandardError(
                "a hierarchy needs at least two columns (the values and one level) and a row.",
                file=file,
                hint="one row per value, one column per level, the values first",
            )
        t = table.astype(object).map(lambda v: "" if _is_missing(v) else _key(v))
        t.columns = [str(c) for c in t.columns]
        if len(set(t.columns)) != len(t.columns):
            raise StandardError("level names repeat.", file=file, hint="name each level once")
        empty = (t == "").to_numpy()
        if empty.any():
            r, c = np.argwhere(empty)[0]
            raise StandardError(
                f"hierarchy {name!r} has an empty cell.",
                file=file,
                column=t.columns[c],
                row=int(r) + 2,
                hint="fill every level of every row (use '*' for the top)",
            )
        leaves = t.iloc[:, 0]
        dup = leaves.duplicated()
        if dup.any():
            raise StandardError(
                f"hierarchy {name!r} lists the value {leaves[dup].iloc[0]!r} twice.",
                file=file,
                column=t.columns[0],
                row=int(np.flatnonzero(dup.to_numpy())[0]) + 2,
                hint="one row per value",
            )
        for i in range(1, t.shape[1] - 1):
            parents = t.groupby(t.columns[i])[t.columns[i + 1]].nunique()
            bad = parents[parents > 1]
            if len(bad):
                raise StandardError(
                    f"hierarchy {name!r} is not a tree: {bad.index[0]!r} at level "
                    f"{t.columns[i]!r} has {int(bad.iloc[0])} parents at level "
                    f"{t.columns[i + 1]!r}.",
                    file=file,
                    column=t.columns[i + 1],
                    hint="give each value one parent at the next level",
                )
        self.name = name
        self.table = t.reset_index(drop=True)
        self._maps = [dict(zip(t.iloc[:, 0], t.iloc[:, j], strict=True)) for j in range(t.shape[1])]

    # -- description ---------------------------------------------------------------------------
    @property
    def levels(self) -> list[str]:
        """Level names, the original values (level 0) first."""
        return list(self.table.columns)

    @property
    def leaves(self) -> list[str]:
        """The values the hierarchy knows."""
        return list(self.table.iloc[:, 0])

    def __repr__(self) -> str:
        return (
            f"Hierarchy({self.name!r}, levels={self.levels!r}, leaves={len(self.table)})"
        )

    def level_index(self, level: int | str) -> int:
        """The number of ``level`` (0 = original values), given by number or name."""
        return _level_index(self.name, self.levels, level)

    # -- files -----------------------------------------------------------------------------------
    @classmethod
    def from_csv(cls, path: str | Path, name: str | None = None) -> Hierarchy:
        """Read a hierarchy CSV (UTF-8, header row of level names)."""
        p = Path(path)
        try:
            table = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8")
        except FileNotFoundError:
            raise StandardError("the hierarchy file does not exist.", file=p) from None
        except (UnicodeDecodeError, pd.errors.ParserError) as exc:
            raise StandardError(f"the hierarchy file cannot be read ({exc}).", file=p) from None
        return cls(table, name or p.stem, file=p)

    def to_csv(self, path: str | Path) -> None:
        """Write the hierarchy as htwork reads it (header row of level names), atomically.

        Values are written as they are (no formula guard: :meth:`from_csv` must read back the
        same codes, and a hierarchy holds codes and bands, not data from a case file)."""
        with atomic_write(path, "w", encoding="utf-8", newline="") as fh:
            self.table.to_csv(fh, index=False, lineterminator="\n")

    def to_arx(self, path: str | Path) -> None:
        """Write the hierarchy in ARX's layout (``;``-separated, no header), atomically."""
        with atomic_write(path, "w", encoding="utf-8", newline="") as fh:
            self.table.to_csv(fh, index=False, header=False, sep=";", lineterminator="\n")

    # -- use ---------------------------------------------------------------------------------------
    def generalise(
        self, series: pd.Series, level: int | str, unknown: str = "error"
    ) -> pd.Series:
        """Replace each value by its ancestor at ``level``.

        Parameters
        ----------
        series : pandas.Series
            The values (strings, or numbers for numeric leaves such as ages). Missing values
            stay missing.
        level : int or str
            Level number (0 = unchanged) or name (``"band5"``, ``"ageBroad"``...).
        unknown : {"error", "missing", "keep"}
            What to do with a value the hierarchy does not know: raise :class:`InputError`
            (naming the values and rows), make it missing, or leave it as it is.

        Returns
        -------
        pandas.Series
            Same index and name; text labels (object dtype) except at level 0, where the
            values come back unchanged.
        """
        idx = self.level_index(level)
        _check_unknown(unknown)
        missing = series.map(_is_missing).to_numpy(dtype=bool)
        keys = series.map(lambda v: "" if _is_missing(v) else _key(v))
        mapping = self._maps[idx]
        out = keys.map(mapping)
        miss = out.isna().to_numpy() & ~missing
        if miss.any():  # "34.0" for 34, "+5" for 5
            alt = keys[miss].map(_numeric_key).map(lambda k: mapping.get(k) if k else None)
            out[miss] = alt
            miss = out.isna().to_numpy() & ~missing
        if miss.any():
            if unknown == "error":
                raise _unknown_error(series, miss, self.name, "generalise")
            if unknown == "keep":
                out[miss] = series[miss]
        if idx == 0:
            result = series.copy()
            if unknown == "missing" and miss.any():
                result = result.astype(object)
                result[miss] = None
            return result
        out = out.astype(object)
        out[missing] = series[missing]
        out.name = series.name
        return out


class DateHierarchy:
    """Dates ``YYYY-MM-DD`` → month → quarter → year → ``*`` (computed, not tabulated).

    Values may also be ``datetime64`` or already coarser (``"2023-05"``, ``"2023"``); a value
    coarser than the level asked for counts as unknown.
    """

    name = "date"
    levels = ["day", "month", "quarter", "year", "any"]
    _RE = r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$"

    def __repr__(self) -> str:
        return f"DateHierarchy(levels={self.levels!r})"

    @property
    def leaves(self) -> None:
        """A date hierarchy has no finite list of leaves."""
        return None

    def level_index(self, level: int | str) -> int:
        """The number of ``level`` (0 = day), given by number or name."""
        return _level_index(self.name, self.levels, level)

    def generalise(
        self, series: pd.Series, level: int | str, unknown: str = "error"
    ) -> pd.Series:
        """Replace each date by its month (``2023-05``), quarter (``2023-Q2``), year or ``*``.

        Parameters are as for :meth:`Hierarchy.generalise`.
        """
        idx = self.level_index(level)
        _check_unknown(unknown)
        s = series
        if pd.api.types.is_datetime64_any_dtype(s.dtype):
            s = s.dt.strftime("%Y-%m-%d")
        missing = s.map(_is_missing).to_numpy(dtype=bool)
        text = s.map(lambda v: "" if _is_missing(v) else str(v).split("T")[0].split(" ")[0])
        parts = text.str.extract(self._RE)
        year = to_numbers(parts[0])
        month = to_numbers(parts[1])
        day = to_numbers(parts[2])
        ok = year.notna().to_numpy()
        has_month, has_day = month.notna().to_numpy(), day.notna().to_numpy()
        ok &= ~has_month | month.between(1, 12).to_numpy()
        # a full date must exist (no 30 February), whatever the level asked for
        full = pd.to_datetime(text.where(day.notna(), ""), format="%Y-%m-%d", errors="coerce")
        ok &= ~has_day | full.notna().to_numpy()
        if idx <= 2:
            ok &= has_month
        if idx == 0:
            ok &= has_day
        y = year.fillna(0).astype(int).astype(str).str.zfill(4)
        m = month.fillna(1).astype(int).astype(str).str.zfill(2)
        if idx == 0:
            out = text.copy()
        elif idx == 1:
            out = y + "-" + m
        elif idx == 2:
            out = y + "-Q" + ((month.fillna(1).astype(int) - 1) // 3 + 1).astype(str)
        elif idx == 3:
            out = y
        else:
            out = pd.Series("*", index=s.index)
        out = out.astype(object)
        bad = ~ok & ~missing
        if idx == 4:
            bad[:] = False
        if bad.any():
            if unknown == "error":
                raise _unknown_error(series, bad, "date", "generalise")
            out[bad] = series[bad] if unknown == "keep" else None
        out[missing] = series[missing]
        if idx == 0 and not bad.any():
            return series.copy()
        out.name = series.name
        return out


HierarchyLike = Hierarchy | DateHierarchy


def _check_unknown(unknown: str) -> None:
    if unknown not in _UNKNOWN:
        raise InputError(
            f"unknown={unknown!r} is not allowed.", hint=f"use one of {', '.join(_UNKNOWN)}"
        )


def _level_index(name: str, levels: list[str], level: int | str) -> int:
    if isinstance(level, bool):
        level = int(level)
    if isinstance(level, int | np.integer):
        if 0 <= int(level) < len(levels):
            return int(level)
    elif isinstance(level, str) and level in levels:
        return levels.index(level)
    raise InputError(
        f"{level!r} is not a level of the {name!r} hierarchy.",
        hint=f"use 0-{len(levels) - 1} or one of {', '.join(map(repr, levels))}",
    )


def available_hierarchies() -> list[str]:
    """Names of the hierarchies shipped with htwork."""
    folder = resources.files("htwork.anonymise").joinpath("data", "hierarchies")
    names = sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".csv"))
    return sorted([*names, "date"])


def load_hierarchy(name: str | Path | HierarchyLike) -> HierarchyLike:
    """A shipped hierarchy by name, or a hierarchy CSV by path.

    Parameters
    ----------
    name : str, Path or Hierarchy
        ``"age"``, ``"age_ctdc"``, ``"nationality"``, ``"geography"``, ``"date"``, the path
        of a CSV file (one row per leaf, one column per level, header of level names), or a
        hierarchy object (returned as is).

    Raises
    ------
    StandardError
        If no such hierarchy ships and no such file exists, or the file is malformed.
    """
    if isinstance(name, Hierarchy | DateHierarchy):
        return name
    if isinstance(name, Path) or (isinstance(name, str) and name.endswith(".csv")):
        return Hierarchy.from_csv(name)
    if name == "date":
        return DateHierarchy()
    shipped = available_hierarchies()
    if name not in shipped:
        raise StandardError(
            f"no hierarchy named {name!r} ships with htwork.",
            hint=f"use one of {', '.join(shipped)}, or give the path of a CSV file",
        )
    ref = resources.files("htwork.anonymise").joinpath("data", "hierarchies", f"{name}.csv")
    with ref.open("rb") as fh:
        table = pd.read_csv(fh, dtype=str, keep_default_na=False, encoding="utf-8")
    return Hierarchy(table, name)

