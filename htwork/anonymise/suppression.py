"""Local suppression to k-anonymity, with user importance and a preview.

A record violates k-anonymity when fewer than ``k`` records are compatible with it (missing
values are wildcards, sdcMicro's rule: see :func:`htwork.risk.frequencies`). Local suppression
blanks some key values of some records until nobody violates. Blanking a value never lowers
anyone's count (a blank matches more), so the published table is checked once more at the end.

Two strategies:

``method="sdcmicro"`` reproduces sdcMicro 5.8.1's ``localSuppression()`` (data-frame method,
no strata, ``alpha = 1``), for parity:

1. within each group of identical key combinations (a missing value is a value) larger than
   ``k`` only the first ``k`` records take part; the others come back unchanged at the end;
2. records violating k-anonymity are taken in increasing order of ``fk`` (ties: table order);
   for each, the records at the smallest positive number of conflicting keys (both values
   present and different) are its nearest neighbours, and the record's value is blanked in the
   first key, in importance order, on which some nearest neighbour conflicts with it;
3. ``fk`` is counted again and step 2 repeats until no record violates.

Importance follows sdcMicro: 1 is the most important key (blanked last). By default keys with
fewer categories are more important, so the key with the most categories is blanked first.

``method="minimal"`` (default) aims at the fewest blanked cells, honouring importance through
the cost of a blank (``1`` for the least important key, ``1 + importance_cost`` for the most
important). It builds *hubs*: records of a group that agree on all keys but a set ``T`` are
made compatible with the whole group by blanking ``T`` in a few of them, which lifts everyone
else's count. For each violating class it picks, among the key sets of the smallest size that
can work, the one whose group plan is cheapest per protected record; each round recounts
``fk`` exactly, so the result is always checked. A last pass gives back, most important key
first, every blanked value that k-anonymity does not need (on tables where comparing each
blanked cell with every record stays affordable: about 3e9 cell comparisons).
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from htwork.anonymise._base import BaseTransformer
from htwork.core.keys import KeyCodes, encode_keys, file_of, parse_columns
from htwork.core.wildcard import class_sizes, wildcard_counts
from htwork.errors import InputError

__all__ = ["LocalSuppression", "resolve_importance"]

Importance = Sequence[str] | Sequence[int] | Mapping[str, int] | str | None


def resolve_importance(importance: Importance, kc: KeyCodes) -> np.ndarray:
    """sdcMicro-style importance numbers ``1 .. p`` (1 = most important = blanked last).

    Parameters
    ----------
    importance : None, list of key names, list of numbers, dict or comma-separated str
        ``None``: fewer categories = more important (ties: the earlier key is more
        important). Names: most important first; keys not named come after, ordered by the
        default rule. Numbers: one per key, as sdcMicro's ``importance``. Dict: name ->
        number, completed by the default rule.
    kc : KeyCodes
        The encoded keys.
    """
    p = kc.p
    default_order = list(np.argsort(kc.cardinalities, kind="stable"))  # most important first
    if importance is None:
        ranks = np.empty(p, dtype=np.int64)
        ranks[default_order] = np.arange(1, p + 1)
        return ranks
    if isinstance(importance, str):
        importance = parse_columns(importance)
    if isinstance(importance, Mapping):
        items = sorted(importance.items(), key=lambda kv: kv[1])
        names = [str(k) for k, _ in items]
    else:
        seq = list(importance)
        ranks_given = [v for v in seq
                       if isinstance(v, int | np.integer) and not isinstance(v, bool)]
        if seq and len(ranks_given) == len(seq):
            if len(seq) != p or sorted(int(v) for v in ranks_given) != list(range(1, p + 1)):
                raise InputError(
                    f"importance numbers must be 1 .. {p}, each once, one per key; got {seq!r}.",
                    hint="or give key names, most important first",
                )
            return np.array(seq, dtype=np.int64)
        names = [str(v) for v in seq]
    for name in names:
        if name not in kc.keys:
            raise InputError(
                f"importance names {name!r}, which is not one of the keys {kc.keys!r}.",
                column=name,
            )
    if len(set(names)) != len(names):
        raise InputError(f"importance names a key twice: {names!r}.")
    order = [kc.keys.index(nm) for nm in names]
    order += [j for j in default_order if j not in order]
    ranks = np.empty(p, dtype=np.int64)
    ranks[order] = np.arange(1, p + 1)
    return ranks


# --------------------------------------------------------------------------------------------
# sdcMicro's algorithm
# --------------------------------------------------------------------------------------------


def _first_k_of_each_class(codes: np.ndarray, k: int) -> np.ndarray:
    """Rows taking part: the first ``k`` of each class of identical key combinations."""
    cid, _ = class_sizes(codes)
    order = np.argsort(cid, kind="stable")
    sorted_cid = cid[order]
    starts = np.flatnonzero(np.r_[True, sorted_cid[1:] != sorted_cid[:-1]])
    run_start = np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - run_start
    return rank < k


def _conflicts(x: np.ndarray, obs: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Number of conflicting keys (both present, different) between ``rows`` and every row."""
    out = np.zeros((len(rows), x.shape[0]), dtype=np.int8)
    for j in range(x.shape[1]):
        ne = x[rows, j][:, None] != x[:, j][None, :]
        ne &= obs[rows, j][:, None]
        ne &= obs[:, j][None, :]
        out += ne
    return out


def _sdcmicro(codes: np.ndarray, k: int, importance: np.ndarray) -> tuple[np.ndarray, int]:
    """sdcMicro's localSuppression on integer codes; returns new codes and passes made.

    The nearest neighbours of the violators are searched in blocks against the table as it
    stands at the start of the block, then corrected for the records blanked earlier in the
    same block, which is exactly the record-by-record order of sdcMicro.
    """
    n, p = codes.shape
    k = min(k, n)
    take = _first_k_of_each_class(codes, k)
    rows = np.flatnonzero(take)
    x = codes[rows].copy()
    m = len(rows)
    col_order = np.argsort(-importance, kind="stable")  # least important first
    block = max(1, min(512, 20_000_000 // max(1, m * p)))
    passes = 0
    while True:
        fk = wildcard_counts(x)
        problem = np.flatnonzero(fk < k)
        if len(problem) == 0:
            break
        passes += 1
        problem = problem[np.argsort(fk[problem], kind="stable")]
        obs = x >= 0
        for b0 in range(0, len(problem), block):
            chunk = problem[b0 : b0 + block]
            dist_block = _conflicts(x, obs, chunk)
            changed = np.empty(len(chunk), dtype=np.int64)
            n_changed = 0
            for bi, i in enumerate(chunk):
                dist = dist_block[bi]
                if n_changed:
                    ch = changed[:n_changed]
                    dist[ch] = ((x[ch] != x[i]) & obs[ch] & obs[i]).sum(axis=1)
                smallest = np.where(dist > 0, dist, 127).min()
                if smallest < 127:
                    nearest = np.flatnonzero(dist == smallest)
                    where = ((x[nearest] != x[i]) & obs[nearest] & obs[i]).any(axis=0)
                else:  # every record compatible (sdcMicro would stop): blank a present value
                    where = obs[i].copy()
                for c in col_order:
                    if where[c]:
                        x[i, c] = -1
                        obs[i, c] = False
                        changed[n_changed] = i
                        n_changed += 1
                        break
    out = codes.copy()
    out[rows] = x
    return out, passes


# --------------------------------------------------------------------------------------------
# fewest cells: hubs
# --------------------------------------------------------------------------------------------


def _group_plans(
    gid: np.ndarray,
    s: np.ndarray,
    d: np.ndarray,
    cost: np.ndarray,
    supply: np.ndarray,
    safe_cost: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cheapest hub plan of every group.

    The classes of a group agree on every key off ``T``; class ``q`` has ``s[q]`` violating
    records, deficit ``d[q] = k - fk`` and costs ``cost[q]`` per record made a hub. With the
    classes sorted by decreasing deficit, option ``t`` makes the first ``t`` classes hubs
    entirely and adds ``x = max(0, d[t] - hubs so far)`` hubs taken from the group's safe
    records (``supply`` of them, ``safe_cost`` each), so that every remaining class gains at
    least its deficit; the last option makes every class a hub.

    Returns
    -------
    hub : numpy.ndarray of bool
        Per class: becomes hubs.
    best : numpy.ndarray
        Per group: cost of the cheapest plan.
    safe_hubs : numpy.ndarray
        Per group: safe records to make hubs.
    """
    n_groups = int(gid.max()) + 1 if len(gid) else 0
    order = np.lexsort((-d, gid))
    g, ss, dd, cc = gid[order], s[order], d[order], cost[order]
    m = len(g)
    start = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    end = np.r_[start[1:], m]
    groups = g[start]
    seg = np.repeat(np.arange(len(start)), end - start)
    cum_s = np.r_[0, np.cumsum(ss)]
    cum_c = np.r_[0.0, np.cumsum(ss * cc)]
    hubs_before = cum_s[:-1] - cum_s[start][seg]
    cost_before = cum_c[:-1] - cum_c[start][seg]
    need = np.maximum(dd - hubs_before, 0)
    option = np.where(need <= supply[g], cost_before + need * safe_cost, np.inf)
    all_hubs = cum_c[end] - cum_c[start]
    best_option = np.full(len(start), np.inf)
    np.minimum.at(best_option, seg, option)
    use_all = all_hubs <= best_option
    first = np.full(len(start), m, dtype=np.int64)
    hit = option <= best_option[seg] + 1e-12
    np.minimum.at(first, seg[hit], np.flatnonzero(hit))
    cut = np.where(use_all, end, first)
    hub_sorted = np.arange(m) < cut[seg]
    hub = np.empty(m, dtype=bool)
    hub[order] = hub_sorted
    best = np.full(n_groups, np.inf)
    best[groups] = np.minimum(all_hubs, best_option)
    safe_hubs = np.zeros(n_groups, dtype=np.int64)
    part = ~use_all
    safe_hubs[groups[part]] = need[first[part]]
    return hub, best, safe_hubs


def _minimal(
    codes: np.ndarray, k: int, weight: np.ndarray, *, max_rounds: int = 200
) -> tuple[np.ndarray, int]:
    """Fewest-cells heuristic; returns new codes and rounds made."""
    x = codes.copy()
    n, p = x.shape
    rounds = 0
    while rounds < max_rounds:
        fk = wildcard_counts(x)
        viol = fk < k
        if not viol.any():
            break
        rounds += 1
        _plan_round(x, fk, viol, k, weight)
    else:
        # safety net: blank every key but the costliest to lose for records still violating
        fk = wildcard_counts(x)
        while (fk < k).any():
            for i in np.flatnonzero(fk < k):
                present = np.flatnonzero(x[i] >= 0)
                if len(present) > 1:
                    keep = present[np.argmax(weight[present])]
                    x[i, present[present != keep]] = -1
                else:
                    x[i, present] = -1
            fk = wildcard_counts(x)
    _restore(x, codes, k, weight)
    return x, rounds


#: the restoring pass compares each blanked cell with every record: skipped beyond this work
_RESTORE_BUDGET = 3_000_000_000


def _restore(x: np.ndarray, original: np.ndarray, k: int, weight: np.ndarray) -> int:
    """Give back blanked values that k-anonymity does not need; returns how many.

    Cells are tried most important key first. A value comes back when the record keeps at
    least ``k`` compatible records and no other record falls below ``k`` (counting exactly
    as :func:`htwork.risk.frequencies`, sdcMicro's all-missing rule included).
    """
    n, p = x.shape
    rows, cols = np.nonzero((x < 0) & (original >= 0))
    if len(rows) == 0 or len(rows) * n * p > _RESTORE_BUDGET:
        return 0
    fk = wildcard_counts(x)
    order = np.lexsort((rows, -fk[rows], -weight[cols]))
    liveness = p >= 2
    cols_x = [np.ascontiguousarray(x[:, j]) for j in range(p)]  # column by column: fast scans
    miss = [col < 0 for col in cols_x]
    n_miss = (x < 0).sum(axis=1)
    restored = 0
    for i, c in zip(rows[order], cols[order], strict=True):
        value = original[i, c]
        comp_old = np.ones(n, dtype=bool)
        for j in range(p):
            if x[i, j] >= 0:
                comp_old &= (cols_x[j] == x[i, j]) | miss[j]
        comp_new = comp_old & ((cols_x[c] == value) | miss[c])
        # what record i counts itself, after restoring
        own = comp_new
        if liveness and n_miss[i] == 1:
            own = comp_new & (n_miss < p)
            own[i] = True
        fk_i = int(own.sum())
        if fk_i < k:
            continue
        # what the others count of record i, before and after
        before, after = comp_old, comp_new
        if liveness and n_miss[i] == p:  # i stops being all-missing: complete rows count it
            before = comp_old & (n_miss > 0)
        delta = after.astype(np.int64) - before.astype(np.int64)
        delta[i] = 0
        if ((fk + delta)[delta < 0] < k).any():
            continue
        x[i, c] = value
        cols_x[c][i] = value
        miss[c][i] = False
        n_miss[i] -= 1
        fk += delta
        fk[i] = fk_i
        restored += 1
    return restored


def _plan_round(x: np.ndarray, fk: np.ndarray, viol: np.ndarray, k: int, w: np.ndarray) -> None:
    n, p = x.shape
    cid, _ = class_sizes(x)
    vrows = np.flatnonzero(viol)
    vclass, first = np.unique(cid[vrows], return_index=True)
    rep = vrows[first]  # one row per violating class
    s_class = np.bincount(cid[vrows], minlength=int(cid.max()) + 1)[vclass]
    d_class = k - fk[rep]
    obs_class = x[rep] >= 0
    observed = x >= 0
    pending = np.ones(len(vclass), dtype=bool)
    suppress_rows: list[np.ndarray] = []
    suppress_cols: list[np.ndarray] = []
    for level in range(1, p + 1):
        if not pending.any():
            break
        best_ratio = np.full(len(vclass), np.inf)
        best_t = np.full(len(vclass), -1, dtype=np.int64)
        subsets = list(itertools.combinations(range(p), level))
        evaluated: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        for ti, t in enumerate(subsets):
            tl = list(t)
            rest = [j for j in range(p) if j not in t]
            tcost = obs_class[:, tl] @ w[tl]
            eligible = pending & (tcost > 0)
            if rest and p > 1:
                eligible &= obs_class[:, rest].any(axis=1)  # never blank a whole record here
            if not eligible.any():
                evaluated.append((np.array([]), np.array([]), np.array([]), np.array([])))
                continue
            if rest:
                gid_all, gsize_all = class_sizes(x[:, rest])
            else:
                gid_all, gsize_all = np.zeros(n, dtype=np.int64), np.full(n, n)
            cls = np.flatnonzero(eligible)
            g = gid_all[rep[cls]]
            feasible = np.maximum(gsize_all[rep[cls]], fk[rep[cls]]) >= k
            cls, g = cls[feasible], g[feasible]
            if len(cls) == 0:
                evaluated.append((np.array([]), np.array([]), np.array([]), np.array([])))
                continue
            # safe hubs: non-violating records of the group observing every key of T
            safe = ~viol & observed[:, tl].all(axis=1)
            if rest and p > 1:
                safe &= observed[:, rest].any(axis=1)
            ug, g_local = np.unique(g, return_inverse=True)
            supply_all = np.bincount(gid_all[safe], minlength=int(gid_all.max()) + 1)
            supply = supply_all[ug]
            safe_cost = float(w[tl].sum())
            hub, best, _ = _group_plans(
                g_local, s_class[cls], d_class[cls], tcost[cls], supply, safe_cost
            )
            fixed = np.bincount(g_local, weights=s_class[cls].astype(float))
            ratio = best[g_local] / fixed[g_local]
            better = ratio < best_ratio[cls] - 1e-12
            best_ratio[cls[better]] = ratio[better]
            best_t[cls[better]] = ti
            evaluated.append((cls, g, gid_all, safe))
        assigned = best_t >= 0
        if not assigned.any():
            continue
        # blanks already planned for safe hubs this round: a safe record may serve several key
        # sets, but is never blanked entirely
        planned = np.zeros((n, p), dtype=bool)
        for ti, t in enumerate(subsets):
            mine = np.flatnonzero(assigned & (best_t == ti))
            if len(mine) == 0:
                continue
            tl = list(t)
            cls_all, g_all, gid_all, safe = evaluated[ti]
            if p > 1:
                left = observed & ~planned
                left[:, tl] = False
                safe = safe & left.any(axis=1)
            keep = np.isin(cls_all, mine)
            cls, g = cls_all[keep], g_all[keep]
            ug, g_local = np.unique(g, return_inverse=True)
            supply_all = np.bincount(gid_all[safe], minlength=int(gid_all.max()) + 1)
            tcost = obs_class[cls][:, tl] @ w[tl]
            hub, _, safe_hubs = _group_plans(
                g_local, s_class[cls], d_class[cls], tcost, supply_all[ug], float(w[tl].sum())
            )
            hub_classes = vclass[cls[hub]]
            rows = vrows[np.isin(cid[vrows], hub_classes)]
            for col in tl:
                r = rows[x[rows, col] >= 0]
                suppress_rows.append(r)
                suppress_cols.append(np.full(len(r), col))
            # safe hubs: the first records (table order) of each group needing them
            need = safe_hubs > 0
            if need.any():
                groups_needing = ug[need]
                counts = safe_hubs[need]
                cand = np.flatnonzero(safe & np.isin(gid_all, groups_needing))
                cg = gid_all[cand]
                order = np.argsort(cg, kind="stable")
                cand, cg = cand[order], cg[order]
                starts = np.searchsorted(cg, groups_needing)
                ends = np.searchsorted(cg, groups_needing, side="right")
                take = np.concatenate(
                    [cand[a : min(a + c, e)] for a, c, e in zip(starts, counts, ends, strict=True)]
                )
                planned[np.ix_(take, tl)] = True
                for col in tl:
                    suppress_rows.append(take)
                    suppress_cols.append(np.full(len(take), col))
        pending &= ~assigned
    if suppress_rows:
        r = np.concatenate(suppress_rows)
        c = np.concatenate(suppress_cols)
        x[r, c] = -1


# --------------------------------------------------------------------------------------------
# the transformer
# --------------------------------------------------------------------------------------------


def _fingerprint(df: pd.DataFrame, keys: list[str]) -> str:
    h = hashlib.sha256()
    h.update(pd.util.hash_pandas_object(df.index.to_series(), index=False).to_numpy().tobytes())
    for key in keys:
        col = df[key].astype("string").fillna("\x00<NA>")
        h.update(pd.util.hash_pandas_object(col, index=False).to_numpy().tobytes())
    return h.hexdigest()


class LocalSuppression(BaseTransformer):
    """Blank key values until no record violates k-anonymity.

    Parameters
    ----------
    keys : str or list of str
        Quasi-identifiers (a comma-separated string is accepted).
    k : int
        Every record must be compatible with at least ``k`` records (itself included); at
        least 2.
    importance : list of key names, list of numbers, dict or None
        Which keys to keep: key names most important first (blanked last), or sdcMicro's
        numbers (1 = most important). ``None``: keys with fewer categories are more important.
    method : {"minimal", "sdcmicro"}
        ``"minimal"`` (fewest blanked cells, honouring importance) or ``"sdcmicro"`` (sdcMicro
        5.8.1's algorithm, for parity). See the module notes.
    importance_cost : float, optional
        ``"minimal"`` only: extra cost of blanking the most important key compared with the
        least important one (the others in between): with the default 0.5 a blank in the
        most important key costs as much as one and a half in the least important. 0 makes
        the number of blanks all that matters (importance then only breaks ties).

    Attributes
    ----------
    keys_ : list of str
        The keys, resolved.
    importance_ : dict
        Importance number of each key (1 = most important).
    suppressed_ : pandas.DataFrame
        Boolean, one row per record and one column per key: the cells to blank.
    suppressions_ : pandas.Series
        Number of cells to blank per key.
    total_suppressions_ : int
        Their sum.
    violations_before_ : int
        Records violating k-anonymity in the table given to ``fit``.
    violations_after_ : int
        Records violating it after blanking (0).
    fk_after_ : numpy.ndarray
        Number of compatible records after blanking.
    iterations_ : int
        Passes (``sdcmicro``) or rounds (``minimal``) made.
    """

    def __init__(
        self,
        keys: str | Sequence[str],
        k: int = 3,
        importance: Importance = None,
        method: Literal["minimal", "sdcmicro"] = "minimal",
        importance_cost: float | None = None,
    ) -> None:
        self.keys = keys
        self.k = k
        self.importance = importance
        self.method = method
        self.importance_cost = importance_cost

    def _check_params(self, n: int) -> None:
        k = self.k
        if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 2:
            raise InputError(
                f"k must be a whole number of at least 2, not {k!r}.",
                hint="k = 2 means nobody is unique; published case data usually uses 3 to 11",
            )
        if k > n:
            raise InputError(
                f"k = {k} is larger than the number of records ({n:,}).",
                hint="choose a smaller k, or assess the risk of so small a table another way",
            )
        if self.method not in ("minimal", "sdcmicro"):
            raise InputError(
                f"method must be 'minimal' or 'sdcmicro', not {self.method!r}.",
            )
        if self.importance_cost is not None and not self.importance_cost >= 0:
            raise InputError(f"importance_cost must be 0 or more, not {self.importance_cost!r}.")

    def fit(self, df: pd.DataFrame) -> LocalSuppression:
        """Work out which cells to blank (the table is not changed).

        Parameters
        ----------
        df : pandas.DataFrame
            The table.

        Returns
        -------
        LocalSuppression
            ``self``.
        """
        kc = encode_keys(df, self.keys)
        self._check_params(kc.n)
        k = int(self.k)
        importance = resolve_importance(self.importance, kc)
        fk_before = wildcard_counts(kc.codes)
        if self.method == "sdcmicro":
            new, iterations = _sdcmicro(kc.codes, k, importance)
        else:
            p = kc.p
            strength = self.importance_cost
            if strength is None:
                strength = 0.5
            spread = (p - importance) / (p - 1) if p > 1 else np.zeros(p)
            weight = 1.0 + float(strength) * spread
            new, iterations = _minimal(kc.codes, k, weight)
        fk_after = wildcard_counts(new)
        mask = (new < 0) & (kc.codes >= 0)
        self.keys_ = list(kc.keys)
        self.importance_ = {key: int(v) for key, v in zip(kc.keys, importance, strict=True)}
        self.suppressed_ = pd.DataFrame(mask, index=df.index, columns=kc.keys)
        self.suppressions_ = pd.Series(mask.sum(axis=0), index=kc.keys, name="suppressions")
        self.total_suppressions_ = int(mask.sum())
        self.violations_before_ = int((fk_before < k).sum())
        self.violations_after_ = int((fk_after < k).sum())
        self.fk_before_ = fk_before
        self.fk_after_ = fk_after
        self.iterations_ = int(iterations)
        self.n_records_ = kc.n
        self.missing_before_ = pd.Series((kc.codes < 0).sum(axis=0), index=kc.keys)
        self._fingerprint = _fingerprint(df, kc.keys)
        self._file = file_of(df)
        return self

    def preview(self) -> pd.DataFrame:
        """Cells each key would lose, before anything is changed.

        Returns
        -------
        pandas.DataFrame
            One row per key plus ``total``: cells to blank, their share of the records,
            the cells already missing, and the key's importance.
        """
        self._check_fitted("suppressed_")
        n = self.n_records_
        out = pd.DataFrame(
            {
                "suppressions": self.suppressions_,
                "percent_of_records": 100.0 * self.suppressions_ / n,
                "already_missing": self.missing_before_,
                "importance": pd.Series(self.importance_),
            }
        )
        out.loc["total"] = [
            self.total_suppressions_,
            100.0 * self.total_suppressions_ / n,
            int(self.missing_before_.sum()),
            np.nan,
        ]
        out.index.name = "key"
        return out

    def summary(self) -> str:
        """A plain-text account of what fit found and would do."""
        self._check_fitted("suppressed_")
        lines = [
            f"Local suppression to {self.k}-anonymity ({self.method})",
            f"records violating before: {self.violations_before_:,}; after: "
            f"{self.violations_after_:,}",
            f"cells to blank: {self.total_suppressions_:,}",
        ]
        for key, v in self.suppressions_.items():
            lines.append(f"  {key}: {int(v):,} (importance {self.importance_[str(key)]})")
        return "\n".join(lines)

    def transform(self, df: pd.DataFrame) -> pd.DataFrame:
        """A copy of the table with the cells blanked (``NaN``/``None``); the input is unchanged.

        Parameters
        ----------
        df : pandas.DataFrame
            The table given to :meth:`fit` (the same records and key values).

        Returns
        -------
        pandas.DataFrame
        """
        self._check_fitted("suppressed_")
        missing = [key for key in self.keys_ if key not in df.columns]
        if missing or _fingerprint(df, self.keys_) != self._fingerprint:
            raise InputError(
                "this LocalSuppression was fitted on another table (records or key values differ).",
                file=file_of(df),
                hint="blanking is record by record: call fit(df) on this table, or "
                "fit_transform(df)",
            )
        out = df.copy()
        out.attrs = dict(df.attrs)
        for key in self.keys_:
            m = self.suppressed_[key].to_numpy()
            if m.any():
                col = out[key]
                if pd.api.types.is_integer_dtype(col.dtype) or pd.api.types.is_bool_dtype(
                    col.dtype
                ):
                    col = col.astype("object" if pd.api.types.is_bool_dtype(col) else "float64")
                col = col.copy()
                col[m] = None if col.dtype == object else np.nan
                out[key] = col
        return out

    def get_report(self) -> dict[str, Any]:
        """JSON-ready figures of the fit."""
        self._check_fitted("suppressed_")
        return {
            "method": self.method,
            "k": int(self.k),
            "keys": list(self.keys_),
            "importance": dict(self.importance_),
            "suppressions": {k: int(v) for k, v in self.suppressions_.items()},
            "total_suppressions": self.total_suppressions_,
            "violations_before": self.violations_before_,
            "violations_after": self.violations_after_,
            "iterations": self.iterations_,
        }
