"""``assess``: every risk measure on one table, bundled in a :class:`RiskReport`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from htwork.core.keys import encode_keys, parse_columns, read_weights
from htwork.risk._result import RiskResult
from htwork.risk.diversity import LDiversityResult, TClosenessResult, l_diversity, t_closeness
from htwork.risk.frequencies import STANDARD_K, FrequencyResult, _check_k, frequencies_from_codes
from htwork.risk.individual import IndividualRiskResult, _group_ids, risk_from_frequencies
from htwork.risk.suda import Suda2Result, suda2

if TYPE_CHECKING:  # pragma: no cover
    from htwork.risk.explain import Explanation

__all__ = ["MAX_SUDA_KEYS", "RiskReport", "assess"]

#: SUDA2 searches 2^keys subsets; beyond this many keys it is skipped (with a note)
MAX_SUDA_KEYS = 12


@dataclass(repr=False)
class RiskReport(RiskResult):
    """All risk measures of a table.

    Attributes
    ----------
    keys : list of str
        Quasi-identifiers.
    sensitive : list of str
        Sensitive attributes (may be empty).
    weight : str or None
        Weight column.
    frequencies : FrequencyResult
    risk : IndividualRiskResult
    suda : Suda2Result or None
        ``None`` when skipped (too many keys, or ``suda=False``).
    l_diversity : LDiversityResult or None
    t_closeness : TClosenessResult or None
    k_levels : list of int
        The k at which violations are reported: 2, 3 and 5, and any asked for (``k=``).
    """

    keys: list[str]
    sensitive: list[str]
    weight: str | None
    frequencies: FrequencyResult
    risk: IndividualRiskResult
    suda: Suda2Result | None
    l_diversity: LDiversityResult | None
    t_closeness: TClosenessResult | None
    notes: list[str] = field(default_factory=list)
    k_levels: list[int] = field(default_factory=lambda: list(STANDARD_K))
    title: str = field(default="Disclosure risk report", init=False)

    @property
    def k_violations(self) -> dict[int, int]:
        """Records violating k-anonymity at each of :attr:`k_levels` (``fk < k``)."""
        return {k: self.frequencies.violations(k) for k in self.k_levels}

    @property
    def n_records(self) -> int:
        """Number of records."""
        return self.frequencies.n_records

    def explain(self) -> Explanation:
        """The plain-language explanation (see :func:`htwork.risk.explain`)."""
        from htwork.risk.explain import explain

        return explain(self)

    def _data(self) -> dict[str, Any]:
        """JSON-ready report; the keys the command line promises are at the top level."""
        f = self.frequencies
        out: dict[str, Any] = {
            "n_records": f.n_records,
            "quasi_identifiers": list(self.keys),
            "weight": self.weight,
            "k_violations": {str(k): v for k, v in self.k_violations.items()},
            "equivalence_classes": f.n_classes,
            "sample_uniques": f.sample_uniques,
            "global_risk": self.risk.global_risk,
            "expected_reidentifications": self.risk.expected_reidentifications,
            "risk_method": self.risk.method,
            "max_risk": self.risk.max_risk,
            "records_with_missing_key": f.records_with_missing,
        }
        if self.risk.cluster is not None:
            out["cluster_risk"] = self.risk.to_dict()["cluster"]
        if self.suda is not None:
            s = self.suda.to_dict()
            out["suda2"] = {
                k: s[k]
                for k in (
                    "records_above_zero",
                    "total_score",
                    "total_dis_score",
                    "contributions",
                    "max_score",
                    "msus_by_size",
                )
            }
        else:
            out["suda2"] = None
        if self.l_diversity is not None:
            out["sensitive"] = list(self.sensitive)
            out["l_diversity"] = self.l_diversity.to_dict()
        if self.t_closeness is not None:
            out["t_closeness"] = self.t_closeness.to_dict()
        out["explanation"] = self.explain().sentences
        out["notes"] = list(self.notes)
        out["conventions"] = {
            "missing_key_values": "wildcard (sdcMicro alpha = 1)",
            "all_missing_records": f.all_missing,
            "suda2_missing": None if self.suda is None else self.suda.missing,
        }
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row per record: fk, risk, SUDA scores, l-diversity and t measures."""
        parts = [self.risk.to_frame()]
        if self.suda is not None:
            parts.append(self.suda.to_frame())
        if self.l_diversity is not None:
            parts.append(self.l_diversity.to_frame())
        if self.t_closeness is not None:
            parts.append(self.t_closeness.to_frame().add_suffix("_t"))
        return pd.concat(parts, axis=1)

    def _headline(self) -> str:
        return " ".join(self.explain().sentences[:2])

    def _summary_rows(self) -> list[tuple[str, Any]]:
        f = self.frequencies
        rows: list[tuple[str, Any]] = [
            ("records", f.n_records),
            ("quasi-identifiers", ", ".join(self.keys)),
            ("equivalence classes", f.n_classes),
            ("sample uniques (fk = 1)", f.sample_uniques),
        ]
        rows += [(f"records violating {k}-anonymity", v) for k, v in self.k_violations.items()]
        rows += [
            ("expected re-identifications", self.risk.expected_reidentifications),
            ("global risk", self.risk.global_risk),
        ]
        if self.suda is not None:
            rows.append(("records with SUDA score > 0", self.suda.records_above_zero))
            rows += [
                (f"SUDA contribution of {k} (%)", v)
                for k, v in self.suda.attribute_contributions.items()
            ]
        if self.l_diversity is not None:
            for s in self.sensitive:
                rows.append((f"{s}: records with l = 1", self.l_diversity.records_with_l1(s)))
        if self.t_closeness is not None:
            for s in self.sensitive:
                rows.append((f"{s}: largest t", self.t_closeness.max_t(s)))
        return rows

    def _notes(self) -> list[str]:
        return list(self.notes)


def assess(
    df: pd.DataFrame,
    quasi: str | Iterable[str],
    sensitive: str | Iterable[str] | None = None,
    weight: str | None = None,
    *,
    group: str | None = None,
    suda: bool = True,
    all_missing: Literal["sdcmicro", "wildcard"] = "sdcmicro",
    ordered: bool | Sequence[Any] | dict[str, Sequence[Any]] | None = None,
    t_threshold: float = 0.2,
    k: int | Iterable[int] | None = None,
) -> RiskReport:
    """Assess the disclosure risk of a table in one call.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    quasi : str or iterable of str
        Quasi-identifiers (what an outsider could know: sex, age band, nationality, province).
    sensitive : str or iterable of str, optional
        Sensitive attributes for l-diversity and t-closeness (exploitation type, methods of
        control).
    weight : str, optional
        Sampling weights; omit for a register (everyone assisted is in the data).
    group : str, optional
        Column of people identified together (case id) for the cluster risk.
    suda : bool
        Compute SUDA2 (skipped anyway beyond :data:`MAX_SUDA_KEYS` keys).
    all_missing : {"sdcmicro", "wildcard"}
        See :func:`htwork.risk.frequencies`.
    ordered : bool, sequence or dict, optional
        Order of the sensitive categories for t-closeness (see :func:`t_closeness`).
    t_threshold : float
        t above which records are counted as too far from the whole table.
    k : int or iterable of int, optional
        Also report violations of k-anonymity at these k (a policy's k, e.g. CTDC's 11);
        2, 3 and 5 are always reported.

    Returns
    -------
    RiskReport

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"sex": list("FFMM"), "age": ["a", "a", "b", "c"], "x": list("pqpp")})
    >>> rep = assess(df, ["sex", "age"], sensitive="x")
    >>> rep.to_dict()["sample_uniques"]
    2
    """
    asked = [] if k is None else ([k] if isinstance(k, int) else list(k))
    for level in asked:
        _check_k(level)
    k_levels = sorted({*STANDARD_K, *(int(level) for level in asked)})
    kc = encode_keys(df, quasi)
    weights = read_weights(df, weight)
    sens = parse_columns(sensitive)
    notes: list[str] = []
    freq = frequencies_from_codes(kc, weights, df.index, all_missing=all_missing)
    gids = None if group is None else _group_ids(df, group)
    risk = risk_from_frequencies(freq, group_ids=gids, group=group)
    suda_result = None
    if suda and kc.p <= MAX_SUDA_KEYS:
        suda_result = suda2(df, kc.keys)
    elif suda:
        notes.append(f"SUDA2 skipped: {kc.p} keys give 2^{kc.p} combinations to search")
    ldiv = tclose = None
    if sens:
        ldiv = l_diversity(df, kc.keys, sens)
        tclose = t_closeness(df, kc.keys, sens, ordered=ordered, threshold=t_threshold)
    if freq.records_with_missing:
        notes.append(
            f"{freq.records_with_missing:,} records miss some key: a missing value is treated "
            "as possibly equal to any value (sdcMicro's rule)"
        )
    return RiskReport(
        keys=list(kc.keys),
        sensitive=sens,
        weight=weight,
        frequencies=freq,
        risk=risk,
        suda=suda_result,
        l_diversity=ldiv,
        t_closeness=tclose,
        notes=notes,
        k_levels=k_levels,
    )
