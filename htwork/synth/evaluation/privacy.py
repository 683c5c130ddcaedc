"""Privacy measures: exact copies, leakage by length, and anonymeter's three attacks.

anonymeter (Giomi et al. 2023) measures singling out, linkability and inference as the
attacker's success on training rows *in excess of* its success on control rows the synthesizer
never saw, with Wilson confidence intervals. Its rough edges are handled here:

- column names with spaces, brackets, symbols or of non-string type: every table is renamed to
  safe names (``c00_gender``) before it reaches anonymeter;
- identical or near-identical data (a synthetic table that *is* the training table; the holdout
  scored as synthetic): each attack runs on its own and a failure is reported with the reason
  instead of stopping the evaluation; the control set is always disjoint from what plays the
  synthetic table;
- univariate singling out builds its queries from values that occur once, so high-cardinality
  columns (citizenship with a long tail) supply nearly all of them: the pooled figure is shown
  beside a per-column breakdown, and the number of attacks is the number of queries that can
  actually be built (anonymeter divides by the number *asked for*, understating the risk);
- every cell is text (missing = ``<missing>``), so that numeric-looking codes are not treated
  as quantities by its distance functions.
"""

from __future__ import annotations

import contextlib
import io
import logging
import warnings
from collections.abc import Hashable, Sequence
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from htwork.synth.evaluation.prep import as_text, joint_codes, safe_names
from htwork.synth.network import joint_index

__all__ = ["exact_copy_share", "leakage_by_length", "anonymeter_risks"]


def exact_copy_share(train: pd.DataFrame, other: pd.DataFrame) -> float:
    """Share of ``other``'s rows that are identical to some training row (all columns)."""
    (tc, oc), cards = joint_codes(train, other)
    tkeys = {row.tobytes() for row in tc}
    return float(np.mean([row.tobytes() in tkeys for row in oc])) if len(oc) else 0.0


def leakage_by_length(
    train: pd.DataFrame, other: pd.DataFrame, *, max_length: int = 3, k: int = 5
) -> dict[str, dict[str, float]]:
    """Attribute combinations of ``other`` that describe fewer than ``k`` training people.

    For each length ``L`` up to ``max_length``, over every set of ``L`` columns: the distinct
    value combinations present in ``other``, how many of them describe between 1 and ``k - 1``
    training rows (``rare``: these point at few real people), how many describe none
    (``fabricated``), and the share of ``other``'s rows that carry at least one rare combination.
    Synthetic Data Showcase's k-synthetic data keep ``rare`` at zero by construction.

    Returns
    -------
    dict
        ``str(L)`` -> ``{"combinations", "rare", "rare_share", "fabricated", "rows_with_rare"}``.
    """
    (tc, oc), cards = joint_codes(train, other)
    d = tc.shape[1]
    out = {}
    for length in range(1, min(max_length, d) + 1):
        n_comb = n_rare = n_fab = 0
        row_rare = np.zeros(len(oc), dtype=bool)
        for cols in combinations(range(d), length):
            tk = joint_index(tc, cols, cards)
            ok = joint_index(oc, cols, cards)
            uk, ucount = np.unique(tk, return_counts=True)
            ok_unique, inverse = np.unique(ok, return_inverse=True)
            pos = np.searchsorted(uk, ok_unique)
            pos = np.minimum(pos, len(uk) - 1)
            found = uk[pos] == ok_unique
            real_count = np.where(found, ucount[pos], 0)
            rare = (real_count >= 1) & (real_count < k)
            n_comb += len(ok_unique)
            n_rare += int(rare.sum())
            n_fab += int((real_count == 0).sum())
            row_rare |= rare[inverse]
        out[str(length)] = {
            "combinations": n_comb,
            "rare": n_rare,
            "rare_share": n_rare / max(n_comb, 1),
            "fabricated": n_fab,
            "rows_with_rare": float(row_rare.mean()) if len(oc) else 0.0,
        }
    return out


def _risk_dict(results: Any, n_attacks: int) -> dict[str, Any]:
    risk = results.risk()
    raw = {}
    if getattr(results, "n_success", None) is not None:
        raw = {
            "attack_rate_raw": results.n_success / max(results.n_attacks_ori, 1),
            "baseline_rate_raw": results.n_baseline / max(results.n_attacks_baseline, 1),
            "control_rate_raw": (results.n_control or 0) / max(results.n_attacks_control, 1),
        }
    return {
        **raw,
        "risk": float(risk.value),
        "ci": [float(risk.ci[0]), float(risk.ci[1])],
        "attack_rate": float(results.attack_rate.value),
        "baseline_rate": float(results.baseline_rate.value),
        "control_rate": None if results.control_rate is None else float(results.control_rate.value),
        "n_attacks": int(n_attacks),
    }


def _quiet(fn, *args, **kwargs) -> dict[str, Any]:
    """Run one attack; a failure becomes ``{"risk": None, "error": ...}``."""
    logger = logging.getLogger("anonymeter")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            return fn(*args, **kwargs)
    except Exception as err:  # noqa: BLE001 - anonymeter's failures are reported, not raised
        return {"risk": None, "ci": None, "error": f"{type(err).__name__}: {err}"}
    finally:
        logger.setLevel(level)


def _count_matches(df, queries) -> np.ndarray:
    """How many rows of a polars frame each query matches."""
    import polars as pl

    if not queries:
        return np.zeros(0, dtype=int)
    out = []
    for i in range(0, len(queries), 500):
        chunk = queries[i : i + 500]
        row = df.select([q.cast(pl.Int64).sum().alias(f"q{k}") for k, q in enumerate(chunk)])
        out.extend(row.row(0))
    return np.asarray(out, dtype=float)


def _singling_out(ori, syn, control, *, mode, n_attacks, n_cols, max_attempts, seed):
    """Singling out with anonymeter's query generators and its Wilson intervals.

    The queries are built from the synthetic table as anonymeter builds them; a query singles
    out when it matches exactly one row of the targets (or of the control). Unlike
    ``SinglingOutEvaluator``, targets and control are not de-duplicated (two identical people
    are not singled out by a query that matches both), they have the same size (no fitted size
    correction, which can push the control count above the number of queries and fail), and the
    rate is over the queries actually built.
    """
    import polars as pl
    from anonymeter.evaluators.singling_out_evaluator import (
        multivariate_singling_out_queries,
        univariate_singling_out_queries,
    )
    from anonymeter.stats.confidence import EvaluationResults

    rng = np.random.default_rng(seed)
    if mode == "univariate":
        # values that occur once in the synthetic table (not de-duplicated first: on one
        # column, de-duplication would make every value "occur once")
        queries = univariate_singling_out_queries(pl.DataFrame(syn), n_attacks, rng)
    else:
        syn_pl = pl.DataFrame(syn).unique(maintain_order=True)
        queries = multivariate_singling_out_queries(
            syn_pl, n_attacks, n_cols, max_attempts, rng)
    n_q = len(queries)
    if n_q == 0:
        return {"risk": 0.0, "ci": [0.0, 0.0], "n_attacks": 0,
                "note": "no singling-out query could be built from the synthetic table"}
    ori_pl, ctl_pl = pl.DataFrame(ori), pl.DataFrame(control)
    n_success = int((_count_matches(ori_pl, queries) == 1).sum())
    n_control = int((_count_matches(ctl_pl, queries) == 1).sum())
    # baseline: the same number of queries on random values of random columns
    baseline = []
    cols = list(syn.columns)
    values = {c: syn[c].unique() for c in cols}
    for _ in range(n_q):
        chosen = rng.choice(cols, size=min(n_cols, len(cols)), replace=False)
        expr = None
        for c in chosen:
            e = pl.col(c) == str(rng.choice(values[c]))
            expr = e if expr is None else expr & e
        baseline.append(expr)
    n_base = int((_count_matches(ori_pl, baseline) == 1).sum())
    res = EvaluationResults(n_attacks=n_q, n_success=n_success, n_baseline=n_base,
                            n_control=n_control)
    return _risk_dict(res, n_q)


def _linkability(ori, syn, control, *, aux_cols, n_attacks):
    from anonymeter.evaluators import LinkabilityEvaluator

    ev = LinkabilityEvaluator(ori, syn, aux_cols=aux_cols, n_attacks=n_attacks, control=control,
                              n_neighbors=1)
    ev.evaluate(n_jobs=2)
    return _risk_dict(ev.results(), n_attacks)


def _inference(ori, syn, control, *, secret, aux_cols, n_attacks):
    from anonymeter.evaluators import InferenceEvaluator

    ev = InferenceEvaluator(ori, syn, aux_cols=aux_cols, secret=secret, n_attacks=n_attacks,
                            control=control)
    ev.evaluate(n_jobs=2)
    return _risk_dict(ev.results(), n_attacks)


def _pooled(results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One inference risk over all secrets: successes and attacks added up."""
    from anonymeter.stats.confidence import EvaluationResults

    ok = [r for r in results.values() if r.get("risk") is not None and r.get("n_attacks")]
    if not ok:
        return {"risk": None, "ci": None, "error": "no inference attack ran"}
    n = sum(r["n_attacks"] for r in ok)
    succ = sum(round(r["attack_rate_raw"] * r["n_attacks"]) for r in ok)
    base = sum(round(r["baseline_rate_raw"] * r["n_attacks"]) for r in ok)
    ctl = sum(round(r["control_rate_raw"] * r["n_attacks"]) for r in ok)
    res = EvaluationResults(n_attacks=n, n_success=succ, n_baseline=base, n_control=ctl)
    return {**_risk_dict(res, n), "secrets": len(ok)}


def anonymeter_risks(
    train: pd.DataFrame,
    synthetic: pd.DataFrame,
    control: pd.DataFrame,
    *,
    secrets: Sequence[Hashable] | None = None,
    link_columns: tuple[Sequence[Hashable], Sequence[Hashable]] | None = None,
    n_attacks: int = 1000,
    n_cols: int = 3,
    max_attempts: int = 20_000,
    by_column: bool = True,
    seed: int = 0,
) -> dict[str, Any]:
    """anonymeter's singling-out, linkability and inference risks with their intervals.

    Parameters
    ----------
    train : DataFrame
        Rows the synthesizer learnt from: the attacks' targets. Subsampled to the control's
        size so that both target sets are alike.
    synthetic : DataFrame
        What the attacker holds.
    control : DataFrame
        Real rows the synthesizer never saw (part of the holdout); must not overlap what
        plays ``synthetic``.
    secrets : sequence, optional
        Columns attacked by inference (the others are the attacker's knowledge); default all.
    link_columns : pair of sequences, optional
        The two halves of the columns for linkability; default: first half, second half.
    n_attacks : int
        Attacks per measure (capped at the control's size).
    n_cols : int
        Columns per multivariate singling-out query.
    max_attempts : int
        Cap on multivariate query generation.
    by_column : bool
        Also run univariate singling out on each column alone.
    seed : int
        Seed of the target subsample and of the queries.

    Returns
    -------
    dict
        ``singling_out_univariate``, ``singling_out_multivariate``, ``linkability``,
        ``inference`` (secret -> result), ``singling_out_univariate_by_column``, ``inference_max``.
        Each result: ``risk`` (0..1), ``ci``, success rates, ``n_attacks``; or ``error``.
    """
    state = np.random.get_state()
    np.random.seed(seed)  # anonymeter draws its inference/linkability targets from numpy's
    try:  # global generator: seed it so that an evaluation is repeatable
        return _anonymeter_risks(train, synthetic, control, secrets=secrets,
                                 link_columns=link_columns, n_attacks=n_attacks, n_cols=n_cols,
                                 max_attempts=max_attempts, by_column=by_column, seed=seed)
    finally:
        np.random.set_state(state)


def _anonymeter_risks(train, synthetic, control, *, secrets, link_columns, n_attacks, n_cols,
                      max_attempts, by_column, seed):
    cols = list(train.columns)
    names = safe_names(cols)
    rng = np.random.default_rng(seed)
    m = min(len(train), len(control))
    ori = as_text(train.iloc[rng.choice(len(train), m, replace=False)], names)
    ctl = as_text(control.iloc[rng.choice(len(control), m, replace=False)], names)
    syn = as_text(synthetic, names)
    n_attacks = int(min(n_attacks, m))
    out: dict[str, Any] = {"n_targets": m, "n_attacks": n_attacks}
    for mode in ("univariate", "multivariate"):
        out[f"singling_out_{mode}"] = _quiet(
            _singling_out, ori, syn, ctl, mode=mode, n_attacks=n_attacks,
            n_cols=min(n_cols, len(cols)), max_attempts=max_attempts, seed=seed,
        )
    if by_column:
        out["singling_out_univariate_by_column"] = {
            str(c): _quiet(_singling_out, ori[[names[c]]], syn[[names[c]]], ctl[[names[c]]],
                           mode="univariate", n_attacks=n_attacks, n_cols=1,
                           max_attempts=max_attempts, seed=seed)
            for c in cols
        }
        ok = {k: v for k, v in out["singling_out_univariate_by_column"].items()
              if v.get("risk") is not None and v.get("n_attacks")}
        if ok:
            worst = max(ok, key=lambda k: ok[k]["risk"])
            out["singling_out_univariate_max_column"] = {**ok[worst], "column": worst}
    if link_columns is None:
        half = max(len(cols) // 2, 1)
        link_columns = (cols[:half], cols[half:])
    if len(link_columns[0]) and len(link_columns[1]):
        aux = ([names[c] for c in link_columns[0]], [names[c] for c in link_columns[1]])
        out["linkability"] = _quiet(_linkability, ori, syn, ctl, aux_cols=aux,
                                    n_attacks=n_attacks)
    inference = {}
    for secret in (cols if secrets is None else list(secrets)):
        aux = [names[c] for c in cols if c != secret]
        inference[str(secret)] = _quiet(_inference, ori, syn, ctl, secret=names[secret],
                                        aux_cols=aux, n_attacks=n_attacks)
    out["inference"] = inference
    out["inference_pooled"] = _quiet(_pooled, inference)
    ok = {k: v for k, v in inference.items() if v.get("risk") is not None}
    if ok:
        worst = max(ok, key=lambda k: ok[k]["risk"])
        out["inference_max"] = {**ok[worst], "secret": worst}
    else:
        out["inference_max"] = None
    return out
