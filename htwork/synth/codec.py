"""Integer coding of a categorical table, and the checks a training table must pass.

Every column is treated as categorical: its distinct values (missing included, as a category of
its own) become codes ``0 .. K-1``. Decoding restores the values and, where possible, the
column's original dtype (``Int64`` for integer columns that gained missing values).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from htwork.errors import InputError

__all__ = ["CategoricalCodec", "check_training_frame", "values_match"]

MISSING = "\x00missing"  # never a real value: stands for a missing cell inside the codec


def _is_missing(values: np.ndarray) -> np.ndarray:
    return pd.isna(pd.Series(values, dtype=object)).to_numpy()


def values_match(values: pd.Series | np.ndarray, wanted: Sequence[Any]) -> np.ndarray:
    """Which cells equal one of ``wanted``, tolerant of ``1`` vs ``"1"`` vs ``1.0``.

    Parameters
    ----------
    values : Series or ndarray
        Cells to test (missing cells never match unless ``None`` is in ``wanted``).
    wanted : sequence
        Allowed values; ``None`` stands for a missing cell.

    Returns
    -------
    ndarray of bool
    """
    s = pd.Series(np.asarray(values, dtype=object), dtype=object)
    want_missing = any(w is None or (isinstance(w, float) and np.isnan(w)) for w in wanted)
    keys = {_norm(w) for w in wanted if not (w is None or (isinstance(w, float) and np.isnan(w)))}
    idx, uniques = pd.factorize(s, use_na_sentinel=True)
    lut = np.array([_norm(u) in keys for u in uniques] + [want_missing], dtype=bool)
    return lut[idx]


def _norm(value: Any) -> str:
    """A comparable text form: ``1``, ``1.0``, ``"1"`` and ``True`` all become ``"1"``."""
    if isinstance(value, bool | np.bool_):
        return "1" if value else "0"
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    return str(value).strip()


def check_training_frame(
    df: pd.DataFrame, *, min_rows: int, max_categories: int | None, what: str = "training table",
    columns: Sequence[Hashable] | None = None,
) -> None:
    """Raise :class:`InputError` when ``df`` cannot be used to fit a synthesizer.

    Parameters
    ----------
    df : DataFrame
        The training table.
    min_rows : int
        Fewest rows accepted.
    max_categories : int or None
        Most distinct values accepted in one categorical column (identifiers and free text
        exceed it); None: not checked.
    what : str
        How to name the table in messages.
    columns : sequence, optional
        The categorical columns whose distinct values are counted (default: all).
    """
    if not isinstance(df, pd.DataFrame):
        raise InputError(
            f"the {what} must be a pandas DataFrame, not {type(df).__name__}",
            hint="read the file with htwork.io.read_table or pandas first",
        )
    if df.shape[1] == 0:
        raise InputError(f"the {what} has no columns", hint="pass a table with columns")
    if len(df) < min_rows:
        raise InputError(
            f"the {what} has {len(df)} rows; synthesis needs at least {min_rows}",
            hint="too few people to learn a distribution without copying them; pool more "
            "records, or lower min_rows knowingly (the synthetic rows will then be close to "
            "copies of the real ones)",
        )
    dup = pd.Index(df.columns)[pd.Index(df.columns).duplicated()]
    if len(dup):
        raise InputError(
            f"the {what} has duplicated column names: {list(map(str, dup))}",
            column=str(dup[0]),
            hint="rename the columns so that each name appears once",
        )
    if max_categories is None:
        return
    for col in df.columns if columns is None else columns:
        nunique = df[col].nunique(dropna=True)
        if nunique > max_categories:
            raise InputError(
                f"{nunique} distinct values that are neither numbers nor dates; a category "
                f"column may have at most {max_categories}",
                column=str(col),
                hint="drop identifiers and free text before synthesis; declare the column's "
                "type if it holds numbers or dates (types={column: 'integer'}); or raise "
                "max_categories",
            )


@dataclass
class CategoricalCodec:
    """Map a table's values to integer codes and back.

    Attributes
    ----------
    columns : list
        Column names, as given (any hashable).
    categories : list of ndarray
        Per column, the values in code order; a missing cell is a category of its own.
    dtypes : list
        Original dtypes, restored on decoding where the values allow it.
    """

    columns: list[Hashable]
    categories: list[np.ndarray]
    dtypes: list[Any]
    _lookup: list[dict[str, int]] = field(default_factory=list, repr=False)

    @classmethod
    def fit(
        cls, df: pd.DataFrame, domain: Mapping[Hashable, Sequence[Any]] | None = None
    ) -> CategoricalCodec:
        """Learn the categories of each column.

        Parameters
        ----------
        df : DataFrame
            The table.
        domain : mapping, optional
            Column -> every allowed value, known *without* looking at the data (a code list).
            Values in the data that the domain lacks raise :class:`InputError`. A missing cell
            is always allowed. Columns not in the mapping take their values from the data.
        """
        categories = []
        for col in df.columns:
            observed = df[col].to_numpy(dtype=object)
            present = pd.unique(observed[~_is_missing(observed)])
            if domain is not None and col in domain:
                allowed = list(domain[col])
                keys = {_norm(v) for v in allowed}
                bad = [v for v in present if _norm(v) not in keys]
                if bad:
                    raise InputError(
                        f"value {bad[0]!r} is not in the domain given for this column",
                        column=str(col),
                        hint=f"allowed: {allowed[:12]}{' ...' if len(allowed) > 12 else ''}",
                    )
                values = list(allowed)
            else:
                try:
                    values = sorted(present)
                except TypeError:
                    values = sorted(present, key=_norm)
            cats = np.empty(len(values) + 1, dtype=object)
            cats[:-1] = values
            cats[-1] = MISSING
            categories.append(cats)
        codec = cls(list(df.columns), categories, [df[c].dtype for c in df.columns])
        codec._build_lookup()
        return codec

    def _build_lookup(self) -> None:
        self._lookup = [
            {_norm(v): i for i, v in enumerate(cats[:-1])} for cats in self.categories
        ]

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._build_lookup()

    @property
    def cardinalities(self) -> np.ndarray:
        """Number of codes per column (the missing category included)."""
        return np.array([len(c) for c in self.categories], dtype=np.int64)

    def code_of(self, j: int, value: Any) -> int | None:
        """Code of ``value`` in column ``j`` (``None`` -> the missing code); None if unseen."""
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return len(self.categories[j]) - 1
        return self._lookup[j].get(_norm(value))

    def encode(self, df: pd.DataFrame) -> np.ndarray:
        """Codes of ``df`` (same columns), shape ``(n, d)``; unseen values raise InputError."""
        missing_cols = [c for c in self.columns if c not in df.columns]
        if missing_cols:
            raise InputError(
                f"columns {missing_cols} are missing", hint="pass the columns the model was fit on"
            )
        out = np.empty((len(df), len(self.columns)), dtype=np.int32)
        for j, col in enumerate(self.columns):
            idx, uniques = pd.factorize(pd.Series(df[col].to_numpy(dtype=object), dtype=object),
                                        use_na_sentinel=True)
            lookup = self._lookup[j]
            mapped = np.empty(len(uniques) + 1, dtype=np.int64)
            mapped[-1] = len(self.categories[j]) - 1  # factorize's -1: missing
            for u, value in enumerate(uniques):
                code = lookup.get(_norm(value))
                if code is None:
                    raise InputError(
                        f"value {value!r} was not seen when the model was fit",
                        column=str(col),
                        hint="refit on a table that includes it, or give the column a domain",
                    )
                mapped[u] = code
            out[:, j] = mapped[idx]
        return out

    def decode(self, codes: np.ndarray) -> pd.DataFrame:
        """The table whose codes are ``codes``, with the original dtypes where possible."""
        data = {}
        for j, col in enumerate(self.columns):
            values = self.categories[j][codes[:, j]].copy()
            values[values == MISSING] = None
            data[col] = _restore(values, self.dtypes[j])
        return pd.DataFrame(data, columns=pd.Index(self.columns))


def _restore(values: np.ndarray, dtype: Any) -> pd.Series:
    s = pd.Series(values, dtype=object)
    if pd.api.types.is_object_dtype(dtype):
        return s
    has_missing = s.isna().any()
    target = dtype
    if has_missing and pd.api.types.is_integer_dtype(dtype) and not isinstance(
        dtype, pd.api.extensions.ExtensionDtype
    ):
        target = "Int64"
    elif has_missing and pd.api.types.is_bool_dtype(dtype):
        target = "boolean"
    try:
        return s.astype(target)
    except (TypeError, ValueError):
        return s
