"""Global recoding with hierarchies, and top/bottom coding of numbers and ordered categories."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from htwork.anonymise._base import (
    BaseTransformer,
    check_columns,
    check_frame,
    copy_attrs,
    row_label,
)
from htwork.anonymise.hierarchy import HierarchyLike, _is_missing, load_hierarchy
from htwork.core.numbers import to_numbers
from htwork.errors import InputError

__all__ = ["Recoder", "TopBottomCoder"]

HierarchySpec = tuple[str | Path | HierarchyLike, int | str]


class Recoder(BaseTransformer):
    """Generalise columns to a level of a hierarchy (global recoding).

    Parameters
    ----------
    hierarchies : dict
        ``{column: (hierarchy, level)}``; the hierarchy is a shipped name (``"age_ctdc"``,
        ``"date"``, ...), the path of a CSV, or a :class:`~htwork.anonymise.Hierarchy`; the
        level a number (0 = unchanged) or a level name (``"ageBroad"``).
    unknown : {"error", "missing", "keep"}
        What to do with a value the hierarchy does not know (see
        :meth:`~htwork.anonymise.Hierarchy.generalise`).

    Attributes
    ----------
    hierarchies_ : dict
        ``{column: hierarchy object}``.
    levels_ : dict
        ``{column: level number}``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"age": ["7", "19", "52"], "reg": ["2023-05-17"] * 3})
    >>> Recoder({"age": ("age_ctdc", "ageBroad"), "reg": ("date", "year")}).fit_transform(df)
          age   reg
    0    0--8  2023
    1  18--20  2023
    2     48+  2023
    """

    def __init__(self, hierarchies: Mapping[str, HierarchySpec], unknown: str = "error") -> None:
        self.hierarchies = hierarchies
        self.unknown = unknown

    def fit(self, df: pd.DataFrame) -> Recoder:
        """Load the hierarchies and check columns, levels and values."""
        check_frame(df)
        if not isinstance(self.hierarchies, Mapping) or not self.hierarchies:
            raise InputError(
                "hierarchies must be a non-empty dict {column: (hierarchy, level)}.",
                hint='e.g. Recoder({"prs_Birthdate": ("date", "year")})',
            )
        check_columns(df, list(self.hierarchies))
        self.hierarchies_: dict[str, HierarchyLike] = {}
        self.levels_: dict[str, int] = {}
        for col, spec in self.hierarchies.items():
            if not (isinstance(spec, tuple | list) and len(spec) == 2):
                raise InputError(
                    f"the hierarchy of {col!r} must be given as (hierarchy, level).",
                    column=col,
                    hint=f'e.g. {{"{col}": ("age_ctdc", "ageBroad")}}',
                )
            h = load_hierarchy(spec[0])
            self.hierarchies_[col] = h
            self.levels_[col] = h.level_index(spec[1])
            h.generalise(df[col], self.levels_[col], unknown=self.unknown)  # checks values
        return self

    def transform(self, df: pd.DataFrame) -> pd.DataFrame:
        """A copy of ``df`` with each column generalised to its level."""
        self._check_fitted("levels_")
        check_frame(df)
        check_columns(df, list(self.levels_))
        out = df.copy()
        for col, h in self.hierarchies_.items():
            out[col] = h.generalise(df[col], self.levels_[col], unknown=self.unknown)
        return copy_attrs(df, out)


def _format_number(v: float | np.number) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


class TopBottomCoder(BaseTransformer):
    """Replace values above a top or below a bottom threshold (top and bottom coding).

    As in sdcMicro's ``topBotCoding``: values *strictly greater* than ``top`` become
    ``top_value`` and values *strictly less* than ``bottom`` become ``bottom_value``. The
    replacements default to the thresholds themselves (censoring); give a label such as
    ``"65+"`` to mark them (the column then holds text).

    Parameters
    ----------
    column : str
        The column.
    top, bottom : number or category, optional
        Thresholds (at least one). For ordered categories, a category of ``order``.
    top_value, bottom_value : optional
        Replacements (default: ``top`` / ``bottom``).
    order : sequence, optional
        The categories in increasing order, for an ordinal column; without it the column must
        hold numbers (text such as ``"34"`` is read as a number). An ordered pandas
        ``Categorical`` column supplies its own order.

    Attributes
    ----------
    kind_ : {"numeric", "ordinal"}
    order_ : list or None
        The order used for an ordinal column.
    n_top_, n_bottom_ : int
        How many values of the fitted table lie beyond each threshold.

    Notes
    -----
    Missing values stay missing. Cells not beyond a threshold are left exactly as they were
    (a text column keeps its text).
    """

    def __init__(
        self,
        column: str,
        top: Any = None,
        bottom: Any = None,
        top_value: Any = None,
        bottom_value: Any = None,
        order: Sequence[Any] | None = None,
    ) -> None:
        self.column = column
        self.top = top
        self.bottom = bottom
        self.top_value = top_value
        self.bottom_value = bottom_value
        self.order = order

    def _ranks(self, s: pd.Series) -> np.ndarray:
        """Positions on the scale (float, NaN for missing); errors for values off the scale."""
        missing = s.map(_is_missing).to_numpy(dtype=bool)
        if self.kind_ == "numeric":
            if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
                vals: np.ndarray = s.astype(float).to_numpy()
            else:
                vals = to_numbers(s.where(~missing)).to_numpy(dtype=float)
            bad = np.isnan(vals) & ~missing
            what = "a number"
        else:
            pos = {str(v): i for i, v in enumerate(self.order_ or [])}
            keys = s.map(lambda v: None if _is_missing(v) else str(v).strip())
            vals = keys.map(pos).to_numpy(dtype=float)
            bad = np.isnan(vals) & ~missing
            what = "one of the ordered categories"
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(
                f"{int(bad.sum())} value(s) are not {what}, e.g. {s.iloc[i]!r}.",
                column=self.column,
                row=row_label(s, i),
                hint="correct the values first"
                + ("" if self.kind_ == "numeric" else f"; the order is {self.order_!r}"),
            )
        return vals

    def _threshold(self, value: Any, name: str) -> float | None:
        if value is None:
            return None
        if self.kind_ == "numeric":
            try:
                return float(value)
            except (TypeError, ValueError):
                raise InputError(
                    f"{name}={value!r} is not a number.",
                    column=self.column,
                    hint="give a number, or order=[...] for ordered categories",
                ) from None
        order = [str(v) for v in self.order_ or []]
        if str(value) not in order:
            raise InputError(
                f"{name}={value!r} is not one of the ordered categories.",
                column=self.column,
                hint=f"choose among {self.order_!r}",
            )
        return float(order.index(str(value)))

    def fit(self, df: pd.DataFrame) -> TopBottomCoder:
        """Check the column and thresholds; count the values beyond them."""
        check_frame(df)
        check_columns(df, self.column)
        if self.top is None and self.bottom is None:
            raise InputError(
                "give top, bottom or both.", column=self.column, hint="e.g. top=65"
            )
        s = df[self.column]
        order = self.order
        if order is None and isinstance(s.dtype, pd.CategoricalDtype) and s.cat.ordered:
            order = list(s.cat.categories)
        self.kind_ = "numeric" if order is None else "ordinal"
        self.order_ = None if order is None else list(order)
        self.top_ = self._threshold(self.top, "top")
        self.bottom_ = self._threshold(self.bottom, "bottom")
        if self.top_ is not None and self.bottom_ is not None and self.bottom_ > self.top_:
            raise InputError(
                f"bottom ({self.bottom!r}) is above top ({self.top!r}).",
                column=self.column,
                hint="swap them",
            )
        ranks = self._ranks(s)
        self.n_top_ = int(np.sum(ranks > self.top_)) if self.top_ is not None else 0
        self.n_bottom_ = int(np.sum(ranks < self.bottom_)) if self.bottom_ is not None else 0
        return self

    def _replacement(self, value: Any, threshold: Any, s: pd.Series) -> Any:
        rep = threshold if value is None else value
        text_col = not pd.api.types.is_numeric_dtype(s.dtype) or isinstance(
            s.dtype, pd.CategoricalDtype
        )
        if text_col and isinstance(rep, int | float | np.number) and not isinstance(rep, bool):
            return _format_number(rep)
        return rep

    def transform(self, df: pd.DataFrame) -> pd.DataFrame:
        """A copy of ``df`` with the column top- and bottom-coded."""
        self._check_fitted("kind_")
        check_frame(df)
        check_columns(df, self.column)
        s = df[self.column]
        ranks = self._ranks(s)
        out = df.copy()
        new = s.copy()
        if isinstance(new.dtype, pd.CategoricalDtype):
            new = new.astype(object)
        for threshold_, threshold, value, hit in (
            (self.top_, self.top, self.top_value, lambda r, t: r > t),
            (self.bottom_, self.bottom, self.bottom_value, lambda r, t: r < t),
        ):
            if threshold_ is None:
                continue
            mask = hit(ranks, threshold_)
            if mask.any():
                rep = self._replacement(value, threshold, s)
                if isinstance(rep, str) and pd.api.types.is_numeric_dtype(new.dtype):
                    new = new.astype(object)
                new[mask] = rep
        out[self.column] = new
        return copy_attrs(df, out)
