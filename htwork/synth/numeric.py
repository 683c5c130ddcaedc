"""Numbers and dates as bins for a categorical model, and values drawn back within a bin.

htwork's synthesizers model categories. A numeric column (integer, number, date, year) joins
them through **bins chosen from the data**: ``bins`` quantile bins, where a value so common
that it would fill a bin of its own (half the people unemployed for 0 months) is its own bin.
The model draws a bin (or a reason for a missing value); :meth:`Binned.draw` then draws the
value within the bin from a **smoothed** distribution of the training values in it:

- values that at least ``min_count`` training people share (ages in years, round incomes such
  as 1,000 or 1,500) keep their exact share of the bin: they describe groups, not people;
- the rest of the bin's share is spread by a kernel density (Gaussian, Silverman's bandwidth,
  reflected at the bin's edges) around those rarer values, rounded to the column's grain
  (whole numbers for integers and years, days for dates, the decimals seen for numbers);
- a rare exact training value (seen fewer than ``min_count`` times: one person's 27,350
  income) is never emitted: a draw that lands on one is drawn again, and after 20 tries moved to
  the nearest value on the grain that no training person has alone.

Values never leave the range the training values span (or the declared bounds in DP mode:
:mod:`htwork.synth.dp_numeric`).

**Values near a leaf's own** (:class:`LeafValues`, the default's chain of trees with
``leaf_values=1``): a bin ignores the person, so a within-bin effect (people of higher
education earning more within the same income bin) is lost when every value of a bin is drawn
from the whole bin. A synthesizer whose number was drawn from a tree leaf instead picks a
*training value of the same leaf and bin* and draws around it (:meth:`Binned.draw_near`): a
common value (shared by ``min_count`` people or more) as it is, a rare one smoothed by the bin's
kernel (reflected within the bin, rounded, never a rare training value); an empty leaf-and-bin
cell falls back to the bin's own draw.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from htwork.synth.types import ColumnType

__all__ = ["Binned", "LeafValues", "fit_binned", "auto_bins", "REASON_PREFIX"]

REASON_PREFIX = "\x00reason:"  # a missing reason as a category of the model (never a value)


def auto_bins(n: int) -> int:
    """Bins for ``n`` known values: about the cube root of ``n``, between 5 and 20."""
    return int(np.clip(round(n ** (1 / 3)), 5, 20))


@dataclass
class Binned:
    """One numeric column as bins, and the within-bin distributions to draw values from.

    Attributes
    ----------
    edges : ndarray
        Bin ``b`` holds the values in ``[edges[b], edges[b + 1])`` (the last bin includes its
        upper edge).
    low, high : ndarray
        Per bin, the lowest and highest value a draw may take.
    points : list of (values, cdf)
        Per bin, the common exact values and their cumulative shares *within the bin*.
    smooth : ndarray
        Per bin, the share drawn from the smoothed part.
    centres : list of ndarray
        Per bin, the kernel centres of the smoothed part (the rarer training values).
    bandwidth : ndarray
        Per bin, the kernel's standard deviation.
    excluded : ndarray
        Sorted rare exact training values, never emitted.
    grain : float or None
        Values are rounded to multiples of it (None: not rounded).
    uniform : bool
        Draw uniformly within each bin (no training values used: DP mode).
    reasons : list of str
        Missing-value reasons other than blank, in category order.
    starts : ndarray
        First bin of each *group*: consecutive bins grouped into a few coarse ranges (about
        the square root of the number of bins, equal shares of the training values). The model
        sees a number as two nodes, its group (a node cheap enough to have parents and be
        one) and its bin within the group (:mod:`htwork.synth.mixed`); one group per bin when
        a single node is wanted.
    """

    edges: np.ndarray
    low: np.ndarray
    high: np.ndarray
    points: list[tuple[np.ndarray, np.ndarray]]
    smooth: np.ndarray
    centres: list[np.ndarray]
    bandwidth: np.ndarray
    excluded: np.ndarray
    grain: float | None
    uniform: bool = False
    reasons: list[str] = field(default_factory=list)
    starts: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.starts is None:
            self.starts = np.arange(self.n_bins)

    @property
    def _starts(self) -> np.ndarray:
        assert self.starts is not None  # set in __post_init__
        return self.starts

    @property
    def n_bins(self) -> int:
        """Number of bins."""
        return len(self.edges) - 1

    @property
    def n_groups(self) -> int:
        """Number of groups of bins."""
        return len(self._starts)

    @property
    def group_size(self) -> int:
        """Most bins in a group."""
        return int(np.diff(np.append(self._starts, self.n_bins)).max())

    def categories(self) -> list:
        """The group node's categories: groups ``0 .. G-1``, then one per missing reason."""
        return list(range(self.n_groups)) + [REASON_PREFIX + r for r in self.reasons]

    def bins_of(self, values: np.ndarray) -> np.ndarray:
        """The bin of each (known) value."""
        return np.searchsorted(self.edges[1:-1], values, side="right")

    def to_categories(self, values: np.ndarray, reasons: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray]:
        """Each cell's group (its reason, prefixed, or None when blank) and bin in the group."""
        out = np.empty(len(values), dtype=object)
        fine = np.zeros(len(values), dtype=np.int64)
        known = ~np.isnan(values)
        b = self.bins_of(values[known])
        g = np.searchsorted(self._starts, b, side="right") - 1
        out[known] = g.astype(object)
        fine[known] = b - self._starts[g]
        for i in np.flatnonzero(~known):
            r = reasons[i]
            out[i] = None if r is None or r == "blank" else REASON_PREFIX + str(r)
        return out, fine

    def bin_from(self, group: np.ndarray, fine: np.ndarray) -> np.ndarray:
        """The bin of a group and an offset in it (an offset past the group's end is cut)."""
        ends = np.append(self._starts[1:], self.n_bins) - 1
        return np.minimum(self._starts[group] + fine, ends[group])

    def draw(self, bins: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A value within each given bin (``bins`` of ints), as floats."""
        out = np.empty(len(bins))
        for b in np.unique(bins):
            rows = np.flatnonzero(bins == b)
            out[rows] = self._draw_bin(int(b), len(rows), rng)
        return out

    def draw_near(self, bins: np.ndarray, centres: np.ndarray,
                  rng: np.random.Generator) -> np.ndarray:
        """A value within each given bin, near a given training value of that bin.

        Parameters
        ----------
        bins : ndarray of int
            The bin of each row.
        centres : ndarray of float
            Per row, a training value in its bin (NaN: none, the bin's own draw is used).
        rng : Generator
            Draws the values.

        Returns
        -------
        ndarray of float
            A centre shared by at least ``min_count`` training people is returned as it is; a
            rarer one moved by the bin's kernel (reflected within the bin, rounded to the
            grain), never to a rare training value (as :meth:`draw`).
        """
        bins = np.asarray(bins, dtype=np.int64)
        centres = np.asarray(centres, dtype=float)
        out = centres.copy()
        none = np.isnan(centres)
        if self.uniform:  # no training values to be near (DP mode)
            none[:] = True
        if none.any():
            out[none] = self.draw(bins[none], rng)
        rare = ~none & self._is_excluded(centres)  # NaN is never excluded
        for b in np.unique(bins[rare]):
            rows = np.flatnonzero(rare & (bins == b))
            out[rows] = self._kernel(int(b), len(rows), rng, centres=centres[rows])
        return out

    # --- within one bin ---------------------------------------------------------------------

    def _draw_bin(self, b: int, m: int, rng: np.random.Generator) -> np.ndarray:
        lo, hi = float(self.low[b]), float(self.high[b])
        if self.uniform:
            return self._round(self._uniform(lo, hi, m, rng), lo, hi)
        out = np.empty(m)
        values, cdf = self.points[b]
        smooth = rng.random(m) < self.smooth[b] if len(values) else np.ones(m, dtype=bool)
        k = int((~smooth).sum())
        if k:
            pick = np.searchsorted(cdf, rng.random(k), side="right")
            out[~smooth] = values[np.minimum(pick, len(values) - 1)]
        s = int(smooth.sum())
        if s:
            out[smooth] = self._kernel(b, s, rng)
        return out

    def _uniform(self, lo: float, hi: float, m: int, rng: np.random.Generator) -> np.ndarray:
        if self.grain:
            steps = int(np.floor((hi - lo) / self.grain + 1e-9)) + 1
            return lo + self.grain * rng.integers(0, max(steps, 1), m)
        return rng.uniform(lo, hi, m)

    def _kernel(self, b: int, m: int, rng: np.random.Generator,
                centres: np.ndarray | None = None) -> np.ndarray:
        """``m`` smoothed values of bin ``b``: around its rare training values drawn at random,
        or around the given ``centres`` (one per value)."""
        lo, hi = float(self.low[b]), float(self.high[b])
        pool, h = self.centres[b], float(self.bandwidth[b])
        if centres is None and len(pool) == 0:
            return self._round(self._uniform(lo, hi, m, rng), lo, hi)
        out = np.empty(m)
        todo = np.arange(m)
        for attempt in range(21):
            at = (pool[rng.integers(0, len(pool), len(todo))] if centres is None
                  else centres[todo])
            v = at + rng.normal(0, h, len(todo))
            if hi > lo:
                v = _reflect(v, lo, hi)
            else:
                v = np.full(len(todo), lo)
            v = self._round(v, lo, hi)
            out[todo] = v
            bad = self._is_excluded(v)
            if not bad.any():
                return out
            todo = todo[bad]
            if attempt == 20:
                out[todo] = [self._nearest_allowed(x, lo, hi) for x in out[todo]]
        return out

    def _round(self, v: np.ndarray, lo: float, hi: float) -> np.ndarray:
        if self.grain:
            v = np.round(v / self.grain) * self.grain
            if self.grain < 1:
                v = np.round(v, int(round(-np.log10(self.grain))))
        return np.clip(v, lo, hi) + 0.0  # no -0.0

    def _is_excluded(self, v: np.ndarray) -> np.ndarray:
        if not len(self.excluded):
            return np.zeros(len(v), dtype=bool)
        pos = np.clip(np.searchsorted(self.excluded, v), 0, len(self.excluded) - 1)
        tol = 1e-9 * np.maximum(1.0, np.abs(v))
        near = np.abs(self.excluded[pos] - v) <= tol
        prev = np.abs(self.excluded[np.maximum(pos - 1, 0)] - v) <= tol
        return near | prev

    def _nearest_allowed(self, x: float, lo: float, hi: float) -> float:
        """The grain value nearest ``x`` within the bin that no training person has alone."""
        if not self.grain:
            return x
        for step in range(1, 10_000):
            for cand in (x + step * self.grain, x - step * self.grain):
                if lo <= cand <= hi and not self._is_excluded(np.array([cand]))[0]:
                    return float(cand)
            if x - step * self.grain < lo and x + step * self.grain > hi:
                break
        return x  # every value of the bin is some person's own: kept (a grid this coarse)


@dataclass
class LeafValues:
    """One number's training values by (leaf, bin) cell of the tree that draws its bin.

    Attributes
    ----------
    n_bins : int
        The number's bins.
    keys : ndarray of int
        Sorted cell keys ``leaf * n_bins + bin``, one per training value.
    values : ndarray of float
        The training values, in the order of ``keys``.
    """

    n_bins: int
    keys: np.ndarray
    values: np.ndarray

    @classmethod
    def fit(cls, leaves: np.ndarray, bins: np.ndarray, values: np.ndarray,
            n_bins: int) -> LeafValues:
        """Record each training value's leaf and bin (rows whose ``bins`` are ``>= n_bins``,
        a reason the value is missing, or whose value is NaN are left out)."""
        leaves = np.asarray(leaves, dtype=np.int64)
        bins = np.asarray(bins, dtype=np.int64)
        values = np.asarray(values, dtype=float)
        known = (bins < n_bins) & ~np.isnan(values)
        keys = leaves[known] * n_bins + bins[known]
        order = np.lexsort((values[known], keys))
        return cls(int(n_bins), keys[order], values[known][order])

    def pick(self, bins: np.ndarray, leaves: np.ndarray,
             rng: np.random.Generator) -> np.ndarray:
        """Per row, a training value drawn at random from its leaf and bin (NaN where the cell
        holds none)."""
        key = np.asarray(leaves, dtype=np.int64) * self.n_bins + np.asarray(bins, np.int64)
        start = np.searchsorted(self.keys, key, side="left")
        count = np.searchsorted(self.keys, key, side="right") - start
        u = rng.random(len(key))
        at = start + np.minimum((u * count).astype(np.int64), np.maximum(count - 1, 0))
        out = np.full(len(key), np.nan)
        has = count > 0
        out[has] = self.values[at[has]]
        return out

    def draw(self, binned: Binned, bins: np.ndarray, leaves: np.ndarray,
             rng: np.random.Generator) -> np.ndarray:
        """A value within each bin near a training value of the same leaf and bin
        (:meth:`Binned.draw_near`)."""
        return binned.draw_near(bins, self.pick(bins, leaves, rng), rng)


def _reflect(v: np.ndarray, lo: float, hi: float) -> np.ndarray:
    width = hi - lo
    t = np.mod(v - lo, 2 * width)
    return lo + np.where(t > width, 2 * width - t, t)


def _silverman(x: np.ndarray) -> float:
    if len(x) < 2:
        return 0.0
    sd = float(np.std(x, ddof=1))
    iqr = float(np.subtract(*np.percentile(x, [75, 25]))) / 1.34
    scale = min(sd, iqr) if iqr > 0 else sd
    return 0.9 * scale * len(x) ** (-0.2)


def fit_binned(values: np.ndarray, reasons: np.ndarray, t: ColumnType, *,
               bins: int | str = "auto", min_count: int = 5) -> Binned:
    """Bins and within-bin distributions of one numeric column, from its training values.

    Parameters
    ----------
    values : ndarray of float
        The column's values (NaN where missing), as :func:`htwork.synth.types.parse_values`
        gives them.
    reasons : ndarray
        Why each missing cell is missing (None where a value is present).
    t : ColumnType
        The column's type (its grain and reasons).
    bins : int or "auto"
        Number of quantile bins (``"auto"``: :func:`auto_bins`).
    min_count : int
        Values shared by fewer training people are rare: smoothed, never emitted exactly.
    """
    x = np.sort(values[~np.isnan(values)])
    n = len(x)
    k = auto_bins(n) if bins == "auto" else max(int(bins), 1)
    uniq, counts = np.unique(x, return_counts=True)
    # quantile edges, then every value heavy enough to fill a bin made a bin of its own
    qs = np.quantile(x, np.linspace(0, 1, k + 1)[1:-1], method="inverted_cdf")
    cuts = set(float(q) for q in qs)
    heavy = uniq[counts >= n / k]
    for v in heavy:
        cuts.add(float(v))
        above = uniq[uniq > v]
        if len(above):
            cuts.add(float(above[0]))
    inner = np.array(sorted(c for c in cuts if x[0] < c <= x[-1]))
    edges = np.concatenate([[x[0]], inner, [x[-1]]])
    which = np.searchsorted(edges[1:-1], x, side="right")
    used = np.unique(which)
    if len(used) < len(edges) - 1:  # drop empty bins by merging their edges away
        keep = [0] + [int(b) for b in used[1:]]
        edges = np.concatenate([edges[keep], [x[-1]]])
        which = np.searchsorted(edges[1:-1], x, side="right")
    grain = t.grain
    rare = uniq[counts < min_count]
    points, smooth, centres, bandwidth, low, high = [], [], [], [], [], []
    for b in range(len(edges) - 1):
        xb = x[which == b]
        ub, cb = np.unique(xb, return_counts=True)
        common = cb >= min_count
        share = cb[common].sum() / max(len(xb), 1)
        pv = ub[common]
        pc = np.cumsum(cb[common] / max(cb[common].sum(), 1))
        if len(pc):
            pc[-1] = 1.0
        points.append((pv, pc))
        smooth.append(1.0 - share)
        rb = np.repeat(ub[~common], cb[~common])
        centres.append(rb)
        lo, hi = float(xb.min()), float(xb.max())
        width = hi - lo
        h = _silverman(rb)
        if h <= 0:
            h = width / 4 if width > 0 else (grain or 0.0)
        h = min(max(h, (grain or 0.0) * 0.5), max(width / 2, grain or 0.0))
        bandwidth.append(h)
        low.append(lo)
        high.append(hi)
    n_bins = len(edges) - 1
    per_bin = np.bincount(which, minlength=n_bins)
    n_groups = max(1, int(round(np.sqrt(n_bins))))
    cum = np.cumsum(per_bin) / n
    group_cuts = np.searchsorted(cum, np.arange(1, n_groups) / n_groups, side="left") + 1
    starts = np.unique(np.concatenate([[0], group_cuts[group_cuts < n_bins]]))
    return Binned(edges=edges, low=np.array(low), high=np.array(high), points=points,
                  smooth=np.array(smooth), centres=centres, bandwidth=np.array(bandwidth),
                  excluded=np.sort(rare.astype(float)), grain=grain, uniform=False,
                  reasons=list(t.reasons), starts=starts)
