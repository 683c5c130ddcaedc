"""Individual, global and cluster re-identification risk.

The risk of a record is the chance that an outsider who knows a person's quasi-identifiers
picks that person's record. For a register (no weights: everyone is in the data, the
prosecutor model) it is ``1 / fk``. With sampling weights sdcMicro's default estimate is the
Benedetti–Franconi approximation (``indivRisk(method = "approx")``), reproduced here exactly,
with ``pk = fk / Fk``:

* ``fk = 1``: ``pk / (1 - pk) * log(1 / pk)``
* ``fk = 2``: ``pk / (1 - pk) - (pk / (1 - pk))**2 * log(1 / pk)``
* ``fk > 2``: ``pk / (fk - (1 - pk))``
* and ``1 / fk`` wherever ``fk == Fk`` (the whole population is in the sample).

The *expected number of re-identifications* is the sum of the individual risks and the
*global risk* their mean. Without weights and without missing values the expected number of
re-identifications equals the number of equivalence classes (each class of size ``f``
contributes ``f * 1/f``).

People identified together (the same case, family or group) share their fate: the *cluster
risk* of a record is ``1 - prod(1 - r)`` over the records of its group, as in sdcMicro's
hierarchical risk; a record with no group is a group of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from htwork.core.keys import encode_keys, file_of, missing_mask, read_weights
from htwork.errors import InputError
from htwork.risk._result import RiskResult, plural
from htwork.risk.frequencies import FrequencyResult, frequencies_from_codes

__all__ = ["IndividualRiskResult", "benedetti_franconi", "cluster_risk", "individual_risk"]


def benedetti_franconi(fk: np.ndarray, Fk: np.ndarray) -> np.ndarray:
    """Benedetti–Franconi individual risk, sdcMicro's ``approx`` method.

    Parameters
    ----------
    fk : numpy.ndarray
        Sample frequency of each record.
    Fk : numpy.ndarray
        Estimated population frequency (sum of weights) of each record.

    Returns
    -------
    numpy.ndarray
        The risk of each record.
    """
    fk = np.asarray(fk, dtype=np.float64)
    Fk = np.asarray(Fk, dtype=np.float64)
    pk = fk / Fk
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        odds = pk / (1.0 - pk)
        log_inv = np.log(1.0 / pk)
        r1 = odds * log_inv
        r2 = odds - odds**2 * log_inv
        r3 = pk / (fk - (1.0 - pk))
    risk = np.where(fk > 2, r3, np.where(fk == 2, r2, np.where(fk == 1, r1, 0.0)))
    same = fk == Fk
    risk = np.where(same, 1.0 / fk, risk)
    return risk


def cluster_risk(risk: np.ndarray, group: np.ndarray) -> np.ndarray:
    """``1 - prod(1 - r)`` over each record's group, given back per record.

    Parameters
    ----------
    risk : numpy.ndarray
        Individual risks.
    group : numpy.ndarray
        Group number of each record (``-1``: the record is alone).
    """
    risk = np.asarray(risk, dtype=np.float64)
    group = np.asarray(group)
    out = risk.copy()
    has = group >= 0
    if has.any():
        g = group[has]
        with np.errstate(divide="ignore"):
            log_safe = np.log1p(-np.minimum(risk[has], 1.0))
        total = np.bincount(g, weights=log_safe)
        # exact 1 where some member has risk 1
        certain = np.bincount(g, weights=(risk[has] >= 1.0).astype(float)) > 0
        grp = -np.expm1(total)
        grp[certain] = 1.0
        out[has] = grp[g]
    return out


@dataclass(repr=False)
class IndividualRiskResult(RiskResult):
    """Individual re-identification risks and their totals.

    Attributes
    ----------
    risk : numpy.ndarray
        Risk of each record.
    frequencies : FrequencyResult
        The frequencies the risks come from.
    method : str
        ``"1/fk"`` (no weights) or ``"approx"`` (Benedetti–Franconi).
    cluster : numpy.ndarray or None
        Cluster risk of each record (with a group column).
    group : str or None
        The group column.
    """

    risk: np.ndarray
    frequencies: FrequencyResult
    method: str
    cluster: np.ndarray | None = None
    group: str | None = None
    title: str = field(default="Re-identification risk", init=False)

    @property
    def n_records(self) -> int:
        """Number of records."""
        return int(len(self.risk))

    @property
    def expected_reidentifications(self) -> float:
        """Sum of the individual risks."""
        return float(np.sum(self.risk))

    @property
    def global_risk(self) -> float:
        """Mean individual risk (expected share of records re-identified)."""
        return self.expected_reidentifications / self.n_records if self.n_records else 0.0

    @property
    def max_risk(self) -> float:
        """The highest individual risk."""
        return float(np.max(self.risk)) if self.n_records else 0.0

    @property
    def cluster_expected_reidentifications(self) -> float | None:
        """Sum over records of their cluster risk (sdcMicro's ``hier_risk_ER``)."""
        return None if self.cluster is None else float(np.sum(self.cluster))

    @property
    def cluster_global_risk(self) -> float | None:
        """Mean cluster risk (sdcMicro's ``hier_risk``)."""
        if self.cluster is None:
            return None
        return float(np.sum(self.cluster)) / self.n_records

    def above(self, threshold: float) -> int:
        """Number of records with a risk above ``threshold``."""
        return int((self.risk > threshold).sum())

    def to_frame(self) -> pd.DataFrame:
        """One row per record: ``risk``, ``fk``, ``Fk`` (weighted), ``cluster_risk``."""
        data: dict[str, Any] = {"risk": self.risk, "fk": self.frequencies.fk}
        if self.frequencies.Fk is not None:
            data["Fk"] = self.frequencies.Fk
        if self.cluster is not None:
            data["cluster_risk"] = self.cluster
        return pd.DataFrame(data, index=self.frequencies.index)

    def _data(self) -> dict[str, Any]:
        """JSON-ready totals."""
        out: dict[str, Any] = {
            "method": self.method,
            "global_risk": self.global_risk,
            "global_risk_pct": 100.0 * self.global_risk,
            "expected_reidentifications": self.expected_reidentifications,
            "max_risk": self.max_risk,
            "records_above_0_1": self.above(0.1),
            "records_above_0_5": self.above(0.5),
        }
        if self.cluster is not None:
            out["cluster"] = {
                "group_column": self.group,
                "global_risk": self.cluster_global_risk,
                "expected_reidentifications": self.cluster_expected_reidentifications,
            }
        return out

    def _headline(self) -> str:
        return (
            f"An outsider who knows these details would on average re-identify "
            f"{self.expected_reidentifications:,.1f} of the {self.n_records:,} people "
            f"({100 * self.global_risk:.2f} %)."
        )

    def _summary_rows(self) -> list[tuple[str, Any]]:
        rows: list[tuple[str, Any]] = [
            ("records", self.n_records),
            ("method", self.method),
            ("expected re-identifications", self.expected_reidentifications),
            ("global risk", self.global_risk),
            ("highest individual risk", self.max_risk),
            ("records with risk > 0.1", self.above(0.1)),
            ("records with risk > 0.5", self.above(0.5)),
        ]
        if self.cluster is not None:
            rows += [
                (
                    f"cluster risk by {self.group} (expected)",
                    self.cluster_expected_reidentifications,
                ),
                (f"cluster risk by {self.group} (mean)", self.cluster_global_risk),
            ]
        return rows

    def _notes(self) -> list[str]:
        if self.method == "1/fk":
            return ["no weights: the risk of a record is 1/fk (everyone assisted is in the data)"]
        return [f"{plural(self.n_records, 'record')} weighted; Benedetti–Franconi approximation"]


def _group_ids(df: pd.DataFrame, group: str) -> np.ndarray:
    if group not in df.columns:
        raise InputError(
            f"the group column {group!r} is not a column of the table.",
            file=file_of(df),
            column=group,
        )
    col = df[group]
    miss = missing_mask(col)
    ids = np.full(len(col), -1, dtype=np.int64)
    codes, _ = pd.factorize(col[~miss].astype(str))
    ids[~miss] = codes
    return ids


def risk_from_frequencies(
    freq: FrequencyResult,
    *,
    group_ids: np.ndarray | None = None,
    group: str | None = None,
) -> IndividualRiskResult:
    """:func:`individual_risk` from frequencies already computed."""
    if freq.Fk is None:
        risk = 1.0 / freq.fk.astype(np.float64)
        method = "1/fk"
    else:
        risk = benedetti_franconi(freq.fk, freq.Fk)
        method = "approx"
    cluster = None if group_ids is None else cluster_risk(risk, group_ids)
    return IndividualRiskResult(
        risk=risk, frequencies=freq, method=method, cluster=cluster, group=group
    )


def individual_risk(
    df: pd.DataFrame,
    keys: str | Iterable[str],
    weight: str | None = None,
    group: str | None = None,
    *,
    all_missing: Literal["sdcmicro", "wildcard"] = "sdcmicro",
) -> IndividualRiskResult:
    """Individual risk of every record, global risk and expected re-identifications.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    keys : str or iterable of str
        The quasi-identifiers.
    weight : str, optional
        Sampling weights. Without them (a register) the risk is ``1 / fk``.
    group : str, optional
        Column grouping people identified together (case number, family); adds the cluster
        risk ``1 - prod(1 - r)``.
    all_missing : {"sdcmicro", "wildcard"}
        See :func:`htwork.risk.frequencies`.

    Returns
    -------
    IndividualRiskResult

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"sex": ["F", "F", "M"], "age": ["18-25", "18-25", "26-35"]})
    >>> individual_risk(df, ["sex", "age"]).risk.tolist()
    [0.5, 0.5, 1.0]
    """
    kc = encode_keys(df, keys)
    weights = read_weights(df, weight)
    freq = frequencies_from_codes(kc, weights, df.index, all_missing=all_missing)
    gids = None if group is None else _group_ids(df, group)
    return risk_from_frequencies(freq, group_ids=gids, group=group)
