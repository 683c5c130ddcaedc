"""Sample frequencies ``fk`` / ``Fk``, equivalence classes and k-anonymity.

``fk`` of a record is the number of records an outsider could not tell apart from it using the
quasi-identifiers alone: the records *compatible* with it. Missing values are wildcards, as in
sdcMicro (``freqCalc``, ``alpha = 1``): record ``j`` counts towards record ``i`` when, for every
key, the values are equal or either is missing. A record violates k-anonymity when ``fk < k``.
``Fk`` sums the sampling weights of the same records (an estimate of how many people in the
population share the combination).

sdcMicro 5.8.1 keeps one exception, reproduced by default: with two or more keys a record whose
keys are *all* missing does not count towards records with no missing key (it still counts
towards records with some key missing, and its own ``fk`` is the number of records). Pass
``all_missing="wildcard"`` for the plain definition.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from htwork.core.keys import KeyCodes, encode_keys, read_weights
from htwork.core.wildcard import class_sizes, wildcard_counts
from htwork.errors import InputError
from htwork.risk._result import RiskResult, keys_phrase, plural

__all__ = ["FrequencyResult", "frequencies", "frequencies_from_codes"]

#: k values always reported
STANDARD_K = (2, 3, 5)


@dataclass(repr=False)
class FrequencyResult(RiskResult):
    """Frequencies of the quasi-identifier combinations.

    Attributes
    ----------
    keys : list of str
        The quasi-identifiers.
    fk : numpy.ndarray
        Number of compatible records, per record (int).
    Fk : numpy.ndarray or None
        Their total sampling weight, per record (``None`` without weights).
    class_id : numpy.ndarray
        Equivalence class of each record: records with identical key values, a missing value
        counting as a value of its own.
    index : pandas.Index
        The input's index (spreadsheet rows for files read by htwork).
    all_missing : str
        ``"sdcmicro"`` or ``"wildcard"`` (see the module notes).
    """

    keys: list[str]
    fk: np.ndarray
    Fk: np.ndarray | None
    class_id: np.ndarray
    index: pd.Index
    n_missing_cells: int = 0
    records_with_missing: int = 0
    all_missing: str = "sdcmicro"
    title: str = field(default="Frequencies of quasi-identifier combinations", init=False)

    @property
    def n_records(self) -> int:
        """Number of records."""
        return int(len(self.fk))

    @property
    def n_classes(self) -> int:
        """Number of equivalence classes (distinct key combinations; missing is a value)."""
        return int(self.class_id.max()) + 1 if len(self.class_id) else 0

    @property
    def sample_uniques(self) -> int:
        """Records no other record is compatible with (``fk == 1``)."""
        return int((self.fk == 1).sum())

    def violations(self, k: int) -> int:
        """Number of records with ``fk < k`` (they violate k-anonymity)."""
        _check_k(k)
        return int((self.fk < k).sum())

    def violating(self, k: int) -> pd.Series:
        """Boolean Series, True for records with ``fk < k``."""
        _check_k(k)
        return pd.Series(self.fk < k, index=self.index, name=f"violates_{k}_anonymity")

    @property
    def k_violations(self) -> dict[int, int]:
        """Violations of 2-, 3- and 5-anonymity."""
        return {k: self.violations(k) for k in STANDARD_K}

    @property
    def k_achieved(self) -> int:
        """The largest k for which no record violates k-anonymity (the smallest ``fk``)."""
        return int(self.fk.min()) if len(self.fk) else 0

    def to_frame(self) -> pd.DataFrame:
        """One row per record: ``fk``, ``Fk`` (weighted only), ``class``."""
        data: dict[str, Any] = {"fk": self.fk}
        if self.Fk is not None:
            data["Fk"] = self.Fk
        data["class"] = self.class_id
        return pd.DataFrame(data, index=self.index)

    def class_table(self) -> pd.DataFrame:
        """Equivalence classes by size: how many classes and records have each class size."""
        sizes = np.bincount(self.class_id)
        tab = pd.Series(sizes).value_counts().sort_index()
        return pd.DataFrame(
            {"classes": tab.to_numpy(), "records": tab.to_numpy() * tab.index.to_numpy()},
            index=pd.Index(tab.index.to_numpy(), name="class size"),
        )

    def _data(self) -> dict[str, Any]:
        """JSON-ready figures (no per-record values)."""
        out = {
            "n_records": self.n_records,
            "keys": list(self.keys),
            "equivalence_classes": self.n_classes,
            "sample_uniques": self.sample_uniques,
            "k_violations": {str(k): v for k, v in self.k_violations.items()},
            "k_achieved": self.k_achieved,
            "records_with_missing": self.records_with_missing,
            "missing_cells": self.n_missing_cells,
            "missing_values": "wildcard",
            "all_missing_rule": self.all_missing,
        }
        return out

    def _headline(self) -> str:
        return (
            f"{plural(self.sample_uniques, 'record')} "
            f"{'is' if self.sample_uniques == 1 else 'are'} the only one with their "
            f"{keys_phrase(self.keys)}."
        )

    def _summary_rows(self) -> list[tuple[str, Any]]:
        rows: list[tuple[str, Any]] = [
            ("records", self.n_records),
            ("equivalence classes", self.n_classes),
            ("sample uniques (fk = 1)", self.sample_uniques),
        ]
        rows += [(f"records violating {k}-anonymity", v) for k, v in self.k_violations.items()]
        rows.append(("smallest fk", self.k_achieved))
        if self.records_with_missing:
            rows.append(("records with a missing key", self.records_with_missing))
        return rows

    def _notes(self) -> list[str]:
        notes = []
        if self.records_with_missing:
            notes.append(
                "missing values are wildcards: a record with a missing key counts as possibly "
                "equal to every record on that key"
            )
        return notes


def _check_k(k: int) -> None:
    if not isinstance(k, int | np.integer) or isinstance(k, bool) or k < 1:
        raise InputError(f"k must be a whole number of at least 1, not {k!r}.")


def frequencies_from_codes(
    kc: KeyCodes,
    weights: np.ndarray | None,
    index: pd.Index,
    *,
    all_missing: Literal["sdcmicro", "wildcard"] = "sdcmicro",
) -> FrequencyResult:
    """:func:`frequencies` on already encoded keys."""
    if all_missing not in ("sdcmicro", "wildcard"):
        raise InputError(f"all_missing must be 'sdcmicro' or 'wildcard', not {all_missing!r}.")
    liveness = all_missing == "sdcmicro"
    class_id, size = class_sizes(kc.codes)
    miss = kc.missing
    if not miss.any():  # no wildcard: fk is the class size
        fk = size
        Fk = None if weights is None else np.bincount(class_id, weights=weights)[class_id]
    else:
        fk = wildcard_counts(kc.codes, liveness=liveness)
        Fk = None if weights is None else wildcard_counts(kc.codes, weights, liveness=liveness)
    return FrequencyResult(
        keys=list(kc.keys),
        fk=fk,
        Fk=Fk,
        class_id=class_id,
        index=index,
        n_missing_cells=int(miss.sum()),
        records_with_missing=int(miss.any(axis=1).sum()),
        all_missing=all_missing,
    )


def frequencies(
    df: pd.DataFrame,
    keys: str | Iterable[str],
    weight: str | None = None,
    *,
    all_missing: Literal["sdcmicro", "wildcard"] = "sdcmicro",
) -> FrequencyResult:
    """Count, for every record, the records compatible with it on the quasi-identifiers.

    Parameters
    ----------
    df : pandas.DataFrame
        The table (values of any type; empty text and NA are missing).
    keys : str or iterable of str
        The quasi-identifiers (a comma-separated string is accepted).
    weight : str, optional
        Column of sampling weights; gives ``Fk`` as well. Omit it for a register.
    all_missing : {"sdcmicro", "wildcard"}
        How a record with every key missing counts towards complete records: not at all, as in
        sdcMicro 5.8.1 (default), or like any other compatible record.

    Returns
    -------
    FrequencyResult

    Raises
    ------
    htwork.errors.InputError
        Unknown or all-missing key, or a weight that is missing, not a number, zero or negative.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"sex": ["F", "F", "M", None], "age": ["a", "a", "b", "b"]})
    >>> r = frequencies(df, ["sex", "age"])
    >>> r.fk.tolist()
    [2, 2, 2, 2]
    """
    kc = encode_keys(df, keys)
    weights = read_weights(df, weight)
    return frequencies_from_codes(kc, weights, df.index, all_missing=all_missing)
