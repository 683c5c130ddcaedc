"""Noise addition for numeric columns (sdcMicro's ``addNoise``, methods additive and correlated).

- ``additive``: each column gets independent normal noise with standard deviation
  ``noise / 100`` times the column's standard deviation (sdcMicro: ``x + N(0, noise/100 sd(x))``).
- ``correlated``: the columns together get multivariate normal noise with covariance
  ``noise / 100`` times their covariance (computed on rows complete in every column), which
  keeps their correlations (Brand 2002; sdcMicro: ``x + N(0, noise/100 cov(x))``).

Note the two meanings of ``noise`` (kept for parity with sdcMicro): it scales the standard
deviation in ``additive`` but the *variance* in ``correlated``. sdcMicro's default, 150, adds
noise larger than the spread of the data itself; choose it with the utility report in view.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from htwork.anonymise._base import (
    BaseTransformer,
    as_list,
    check_columns,
    check_frame,
    copy_attrs,
    row_label,
)
from htwork.anonymise.hierarchy import _is_missing
from htwork.core.numbers import to_numbers
from htwork.errors import InputError

__all__ = ["AddNoise"]

_METHODS = ("additive", "correlated")
Clip = tuple[float | None, float | None]


def _numbers(s: pd.Series, col: str) -> np.ndarray:
    missing = s.map(_is_missing).to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        return s.astype(float).to_numpy()
    vals = to_numbers(s.where(~missing)).to_numpy(dtype=float)
    bad = np.isnan(vals) & ~missing
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"{int(bad.sum())} value(s) are not numbers, e.g. {s.iloc[i]!r}.",
            column=col,
            row=row_label(s, i),
            hint="noise can only be added to numbers; correct or remove these values",
        )
    return vals


def _format(v: float, decimals: int | None) -> str:
    if decimals is not None and decimals <= 0:
        return str(int(round(v)))
    if float(v).is_integer():
        return str(int(v))
    return f"{v:.{decimals}f}" if decimals is not None else repr(float(v))


class AddNoise(BaseTransformer):
    """Add random noise to numeric columns.

    Parameters
    ----------
    columns : str or list of str
        Numeric columns (numbers, or text holding numbers as in the standard case frame).
    noise : float
        Amount of noise in percent (sdcMicro's ``noise``; default 150 as in sdcMicro): the
        noise standard deviation is ``noise/100`` times the column's (``additive``), or the
        noise covariance ``noise/100`` times the columns' covariance (``correlated``).
    method : {"additive", "correlated"}
        See the module notes. ``correlated`` needs at least two complete rows.
    seed : int, optional
        Seed of the noise; the same seed and table give the same output. Without one, a seed
        is drawn at ``fit`` and kept in ``seed_``.
    decimals : int, optional
        Round the noisy values to this many decimals (0 for whole numbers such as ages).
    clip : (low, high) or dict, optional
        Keep results within bounds (``(0, None)`` for counts and ages); one pair for all
        columns or ``{column: (low, high)}``.

    Attributes
    ----------
    scale_ : dict
        ``{column: noise standard deviation}`` (both methods).
    covariance_ : pandas.DataFrame or None
        Noise covariance (``correlated`` only).
    seed_ : int
        The seed used.

    Notes
    -----
    Missing values stay missing. A text column comes back as text (numbers written without
    a trailing ``.0`` when whole); a numeric column as floats.
    """

    def __init__(
        self,
        columns: str | Sequence[str],
        noise: float = 150.0,
        method: str = "additive",
        seed: int | None = None,
        decimals: int | None = None,
        clip: Clip | Mapping[str, Clip] | None = None,
    ) -> None:
        self.columns = columns
        self.noise = noise
        self.method = method
        self.seed = seed
        self.decimals = decimals
        self.clip = clip

    def fit(self, df: pd.DataFrame) -> AddNoise:
        """Measure the spread (standard deviations, covariance) of the columns."""
        check_frame(df)
        cols = check_columns(df, as_list(self.columns))
        if not cols:
            raise InputError("give at least one column.", hint='e.g. AddNoise("income")')
        if self.method not in _METHODS:
            raise InputError(
                f"method={self.method!r} is not available.", hint=f"use one of {_METHODS}"
            )
        try:
            noise = float(self.noise)
        except (TypeError, ValueError):
            raise InputError(
                f"noise={self.noise!r} is not a number.", hint="e.g. noise=50"
            ) from None
        if noise < 0:
            raise InputError(f"noise={noise} is negative.", hint="e.g. noise=50")
        if isinstance(self.clip, Mapping):
            check_columns(df, list(self.clip))
        x = np.column_stack([_numbers(df[c], c) for c in cols])
        self.columns_ = cols
        self.seed_ = int(np.random.SeedSequence(self.seed).entropy)  # type: ignore[arg-type]
        if self.method == "additive":
            sd = np.array([np.nanstd(x[:, j], ddof=1) if np.sum(~np.isnan(x[:, j])) > 1
                           else np.nan for j in range(len(cols))])
            bad = [c for c, v in zip(cols, sd, strict=True) if not np.isfinite(v)]
            if bad:
                raise InputError(
                    "fewer than two numbers: the spread cannot be measured.",
                    column=bad[0],
                    hint="noise needs at least two values per column",
                )
            self.scale_ = dict(zip(cols, noise / 100.0 * sd, strict=True))
            self.covariance_ = None
        else:
            complete = x[~np.isnan(x).any(axis=1)]
            if len(complete) < 2:
                raise InputError(
                    "fewer than two rows have every column: the covariance cannot be measured.",
                    hint="use method='additive', or columns with fewer missing values",
                )
            cov = np.atleast_2d(np.cov(complete, rowvar=False, ddof=1)) * noise / 100.0
            self.covariance_ = pd.DataFrame(cov, index=cols, columns=cols)
            self.scale_ = dict(zip(cols, np.sqrt(np.diag(cov)), strict=True))
        return self

    def _clip_for(self, col: str) -> Clip:
        if self.clip is None:
            return (None, None)
        if isinstance(self.clip, Mapping):
            return tuple(self.clip.get(col, (None, None)))  # type: ignore[return-value]
        return tuple(self.clip)  # type: ignore[return-value]

    def transform(self, df: pd.DataFrame) -> pd.DataFrame:
        """A copy of ``df`` with noise added to the columns."""
        self._check_fitted("scale_")
        check_frame(df)
        check_columns(df, self.columns_)
        x = np.column_stack([_numbers(df[c], c) for c in self.columns_])
        rng = np.random.default_rng(np.random.SeedSequence(self.seed_))
        n = len(df)
        if self.method == "additive":
            e = np.column_stack([rng.normal(0.0, self.scale_[c], n) for c in self.columns_])
        else:
            assert self.covariance_ is not None  # fit measures it for every other method
            cov = self.covariance_.to_numpy()
            e = rng.multivariate_normal(np.zeros(len(self.columns_)), cov, size=n,
                                        method="eigh")
        y = x + e
        out = df.copy()
        for j, col in enumerate(self.columns_):
            v = y[:, j]
            lo, hi = self._clip_for(col)
            if lo is not None or hi is not None:
                v = np.clip(v, -np.inf if lo is None else lo, np.inf if hi is None else hi)
            if self.decimals is not None:
                v = np.round(v, self.decimals)
            s = df[col]
            missing = np.isnan(x[:, j])
            if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
                out[col] = pd.Series(v, index=s.index, name=col)
            else:
                text = np.empty(n, dtype=object)
                text[~missing] = [_format(float(a), self.decimals) for a in v[~missing]]
                text[missing] = s.to_numpy(dtype=object)[missing]
                out[col] = pd.Series(text, index=s.index, name=col)
        return copy_attrs(df, out)
