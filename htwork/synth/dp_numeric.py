"""Numbers and dates in the differentially private mode: bins from public bounds only.

The DP synthesizer may not look at the data to choose bins (quantiles, common values and the
range would each leak). A numeric column therefore needs **declared bounds**, a lowest and
highest value known without the data (an age between 0 and 120; incomes between 0 and a
declared top code; dates within the years a register covers): ``bounds={"age": (0, 120)}`` or
``types={"age": {"kind": "integer", "bounds": (0, 120)}}``. Without them :func:`public_binned`
stops with an error that says so.

Bins are equal-width over the bounds (an integer column whose range holds at most
``max(bins, 32)`` values gets one bin per value); a value is drawn uniformly within its bin and
rounded to the column's grain, so no value ever leaves the declared bounds. The bins' noisy
counts then go through the DP synthesizer's marginals like any category (small bins pooled into
its "rare" value).

The type itself (integer, number, date), the grain (decimals) and the missing-value codes are
read from the data unless declared: the DP synthesizer warns about those columns
(:class:`~htwork.synth.dp.DPWarning`).
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import pandas as pd

from htwork.errors import InputError
from htwork.synth.numeric import Binned
from htwork.synth.types import ColumnType

__all__ = ["public_binned", "DP_BINS"]

DP_BINS = 16


def _days(b) -> float:
    return float((pd.Timestamp(b) - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1))


def public_binned(t: ColumnType, column: Hashable, *, bins: int | str = "auto") -> Binned:
    """Equal-width bins over a column's declared bounds (no data read).

    Raises
    ------
    InputError
        When the column has no declared lowest and highest value.
    """
    if t.bounds is None or t.bounds[0] is None or t.bounds[1] is None:
        raise InputError(
            f"the DP mode needs public bounds for this {t.kind} column, and none were declared",
            column=str(column),
            hint=f"pass bounds={{{str(column)!r}: (lowest, highest)}} with values known without "
            "looking at the data (e.g. 0 and 120 for an age), or give them in the schema "
            "(constraints minimum and maximum), or declare the column categorical with a domain")
    lo, hi = t.bounds
    if t.kind == "date":
        lo, hi = _days(lo), _days(hi)
    lo, hi = float(lo), float(hi)
    grain = t.grain
    k = DP_BINS if bins == "auto" else max(int(bins), 1)
    if grain and (hi - lo) / grain + 1 <= max(k, 32):
        starts = np.arange(lo, hi + grain / 2, grain)
        edges = np.append(starts, hi)
        low, high = starts, starts
    else:
        edges = np.linspace(lo, hi, k + 1)
        low = edges[:-1].copy()
        high = edges[1:].copy()
        if grain:  # keep every bin's draws on the grain and inside its own edges
            low = np.ceil(low / grain - 1e-9) * grain
            high = np.append(np.ceil(edges[1:-1] / grain - 1e-9) * grain - grain, hi)
            high = np.maximum(high, low)
    m = len(low)
    return Binned(edges=edges, low=np.asarray(low, dtype=float),
                  high=np.asarray(high, dtype=float), points=[(np.array([]), np.array([]))] * m,
                  smooth=np.ones(m), centres=[np.array([])] * m, bandwidth=np.zeros(m),
                  excluded=np.array([]), grain=grain, uniform=True, reasons=list(t.reasons),
                  starts=np.arange(m))


def public_warnings(plan) -> list[str]:
    """What the DP synthesizer reads from the data about numbers: the type (integer, number,
    date), grain and missing-value codes of a number whose type was not declared (``types=``).

    Returns
    -------
    list of str
        One message per fact, for :class:`~htwork.synth.dp.DPWarning`.
    """
    inferred = [str(c) for c, t in plan.types.items() if t.numeric and not t.declared
                and c in plan.binned]
    if not inferred:
        return []
    return ["the types of columns " + ", ".join(inferred) + " (number, integer or date; "
            "decimals; missing-value codes) are read from the data, which differential "
            "privacy does not cover; declare them with types="]


MISSING_SIGMAS = 4.0


def absent_missing(syn, one_way: list[np.ndarray], sigma: float) -> list:
    """Columns that must never be missing, decided from the noisy 1-way counts alone.

    A column whose declared domain has no ``None`` (a number: bounds declared and no ``None``
    in ``domain``) is never missing in synthetic rows unless its noisy count of missing cells
    reaches ``MISSING_SIGMAS`` (4) noise scales: the data clearly have missing cells, as the
    release standard's optional fields do. The decision reads only the noisy counts
    (post-processing), so it costs no budget; the noisy count of missing cells is set to 0 so
    that the "rare" pool never draws one back. With no missing cell in the data a column keeps
    its noisy missing count below 4 sigma with probability 1 - 3e-5.

    Parameters
    ----------
    syn : DPSynthesizer
        Being fitted (its ``dp_nodes_``, ``codec_``, ``plan_`` and ``domain_``).
    one_way : list of ndarray
        The noisy 1-way counts per node; changed in place.
    sigma : float
        Their noise scale.

    Returns
    -------
    list of Required
    """
    from htwork.synth.relations import Required

    domain = dict(syn.domain_)
    declared = {c for c, v in domain.items()
                if not any(x is None or (isinstance(x, float) and np.isnan(x)) for x in v)}
    declared |= {c for c in syn.plan_.binned if c not in domain}
    cols = list(syn.codec_.columns)
    cards = syn.codec_.cardinalities
    out = []
    for k, node in enumerate(syn.dp_nodes_):
        names = [cols[j] for j in node]
        if not all(c in declared for c in names):
            continue
        miss = 0 if len(node) > 1 else int(cards[node[0]]) - 1  # patterns: 0 is all missing
        if one_way[k][miss] >= MISSING_SIGMAS * sigma:
            continue
        one_way[k][miss] = 0.0
        out += [Required(c, name=f"{c} is never missing (declared domain without a missing "
                                 "value, and no clear noisy count of missing cells)")
                for c in names]
    return out
