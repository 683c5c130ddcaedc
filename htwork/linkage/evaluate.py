"""Score a linkage against the truth of simulated lists: pairwise precision and recall."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from htwork.core.results import Result
from htwork.linkage.encode import Encoder

__all__ = ["pairwise_quality", "LinkQuality", "truth_by_record"]


@dataclass
class LinkQuality(Result):
    """Pairwise quality of a clustering: a pair is two records of one person (different lists).

    Attributes
    ----------
    precision, recall, f1 : float
    true_positive, false_positive, false_negative : int
    """

    precision: float
    recall: float
    f1: float
    true_positive: int
    false_positive: int
    false_negative: int

    def _data(self) -> dict[str, Any]:
        return dict(vars(self))

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([self.to_dict()])

    def summary(self) -> str:
        return (f"pairwise precision {self.precision:.4f}, recall {self.recall:.4f}, F1 "
                f"{self.f1:.4f} ({self.true_positive:,} true links found, "
                f"{self.false_positive:,} false, {self.false_negative:,} missed)")

    def __repr__(self) -> str:
        return (f"LinkQuality(precision={self.precision:.4f}, recall={self.recall:.4f}, "
                f"f1={self.f1:.4f})")

    def _repr_html_(self) -> str:
        return self.to_frame().to_html(index=False)


def truth_by_record(truth: pd.DataFrame, key: bytes) -> pd.DataFrame:
    """The simulation's truth keyed like the encodings: ``list``, ``rid``, ``person``.

    The record numbers are recomputed from the list name and row with the key, as each agency
    can do for its own rows.
    """
    enc = Encoder(key)
    out = truth[["list", "row", "person"]].copy()
    out["rid"] = [enc.record_id(lst, int(row)) for lst, row in zip(out["list"], out["row"],
                                                                    strict=True)]
    return out[["list", "rid", "person"]]


def _pairs(df: pd.DataFrame, col: str) -> set[tuple]:
    out: set[tuple] = set()
    for _, g in df.groupby(col, sort=False):
        if len(g) < 2:
            continue
        ids = sorted(zip(g["list"], g["rid"], strict=True))
        for i in range(len(ids)):
            for j in range(i + 1, len(ids)):
                out.add((ids[i], ids[j]))
    return out


def pairwise_quality(clusters: pd.DataFrame, truth: pd.DataFrame) -> LinkQuality:
    """Pairwise precision and recall of clusters against the truth.

    Parameters
    ----------
    clusters : DataFrame
        ``list``, ``rid``, ``person`` (a :class:`LinkResult`'s ``clusters``).
    truth : DataFrame
        ``list``, ``rid``, ``person`` (:func:`truth_by_record`).
    """
    m = clusters.merge(truth.rename(columns={"person": "true"}), on=["list", "rid"],
                       how="inner")
    found = _pairs(m, "person")
    real = _pairs(m, "true")
    tp = len(found & real)
    fp = len(found - real)
    fn = len(real - found)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return LinkQuality(precision, recall, f1, tp, fp, fn)
