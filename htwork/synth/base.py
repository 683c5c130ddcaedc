"""The synthesizer interface shared by every backend.

``fit(df)`` learns from a table and returns the synthesizer; ``sample(n, seed=...)`` draws a new
table; ``save(path)`` / ``load(path)`` keep a fitted synthesizer. Backends implement
``_fit_codes`` (learn from integer codes) and ``_sample_codes`` (draw integer codes); this base
class handles the table checks, the coding of values, the structural rules (rejection sampling)
and conditions.
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from htwork.core.params import ParamsMixin, check_is_fitted
from htwork.errors import InputError
from htwork.synth.codec import CategoricalCodec, check_training_frame
from htwork.synth.constraints import Implies, Rule, resolve_rules
from htwork.synth.numeric import LeafValues

__all__ = ["Synthesizer", "SynthesisError"]

_FORMAT = "htwork-synthesizer/1"


class SynthesisError(InputError):
    """Sampling cannot meet the rules or conditions asked for."""


def _may_be_missing(field: Mapping[str, Any]) -> bool:
    """Whether a schema field allows a missing cell: not when it is ``required``, nor when its
    profile counted no missing cell (``htwork:profile``)."""
    if (field.get("constraints") or {}).get("required"):
        return False
    return (field.get("htwork:profile") or {}).get("missing") != 0


class Synthesizer(ParamsMixin):
    """Base class of htwork's synthesizers.

    Parameters
    ----------
    rules : "auto", list of Rule or None
        Structural rules every sampled row keeps (rejection sampling). ``"auto"``: the release
        standard's rules for the columns present (:func:`htwork.synth.case_rules`).
    min_rows : int
        Fewest training rows accepted.
    max_categories : int
        Most distinct values accepted per column.
    domain : mapping, optional
        Column -> allowed values known without the data (a code list; ``None`` in it allows a
        missing cell). The differentially private mode needs it to protect which categories
        occur. A column whose declared domain has no ``None`` is never missing in synthetic rows
        when its training cells are all present (DP mode: unless its noisy count of missing
        cells is clearly above the noise, :func:`htwork.synth.dp_numeric.absent_missing`).
    types : mapping, optional
        Column -> declared type: a kind (``"integer"``, ``"number"``, ``"date"``, ``"year"``,
        ``"categorical"``) or a dict with ``kind``, ``missing`` (codes, or code -> reason),
        ``bounds``, ``decimals``, ``format``. Other columns are inferred
        (:func:`htwork.synth.types.infer_types`).
    bounds : mapping, optional
        Column -> (lowest, highest) value known without the data. Needed for every number and
        date in DP mode; a training value outside them is an error.
    bins : int or "auto"
        Bins per number or date column (``"auto"``: about the cube root of the rows, 5 to 20;
        16 equal-width bins over the bounds in DP mode).
    relations : "auto" or None
        ``"auto"``: also keep the relations the training rows carry without exception (a
        category that is a band of a number; two years always in one order); never in DP mode.
    schema : Standard, str, Path or mapping, optional
        A table schema giving the columns' types, missing-value codes (with their labels) and
        bounds (``constraints.minimum`` / ``maximum``), used instead of inferring them: what
        :func:`htwork.standards.profile` returns (edited or not), a schema file, or a
        descriptor (:func:`htwork.synth.types.types_from_schema`). ``types`` and ``bounds``
        given here win over the schema's. With ``rules="auto"`` its rules between fields
        (``htwork:implies``, flag families) are kept too; in DP mode its code lists
        (``constraints.enum``, ``categories``) are the public domain of the columns that
        ``domain`` leaves out.
    keep : list of str, optional
        Columns to synthesise even though they identify people or hold free text. By default
        ``fit`` drops every such column before it learns anything (the schema's roles when the
        table is in the input standard, else :func:`htwork.standards.detect_identifiers`; and
        the case and group numbers), so
        that no name, phone, document number, e-mail, address or note is copied into the
        synthetic rows; naming a column here is the user's decision to keep it.

    Attributes
    ----------
    dropped_ : list of str
        The columns ``fit`` left out as direct identifiers or free text.
    codec_ : CategoricalCodec
        Value <-> code mapping learnt by ``fit`` (numbers as their bins).
    types_ : dict
        Column -> :class:`~htwork.synth.types.ColumnType` used.
    plan_ : TablePlan
        How numbers, dates and derived columns reach the model and come back.
    rules_ : list of Rule
        Rules enforced when sampling.
    domain_ : dict
        Column -> declared values used (``domain``, and in DP mode the schema's code lists).
    fit_seconds_ : float
        Time ``fit`` took.
    """

    name: ClassVar[str] = "base"
    #: whether the rules may be checked against the training data (not in DP mode)
    _looks_at_data_for_rules: ClassVar[bool] = True

    def __init__(
        self,
        *,
        rules: str | Sequence[Rule] | None = "auto",
        min_rows: int = 100,
        max_categories: int = 200,
        domain: Mapping[Hashable, Sequence[Any]] | None = None,
        types: Mapping[Hashable, Any] | None = None,
        bounds: Mapping[Hashable, tuple[Any, Any]] | None = None,
        bins: int | str = "auto",
        relations: str | None = "auto",
        schema: Any = None,
        keep: Sequence[str] | None = None,
    ) -> None:
        self.rules = rules
        self.min_rows = min_rows
        self.max_categories = max_categories
        self.domain = domain
        self.types = types
        self.bounds = bounds
        self.bins = bins
        self.relations = relations
        self.schema = schema
        self.keep = keep

    # --- the public interface ---------------------------------------------------------------

    def fit(self, df: pd.DataFrame) -> Synthesizer:
        """Learn the distribution of ``df``.

        Parameters
        ----------
        df : DataFrame
            Training table: one row per person. Categories of any dtype (a missing cell is a
            category of its own), numbers, dates (see ``types``); survey missing codes
            (``-8``) are kept as reasons a value is missing.

        Returns
        -------
        Synthesizer
            ``self``, fitted.

        Raises
        ------
        InputError
            Too few rows, too many distinct values in a categorical column, duplicated column
            names; a number or date column all missing or of one value, dates in mixed
            formats, a value outside declared bounds (and, in DP mode, no bounds).,
            a ``keep`` column the table lacks, or no column left once identifiers are dropped.
        """
        from htwork.synth.mixed import fit_plan

        start = time.perf_counter()
        df = self._without_identifiers(df)
        check_training_frame(df, min_rows=self.min_rows, max_categories=None)
        self.domain_ = self._declared_domain(df)
        self.plan_, rules, model_df = fit_plan(self, df)
        self.types_ = self.plan_.types
        self.codec_ = CategoricalCodec.fit(model_df, {**self.domain_, **self.plan_.domains()})
        codes = self.codec_.encode(model_df)
        by_value = [r for r in rules if self.plan_.uses_values(r)]
        self.rules_ = resolve_rules(rules, df, self.codec_, codes,
                                    check_data=self._looks_at_data_for_rules, by_value=by_value)
        self.plan_.value_rules = [r for r in by_value if r not in self.plan_.derived]
        if self._looks_at_data_for_rules:
            given = [] if self.rules is None or isinstance(self.rules, str) else self.rules
            self.plan_.check_rules(df, [r for r in self.plan_.value_rules if r in given])
        self._compiled_rules = [r.compile(self.codec_) for r in self.rules_
                                if not self.plan_.uses_values(r)]
        self.n_train_ = len(df)
        self._fit_codes(codes, df)
        self.fit_seconds_ = time.perf_counter() - start
        return self

    def _declared_domain(self, df: pd.DataFrame) -> dict[Hashable, list[Any]]:
        """``domain``, and in DP mode the schema's code lists of the other columns."""
        out: dict[Hashable, list[Any]] = {}
        if self.schema is not None and not self._looks_at_data_for_rules:
            from htwork.standards import load_standard
            from htwork.synth.types import types_from_schema

            std = load_standard(self.schema)
            kinds = types_from_schema(std, df.columns)
            for col, values in std.domains(df.columns).items():
                if kinds.get(col, {}).get("kind") == "categorical":
                    out[col] = list(values) + ([None] if _may_be_missing(std.field(col))
                                               else [])
        out.update({c: list(v) for c, v in (self.domain or {}).items()})
        return out

    def _without_identifiers(self, df: pd.DataFrame) -> pd.DataFrame:
        """``df`` less its direct-identifier and free-text columns not named in ``keep``."""
        import warnings

        from htwork.standards.identifiers import identifying_columns

        if not isinstance(df, pd.DataFrame) or df.columns.duplicated().any():
            return df  # check_training_frame says what is wrong
        keep = [self.keep] if isinstance(self.keep, str) else list(self.keep or ())
        missing = [c for c in keep if c not in set(map(str, df.columns))]
        if missing:
            raise InputError(f"keep names columns the table does not have: {missing}",
                             hint="the columns are: " + ", ".join(map(str, df.columns[:20])))
        names = {str(c): c for c in df.columns}
        found = [names[c] for c in identifying_columns(df)
                 if c in names and c not in set(map(str, keep))]
        self.dropped_ = found
        if not found:
            return df
        if len(found) == df.shape[1]:
            raise InputError(
                f"every column identifies people or holds free text "
                f"({', '.join(map(str, found))}); "
                "nothing is left to synthesise",
                hint="choose other columns, or name those to synthesise anyway in keep= "
                     "(--keep)")
        warnings.warn(f"left out {len(found)} column(s) that identify people or hold free "
                      f"text: {', '.join(map(str, found))}; they are not synthesised (name them in "
                      "keep= / --keep to synthesise them anyway)", UserWarning, stacklevel=3)
        return df.drop(columns=found)

    def sample(
        self,
        n: int,
        seed: int | None = None,
        conditions: Mapping[Hashable, Any] | None = None,
        *,
        max_draws: int | None = None,
    ) -> pd.DataFrame:
        """Draw ``n`` synthetic rows.

        Parameters
        ----------
        n : int
            Number of rows.
        seed : int, optional
            Random seed: the same fitted synthesizer, ``n`` and seed give the same rows.
        conditions : mapping, optional
            Column -> value (or list of values) every row must take; rows are drawn from the
            model conditioned on them. A category unseen in training raises
            :class:`InputError`; a number or date takes a value or a
            :class:`~htwork.synth.constraints.Range`.
        max_draws : int, optional
            Most rows drawn before giving up on rules/conditions; default ``max(200 n, 10**6)``.

        Returns
        -------
        DataFrame
            Columns and dtypes as in training; a fresh ``RangeIndex``.
        """
        self._check_fitted()
        if not isinstance(n, int | np.integer) or n < 0:
            raise InputError(f"n must be a whole number >= 0, not {n!r}")
        rng = np.random.default_rng(seed)
        numeric = {c: v for c, v in (conditions or {}).items() if c in self.plan_.binned}
        cond = self._compile_conditions({c: v for c, v in (conditions or {}).items()
                                         if c not in numeric})
        on_values = [Implies({}, {c: v}, name=f"condition on {c}") for c, v in numeric.items()]
        checks = [*self._compiled_rules, *cond]
        limit = max_draws if max_draws is not None else max(200 * int(n), 10**6)
        kept: list[pd.DataFrame] = []
        have = drawn = 0
        rate = 1.0
        while have < n:
            batch = int(min(max((n - have) / max(rate, 1e-6) * 1.1 + 64, 256), 2_000_000,
                            max(limit - drawn, 1)))
            codes, fixed, leaves = self._sample_drawn(batch, rng)
            if len(codes) == 0:
                raise SynthesisError(
                    f"the model drew no row that keeps the rules ({have} of {n} rows drawn)",
                    hint="check that the rules agree with each other and with the training "
                    "data; with differential privacy, a larger epsilon",
                )
            ok = np.ones(len(codes), dtype=bool)
            for check in checks:
                ok &= check(codes)
            rows, ok2 = self.plan_.decode(
                codes[ok], self.codec_, rng, checks=on_values,
                fixed=None if fixed is None else {c: v[ok] for c, v in fixed.items()},
                leaves=None if leaves is None else {c: (cells, leaf[ok]) for c, (cells, leaf)
                                                    in leaves.items()})
            kept.append(rows[ok2])
            have += int(ok2.sum())
            drawn += len(codes)
            rate = max(have / drawn, 1.0 / drawn)
            if have < n and drawn >= limit:
                raise SynthesisError(
                    f"only {have} of {drawn} drawn rows kept the rules and conditions "
                    f"({have / drawn:.2%}); stopped after {limit} draws",
                    hint="relax the conditions, check that the rules agree with each other "
                    "and with the training data, or raise max_draws",
                )
        if not kept:
            kept = [self.plan_.decode(self._sample_codes(0, rng), self.codec_, rng)[0]]
        return pd.concat(kept, ignore_index=True).iloc[:n].reset_index(drop=True)

    def save(self, path: str | Path) -> Path:
        """Write the fitted synthesizer to ``path`` (a pickle: load only files you made)."""
        self._check_fitted()
        path = Path(path)
        with open(path, "wb") as fh:
            pickle.dump({"format": _FORMAT, "class": type(self).__name__, "model": self}, fh)
        return path

    @classmethod
    def load(cls, path: str | Path) -> Synthesizer:
        """Read a synthesizer written by :meth:`save` (trusted files only: it is a pickle)."""
        path = Path(path)
        try:
            with open(path, "rb") as fh:
                payload = pickle.load(fh)  # noqa: S301 - the user's own model file
        except FileNotFoundError as err:
            raise InputError("no such file", file=path) from err
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError) as err:
            raise InputError(f"not a saved htwork synthesizer ({err})", file=path) from err
        if not isinstance(payload, dict) or payload.get("format") != _FORMAT:
            raise InputError("not a saved htwork synthesizer", file=path)
        model = payload["model"]
        if not isinstance(model, cls):
            raise InputError(
                f"the file holds a {type(model).__name__}, not a {cls.__name__}", file=path
            )
        return model

    def __repr__(self) -> str:
        params = ", ".join(
            f"{k}={v!r}" for k, v in self.get_params().items() if k not in ("rules", "domain")
        )
        return f"{type(self).__name__}({params})"

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_compiled_rules", None)  # closures: rebuilt from rules_ on loading
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        if "rules_" in state:
            self._compiled_rules = [r.compile(self.codec_) for r in self.rules_
                                    if not self.plan_.uses_values(r)]

    # --- for backends -----------------------------------------------------------------------

    def _fit_codes(self, codes: np.ndarray, df: pd.DataFrame) -> None:  # pragma: no cover
        raise NotImplementedError

    def _sample_codes(self, n: int, rng: np.random.Generator) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def _sample_values(
        self, n: int, rng: np.random.Generator
    ) -> tuple[np.ndarray, dict[Hashable, np.ndarray] | None]:
        """Codes of ``n`` rows and, for backends that draw numbers themselves (SDV), their
        values per numeric column (None: values are drawn within the sampled bins)."""
        return self._sample_codes(n, rng), None

    def _sample_drawn(
        self, n: int, rng: np.random.Generator
    ) -> tuple[np.ndarray, dict[Hashable, np.ndarray] | None,
               dict[Hashable, tuple[LeafValues, np.ndarray]] | None]:
        """As :meth:`_sample_values`, and for backends that draw a number from a tree leaf
        (the default's chain), per numeric column its training values by leaf and bin and
        each row's leaf (None: values are drawn within the bins alone)."""
        codes, fixed = self._sample_values(n, rng)
        return codes, fixed, None

    # --- helpers ----------------------------------------------------------------------------

    def _check_fitted(self) -> None:
        check_is_fitted(self, "codec_")

    def _compile_conditions(self, conditions: Mapping[Hashable, Any]) -> list:
        checks = []
        for col, value in conditions.items():
            if col not in self.codec_.columns:
                raise InputError(
                    "conditioned on a column the model was not fit on",
                    column=str(col),
                    hint=f"columns: {[str(c) for c in self.codec_.columns]}",
                )
            j = self.codec_.columns.index(col)
            values = value if isinstance(value, list | tuple | set) else [value]
            lut = np.zeros(len(self.codec_.categories[j]), dtype=bool)
            for v in values:
                code = self.codec_.code_of(j, v)
                if code is None:
                    seen = [x for x in self.codec_.categories[j][:-1]]
                    raise InputError(
                        f"value {v!r} was never seen in training, so no row can be sampled "
                        "with it",
                        column=str(col),
                        hint=f"use one of {seen[:15]}{' ...' if len(seen) > 15 else ''}",
                    )
                lut[code] = True
            checks.append(lambda codes, j=j, lut=lut: lut[codes[:, j]])
        return checks
