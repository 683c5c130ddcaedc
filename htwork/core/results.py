"""The one base of htwork's result objects (statsmodels style).

Every measure returns a small result object that a person can read and a program can use:

- ``summary()``: plain text, a few lines (the subclass writes it);
- ``repr(result)``: the summary (a subclass may keep a shorter one-line form);
- ``_repr_html_()``: what Jupyter shows (by default the summary, escaped, in ``<pre>``);
- ``to_dict()``: plain data, ready for :func:`json.dumps` (the subclass gives the data in
  ``_data()``; numpy values become Python values and NaN/infinity become ``None``);
- ``to_json()``: that data as JSON text, always valid JSON (NaN/infinity are ``null``);
- ``to_frame()``: a table (by default the dictionary flattened into one row).

:func:`json_ready` is the one place where values are cleaned for JSON; :func:`dumps` writes
any plain data the same way (``allow_nan=False``: a NaN that escapes the cleaning is an error,
never invalid JSON).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Result", "dumps", "json_ready", "warnings_html"]


def _key(key: Any) -> str:
    """A dictionary key as :mod:`json` writes it (``True`` -> ``"true"``, ``1`` -> ``"1"``)."""
    if isinstance(key, str):
        return key
    if key is None:
        return "null"
    if isinstance(key, bool | np.bool_):
        return "true" if key else "false"
    if isinstance(key, np.integer):
        return str(int(key))
    if isinstance(key, np.floating):
        return repr(float(key))
    return str(key)


def json_ready(value: Any) -> Any:
    """``value`` as plain JSON data: dicts, lists, str, int, float, bool and None.

    numpy scalars and arrays become Python numbers and lists; tuples and sets become lists;
    a Series becomes a dict and a DataFrame a list of row dicts; NaN, infinities, ``pd.NA``
    and ``NaT`` become ``None``; dates become ISO text; anything else becomes its ``str``.
    Dictionary keys become text as :mod:`json` would write them.
    """
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        f = float(value)
        return f if math.isfinite(f) else None
    if isinstance(value, Mapping):
        return {_key(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_ready(v) for v in value]
    if isinstance(value, np.ndarray):
        return json_ready(value.tolist())
    if isinstance(value, pd.Series):
        return json_ready(value.to_dict())
    if isinstance(value, pd.DataFrame):
        return json_ready(value.to_dict(orient="records"))
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, dt.date | dt.datetime):  # pd.Timestamp is a datetime
        return value.isoformat()
    return str(value)


def dumps(value: Any, **kwargs: Any) -> str:
    """JSON text of ``value`` after :func:`json_ready`: UTF-8 text kept, NaN never written.

    Parameters
    ----------
    value : Any
        Plain data (or anything :func:`json_ready` accepts).
    **kwargs
        Passed to :func:`json.dumps` (``indent``, ``sort_keys``, ...).
    """
    kwargs.setdefault("ensure_ascii", False)
    return json.dumps(json_ready(value), allow_nan=False, **kwargs)


def warnings_html(warnings: Iterable[str]) -> str:
    """Warnings as HTML paragraphs (escaped, in red), for a result's ``_repr_html_``."""
    return "".join(f"<p style='color:#a33'>warning: {html.escape(w)}</p>" for w in warnings)


class Result(ABC):
    """Base of every result object.

    A subclass writes :meth:`summary` and :meth:`_data` (the plain data behind
    :meth:`to_dict`); it may override :meth:`to_frame`, ``__repr__`` and ``_repr_html_``
    where it has a better table, a shorter form or richer HTML. A dataclass subclass is declared
    with ``@dataclass(repr=False)`` so that it keeps this ``__repr__``.
    """

    @abstractmethod
    def summary(self) -> str:
        """A plain-text report, a few lines long."""

    @abstractmethod
    def _data(self) -> Any:
        """The result as plain data (cleaned by :meth:`to_dict`)."""

    def to_dict(self) -> dict[str, Any]:
        """The result as plain data, ready for :func:`json.dumps` (NaN becomes ``None``)."""
        data: dict[str, Any] = json_ready(self._data())
        return data

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as JSON text (valid JSON: NaN and infinities are ``null``).

        Parameters
        ----------
        **kwargs
            Passed to :func:`json.dumps` (``indent=2`` for people).
        """
        return dumps(self.to_dict(), **kwargs)

    def to_frame(self) -> pd.DataFrame:
        """The result as a table: by default :meth:`to_dict` flattened into one row."""
        return pd.json_normalize(self.to_dict())

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        return "<pre>" + html.escape(self.summary(), quote=False) + "</pre>"
