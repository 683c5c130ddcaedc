"""How many true pairs each pair of lists holds, from the linkage's own probabilities.

The date of birth is compared exactly on every candidate pair, and every pair with the same full
date is scored (a blocking rule joins them), so ``T``, the sum of the match probabilities of the
pairs of lists ``a`` and ``b`` with the same date, estimates how many true pairs of ``a`` and
``b`` have the same date (the probabilities are calibrated). Of the true pairs with a birth year
on both sides, a share ``m`` has the same date; ``m`` is measured for each pair of lists on the
pairs with the same name, weighted by probability (among true pairs, the dates agreeing does not
depend on the names agreeing: the Fellegi-Sunter assumption). So the two lists hold
``N = T / (m * y_a * y_b)`` true pairs, ``y`` each list's share of records with a birth year:
a capture-recapture on two fields. The pairs no blocking rule joined are counted in ``N`` too.

The names are those no list holds twice (``h_single``): pairs sharing a name some list holds
twice are often two people born in the same years, whose probabilities run high when the dates
differ (on the simulated lists the probabilities there added up to 13% more than the true
pairs, which put ``m`` 2% low and ``N`` 2% high; with ``h_single``, under 1%).

The counts are sums of probabilities over many pairs, nothing about one record; ``htwork link``
keeps them in the links folder's ``summary.json`` (``missed_links``) for
:func:`htwork.linkage.estimate_with_linkage_errors`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from htwork.errors import InputError

__all__ = ["missed_link_stats", "true_pairs"]


def missed_link_stats(frames: Sequence[pd.DataFrame], lists: Sequence[str],
                      pairs: pd.DataFrame) -> dict[str, Any]:
    """Counts of the linkage that estimate how many true pairs each pair of lists holds.

    Run at the coordinator by :func:`htwork.linkage.link` on the keyed fields; the counts are
    sums of match probabilities, nothing about a single record.

    Parameters
    ----------
    frames : sequence of DataFrame
        One per list, in the order of ``lists``: ``rid`` and the keyed hashes ``h_dob`` (full
        date), ``h_y`` (birth year) and ``h_single`` (folded name, where no list holds that
        name twice; see :func:`htwork.linkage.link._mark_rare_names`).
    lists : sequence of str
        The lists' names.
    pairs : DataFrame
        The scored pairs (``list_l``, ``rid_l``, ``list_r``, ``rid_r``,
        ``match_probability``), each with its lists in the order of ``lists``.

    Returns
    -------
    dict
        ``dated_share`` (each list's share of records with a birth year) and ``pairs``: for
        each pair of lists, ``same_date_p`` and ``same_date_pq`` (sum of ``p`` and of
        ``p * (1 - p)`` over the pairs with the same full date), ``name_dated_p`` (sum of ``p``
        over the pairs with the same name, which no list holds twice, and a birth year on
        both sides) and
        ``name_same_date_p`` (of those, the pairs with the same date).
    """
    lists = list(lists)
    cols: dict[str, list[np.ndarray]] = {"dob": [], "y": [], "name": []}
    order = {n: i for i, n in enumerate(lists)}
    li = pairs["list_l"].map(order).to_numpy()
    ri = pairs["list_r"].map(order).to_numpy()
    for rid_col, lno in (("rid_l", li), ("rid_r", ri)):
        got = {k: np.full(len(pairs), None, dtype=object) for k in cols}
        for i, f in enumerate(frames):
            sel = lno == i
            if not sel.any():
                continue
            idx = pd.Index(f["rid"].astype(str)).get_indexer(pairs.loc[sel, rid_col].astype(str))
            if (idx < 0).any():
                raise InputError("the pairs name records that are not in the lists",
                                 hint="link the encoded lists again")
            for k, c in (("dob", "h_dob"), ("y", "h_y"), ("name", "h_single")):
                got[k][sel] = f[c].to_numpy(dtype=object)[idx]
        for k in cols:
            cols[k].append(got[k])
    p = pairs["match_probability"].to_numpy(dtype=float)

    def same(k: str) -> np.ndarray:
        a, b = cols[k]
        return pd.notna(a) & pd.notna(b) & (a == b)

    same_date = same("dob")
    dated = pd.notna(cols["y"][0]) & pd.notna(cols["y"][1])
    same_name_dated = same("name") & dated
    out_pairs = []
    for a, b in itertools.combinations(range(len(lists)), 2):
        sel = (li == a) & (ri == b)
        sd, nd = sel & same_date, sel & same_name_dated
        out_pairs.append({
            "lists": [lists[a], lists[b]],
            "same_date_p": float(p[sd].sum()),
            "same_date_pq": float((p[sd] * (1 - p[sd])).sum()),
            "name_dated_p": float(p[nd].sum()),
            "name_same_date_p": float(p[nd & same_date].sum()),
        })
    dated_share = {n: float(f["h_y"].notna().mean()) if len(f) else 0.0
                   for n, f in zip(lists, frames, strict=True)}
    return {"dated_share": dated_share, "pairs": out_pairs}


def true_pairs(stats: dict[str, Any], a: str, b: str) -> tuple[float, float]:
    """Estimated true pairs of lists ``a`` and ``b``, and the standard error of its log.

    Parameters
    ----------
    stats : dict
        :func:`missed_link_stats` of the linkage.
    a, b : str
        Two lists, in the order of the linkage.

    Returns
    -------
    tuple of float
        ``N = T / (m * y_a * y_b)`` and the standard error of ``log N`` (binomial thinning of
        ``T``, the model's variance of ``T``, the variance of ``m``); both NaN when a count is
        zero.
    """
    rec = next(r for r in stats["pairs"] if r["lists"] == [a, b])
    t, tq = rec["same_date_p"], rec["same_date_pq"]
    nd, nsd = rec["name_dated_p"], rec["name_same_date_p"]
    ya, yb = stats["dated_share"][a], stats["dated_share"][b]
    if t <= 0 or nd <= 0 or nsd <= 0 or ya <= 0 or yb <= 0:
        return math.nan, math.nan
    m = nsd / nd
    q = m * ya * yb
    n = t / q
    var = (1 - q) / t + tq / t**2 + (1 - m) / (m * nd)
    return n, math.sqrt(max(var, 0.0))
