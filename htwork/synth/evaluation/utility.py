"""Utility for a named analysis: train-on-synthetic-test-on-real, and CI overlap.

- :func:`tstr`: a classifier for ``target`` trained on the synthetic table and scored on the
  holdout, beside the same classifier trained on the real training table (the ideal).
- :func:`crosstab_overlap`: the share of ``target == positive`` in each group of ``by``, with
  Wilson 95% intervals on real and synthetic data, and the overlap of the intervals
  (Karr et al. 2006: the mean of the overlap's share of each interval; 1 = identical, 0 = apart).
- :func:`logit_overlap`: the same overlap for the coefficients of a logistic regression of
  ``target == positive`` on one-hot ``predictors``.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from htwork.errors import InputError
from htwork.synth.evaluation.prep import MISSING_TEXT, as_text, features, joint_codec

__all__ = ["tstr", "crosstab_overlap", "logit_overlap", "interval_overlap"]


def interval_overlap(lo1: float, hi1: float, lo2: float, hi2: float) -> float:
    """Karr et al.'s interval overlap: mean share of each interval covered by both."""
    inter = max(0.0, min(hi1, hi2) - max(lo1, lo2))
    parts = [inter / (hi - lo) if hi > lo else float(lo1 == lo2 and hi1 == hi2)
             for lo, hi in ((lo1, hi1), (lo2, hi2))]
    return 0.5 * (parts[0] + parts[1])


def _check_target(df: pd.DataFrame, target: Hashable) -> None:
    if target not in df.columns:
        raise InputError("the target column is not in the table", column=str(target),
                         hint=f"columns: {[str(c) for c in df.columns]}")


def tstr(
    train: pd.DataFrame, synthetic: pd.DataFrame, holdout: pd.DataFrame, target: Hashable,
    *, seed: int = 0, types: Mapping[Hashable, Any] | None = None,
) -> dict[str, Any]:
    """Train on synthetic, test on real (the holdout); and train on real for comparison.

    Rows whose target is missing are dropped. Scores: accuracy, balanced accuracy and
    (one-vs-rest, prevalence-weighted) ROC AUC. The target is a category; numbers and dates
    among the features (``types``) enter as quantities.
    """
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import accuracy_score, balanced_accuracy_score, roc_auc_score

    _check_target(train, target)
    (tc0, sc0, hc0), codec = joint_codec(train[[target]], synthetic[[target]], holdout[[target]])
    cards = codec.cardinalities
    missing_code = codec.code_of(0, MISSING_TEXT)
    others = [c for c in train.columns if c != target]
    (tf, sf, hf), categorical, _ = features(
        [train[others], synthetic[others], holdout[others]],
        {c: t for c, t in (types or {}).items() if c != target})
    tc, sc, hc = (np.column_stack([f, c0[:, 0]]) for f, c0 in ((tf, tc0), (sf, sc0), (hf, hc0)))
    j = tc.shape[1] - 1
    feats = list(range(j))
    cards = np.r_[np.zeros(j, dtype=np.int64), cards]

    def fit_score(codes: np.ndarray) -> dict[str, float]:
        keep = codes[:, j] != missing_code if missing_code is not None else slice(None)
        test = hc[hc[:, j] != missing_code] if missing_code is not None else hc
        x, y = codes[keep][:, feats], codes[keep][:, j].astype(np.int64)
        if len(np.unique(y)) < 2:
            return {"accuracy": float(np.mean(test[:, j] == y[0])), "balanced_accuracy": 0.5,
                    "auc": 0.5}
        clf = HistGradientBoostingClassifier(
            categorical_features=categorical if categorical.any() else None,
            early_stopping=True, random_state=seed)
        clf.fit(x, y)
        pred = clf.predict(test[:, feats])
        proba = clf.predict_proba(test[:, feats])
        classes = list(clf.classes_)
        ytrue = test[:, j].astype(np.int64)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if len(classes) == 2:
                auc = roc_auc_score(ytrue == classes[1], proba[:, 1])
            else:
                seen = np.isin(ytrue, classes)
                full = np.zeros((len(ytrue), int(cards[j])))
                full[:, classes] = proba
                present = sorted(set(ytrue[seen]))
                if len(present) < 2:
                    auc = float("nan")
                else:
                    sub = full[seen][:, present]
                    sub = sub / np.clip(sub.sum(axis=1, keepdims=True), 1e-12, None)
                    auc = roc_auc_score(ytrue[seen], sub, multi_class="ovr", average="weighted",
                                        labels=present)
            return {
                "accuracy": float(accuracy_score(ytrue, pred)),
                "balanced_accuracy": float(balanced_accuracy_score(ytrue, pred)),
                "auc": float(auc),
            }

    return {"target": str(target), "synthetic": fit_score(sc), "real": fit_score(tc)}


def _wilson(k: float, n: float, z: float = 1.959964) -> tuple[float, float, float]:
    if n <= 0:
        return (float("nan"),) * 3
    p = k / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return p, centre - half, centre + half


def _positive(series: pd.Series, positive: Any) -> pd.Series:
    from htwork.synth.codec import _norm

    t = as_text(series.to_frame()).iloc[:, 0]
    return t == _norm(positive)


def crosstab_overlap(
    real: pd.DataFrame, synthetic: pd.DataFrame, target: Hashable, by: Hashable,
    *, positive: Any = 1, min_count: int = 20,
) -> dict[str, Any]:
    """Share of ``target == positive`` by group of ``by``: real vs synthetic intervals.

    Groups with fewer than ``min_count`` real rows (with a recorded target) are left out.

    Returns
    -------
    dict
        ``overlap`` (mean over groups) and ``groups`` (list of per-group figures).
    """
    _check_target(real, target)
    _check_target(real, by)
    rows = []
    r_by = as_text(real[[by]]).iloc[:, 0]
    s_by = as_text(synthetic[[by]]).iloc[:, 0]
    r_ok = real[target].notna().to_numpy()
    s_ok = synthetic[target].notna().to_numpy()
    r_pos = _positive(real[target], positive).to_numpy()
    s_pos = _positive(synthetic[target], positive).to_numpy()
    for g in sorted(set(r_by[r_ok])):
        rm = (r_by == g).to_numpy() & r_ok
        sm = (s_by == g).to_numpy() & s_ok
        if rm.sum() < min_count:
            continue
        p1, l1, h1 = _wilson(r_pos[rm].sum(), rm.sum())
        p2, l2, h2 = _wilson(s_pos[sm].sum(), sm.sum())
        ov = interval_overlap(l1, h1, l2, h2) if sm.sum() > 0 else 0.0
        rows.append({"group": g, "real": p1, "real_ci": [l1, h1], "synthetic": p2,
                     "synthetic_ci": [l2, h2], "n_real": int(rm.sum()),
                     "n_synthetic": int(sm.sum()), "overlap": ov})
    return {
        "target": str(target), "by": str(by), "positive": str(positive),
        "overlap": float(np.mean([r["overlap"] for r in rows])) if rows else float("nan"),
        "groups": rows,
    }


def logit_overlap(
    real: pd.DataFrame, synthetic: pd.DataFrame, target: Hashable,
    predictors: Sequence[Hashable], *, positive: Any = 1, min_count: int = 20,
) -> dict[str, Any]:
    """Logistic regression of ``target == positive`` on one-hot ``predictors``, twice.

    Levels with fewer than ``min_count`` real rows are pooled into the reference level.

    Returns
    -------
    dict
        ``overlap`` (mean CI overlap over coefficients), ``sign_agreement`` and
        ``coefficients`` (name, real and synthetic estimate with 95% intervals).
    """
    import statsmodels.api as sm

    _check_target(real, target)
    for p in predictors:
        _check_target(real, p)

    def design(df: pd.DataFrame, levels: dict[Hashable, list[str]]):
        keep = df[target].notna().to_numpy()
        text = as_text(df[list(predictors)])[keep]
        cols = {}
        for p in predictors:
            for lv in levels[p]:
                cols[f"{p}={lv}"] = (text[p] == lv).astype(float).to_numpy()
        x = pd.DataFrame(cols)
        x.insert(0, "const", 1.0)
        y = _positive(df[target], positive).to_numpy()[keep].astype(float)
        return x, y

    text_real = as_text(real[list(predictors)])
    levels = {}
    for p in predictors:
        vc = text_real[p][real[target].notna().to_numpy()].value_counts()
        vc = vc[vc >= min_count]
        levels[p] = [str(v) for v in vc.index[1:]]  # most common level is the reference
    fits = {}
    for name, df in (("real", real), ("synthetic", synthetic)):
        x, y = design(df, levels)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                res = sm.GLM(y, x, family=sm.families.Binomial()).fit()
            fits[name] = (res.params, res.conf_int())
        except Exception as err:  # noqa: BLE001 - separation etc.: reported
            return {"target": str(target), "overlap": float("nan"),
                    "error": f"{name}: {type(err).__name__}: {err}", "coefficients": []}
    coefs = []
    (pr, cr), (ps, cs) = fits["real"], fits["synthetic"]
    for k in pr.index:
        if k == "const":
            continue
        ov = interval_overlap(cr.loc[k, 0], cr.loc[k, 1], cs.loc[k, 0], cs.loc[k, 1])
        coefs.append({"term": k, "real": float(pr[k]), "real_ci": [float(cr.loc[k, 0]),
                      float(cr.loc[k, 1])], "synthetic": float(ps[k]),
                      "synthetic_ci": [float(cs.loc[k, 0]), float(cs.loc[k, 1])],
                      "overlap": float(ov)})
    return {
        "target": str(target), "predictors": [str(p) for p in predictors],
        "overlap": float(np.mean([c["overlap"] for c in coefs])) if coefs else float("nan"),
        "sign_agreement": float(np.mean([np.sign(c["real"]) == np.sign(c["synthetic"])
                                         for c in coefs])) if coefs else float("nan"),
        "coefficients": coefs,
    }
