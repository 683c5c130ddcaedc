"""Shared plumbing of the anonymisation transformers (scikit-learn conventions).

Every transformer keeps its hyperparameters unchanged in ``__init__``, learns in
``fit(df)`` (which returns ``self``) into attributes ending in ``_``, and returns a new frame
from ``transform(df)``. The input frame is never modified.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from htwork.core.keys import file_of
from htwork.core.params import HIDDEN, ParamsMixin, check_is_fitted
from htwork.errors import InputError

__all__ = ["BaseTransformer", "check_columns", "check_frame", "row_label"]


def check_frame(df: object, what: str = "the table") -> pd.DataFrame:
    """Raise :class:`InputError` unless ``df`` is a :class:`pandas.DataFrame`."""
    if not isinstance(df, pd.DataFrame):
        raise InputError(
            f"{what} must be a pandas DataFrame, not {type(df).__name__}.",
            hint="read the file with htwork.io.read_table or pandas first",
        )
    return df


def check_columns(
    df: pd.DataFrame, columns: Iterable[str] | str | None, *, what: str = "column"
) -> list[str]:
    """Return ``columns`` as a list, raising :class:`InputError` for any not in ``df``.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    columns : str or iterable of str or None
        Column names; ``None`` gives an empty list.
    what : str
        How to call the columns in the message ("name column", ...).
    """
    if columns is None:
        return []
    if isinstance(columns, str):
        columns = [columns]
    cols = list(columns)
    for col in cols:
        if col not in df.columns:
            shown = ", ".join(map(repr, list(df.columns)[:12]))
            more = " ..." if len(df.columns) > 12 else ""
            raise InputError(
                f"no such {what} in the table.",
                file=file_of(df),
                column=str(col),
                hint=f"choose among the table's columns: {shown}{more}",
            )
    return cols


def row_label(df: pd.DataFrame | pd.Series, position: int) -> int | None:
    """The spreadsheet row of the ``position``-th row (the index label when it is an integer)."""
    label = df.index[position]
    try:
        return int(label)
    except (TypeError, ValueError):
        return None


def copy_attrs(source: pd.DataFrame, target: pd.DataFrame) -> pd.DataFrame:
    """Give ``target`` a deep copy of ``source.attrs`` (provenance travels with the data)."""
    target.attrs = copy.deepcopy(source.attrs)
    return target


class BaseTransformer(ParamsMixin):
    """Minimal scikit-learn style base: ``get_params``, ``set_params`` (from
    :class:`htwork.core.params.ParamsMixin`; secrets named in ``_secret_params`` are shown as
    ``'<hidden>'``), ``fit_transform`` and a ``repr`` of the parameters that differ from their
    defaults."""

    def __repr__(self) -> str:
        sig = inspect.signature(type(self).__init__)
        parts = []
        for name in self._param_names():
            value = getattr(self, name, None)
            if name in self._secret_params:
                parts.append(f"{name}={HIDDEN}")
                continue
            param = sig.parameters.get(name)
            default = inspect.Parameter.empty if param is None else param.default
            try:
                same = default is not inspect.Parameter.empty and bool(value == default)
            except Exception:  # arrays, frames: always show
                same = False
            if not same:
                parts.append(f"{name}={_short_repr(value)}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def _check_fitted(self, attribute: str) -> None:
        check_is_fitted(self, attribute,
                        hint=f"call {type(self).__name__}(...).fit(df) before transform(df)")

    def fit(self, df: pd.DataFrame) -> BaseTransformer:  # pragma: no cover - overridden
        raise NotImplementedError

    def transform(self, df: pd.DataFrame) -> pd.DataFrame:  # pragma: no cover - overridden
        raise NotImplementedError

    def fit_transform(self, df: pd.DataFrame) -> pd.DataFrame:
        """``fit(df)`` then ``transform(df)``."""
        return self.fit(df).transform(df)


def _short_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def as_list(value: str | Sequence[str] | None) -> list[str] | None:
    """``None`` stays ``None``; a single string becomes a one-item list."""
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    return list(value)
