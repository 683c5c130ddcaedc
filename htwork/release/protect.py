"""Protecting the release table: release-level recoding, local suppression, aggregation.

The release table here is a frame of strings (missing = ``None``) in the release standard.
Suppressed cells are tracked in a boolean mask beside it, so that the published files can tell
"suppressed" from "not recorded" while risk measures see both as missing (a wildcard).
"""

from __future__ import annotations

from itertools import combinations

import pandas as pd

from htwork.anonymise import LocalSuppression
from htwork.errors import InputError
from htwork.standards import subregion, to_alpha2

__all__ = ["RECODE_LEVELS", "recode", "recode_values", "suppress", "aggregate",
           "as_strings"]

_AGE1 = {"0--8": "0--17", "9--17": "0--17", "18--20": "18--29", "21--23": "18--29",
         "24--26": "18--29", "27--29": "18--29", "30--38": "30--47", "39--47": "30--47",
         "48+": "48+"}
_AGE2 = {k: ("0--17" if v == "0--17" else "18+") for k, v in _AGE1.items()}

#: Levels each release column can be generalised to (level 0 = unchanged), in plain words.
RECODE_LEVELS: dict[str, list[str]] = {
    "ageBroad": ["the standard's 9 age bands", "4 age groups (0--17, 18--29, 30--47, 48+)",
                 "minor or adult (0--17, 18+)"],
    "yearOfRegistration": ["single years", "2-year periods", "4-year periods"],
    "citizenship": ["countries", "world subregions (UN M49)", "world regions"],
    "CountryOfExploitation": ["countries", "world subregions (UN M49)", "world regions"],
}
_AGE_ORDER = {1: ["0--17", "18--29", "30--47", "48+"], 2: ["0--17", "18+"]}


def as_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """The release table as strings (``"1"``, ``"2019"``, ``"MMR"``), missing as ``None``."""
    out = {}
    for c in frame.columns:
        s = frame[c]
        vals = s.astype("string").astype(object)
        out[c] = vals.where(s.notna(), None)  # type: ignore[call-overload]  # pandas-stubs: other=None is allowed
    return pd.DataFrame(out, index=frame.index)


def _region(country: str, level: int) -> str:
    """The M49 sub-region (level 1) or region (level 2) of a country written any way
    (alpha-3 in the release standard, alpha-2 or a name in other tables)."""
    from htwork.anonymise import Hierarchy, load_hierarchy

    a2 = to_alpha2(country)
    if a2 is None:
        raise InputError(f"{country!r} is not a country htwork knows, so it cannot be recoded "
                         "to a region", hint="write countries as ISO 3166-1 codes or names")
    if level == 1:
        return subregion(a2) or "Other"
    hierarchy = load_hierarchy("nationality")
    if not isinstance(hierarchy, Hierarchy):  # a shipped table, never a date hierarchy
        raise TypeError("the shipped nationality hierarchy is not a table")
    table = hierarchy.table
    hit = table.loc[table.iloc[:, 0] == a2]
    return str(hit.iloc[0, 2]) if len(hit) else "Other"


def recode_values(column: str, values: pd.Series, level: int) -> pd.Series:
    """Generalise one release column to ``level`` (see :data:`RECODE_LEVELS`)."""
    if level == 0:
        return values
    if column not in RECODE_LEVELS or not 0 < level < len(RECODE_LEVELS[column]):
        known = ", ".join(f"{c} (0-{len(v) - 1})" for c, v in RECODE_LEVELS.items())
        raise InputError(f"the policy recodes {column!r} to level {level}, which does not exist",
                         column=column, hint=f"recodable columns and levels: {known}")
    uniq = pd.unique(values.dropna())
    if column == "ageBroad":
        mapping = {u: (_AGE1 if level == 1 else _AGE2)[u] for u in uniq}
    elif column == "yearOfRegistration":
        width = 2 if level == 1 else 4
        mapping = {u: f"{int(u) // width * width}--{int(u) // width * width + width - 1}"
                   for u in uniq}
    else:
        mapping = {u: _region(str(u), level) for u in uniq}
    return values.map(mapping).where(values.notna(), None).astype(object)  # type: ignore[call-overload]  # pandas-stubs: other=None is allowed


def recode_categories(column: str, level: int, values: pd.Series) -> list[str]:
    """The categories a recoded column can take (its order for the datapackage)."""
    if column == "ageBroad":
        return list(_AGE_ORDER[level])
    return sorted(str(v) for v in pd.unique(values.dropna()))


def recode(frame: pd.DataFrame, levels: dict[str, int]) -> pd.DataFrame:
    """Return ``frame`` with the columns in ``levels`` generalised."""
    out = frame.copy()
    for col, level in levels.items():
        if col not in out:
            raise InputError(f"the policy recodes {col!r}, which is not a release column",
                             column=col)
        out[col] = recode_values(col, out[col], int(level))
    return out


def suppress(frame: pd.DataFrame, keys: list[str], k: int, importance: list[str]
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Local suppression to k-anonymity (htwork's minimal method, wildcard missing values).

    Returns
    -------
    (frame, mask)
        The table with blanked cells set to missing, and a boolean mask of the blanked cells
        (same shape as ``frame``).
    """
    imp = [c for c in importance if c in keys] + [c for c in keys if c not in importance]
    ls = LocalSuppression(keys, k=k, importance=imp, method="minimal").fit(frame)
    mask = pd.DataFrame(False, index=frame.index, columns=frame.columns)
    out = frame.copy()
    sup = ls.suppressed_
    for c in sup.columns:
        m = sup[c].to_numpy(dtype=bool)
        mask[c] = m
        out.loc[m, c] = None
    return out, mask


def aggregate(frame: pd.DataFrame, columns: list[str], length: int, min_cell: int,
              rounding: int) -> tuple[pd.DataFrame, dict[str, float]]:
    """Counts of every combination of up to ``length`` attributes (Synthetic Data Showcase style).

    Records missing an attribute do not count in combinations that use it. Counts below
    ``min_cell`` are withheld, the rest rounded down to a multiple of ``rounding``.

    Returns
    -------
    (table, figures)
        One row per published combination: the columns (empty when not part of the
        combination), ``attributes`` (how many are combined) and ``count``; and figures:
        combinations counted, withheld, published.
    """
    rows: list[dict] = []
    counted = withheld = 0
    errors: list[float] = []
    step = max(int(rounding or 1), 1)
    for size in range(1, length + 1):
        for combo in combinations(columns, size):
            sub = frame[list(combo)].dropna()
            if sub.empty:
                continue
            counts = sub.groupby(list(combo), sort=True).size()
            counted += len(counts)
            keep = counts[counts >= min_cell]
            withheld += len(counts) - len(keep)
            published = keep // step * step
            errors.extend(((keep - published) / keep).tolist())
            for key, n in keep.items():
                key = key if isinstance(key, tuple) else (key,)
                row = dict.fromkeys(columns)
                row.update(dict(zip(combo, key, strict=True)))
                row["attributes"] = str(size)
                row["count"] = str(int(n) // step * step)
                rows.append(row)
    table = pd.DataFrame(rows, columns=list(columns) + ["attributes", "count"])
    table = table.astype(object).where(table.notna(), None)  # type: ignore[call-overload]  # pandas-stubs: other=None is allowed
    figures = {"combinations_counted": counted, "combinations_withheld": withheld,
               "combinations_published": len(table),
               "smallest_published_count": int(min((int(c) for c in table["count"]),
                                                   default=0)),
               "mean_relative_error": round(float(sum(errors) / len(errors)), 10)
               if errors else 0.0}
    return table.reset_index(drop=True), figures


