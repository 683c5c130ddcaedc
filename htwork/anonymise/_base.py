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

from htwork.errors import HtworkError, InputError

__all__ = ["BaseTransformer", "NotFittedError", "check_columns", "check_frame", "row_label"]


class NotFittedError(HtworkError):
    """A transformer was used before ``fit``."""


def check_frame(df: object, what: str = "the table") -> pd.DataFrame:
    """Raise :class:`InputError` unless ``df`` is a :class:`pandas.DataFrame`."""
    if not isinstance(df, pd.DataFrame):
        raise InputError(
            f"{what} must be a pandas DataFrame, not {type(df).__name__}.",
            hint="read the file with htwork.io.read_table or pandas first",
        )
    return df


def _file_of(df: pd.DataFrame) -> str | None:
    meta = df.attrs.get("htwork") if isinstance(df.attrs, dict) else None
    return meta.get("file") if isinstance(meta, dict) else None


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
                file=_file_of(df),
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


class BaseTransformer:
    """Minimal scikit-learn style base: ``get_params``, ``set_params``, ``fit_transform``."""

    #: parameter names whose values ``repr`` and ``get_params`` must not show
    _secret_params: tuple[str, ...] = ()

    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return [
            p.name
            for p in sig.parameters.values()
            if p.name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
        ]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Hyperparameters as given to ``__init__`` (secrets shown as ``'<hidden>'``)."""
        out = {}
        for name in self._param_names():
            out[name] = "<hidden>" if name in self._secret_params else getattr(self, name, None)
        return out

    def set_params(self, **params: Any) -> BaseTransformer:
        """Set hyperparameters; returns ``self``."""
        valid = set(self._param_names())
        for key, value in params.items():
            if key not in valid:
                raise InputError(
                    f"{type(self).__name__} has no parameter {key!r}.",
                    hint=f"valid parameters: {', '.join(sorted(valid))}",
                )
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        sig = inspect.signature(type(self).__init__)
        parts = []
        for name in self._param_names():
            value = getattr(self, name, None)
            if name in self._secret_params:
                parts.append(f"{name}=<hidden>")
                continue
            default = sig.parameters[name].default
            try:
                same = default is not inspect.Parameter.empty and bool(value == default)
            except Exception:  # arrays, frames: always show
                same = False
            if not same:
                parts.append(f"{name}={_short_repr(value)}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def _check_fitted(self, attribute: str) -> None:
        if not hasattr(self, attribute):
            raise NotFittedError(
                f"this {type(self).__name__} has not been fitted yet.",
                hint=f"call {type(self).__name__}(...).fit(df) before transform(df)",
            )

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
