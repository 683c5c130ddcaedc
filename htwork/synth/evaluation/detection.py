"""Detection: can a classifier tell real rows from synthetic ones? (cross-validated AUC)"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from htwork.synth.evaluation.prep import features

__all__ = ["detection_auc"]


def detection_auc(
    real: pd.DataFrame, synthetic: pd.DataFrame, *, folds: int = 5, seed: int = 0,
    max_rows: int = 10_000, types: Mapping[Hashable, Any] | None = None,
) -> dict[str, Any]:
    """Cross-validated ROC AUC of gradient-boosted trees separating real from synthetic rows.

    0.5 means indistinguishable; 1.0 means every synthetic row gives itself away. Both tables
    are subsampled to the same size (at most ``max_rows`` each) so that chance is 0.5.
    Categories enter the trees as categories; numbers and dates (``types``) as quantities,
    with why a number is missing as a category beside it.

    Returns
    -------
    dict
        ``auc`` (mean over folds), ``sd``, ``folds``, ``rows_each``.
    """
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    rng = np.random.default_rng(seed)
    m = int(min(len(real), len(synthetic), max_rows))
    r = real.iloc[rng.choice(len(real), m, replace=False)]
    s = synthetic.iloc[rng.choice(len(synthetic), m, replace=False)]
    (rc, sc), categorical, _ = features([r, s], types or {})
    x = np.vstack([rc, sc])
    y = np.r_[np.zeros(m), np.ones(m)]
    clf = HistGradientBoostingClassifier(
        categorical_features=categorical if categorical.any() else None, max_iter=100,
        max_leaf_nodes=15, early_stopping=True, random_state=seed,
    )
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    scores = cross_val_score(clf, x, y, cv=cv, scoring="roc_auc", n_jobs=1)
    return {"auc": float(scores.mean()), "sd": float(scores.std()), "folds": folds,
            "rows_each": m}
