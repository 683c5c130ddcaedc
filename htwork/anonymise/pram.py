"""PRAM: post-randomisation of categorical values, invariant by default.

Each value is replaced by a value drawn from its row of a transition matrix ``R``
(``R[i, j]`` = probability that category ``i`` is published as ``j``). PRAM is *invariant*
when the observed frequencies ``p`` are the stationary distribution of ``R`` (``p R = p``): the
expected frequencies after PRAM equal the observed ones, so tables stay unbiased while no
single record can be trusted.

The invariant matrix is built as sdcMicro's ``pram`` builds it: from a base matrix ``P``
(diagonal ``d``, the rest of each row spread evenly), the Bayes reverse
``Q[k, j] = P[j, k] p[j] / sum_i p[i] P[i, k]`` gives ``R = P Q``, which satisfies
``p R = p``; ``alpha`` then mixes it with the identity, ``alpha R + (1 - alpha) I``, which keeps
the invariance and tunes how much changes. Differences from sdcMicro 5.8.1:

- ``retention=0.8`` puts exactly 0.8 on the base diagonal; sdcMicro draws each diagonal entry
  uniformly from ``[pd, 1]``, which ``retention=(0.8, 1.0)`` reproduces;
- the share of each category that is actually kept (the final diagonal, lower than
  ``retention`` for rare categories, a frequent surprise for sdcMicro users) is reported in
  ``keep_probability_``;
- a transition matrix given by the user must have non-negative rows summing to 1 and is used as
  the base ``P`` of the invariant construction (``invariant=False`` uses it as it is); zero
  probabilities are never drawn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

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
from htwork.errors import InputError

__all__ = ["PRAM", "invariant_matrix", "stationary_distribution"]

Retention = float | tuple[float, float] | pd.DataFrame


def stationary_distribution(matrix: np.ndarray | pd.DataFrame) -> np.ndarray:
    """The stationary distribution ``pi`` of a transition matrix (``pi R = pi``, ``sum pi = 1``).

    Computed as the left eigenvector of the eigenvalue closest to 1. For a matrix with several
    closed classes the answer is one of many; PRAM matrices built here have one.
    """
    r = np.asarray(matrix, dtype=float)
    values, vectors = np.linalg.eig(r.T)
    k = int(np.argmin(np.abs(values - 1.0)))
    pi = np.real(vectors[:, k])
    return pi / pi.sum()


def invariant_matrix(base: np.ndarray, p: np.ndarray, alpha: float = 0.5) -> np.ndarray:
    """Make a transition matrix whose stationary distribution is ``p`` (sdcMicro's construction).

    Parameters
    ----------
    base : array (L, L)
        Row-stochastic base matrix ``P``.
    p : array (L,)
        The observed frequencies (any positive scale).
    alpha : float
        Weight of ``P Q`` against the identity (0 = no change, 1 = full).

    Returns
    -------
    numpy.ndarray
        ``alpha P Q + (1 - alpha) I`` with ``Q[k, j] = P[j, k] p[j] / sum_i p[i] P[i, k]``.
    """
    P = np.asarray(base, dtype=float)
    w = np.asarray(p, dtype=float)
    w = w / w.sum()
    s = w @ P  # s[k] = sum_i p[i] P[i, k]
    L = len(w)
    Q = np.zeros((L, L))
    reach = s > 0
    Q[reach] = (P.T[reach] * w[None, :]) / s[reach, None]
    Q[~reach, np.flatnonzero(~reach)] = 1.0  # a category nobody moves to: Q row unused
    R = P @ Q
    return alpha * R + (1.0 - alpha) * np.eye(L)


def _even_base(diagonal: np.ndarray) -> np.ndarray:
    L = len(diagonal)
    if L == 1:
        return np.ones((1, 1))
    off = (1.0 - diagonal) / (L - 1)
    P = np.repeat(off[:, None], L, axis=1)
    np.fill_diagonal(P, diagonal)
    return P


class PRAM(BaseTransformer):
    """Post-randomise categorical columns (invariant PRAM by default).

    Parameters
    ----------
    columns : str or list of str
        Categorical columns to perturb (each on its own).
    retention : float, (low, high), pandas.DataFrame or dict
        The base matrix: a float puts that probability on the diagonal (kept) and spreads the
        rest evenly; a pair draws each category's diagonal uniformly between ``low`` and
        ``high`` (``(0.8, 1.0)`` is sdcMicro's ``pd=0.8``); a DataFrame is a transition matrix
        whose index and columns are the categories. A dict gives one of these per column.
    alpha : float
        Amount of perturbation of the invariant construction (sdcMicro's ``alpha``, 0.5).
    invariant : bool
        Build the invariant matrix from the base (default). ``False`` uses the base matrix
        as it is (the expected frequencies then drift).
    seed : int, optional
        Seed of the random draws; the same seed and table give the same output. Without one a
        seed is drawn at ``fit`` and kept in ``seed_`` so the run can be repeated.

    Attributes
    ----------
    categories_ : dict
        ``{column: list of categories}`` (sorted as text, or the matrix's order).
    frequencies_ : dict
        ``{column: Series of observed shares}``.
    transition_matrices_ : dict
        ``{column: DataFrame R}``, rows = original category, columns = published category.
    keep_probability_ : dict
        ``{column: Series}``: chance that each category is published unchanged.
    expected_change_ : dict
        ``{column: float}``: expected share of non-missing values that change.
    seed_ : int
        The seed used.

    Notes
    -----
    Missing values are never perturbed and never produced. A category that appears in
    ``transform`` but not at ``fit`` (or not in a given matrix) is an error.
    """

    def __init__(
        self,
        columns: str | Sequence[str],
        retention: Retention | Mapping[str, Retention] = 0.8,
        alpha: float = 0.5,
        invariant: bool = True,
        seed: int | None = None,
    ) -> None:
        self.columns = columns
        self.retention = retention
        self.alpha = alpha
        self.invariant = invariant
        self.seed = seed

    def _retention_for(self, col: str) -> Retention:
        spec = self.retention
        if isinstance(spec, Mapping) and not isinstance(spec, pd.DataFrame):
            if col not in spec:
                raise InputError(
                    "no retention given for this column.",
                    column=col,
                    hint="give retention as one value, or a dict with every column",
                )
            return spec[col]
        return spec

    def _base(
        self, col: str, spec: Retention, cats: list[Any], rng: np.random.Generator
    ) -> tuple[np.ndarray, list[Any]]:
        if isinstance(spec, pd.DataFrame):
            return self._user_matrix(col, spec, cats)
        if isinstance(spec, tuple | list) and len(spec) == 2:
            lo, hi = float(spec[0]), float(spec[1])
            if not 0.0 <= lo <= hi <= 1.0:
                raise InputError(
                    f"retention range {spec!r} must satisfy 0 <= low <= high <= 1.",
                    column=col,
                    hint="e.g. retention=(0.8, 1.0)",
                )
            return _even_base(rng.uniform(lo, hi, len(cats))), cats
        try:
            r = float(spec)
        except (TypeError, ValueError):
            raise InputError(
                f"retention={spec!r} is not a probability, a (low, high) pair or a matrix.",
                column=col,
                hint="e.g. retention=0.8",
            ) from None
        if not 0.0 <= r <= 1.0:
            raise InputError(
                f"retention={r} is not between 0 and 1.", column=col, hint="e.g. retention=0.8"
            )
        return _even_base(np.full(len(cats), r)), cats

    def _user_matrix(
        self, col: str, m: pd.DataFrame, observed: list[Any]
    ) -> tuple[np.ndarray, list[Any]]:
        labels = [str(v) for v in m.index]
        if [str(v) for v in m.columns] != labels or len(set(labels)) != len(labels):
            raise InputError(
                "the transition matrix must be square with the same categories, in the same "
                "order, as row and column labels.",
                column=col,
                hint="build it as pandas.DataFrame(values, index=cats, columns=cats)",
            )
        missing = [c for c in observed if str(c) not in labels]
        if missing:
            raise InputError(
                f"the transition matrix has no row for {missing[:5]!r}.",
                column=col,
                hint="give a row and a column for every category in the data",
            )
        values = m.to_numpy(dtype=float)
        if (values < 0).any() or not np.allclose(values.sum(axis=1), 1.0, atol=1e-9):
            raise InputError(
                "every row of the transition matrix must be non-negative and sum to 1.",
                column=col,
                hint="divide each row by its sum",
            )
        by_label = {str(c): c for c in observed}
        cats = [by_label.get(lab, lab) for lab in labels]
        return values, cats

    def fit(self, df: pd.DataFrame) -> PRAM:
        """Count the categories and build one transition matrix per column."""
        check_frame(df)
        cols = check_columns(df, as_list(self.columns))
        if not cols:
            raise InputError("give at least one column to perturb.", hint='e.g. PRAM("prs_Gender")')
        if not 0.0 <= float(self.alpha) <= 1.0:
            raise InputError(f"alpha={self.alpha} is not between 0 and 1.", hint="e.g. alpha=0.5")
        self.seed_ = int(np.random.SeedSequence(self.seed).entropy)  # type: ignore[arg-type]
        self.columns_ = cols
        self.categories_: dict[str, list[Any]] = {}
        self.frequencies_: dict[str, pd.Series] = {}
        self.transition_matrices_: dict[str, pd.DataFrame] = {}
        self.keep_probability_: dict[str, pd.Series] = {}
        self.expected_change_: dict[str, float] = {}
        for j, col in enumerate(cols):
            s = df[col]
            present = s[~s.map(_is_missing).to_numpy(dtype=bool)]
            if present.empty:
                raise InputError(
                    "the column has no values to perturb.", column=col, hint="leave it out"
                )
            counts = present.value_counts(sort=False)
            observed = sorted(counts.index, key=lambda v: str(v))
            rng = np.random.default_rng(np.random.SeedSequence(self.seed_, spawn_key=(0, j)))
            base, cats = self._base(col, self._retention_for(col), observed, rng)
            p = np.array([counts.get(c, 0) for c in cats], dtype=float)
            if self.invariant:
                R = invariant_matrix(base, p, float(self.alpha))
            else:
                R = base
            R = np.clip(R, 0.0, None)
            R = R / R.sum(axis=1, keepdims=True)
            freq = pd.Series(p / p.sum(), index=cats, name=col)
            self.categories_[col] = cats
            self.frequencies_[col] = freq
            self.transition_matrices_[col] = pd.DataFrame(R, index=cats, columns=cats)
            keep = pd.Series(np.diag(R), index=cats, name=col)
            self.keep_probability_[col] = keep
            self.expected_change_[col] = float(1.0 - (freq * keep).sum())
        return self

    def transform(self, df: pd.DataFrame) -> pd.DataFrame:
        """A copy of ``df`` with each column post-randomised."""
        self._check_fitted("transition_matrices_")
        check_frame(df)
        check_columns(df, self.columns_)
        out = df.copy()
        for j, col in enumerate(self.columns_):
            s = df[col]
            cats = self.categories_[col]
            missing = s.map(_is_missing).to_numpy(dtype=bool)
            index = {c: i for i, c in enumerate(cats)}
            index_str = {str(c): i for i, c in enumerate(cats)}
            codes = np.array(
                [
                    -1 if m else index.get(v, index_str.get(str(v), -2))
                    for v, m in zip(s.tolist(), missing, strict=True)
                ],
                dtype=np.int64,
            )
            unknown = codes == -2
            if unknown.any():
                i = int(np.flatnonzero(unknown)[0])
                raise InputError(
                    f"{int(unknown.sum())} value(s) were not seen at fit, e.g. {s.iloc[i]!r}.",
                    column=col,
                    row=row_label(s, i),
                    hint="fit PRAM on the table you transform",
                )
            rng = np.random.default_rng(np.random.SeedSequence(self.seed_, spawn_key=(1, j)))
            u = rng.random(len(s))
            cum = np.cumsum(self.transition_matrices_[col].to_numpy(), axis=1)
            cum[:, -1] = 1.0
            new_codes = codes.copy()
            for k in range(len(cats)):
                rows = codes == k
                if rows.any():
                    new_codes[rows] = np.searchsorted(cum[k], u[rows], side="right")
            new_codes = np.minimum(new_codes, len(cats) - 1)
            values = np.empty(len(s), dtype=object)
            cat_arr = np.empty(len(cats), dtype=object)
            cat_arr[:] = cats
            values[~missing] = cat_arr[new_codes[~missing]]
            values[missing] = s.to_numpy(dtype=object)[missing]
            new = pd.Series(values, index=s.index, name=col)
            if isinstance(s.dtype, pd.CategoricalDtype):
                new = new.astype(s.dtype)
            out[col] = new
        return copy_attrs(df, out)

    @staticmethod
    def changes(
        original: pd.DataFrame, perturbed: pd.DataFrame, columns: Sequence[str]
    ) -> pd.DataFrame:
        """How many values changed per column (as sdcMicro prints after ``pram``).

        Returns
        -------
        pandas.DataFrame
            Columns ``column, changed, share`` (share of all rows, in percent as sdcMicro).
        """
        rows = []
        for col in columns:
            a = original[col].astype(object).where(original[col].notna(), None)  # type: ignore[call-overload]  # pandas-stubs: other=None is allowed
            b = perturbed[col].astype(object).where(perturbed[col].notna(), None)  # type: ignore[call-overload]  # pandas-stubs: other=None is allowed
            changed = int((a.to_numpy() != b.to_numpy()).sum())
            rows.append({"column": col, "changed": changed, "share": 100 * changed / len(a)})
        return pd.DataFrame(rows, columns=["column", "changed", "share"])
