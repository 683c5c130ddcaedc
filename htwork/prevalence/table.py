"""The capture table: how many people were seen on each combination of lists.

A capture pattern is stored as a bit mask: list ``i`` (0-based, in the order the lists were
given) is bit ``i``. The pattern ``0`` (on no list) is the unobserved "dark figure" and never has
a count. Pattern strings are written list by list, left to right, so ``"10100"`` means "on the
first and third list".
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from htwork.core.numbers import to_numbers
from htwork.core.results import Result, warnings_html
from htwork.errors import InputError

__all__ = ["CaptureTable", "pattern_string", "parse_pattern"]

MAX_LISTS = 16
_NAME_RE = re.compile(r"^[^\s:,\[\]]+$")


def pattern_string(pattern: int, n_lists: int) -> str:
    """Write a bit-mask pattern as a 0/1 string, list 0 first.

    Parameters
    ----------
    pattern : int
        Bit mask, bit ``i`` set when the person is on list ``i``.
    n_lists : int
        Number of lists.

    Returns
    -------
    str
        For example ``"10100"``.
    """
    return "".join("1" if pattern >> i & 1 else "0" for i in range(n_lists))


def parse_pattern(text: str) -> int:
    """Read a 0/1 pattern string (list 0 first) into a bit mask."""
    text = text.strip()
    if not text or set(text) - {"0", "1"}:
        raise InputError(f"capture pattern {text!r} must be a string of 0s and 1s, like '10100'")
    return sum(1 << i for i, ch in enumerate(text) if ch == "1")


def _popcount(x: int) -> int:
    return bin(x).count("1")


def _pattern_order(p: int, m: int) -> tuple:
    """Sort key of published tables: by number of lists, then 10000 before 01000."""
    return (_popcount(p), tuple(-(p >> i & 1) for i in range(m)))


def _check_names(names: Sequence[str], *, file: str | None = None) -> list[str]:
    names = [str(n).strip() for n in names]
    if len(names) < 2:
        raise InputError(
            f"multiple systems estimation needs at least two lists; found {len(names)}"
            + (f" ({names[0]!r})" if names else ""),
            file=file,
            hint="give one 0/1 column per list (agency), plus the count column",
        )
    if len(names) > MAX_LISTS:
        raise InputError(
            f"{len(names)} lists is more than htwork handles ({MAX_LISTS})",
            file=file,
            hint="merge small lists of the same kind of agency with CaptureTable.merge_lists",
        )
    for n in names:
        if not n or not _NAME_RE.match(n):
            raise InputError(
                f"list name {n!r} cannot be used: names must be non-empty and contain no spaces, "
                "colons, commas or brackets",
                file=file,
                column=n,
                hint="rename the column, e.g. 'Police' or 'NGO_A'",
            )
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise InputError(f"list names appear twice: {', '.join(dupes)}", file=file)
    return names


def _as_binary(values: pd.Series, column: str, file: str | None,
               rows: Sequence[int]) -> np.ndarray:
    """Convert a column to 0/1 integers, naming the first bad row (``rows``: row numbers)."""
    raw = values
    if raw.dtype == bool:
        return raw.to_numpy().astype(np.int64)
    num = to_numbers(raw.astype(str).str.strip().str.lower().replace(
        {"true": "1", "false": "0", "yes": "1", "no": "0"}))
    bad = num.isna() | ~num.isin([0, 1])
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f"list membership must be 0 or 1, found {raw.iloc[pos]!r}",
            file=file,
            column=column,
            row=rows[pos],
            hint="write 1 when the person is on this list and 0 when not",
        )
    return num.to_numpy().astype(np.int64)


class CaptureTable(Result):
    """Counts of people by capture pattern across two or more lists.

    Build one with :meth:`from_counts` (one 0/1 column per list plus a count column),
    :meth:`from_individuals` (one row per person) or :meth:`from_dict`. Patterns that do not
    appear have count zero.

    Parameters
    ----------
    lists : sequence of str
        List names, in order.
    counts : array-like of int
        Counts indexed by bit-mask pattern, length ``2 ** len(lists)``; entry 0 (the unobserved
        pattern) must be 0.
    source : str, optional
        Where the table came from (a file name), used in messages.
    """

    def __init__(self, lists: Sequence[str], counts: Any, *, source: str | None = None) -> None:
        self._lists = tuple(_check_names(lists, file=source))
        arr = np.asarray(counts)
        m = len(self._lists)
        if arr.shape != (1 << m,):
            raise InputError(
                f"expected {1 << m} pattern counts for {m} lists, got shape {arr.shape}",
                file=source,
            )
        if not np.all(np.isfinite(arr.astype(float))) or np.any(arr < 0):
            raise InputError("counts must be non-negative whole numbers", file=source)
        if np.any(np.asarray(arr, dtype=float) != np.round(np.asarray(arr, dtype=float))):
            raise InputError("counts must be whole numbers", file=source)
        arr = arr.astype(np.int64)
        if arr[0] != 0:
            raise InputError(
                "the pattern with no list (all zeros) cannot have a count: those people are "
                "the unknown being estimated",
                file=source,
            )
        if arr.sum() == 0:
            raise InputError(
                "the table has nobody in it (all counts are zero)",
                file=source,
                hint="check the count column",
            )
        self._counts = arr
        self.source = source

    # ----------------------------------------------------------------- constructors ----------

    @classmethod
    def from_dict(cls, counts: Mapping[str, int], lists: Sequence[str] | None = None,
                  *, source: str | None = None) -> CaptureTable:
        """Build from ``{"10100": 19, ...}`` pattern strings.

        Parameters
        ----------
        counts : mapping of str to int
            Pattern string (list 0 first) to count; repeated patterns are not possible here.
        lists : sequence of str, optional
            List names; ``A``, ``B``, ... when omitted.
        source : str, optional
            Where the table came from.
        """
        if not counts:
            raise InputError("no capture patterns given", file=source)
        widths = {len(k.strip()) for k in counts}
        if len(widths) != 1:
            raise InputError("capture patterns have different lengths", file=source)
        m = widths.pop()
        if lists is None:
            lists = [chr(ord("A") + i) for i in range(m)] if m <= 26 else [
                f"L{i + 1}" for i in range(m)]
        if len(lists) != m:
            raise InputError(f"{len(lists)} list names for patterns of length {m}", file=source)
        _check_names(lists, file=source)
        arr = np.zeros(1 << m, dtype=np.int64)
        for key, value in counts.items():
            p = parse_pattern(key)
            if p == 0 and value:
                raise InputError(
                    "the all-zero pattern cannot have a count: those people are the unknown "
                    "being estimated", file=source)
            if value < 0 or int(value) != value:
                raise InputError(f"count {value!r} of pattern {key} must be a non-negative "
                                 "whole number", file=source)
            arr[p] += int(value)
        return cls(lists, arr, source=source)

    @classmethod
    def from_counts(cls, data: pd.DataFrame | str | Path, count: str = "count",
                    lists: Sequence[str] | None = None) -> CaptureTable:
        """Build from aggregated counts: one 0/1 column per list plus a count column.

        Parameters
        ----------
        data : DataFrame or path
            The table, or a file holding it: CSV or TSV (encoding detected), Excel ``.xlsx``
            (the first sheet that looks like a table, title rows skipped) or Parquet. Rows
            are named in messages as a spreadsheet numbers them.
        count : str
            Name of the count column (default ``"count"``).
        lists : sequence of str, optional
            The list columns, in order; all columns but ``count`` when omitted.

        Returns
        -------
        CaptureTable

        Raises
        ------
        htwork.errors.InputError
            Naming file, column and row of the first problem.
        """
        source = None
        if isinstance(data, str | Path):
            from htwork.io import read_table

            source = str(data)
            # CSV, TSV, Excel or Parquet; encoding detected; empty or binary files refused
            df = read_table(data)
            df = df.loc[df.notna().any(axis=1)]  # blank lines are not patterns
            rows = [int(r) for r in df.index]  # as a spreadsheet shows them
            df = df.reset_index(drop=True)
            df.columns = [str(c).strip() for c in df.columns]
        else:
            df = data
            rows = list(range(2, len(df) + 2))
        if count not in df.columns and count == "count":
            alt = [c for c in df.columns
                   if str(c).strip().lower() in ("count", "counts", "freq", "frequency", "n")]
            if len(alt) == 1:
                count = alt[0]
        if count not in df.columns:
            raise InputError(
                f"no count column {count!r} (columns: {', '.join(map(str, df.columns))})",
                file=source,
                hint="name the count column 'count', or pass count=... / --count",
            )
        lists = [c for c in df.columns if c != count] if lists is None else list(lists)
        for c in lists:
            if c not in df.columns:
                raise InputError(f"no list column {c!r}", file=source, column=c)
        names = _check_names(lists, file=source)
        m = len(names)
        if len(df) == 0:
            raise InputError("the table has no rows", file=source)
        cnt_raw = df[count]
        cnt = to_numbers(cnt_raw.astype(str).str.strip())
        for pos in range(len(df)):
            v = cnt.iloc[pos]
            if pd.isna(v) or v < 0 or v != math.floor(v):
                raise InputError(
                    f"count must be a non-negative whole number, found {cnt_raw.iloc[pos]!r}",
                    file=source, column=count, row=rows[pos],
                    hint="write the number of people with this capture pattern (0 if none)",
                )
        bits = np.zeros(len(df), dtype=np.int64)
        for i, c in enumerate(lists):
            bits |= _as_binary(df[c], c, source, rows) << i
        cnt_arr = cnt.to_numpy().astype(np.int64)
        zero_rows = np.flatnonzero((bits == 0) & (cnt_arr > 0))
        if zero_rows.size:
            raise InputError(
                "a row has 0 on every list but a positive count: people on no list are the "
                "unknown being estimated and cannot be counted",
                file=source, row=rows[int(zero_rows[0])],
                hint="delete this row (or set its count to 0)",
            )
        arr = np.bincount(bits, weights=cnt_arr, minlength=1 << m).astype(np.int64)
        arr[0] = 0
        return cls(names, arr, source=source)

    @classmethod
    def from_individuals(cls, df: pd.DataFrame, lists: Sequence[str],
                         *, source: str | None = None) -> CaptureTable:
        """Build from one row per person with a 0/1 column per list.

        Parameters
        ----------
        df : DataFrame
            One row per person (after linkage, so the same person is one row).
        lists : sequence of str
            The 0/1 list columns.
        source : str, optional
            File name for messages.

        Raises
        ------
        htwork.errors.InputError
            A value other than 0/1, or a person on no list.
        """
        names = _check_names(lists, file=source)
        for c in names:
            if c not in df.columns:
                raise InputError(f"no list column {c!r}", file=source, column=c)
        bits = np.zeros(len(df), dtype=np.int64)
        for i, c in enumerate(names):
            bits |= _as_binary(df[c], c, source, range(2, len(df) + 2)) << i
        zero = np.flatnonzero(bits == 0)
        if zero.size:
            raise InputError(
                "this person is on none of the lists; everyone in the table must be on at least "
                "one list", file=source, row=int(zero[0]) + 2,
                hint="drop people seen by no agency before building the capture table",
            )
        arr = np.bincount(bits, minlength=1 << len(names)).astype(np.int64)
        return cls(names, arr, source=source)

    # ----------------------------------------------------------------- basic views ----------

    @property
    def lists(self) -> tuple[str, ...]:
        """List names in order."""
        return self._lists

    @property
    def n_lists(self) -> int:
        """Number of lists."""
        return len(self._lists)

    @property
    def observed(self) -> int:
        """Number of people on at least one list."""
        return int(self._counts.sum())

    @property
    def cell_counts(self) -> np.ndarray:
        """Counts by bit-mask pattern (a copy; entry 0 is the unobserved pattern, always 0)."""
        return self._counts.copy()

    def count(self, pattern: str | int) -> int:
        """Count of one pattern, given as a 0/1 string or a bit mask."""
        p = parse_pattern(pattern) if isinstance(pattern, str) else int(pattern)
        return int(self._counts[p])

    @property
    def counts(self) -> pd.Series:
        """Counts of all observable patterns, indexed by pattern string (zeros included)."""
        m = self.n_lists
        pats = range(1, 1 << m)
        return pd.Series(self._counts[1:], index=[pattern_string(p, m) for p in pats],
                         name="count")

    def list_totals(self) -> pd.Series:
        """Number of people on each list."""
        m = self.n_lists
        pats = np.arange(1 << m)
        return pd.Series([int(self._counts[(pats >> i & 1) == 1].sum()) for i in range(m)],
                         index=list(self._lists), name="total")

    def margin(self, lists: Iterable[str | int]) -> int:
        """Number of people on all the given lists (whatever other lists they are on)."""
        mask = self._mask(lists)
        pats = np.arange(1 << self.n_lists)
        return int(self._counts[(pats & mask) == mask].sum())

    def _index(self, name: str | int) -> int:
        if isinstance(name, int | np.integer):
            if not 0 <= int(name) < self.n_lists:
                raise InputError(f"list number {name} is out of range")
            return int(name)
        try:
            return self._lists.index(name)
        except ValueError:
            raise InputError(f"no list named {name!r}; lists are {', '.join(self._lists)}",
                             column=str(name)) from None

    def _mask(self, lists: Iterable[str | int]) -> int:
        mask = 0
        for name in lists:
            mask |= 1 << self._index(name)
        return mask

    # ------------------------------------------------------------------ checks ---------------

    def empty_lists(self) -> list[str]:
        """Lists nobody is on."""
        tot = self.list_totals()
        return [n for n in self._lists if tot[n] == 0]

    def full_lists(self) -> list[str]:
        """Lists everyone observed is on (they say nothing about who is missed)."""
        tot = self.list_totals()
        return [n for n in self._lists if tot[n] == self.observed]

    def duplicate_lists(self) -> list[tuple[str, str]]:
        """Pairs of lists holding exactly the same people."""
        m = self.n_lists
        pos = np.flatnonzero(self._counts > 0)
        out = []
        for i, j in itertools.combinations(range(m), 2):
            if np.array_equal(pos >> i & 1, pos >> j & 1):
                out.append((self._lists[i], self._lists[j]))
        return out

    def non_overlapping_pairs(self) -> list[tuple[str, str]]:
        """Pairs of lists with nobody in common."""
        return [(a, b) for a, b in itertools.combinations(self._lists, 2)
                if self.margin([a, b]) == 0]

    def warnings(self) -> list[str]:
        """Plain-language problems that make estimates unreliable (empty list, full list, ...)."""
        out = []
        for n in self.empty_lists():
            out.append(f"list {n} has nobody on it: it carries no information; omit it "
                       f"(table.omit_lists([{n!r}]))")
        for n in self.full_lists():
            out.append(f"list {n} holds everyone observed: every other list is a subset of it "
                       "and the estimate rests on assumptions the data cannot check")
        for a, b in self.duplicate_lists():
            if a in self.empty_lists() or b in self.empty_lists():
                continue
            out.append(f"lists {a} and {b} hold exactly the same people: merge or omit one")
        pairs = self.non_overlapping_pairs()
        if pairs:
            txt = ", ".join(f"{a}:{b}" for a, b in pairs)
            out.append(f"{len(pairs)} pair(s) of lists never overlap ({txt}); models with those "
                       "interactions use the extended MLE (effect at minus infinity)")
        return out

    def overlaps(self, max_order: int = 3) -> pd.DataFrame:
        """Overlap counts for every pair (and triple) of lists.

        Parameters
        ----------
        max_order : int
            Largest number of lists in a combination (default 3: pairs and triples).

        Returns
        -------
        DataFrame
            Columns ``lists`` ("A:B"), ``order``, ``count`` (people on all of them, whatever else
            they are on) and ``exact`` (people on exactly those lists).
        """
        rows = []
        for k in range(2, min(max_order, self.n_lists) + 1):
            for combo in itertools.combinations(range(self.n_lists), k):
                mask = sum(1 << i for i in combo)
                rows.append({
                    "lists": ":".join(self._lists[i] for i in combo),
                    "order": k,
                    "count": self.margin(combo),
                    "exact": int(self._counts[mask]),
                })
        return pd.DataFrame(rows, columns=["lists", "order", "count", "exact"])

    def overlap_matrix(self) -> pd.DataFrame:
        """Square table: list totals on the diagonal, pairwise overlaps off it."""
        m = self.n_lists
        mat = np.zeros((m, m), dtype=np.int64)
        for i in range(m):
            for j in range(m):
                mat[i, j] = self.margin({i, j})
        return pd.DataFrame(mat, index=list(self._lists), columns=list(self._lists))

    # ------------------------------------------------------------------ edits ----------------

    def rename(self, mapping: Mapping[str, str]) -> CaptureTable:
        """Return a copy with lists renamed (``{"old": "new"}``)."""
        for old in mapping:
            self._index(old)
        names = [mapping.get(n, n) for n in self._lists]
        return CaptureTable(names, self._counts, source=self.source)

    def omit_lists(self, lists: Iterable[str]) -> CaptureTable:
        """Return the table without some lists; people only on those lists drop out.

        Raises
        ------
        htwork.errors.InputError
            If fewer than two lists would remain.
        """
        drop = {self._index(n) for n in lists}
        keep = [i for i in range(self.n_lists) if i not in drop]
        return self._project(keep, [self._lists[i] for i in keep])

    def merge_lists(self, lists: Sequence[str], name: str | None = None) -> CaptureTable:
        """Return the table with several lists merged into one (on any of them = on the merged).

        Parameters
        ----------
        lists : sequence of str
            Two or more lists to merge. The merged list takes the place of the first.
        name : str, optional
            Name of the merged list; the names joined with ``+`` are not allowed (``+`` is
            fine, but keep it short), so the default is the first name followed by the others
            joined with ``_``.
        """
        idx = [self._index(n) for n in lists]
        if len(set(idx)) < 2:
            raise InputError("merge_lists needs at least two different lists")
        name = name or "_".join(self._lists[i] for i in idx)
        first = min(idx)
        groups: list[list[int]] = []
        names: list[str] = []
        for i in range(self.n_lists):
            if i == first:
                groups.append(sorted(idx))
                names.append(name)
            elif i not in idx:
                groups.append([i])
                names.append(self._lists[i])
        return self._regroup(groups, names)

    def _project(self, keep: list[int], names: list[str]) -> CaptureTable:
        if len(keep) < 2:
            raise InputError(f"only {len(keep)} list(s) would remain; at least two are needed")
        return self._regroup([[i] for i in keep], names, drop_unseen=True)

    def _regroup(self, groups: list[list[int]], names: list[str],
                 drop_unseen: bool = True) -> CaptureTable:
        new = np.zeros(1 << len(groups), dtype=np.int64)
        for p in range(1, 1 << self.n_lists):
            c = self._counts[p]
            if not c:
                continue
            q = 0
            for k, g in enumerate(groups):
                if any(p >> i & 1 for i in g):
                    q |= 1 << k
            if q:
                new[q] += c
        return CaptureTable(names, new, source=self.source)

    # ------------------------------------------------------------------ output ---------------

    def to_frame(self, include_zero: bool = True) -> pd.DataFrame:
        """One row per pattern: a 0/1 column per list, then ``count``.

        Parameters
        ----------
        include_zero : bool
            Keep patterns nobody has (default True).
        """
        m = self.n_lists
        pats = [p for p in range(1, 1 << m) if include_zero or self._counts[p] > 0]
        # order like the published tables: by number of lists, then as read left to right
        pats.sort(key=lambda p: _pattern_order(p, m))
        data = {n: [p >> i & 1 for p in pats] for i, n in enumerate(self._lists)}
        data["count"] = [int(self._counts[p]) for p in pats]
        return pd.DataFrame(data)

    def to_csv(self, path: str | Path, include_zero: bool = False) -> Path:
        """Write the table as CSV (0/1 list columns plus ``count``)."""
        from htwork.io import write_csv

        path = Path(path)
        write_csv(self.to_frame(include_zero=include_zero), path)
        return path

    def _data(self) -> dict[str, Any]:
        """Lists, observed, non-zero pattern counts, list totals and warnings."""
        m = self.n_lists
        return {
            "lists": list(self._lists),
            "observed": self.observed,
            "counts": {pattern_string(p, m): int(self._counts[p])
                       for p in range(1, 1 << m) if self._counts[p] > 0},
            "list_totals": {k: int(v) for k, v in self.list_totals().items()},
            "non_overlapping_pairs": [f"{a}:{b}" for a, b in self.non_overlapping_pairs()],
            "warnings": self.warnings(),
        }

    def summary(self) -> str:
        """A few lines describing the table."""
        lines = [
            f"Capture table: {self.n_lists} lists ({', '.join(self._lists)}), "
            f"{self.observed:,} people observed, "
            f"{int((self._counts[1:] > 0).sum())} of {(1 << self.n_lists) - 1} patterns seen",
        ]
        if self.source:
            lines.append(f"source: {self.source}")
        tot = self.list_totals()
        lines.append("list totals: " + ", ".join(f"{k} {v:,}" for k, v in tot.items()))
        for w in self.warnings():
            lines.append(f"warning: {w}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        m = self.n_lists
        seen = [(pattern_string(p, m), int(self._counts[p])) for p in range(1, 1 << m)
                if self._counts[p] > 0]
        seen.sort(key=lambda t: _pattern_order(parse_pattern(t[0]), m))
        body = ", ".join(f"{k}:{v}" for k, v in seen[:12])
        if len(seen) > 12:
            body += f", ... ({len(seen) - 12} more)"
        return (f"CaptureTable(lists={list(self._lists)}, observed={self.observed}, "
                f"counts={{{body}}})")

    def _repr_html_(self) -> str:
        df = self.to_frame(include_zero=False)
        head = (f"<p><b>Capture table</b>: {self.n_lists} lists, {self.observed:,} people "
                "observed</p>")
        return head + df.to_html(index=False) + warnings_html(self.warnings())

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, CaptureTable) and self._lists == other._lists
                and np.array_equal(self._counts, other._counts))

    def __hash__(self) -> int:
        return hash((self._lists, self._counts.tobytes()))
