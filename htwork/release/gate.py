"""Assess a protected table and gate it against a policy's thresholds.

:func:`measure` computes every risk figure the policy can check; :func:`check` compares them
with the thresholds; :func:`suggest_fixes` computes, for a failing gate, what each candidate
change (one more level of recoding, local suppression) would do to the number of risky records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from htwork.errors import HtworkError
from htwork.release.policy import Policy
from htwork.release.policy_floors import protection_missing
from htwork.release.protect import RECODE_LEVELS, recode_values, suppress
from htwork.risk import assess, frequencies, l_diversity

__all__ = ["GateError", "Failure", "measure", "check", "suggest_fixes", "risky_mask"]


class GateError(HtworkError):
    """The protected table does not meet the release policy: nothing was released."""


@dataclass(frozen=True)
class Failure:
    """One threshold the release does not meet."""

    measure: str
    threshold: float
    value: float
    text: str

    @property
    def by(self) -> float:
        """How far the value is from the threshold (positive = that much too risky)."""
        return abs(self.value - self.threshold)


def measure(table: pd.DataFrame, policy: Policy) -> dict[str, Any]:
    """Every risk figure of a microdata table under ``policy`` (JSON-ready)."""
    q = [c for c in policy.quasi_identifiers if c in table]
    rep = assess(table, q)
    d = rep.to_dict()
    fr = frequencies(table, q)
    fk = np.asarray(fr.fk, dtype=float)
    out: dict[str, Any] = {
        "n_records": int(d["n_records"]),
        "quasi_identifiers": q,
        "min_fk": int(fk.min()) if len(fk) else 0,
        "k_violations": d["k_violations"],
        "equivalence_classes": int(d["equivalence_classes"]),
        "sample_uniques": int(d["sample_uniques"]),
        "global_risk": round(float(d["global_risk"]), 10),
        "max_individual_risk": round(float(d["max_risk"]), 10),
        "expected_reidentifications": round(float(d["expected_reidentifications"]), 6),
        "records_with_missing_key": int(d["records_with_missing_key"]),
        "suda2": {
            "records_above_zero": int(d["suda2"]["records_above_zero"]),
            "total_score": round(float(d["suda2"]["total_score"]), 6),
            "total_dis_score": round(float(d["suda2"]["total_dis_score"]), 10),
            "contributions": {k: round(float(v), 6)
                              for k, v in d["suda2"]["contributions"].items()},
        },
        "explanation": list(d["explanation"]),
    }
    if policy.thresholds.k:
        k = policy.thresholds.k
        out["k_violations"] = dict(out["k_violations"], **{str(k): int((fk < k).sum())})
    sens = [c for c in policy.sensitive if c in table]
    if sens:
        ld = l_diversity(table, q, sens).to_dict()
        out["l_diversity"] = {
            a: {"min_distinct": int(v["min_distinct"]),
                "records_with_l1": int(v["records_with_l1"])}
            for a, v in ld["by_attribute"].items()
        }
    return out


def risky_mask(table: pd.DataFrame, policy: Policy) -> np.ndarray:
    """Records the policy counts as risky: fk below k, or own risk 1/fk above the global or
    individual threshold."""
    q = [c for c in policy.quasi_identifiers if c in table]
    fk = np.asarray(frequencies(table, q).fk, dtype=float)
    th = policy.thresholds
    bad = np.zeros(len(fk), dtype=bool)
    if th.k:
        bad |= fk < th.k
    for limit in (th.global_risk, th.individual_risk):
        if limit:
            bad |= 1.0 / fk > limit
    return bad


def check(figures: dict[str, Any], policy: Policy) -> list[Failure]:
    """Thresholds of ``policy`` that ``figures`` (from :func:`measure`) do not meet."""
    th = policy.thresholds
    out: list[Failure] = []
    unprotected = protection_missing(policy)
    if unprotected:  # Policy refuses this when built; checked again at the gate
        out.append(Failure("protection", 0, 0, unprotected))
    if policy.route == "aggregate":
        agg = figures.get("aggregate", {})
        if th.min_cell and agg.get("combinations_published") and \
                agg["smallest_published_count"] < th.min_cell:
            out.append(Failure("min_cell", th.min_cell, agg["smallest_published_count"],
                               f"a published count is {agg['smallest_published_count']}, below "
                               f"the minimum cell size {th.min_cell}"))
        return out
    if th.k:
        n = figures["k_violations"][str(th.k)]
        if n:
            out.append(Failure("k", th.k, figures["min_fk"],
                               f"{n:,} records share their quasi-identifiers with fewer than "
                               f"{th.k - 1} others (k = {figures['min_fk']}, needed {th.k})"))
    if th.global_risk is not None and figures["global_risk"] >= th.global_risk:
        g = figures["global_risk"]
        out.append(Failure("global_risk", th.global_risk, g,
                           f"global risk is {g:.2%}, above the {th.global_risk:.2%} allowed "
                           f"(by {g - th.global_risk:.2%} points)"))
    if th.individual_risk is not None and figures["max_individual_risk"] > th.individual_risk:
        m = figures["max_individual_risk"]
        out.append(Failure("individual_risk", th.individual_risk, m,
                           f"the riskiest record has risk {m:.2%}, above the "
                           f"{th.individual_risk:.2%} allowed"))
    if th.suda_records is not None and figures["suda2"]["records_above_zero"] > th.suda_records:
        n = figures["suda2"]["records_above_zero"]
        out.append(Failure("suda_records", th.suda_records, n,
                           f"{n:,} records are special uniques (SUDA score > 0), "
                           f"{n - th.suda_records:,} more than the {th.suda_records:,} allowed"))
    if th.l_diversity:
        for attr, v in figures.get("l_diversity", {}).items():
            if v["min_distinct"] < th.l_diversity:
                out.append(Failure("l_diversity", th.l_diversity, v["min_distinct"],
                                   f"{v['records_with_l1']:,} records are in groups where "
                                   f"{attr} takes a single value (l = {v['min_distinct']}, "
                                   f"needed {th.l_diversity})"))
    if th.anonymeter is not None and "anonymeter" in figures:
        syn = figures["anonymeter"]["synthetic"]
        hold = figures["anonymeter"].get("holdout", {})
        excess = {a: r - hold.get(a, 0.0) for a, r in syn.items()}
        over = sorted((a for a, e in excess.items() if e > th.anonymeter),
                      key=lambda a: -excess[a])
        if over:
            worst = over[0]
            shown = "; ".join(f"{a} {syn[a]:.3f} (holdout {hold.get(a, 0.0):.3f})"
                              for a in over[:5])
            more = f" and {len(over) - 5} more" if len(over) > 5 else ""
            out.append(Failure("anonymeter", th.anonymeter, round(excess[worst], 10),
                               f"{len(over)} anonymeter attacks succeed on the synthetic table "
                               f"more than {th.anonymeter:.3f} above the same attack on real "
                               f"records never seen (holdout): {shown}{more}"))
    return out


def suggest_fixes(table: pd.DataFrame, policy: Policy, levels: dict[str, int]) -> list[str]:
    """What would fix a failing gate, computed: the change in risky records for one more
    level of recoding of each quasi-identifier, and for local suppression.

    Parameters
    ----------
    table : DataFrame
        The protected table that failed.
    policy : Policy
    levels : dict
        Recoding levels already applied.

    Returns
    -------
    list of str
        Best fix first, e.g. ``"recode ageBroad to 4 age groups (...): 412 fewer risky records
        (1,203 left)"``.
    """
    before = int(risky_mask(table, policy).sum())
    q = [c for c in policy.quasi_identifiers if c in table]
    found: list[tuple[int, str]] = []
    for col in q:
        names = RECODE_LEVELS.get(col)
        level = int(levels.get(col, 0)) + 1
        if not names or level >= len(names):
            continue
        trial = table.copy()
        trial[col] = recode_values(col, trial[col], level)
        after = int(risky_mask(trial, policy).sum())
        found.append((after, f"recode {col} to {names[level]} (recode: {{{col}: {level}}}): "
                             f"{before - after:,} fewer risky records ({after:,} left)"))
    k = policy.thresholds.k or 0
    if policy.thresholds.global_risk:
        k = max(k, int(np.ceil(1 / policy.thresholds.global_risk)))
    if k >= 2 and q:
        _, mask = suppress(table, q, min(k, max(len(table) // 2, 2)), list(policy.importance))
        cells = int(mask.to_numpy().sum())
        found.append((0, f"local suppression to k = {k} (suppress_k: {k}): blanks {cells:,} "
                         f"cells, {before:,} fewer risky records (0 left)"))
    found.sort(key=lambda t: t[0])
    return [text for _, text in found]
