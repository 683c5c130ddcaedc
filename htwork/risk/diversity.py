"""l-diversity and t-closeness of a sensitive attribute within equivalence classes.

k-anonymity hides *who* a record is; it does not stop an outsider from learning something
about everyone in a class when they all share the sensitive value (all of them were in forced
labour in fishing, say). These measures look at the sensitive values inside each class.

Conventions (documented, partly sdcMicro's, partly ARX's):

* Equivalence classes are the records with identical key values, a missing key value counting
  as a value of its own (as sdcMicro's ``ldiversity``; ARX works the same way on released data).
* Missing sensitive values (sdcMicro's rule): they count as one more category for the distinct
  and entropy measures when the class has some other value; the recursive measure ignores
  them; a class whose sensitive values are all missing has distinct l = 0 and recursive l = 0.
* Distinct l: number of categories. Entropy l: ``exp(-sum p log p)``. Recursive (c, l): the
  largest l with ``r1 < c (r_l + ... + r_m)``, frequencies sorted decreasingly (c = 2 by
  default, as sdcMicro's ``l_recurs_c``).
* t-closeness is the earth mover's distance between the class's distribution of the sensitive
  values and the whole table's (missing values left out), as in Li, Li & Venkatasubramanian
  (2007) and ARX: with equal distances between categories it is half the L1 distance; for
  ordered categories it is ``sum |cumulative difference| / (m - 1)``. A class with no value
  has t = 0 (it reveals nothing).
* Multi-select attributes (items joined by ``;``, such as methods of control): for l-diversity
  a record's set of items is one category (order and blanks normalised), and in addition a
  class *shares an item* when every member with a value has that item: an outsider then learns
  it with certainty even if the sets differ. For t-closeness the distributions are over items
  (each record counts each of its items once; the counts are normalised to sum 1).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from htwork.core.keys import encode_keys, factor_column, file_of, parse_columns
from htwork.core.numbers import to_numbers
from htwork.core.wildcard import class_sizes
from htwork.errors import InputError
from htwork.risk._result import RiskResult, plural

__all__ = [
    "LDiversityResult",
    "TClosenessResult",
    "l_diversity",
    "t_closeness",
]

SEPARATOR = ";"


def _check_sensitive(df: pd.DataFrame, sensitive: Sequence[str], keys: Sequence[str]) -> None:
    if not sensitive:
        raise InputError("no sensitive attribute was given.", file=file_of(df))
    for s in sensitive:
        if s not in df.columns:
            raise InputError(
                f"the sensitive attribute {s!r} is not a column of the table.",
                file=file_of(df),
                column=s,
                hint="choose among: " + ", ".join(map(repr, map(str, df.columns[:15]))),
            )
        if s in keys:
            raise InputError(
                f"{s!r} is both a quasi-identifier and the sensitive attribute.",
                file=file_of(df),
                column=s,
                hint="a sensitive attribute is what an outsider should not learn",
            )


def _is_multi(values: pd.Series, separator: str) -> bool:
    uniq = pd.unique(values.dropna())
    return any(isinstance(v, str) and separator in v for v in uniq)


def _normalise_sets(values: pd.Series, separator: str) -> pd.Series:
    """``"b; a"`` and ``"a;b"`` become the same category ``"a;b"``."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    norm = []
    for u in uniques.tolist():
        items = sorted({p.strip() for p in str(u).split(separator) if p.strip()})
        norm.append(separator.join(items) if items else None)
    lut = np.array(norm + [None], dtype=object)
    return pd.Series(lut[codes], index=values.index)


def _item_matrix(values: pd.Series, separator: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(record, item) pairs of a multi-select column, and the item names."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    items: dict[str, int] = {}
    per_unique: list[list[int]] = []
    for u in uniques.tolist():
        ids = []
        for part in str(u).split(separator):
            part = part.strip()
            if part:
                ids.append(items.setdefault(part, len(items)))
        per_unique.append(sorted(set(ids)))
    rows, cols = [], []
    for r, c in enumerate(codes.tolist()):
        if c >= 0:
            for it in per_unique[c]:
                rows.append(r)
                cols.append(it)
    return np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), list(items)


def _class_measures(
    class_id: np.ndarray, sens: np.ndarray, c: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per class: distinct, entropy and recursive l, and number of missing values."""
    n_classes = int(class_id.max()) + 1
    size = np.bincount(class_id, minlength=n_classes).astype(float)
    miss = sens < 0
    n_miss = np.bincount(class_id[miss], minlength=n_classes)
    ok = ~miss
    n_cat = int(sens.max()) + 1 if ok.any() else 1
    pair = class_id[ok].astype(np.int64) * n_cat + sens[ok]
    upair, cnt = np.unique(pair, return_counts=True)
    pcls = upair // n_cat
    n_values = np.bincount(pcls, minlength=n_classes)
    distinct = n_values + ((n_miss > 0) & (n_values > 0))
    prob = cnt / size[pcls]
    ent = -np.bincount(pcls, weights=prob * np.log(prob), minlength=n_classes)
    with np.errstate(divide="ignore", invalid="ignore"):
        pm = np.where(n_miss > 0, n_miss / size, 1.0)
    ent += np.where((n_miss > 0) & (n_values > 0), -pm * np.log(pm), 0.0)
    entropy = np.exp(ent)
    # recursive (c, l): frequencies sorted decreasingly within each class
    order = np.lexsort((-cnt, pcls))
    pc, rc = pcls[order], cnt[order].astype(np.float64)
    start = np.r_[0, np.cumsum(n_values)[:-1]]
    rank = np.arange(len(pc)) - start[pc]
    top = np.zeros(n_classes)
    top[pc[rank == 0]] = rc[rank == 0]
    # suffix sums within class
    total = np.bincount(pc, weights=rc, minlength=n_classes)
    before = np.cumsum(rc) - rc - np.r_[0.0, np.cumsum(total)[:-1]][pc]
    suffix = total[pc] - before
    holds = (rank >= 1) & (np.float32(c) * suffix.astype(np.float32) > top[pc])
    recursive = np.where(n_values > 0, 1 + np.bincount(pc[holds], minlength=n_classes), 0)
    return distinct, entropy, recursive, n_miss


@dataclass(repr=False)
class LDiversityResult(RiskResult):
    """l-diversity of one or more sensitive attributes.

    Attributes
    ----------
    keys : list of str
        Quasi-identifiers.
    sensitive : list of str
        Sensitive attributes.
    measures : dict
        For each attribute a frame with one row per record: ``distinct``, ``entropy``,
        ``recursive`` (and ``shared_item`` for multi-select attributes).
    multi : dict
        Whether each attribute was read as multi-select.
    c : float
        Constant of recursive (c, l)-diversity.
    """

    keys: list[str]
    sensitive: list[str]
    measures: dict[str, pd.DataFrame]
    multi: dict[str, bool]
    c: float
    n_classes: int
    title: str = field(default="l-diversity", init=False)

    def records_with_l1(self, attribute: str | None = None) -> int:
        """Records whose class shows a single sensitive value (distinct l = 1)."""
        m = self.measures[attribute or self.sensitive[0]]
        return int((m["distinct"] == 1).sum())

    def records_below(self, l_value: int, attribute: str | None = None) -> int:
        """Records whose class has distinct l below ``l_value`` (classes with no value excluded)."""
        m = self.measures[attribute or self.sensitive[0]]
        d = m["distinct"]
        return int(((d < l_value) & (d > 0)).sum())

    def records_with_shared_item(self, attribute: str | None = None) -> int:
        """Multi-select: records whose class members all share some item."""
        m = self.measures[attribute or self.sensitive[0]]
        return int(m["shared_item"].sum()) if "shared_item" in m else 0

    def to_frame(self) -> pd.DataFrame:
        """One row per record; columns ``<attribute>_<measure>``."""
        parts = []
        for s in self.sensitive:
            parts.append(self.measures[s].add_prefix(f"{s}_"))
        return pd.concat(parts, axis=1)

    def _data(self) -> dict[str, Any]:
        """JSON-ready: first attribute at the top level, every attribute under ``by_attribute``."""
        by: dict[str, Any] = {}
        for s in self.sensitive:
            m = self.measures[s]
            d = {
                "records_with_l1": self.records_with_l1(s),
                "records_below_l2": self.records_below(2, s),
                "records_below_l3": self.records_below(3, s),
                "min_distinct": int(m["distinct"][m["distinct"] > 0].min())
                if (m["distinct"] > 0).any()
                else 0,
                "min_entropy": float(m["entropy"].min()),
                "min_recursive": int(m["recursive"][m["recursive"] > 0].min())
                if (m["recursive"] > 0).any()
                else 0,
                "multi_select": self.multi[s],
            }
            if self.multi[s]:
                d["records_with_shared_item"] = self.records_with_shared_item(s)
            by[s] = d
        out = dict(by[self.sensitive[0]])
        out["attribute"] = self.sensitive[0]
        out["recursive_c"] = self.c
        out["by_attribute"] = by
        return out

    def _headline(self) -> str:
        s = self.sensitive[0]
        n1 = self.records_with_l1(s)
        text = (
            f"{plural(n1, 'person', 'people')} share{'s' if n1 == 1 else ''} their {s} with "
            f"everyone else who has the same {' × '.join(self.keys)}."
        )
        if self.multi[s]:
            k = self.records_with_shared_item(s)
            text += f" For {plural(k, 'person', 'people')} some item of {s} is shared by all."
        return text

    def _summary_rows(self) -> list[tuple[str, Any]]:
        rows: list[tuple[str, Any]] = [("equivalence classes", self.n_classes)]
        for s in self.sensitive:
            d = self.to_dict()["by_attribute"][s]
            rows += [
                (f"{s}: records with distinct l = 1", d["records_with_l1"]),
                (f"{s}: records with distinct l < 3", d["records_below_l3"]),
                (f"{s}: smallest entropy l", d["min_entropy"]),
                (f"{s}: smallest recursive ({self.c:g}, l)", d["min_recursive"]),
            ]
            if self.multi[s]:
                rows.append(
                    (f"{s}: records with an item shared by all", d["records_with_shared_item"])
                )
        return rows

    def _notes(self) -> list[str]:
        return ["classes are identical key combinations (a missing key value is a value)"]


def l_diversity(
    df: pd.DataFrame,
    keys: str | Iterable[str],
    sensitive: str | Iterable[str],
    *,
    c: float = 2.0,
    separator: str = SEPARATOR,
    multi: bool | None = None,
) -> LDiversityResult:
    """Distinct, entropy and recursive (c, l)-diversity of sensitive attributes.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    keys : str or iterable of str
        Quasi-identifiers defining the equivalence classes.
    sensitive : str or iterable of str
        Sensitive attribute(s) (a comma-separated string is accepted).
    c : float
        Constant of recursive (c, l)-diversity (sdcMicro's default 2).
    separator : str
        Separator of multi-select values.
    multi : bool, optional
        Force (or forbid) the multi-select reading; by default a column is multi-select when
        some value contains the separator.

    Returns
    -------
    LDiversityResult
    """
    kc = encode_keys(df, keys)
    sens_cols = parse_columns(sensitive)
    _check_sensitive(df, sens_cols, kc.keys)
    if not c > 0:
        raise InputError(f"the recursive l-diversity constant c must be positive, not {c!r}.")
    class_id, _ = class_sizes(kc.codes)
    measures: dict[str, pd.DataFrame] = {}
    is_multi: dict[str, bool] = {}
    for s in sens_cols:
        col = df[s]
        mflag = _is_multi(col, separator) if multi is None else bool(multi)
        is_multi[s] = mflag
        values = _normalise_sets(col, separator) if mflag else col
        sens, _ = factor_column(values)
        distinct, entropy, recursive, _ = _class_measures(class_id, sens.astype(np.int64), c)
        frame = pd.DataFrame(
            {
                "distinct": distinct[class_id],
                "entropy": entropy[class_id],
                "recursive": recursive[class_id],
            },
            index=df.index,
        )
        if mflag:
            frame["shared_item"] = _shared_items(class_id, col, separator)
        measures[s] = frame
    return LDiversityResult(
        keys=list(kc.keys),
        sensitive=sens_cols,
        measures=measures,
        multi=is_multi,
        c=float(c),
        n_classes=int(class_id.max()) + 1,
    )


def _shared_items(class_id: np.ndarray, col: pd.Series, separator: str) -> np.ndarray:
    rows, items, names = _item_matrix(col, separator)
    n_classes = int(class_id.max()) + 1
    has_value = np.zeros(len(col), dtype=bool)
    has_value[rows] = True
    members = np.bincount(class_id[has_value], minlength=n_classes)
    if len(rows) == 0:
        return np.zeros(len(col), dtype=bool)
    key = class_id[rows].astype(np.int64) * len(names) + items
    ukey, cnt = np.unique(key, return_counts=True)
    cls = ukey // len(names)
    shared = np.zeros(n_classes, dtype=bool)
    full = cnt == members[cls]
    shared[cls[full]] = True
    return shared[class_id]


@dataclass(repr=False)
class TClosenessResult(RiskResult):
    """t-closeness (earth mover's distance) of each class to the whole table.

    Attributes
    ----------
    keys, sensitive : see :class:`LDiversityResult`.
    t : pandas.DataFrame
        One row per record, one column per sensitive attribute: the distance of the record's
        class.
    distance : dict
        ``"equal"`` or ``"ordered"`` for each attribute.
    threshold : float
        Records with t above it are counted as too far.
    """

    keys: list[str]
    sensitive: list[str]
    t: pd.DataFrame
    distance: dict[str, str]
    multi: dict[str, bool]
    threshold: float
    title: str = field(default="t-closeness", init=False)

    def max_t(self, attribute: str | None = None) -> float:
        """Largest distance of any class."""
        return float(self.t[attribute or self.sensitive[0]].max())

    def records_above(self, threshold: float | None = None, attribute: str | None = None) -> int:
        """Records whose class is farther than ``threshold`` from the whole table."""
        thr = self.threshold if threshold is None else threshold
        return int((self.t[attribute or self.sensitive[0]] > thr).sum())

    def to_frame(self) -> pd.DataFrame:
        """One row per record, the class distance per attribute."""
        return self.t.copy()

    def _data(self) -> dict[str, Any]:
        """JSON-ready figures."""
        by = {
            s: {
                "max_t": self.max_t(s),
                "records_above_threshold": self.records_above(attribute=s),
                "distance": self.distance[s],
                "multi_select": self.multi[s],
            }
            for s in self.sensitive
        }
        out = dict(by[self.sensitive[0]])
        out.update(
            {"attribute": self.sensitive[0], "threshold": self.threshold, "by_attribute": by}
        )
        return out

    def _headline(self) -> str:
        s = self.sensitive[0]
        k = self.records_above(attribute=s)
        return (
            f"{plural(k, 'person', 'people')} {'is' if k == 1 else 'are'} in a group whose {s} "
            f"differs from the whole table by more than t = {self.threshold:g}."
        )

    def _summary_rows(self) -> list[tuple[str, Any]]:
        rows: list[tuple[str, Any]] = []
        for s in self.sensitive:
            rows += [
                (f"{s}: largest t ({self.distance[s]} distance)", self.max_t(s)),
                (f"{s}: records with t > {self.threshold:g}", self.records_above(attribute=s)),
            ]
        return rows


def _distribution_pairs(
    col: pd.Series, multi: bool, separator: str, order: list[Any] | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[Any]]:
    """(record, category, weight) triples and the category list (in order)."""
    if multi:
        rows, cats, names = _item_matrix(col, separator)
        weight = np.ones(len(rows))
        categories: list[Any] = names
    else:
        codes, levels = factor_column(col)
        ok = codes >= 0
        rows = np.flatnonzero(ok)
        cats = codes[ok].astype(np.int64)
        weight = np.ones(len(rows))
        categories = list(levels)
    if order is not None:
        pos = {str(v): i for i, v in enumerate(order)}
        unknown = [c for c in categories if str(c) not in pos]
        if unknown:
            raise InputError(
                f"the order given for {col.name!r} lacks the categories {unknown[:5]!r}.",
                column=str(col.name),
                hint="list every category, from lowest to highest",
            )
        remap = np.array([pos[str(c)] for c in categories], dtype=np.int64)
        cats = remap[cats] if len(cats) else cats
        categories = list(order)
    return rows, cats, weight, categories


def _natural_order(categories: list[Any]) -> list[Any]:
    num = to_numbers([str(c) for c in categories])
    if len(categories) and not num.isna().any():
        return [categories[i] for i in np.argsort(num.to_numpy(), kind="stable")]
    return sorted(categories, key=str)


def t_closeness(
    df: pd.DataFrame,
    keys: str | Iterable[str],
    sensitive: str | Iterable[str],
    *,
    ordered: bool | Sequence[Any] | dict[str, Sequence[Any]] | None = None,
    threshold: float = 0.2,
    separator: str = SEPARATOR,
    multi: bool | None = None,
) -> TClosenessResult:
    """Earth mover's distance between each class's sensitive values and the whole table's.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    keys : str or iterable of str
        Quasi-identifiers defining the equivalence classes.
    sensitive : str or iterable of str
        Sensitive attribute(s).
    ordered : bool, sequence or dict, optional
        ``None``/``False``: categories are unordered (equal distance). ``True``: ordered in
        their natural order (numeric when every category is a number). A sequence: the order
        of the categories, lowest first. A dict: one of these per attribute.
    threshold : float
        t above which a record is counted as too far (ARX's examples use 0.2).
    separator : str
        Separator of multi-select values.
    multi : bool, optional
        Force (or forbid) the multi-select reading.

    Returns
    -------
    TClosenessResult
    """
    kc = encode_keys(df, keys)
    sens_cols = parse_columns(sensitive)
    _check_sensitive(df, sens_cols, kc.keys)
    class_id, _ = class_sizes(kc.codes)
    n_classes = int(class_id.max()) + 1
    out: dict[str, np.ndarray] = {}
    kinds: dict[str, str] = {}
    multis: dict[str, bool] = {}
    for s in sens_cols:
        spec = ordered.get(s) if isinstance(ordered, dict) else ordered
        col = df[s]
        mflag = _is_multi(col, separator) if multi is None else bool(multi)
        multis[s] = mflag
        explicit = list(spec) if isinstance(spec, list | tuple) else None
        rows, cats, weight, categories = _distribution_pairs(col, mflag, separator, explicit)
        if spec is True:
            nat = _natural_order(categories)
            pos = {str(v): i for i, v in enumerate(nat)}
            remap = np.array([pos[str(c)] for c in categories], dtype=np.int64)
            cats = remap[cats] if len(cats) else cats
            categories = nat
        m = max(len(categories), 1)
        overall = np.bincount(cats, weights=weight, minlength=m)
        overall = overall / overall.sum() if overall.sum() > 0 else overall
        cls = class_id[rows]
        cls_total = np.bincount(cls, weights=weight, minlength=n_classes)
        is_ordered = bool(spec)
        kinds[s] = "ordered" if is_ordered else "equal"
        t_cls = np.zeros(n_classes)
        if len(rows):
            if is_ordered:
                t_cls = _ordered_emd(cls, cats, weight, cls_total, overall, n_classes, m)
            else:
                key = cls.astype(np.int64) * m + cats
                ukey, inv = np.unique(key, return_inverse=True)
                w = np.bincount(inv, weights=weight)
                uc, ucat = ukey // m, ukey % m
                p = w / cls_total[uc]
                part = np.abs(p - overall[ucat]) - overall[ucat]
                t_cls = 0.5 * (1.0 + np.bincount(uc, weights=part, minlength=n_classes))
                t_cls[cls_total == 0] = 0.0
        out[s] = np.clip(t_cls, 0.0, None)[class_id]
    frame = pd.DataFrame(out, index=df.index)
    return TClosenessResult(
        keys=list(kc.keys),
        sensitive=sens_cols,
        t=frame,
        distance=kinds,
        multi=multis,
        threshold=float(threshold),
    )


def _ordered_emd(
    cls: np.ndarray,
    cats: np.ndarray,
    weight: np.ndarray,
    cls_total: np.ndarray,
    overall: np.ndarray,
    n_classes: int,
    m: int,
) -> np.ndarray:
    """Ordered-distance EMD per class, in chunks of classes to bound memory."""
    if m == 1:
        return np.zeros(n_classes)
    out = np.zeros(n_classes)
    chunk = max(1, 20_000_000 // m)
    for lo in range(0, n_classes, chunk):
        hi = min(n_classes, lo + chunk)
        sel = (cls >= lo) & (cls < hi)
        dense = np.zeros((hi - lo, m))
        np.add.at(dense, (cls[sel] - lo, cats[sel]), weight[sel])
        tot = cls_total[lo:hi]
        with np.errstate(divide="ignore", invalid="ignore"):
            p = np.where(tot[:, None] > 0, dense / tot[:, None], overall[None, :])
        out[lo:hi] = np.abs(np.cumsum(p - overall[None, :], axis=1)).sum(axis=1) / (m - 1)
    return out
