"""Checking inputs and turning key columns (quasi-identifiers) into integer codes.

Shared by :mod:`htwork.risk` (every risk measure) and :mod:`htwork.anonymise` (local
suppression counts the same keys the same way). Both work on a matrix of small integer codes,
one column per quasi-identifier, with ``-1`` for a missing value. A value is missing when
pandas says so (``None``, ``NaN``) or when it is text that is empty after stripping blanks: the
case-frame contract writes missing as an empty cell, while "Unknown" is a code like any other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from htwork.core.numbers import to_numbers
from htwork.errors import InputError

__all__ = [
    "KeyCodes",
    "check_frame",
    "encode_keys",
    "file_of",
    "factor_column",
    "missing_mask",
    "parse_columns",
    "read_weights",
    "row_number",
]


def file_of(df: pd.DataFrame) -> str | None:
    """The file a frame was read from (``df.attrs["htwork"]["file"]``), if known."""
    meta = df.attrs.get("htwork") if isinstance(df.attrs, dict) else None
    return meta.get("file") if isinstance(meta, dict) else None


def row_number(df: pd.DataFrame, position: int) -> int:
    """The row as a spreadsheet shows it, for the ``position``-th record.

    Frames read by :func:`htwork.io.read_table` carry the spreadsheet row as their index; a plain
    ``RangeIndex`` starting at 0 is taken to sit under a header on row 1.
    """
    index = df.index
    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
        return position + 2
    try:
        return int(index[position])
    except (TypeError, ValueError):
        return position + 2


def check_frame(df: object) -> pd.DataFrame:
    """Raise :class:`InputError` unless ``df`` is a non-empty :class:`pandas.DataFrame`."""
    if not isinstance(df, pd.DataFrame):
        raise InputError(
            f"the table must be a pandas DataFrame, not {type(df).__name__}.",
            hint="read the file with htwork.io.read_table (or pandas) first",
        )
    if len(df) == 0:
        raise InputError(
            "the table has no records.", file=file_of(df), hint="check the file and the filter"
        )
    return df


def parse_columns(value: str | Iterable[str] | None) -> list[str]:
    """Column names from a list or a comma-separated string (blanks around names ignored)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return [str(v) for v in value]


def _check_present(df: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    for col in columns:
        if col not in df.columns:
            shown = ", ".join(map(repr, [str(c) for c in df.columns][:15]))
            more = ", ..." if len(df.columns) > 15 else ""
            raise InputError(
                f"the {what} {col!r} is not a column of the table.",
                file=file_of(df),
                column=str(col),
                hint=f"choose among: {shown}{more}",
            )


def _blank_uniques(values: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    codes, found = pd.factorize(values, use_na_sentinel=True)
    uniques = np.asarray(found, dtype=object)
    blank = np.array([isinstance(u, str) and u.strip() == "" for u in uniques.tolist()], dtype=bool)
    return codes, uniques, blank


def factor_column(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of a column (``-1`` for missing) and its sorted categories.

    Works on the distinct values only, so that long text columns stay fast.
    """
    codes, uniques, blank = _blank_uniques(values)
    keep = np.flatnonzero(~blank)
    kept = uniques[keep]
    try:
        order = np.array(sorted(range(len(kept)), key=lambda i: kept[i]), dtype=np.int64)
    except TypeError:
        text = [str(v) for v in kept.tolist()]
        order = np.array(sorted(range(len(kept)), key=lambda i: text[i]), dtype=np.int64)
    lut = np.full(len(uniques) + 1, -1, dtype=np.int32)  # last slot: the NA sentinel
    lut[keep[order]] = np.arange(len(order), dtype=np.int32)
    return lut[codes], kept[order]


def missing_mask(values: pd.Series) -> np.ndarray:
    """Boolean mask of missing cells: NA, or text that is empty after stripping."""
    codes, _, blank = _blank_uniques(values)
    return (codes < 0) | np.r_[blank, False][codes]


@dataclass(frozen=True)
class KeyCodes:
    """Quasi-identifiers as integer codes.

    Attributes
    ----------
    keys : list of str
        Column names, in the order given.
    codes : numpy.ndarray
        ``(n, p)`` int32 matrix; category ``c`` of key ``j`` is ``levels[j][c]``; ``-1`` is missing.
    levels : list of numpy.ndarray
        The categories of each key, sorted.
    """

    keys: list[str]
    codes: np.ndarray
    levels: list[np.ndarray]

    @property
    def n(self) -> int:
        """Number of records."""
        return int(self.codes.shape[0])

    @property
    def p(self) -> int:
        """Number of keys."""
        return int(self.codes.shape[1])

    @property
    def cardinalities(self) -> np.ndarray:
        """Number of categories of each key (missing not counted)."""
        return np.array([len(lv) for lv in self.levels], dtype=np.int64)

    @property
    def missing(self) -> np.ndarray:
        """``(n, p)`` boolean matrix of missing cells."""
        return self.codes < 0


def encode_keys(
    df: pd.DataFrame, keys: str | Iterable[str], *, what: str = "quasi-identifier"
) -> KeyCodes:
    """Check the key columns and encode them.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    keys : str or iterable of str
        Key column names (a comma-separated string is accepted).
    what : str
        How the columns are called in error messages.

    Returns
    -------
    KeyCodes

    Raises
    ------
    htwork.errors.InputError
        No keys, a key that is not a column, a key named twice, or a key with no value at all.
    """
    check_frame(df)
    names = parse_columns(keys)
    if not names:
        raise InputError(
            f"no {what} was given.",
            file=file_of(df),
            hint="name the columns an outsider could know, e.g. sex, age band, nationality",
        )
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InputError(f"the {what} {name!r} is named twice.", file=file_of(df), column=name)
        seen.add(name)
    _check_present(df, names, what)
    n = len(df)
    codes = np.empty((n, len(names)), dtype=np.int32)
    levels: list[np.ndarray] = []
    for j, name in enumerate(names):
        col_codes, uniques = factor_column(df[name])
        if (col_codes < 0).all():
            raise InputError(
                f"the {what} {name!r} has no value in any of the {n:,} records.",
                file=file_of(df),
                column=name,
                hint="fill it in or leave it out of the quasi-identifiers",
            )
        codes[:, j] = col_codes
        levels.append(uniques)
    return KeyCodes(keys=names, codes=codes, levels=levels)


def read_weights(df: pd.DataFrame, weight: str | None) -> np.ndarray | None:
    """The sampling weights as floats, or ``None`` when no weight column is named.

    Raises
    ------
    htwork.errors.InputError
        The column is absent, or a weight is missing, not a number, zero or negative (the
        message names the first offending row).
    """
    if weight is None:
        return None
    _check_present(df, [weight], "weight column")
    col = df[weight]
    miss = missing_mask(col)
    if miss.any():
        pos = int(np.flatnonzero(miss)[0])
        raise InputError(
            f"the weight is missing ({int(miss.sum()):,} records without one).",
            file=file_of(df),
            column=weight,
            row=row_number(df, pos),
            hint="every record needs a positive sampling weight; leave --weight out for a "
            "register (everyone assisted is in the data)",
        )
    if pd.api.types.is_bool_dtype(col.dtype):
        values = pd.Series(np.full(len(col), np.nan))
    else:
        values = to_numbers(col)
    bad = values.isna().to_numpy()
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"the weight {col.iloc[pos]!r} is not a number.",
            file=file_of(df),
            column=weight,
            row=row_number(df, pos),
            hint="weights must be positive numbers such as 1 or 12.5",
        )
    w = values.to_numpy(dtype=np.float64)
    nonpos = ~np.isfinite(w) | (w <= 0)
    if nonpos.any():
        pos = int(np.flatnonzero(nonpos)[0])
        raise InputError(
            f"the weight {w[pos]:g} is not positive ({int(nonpos.sum()):,} such records).",
            file=file_of(df),
            column=weight,
            row=row_number(df, pos),
            hint="a sampling weight says how many people a record stands for: it must be > 0",
        )
    return w
