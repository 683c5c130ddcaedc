"""Reshape a standard case frame into the release standard (one CTDC-shaped row per person).

The mapping is data: ``htwork/standards/data/htcds_to_ctdc.csv``. Picklist codes reach release
values or 0/1 flags as that file says; countries go from alpha-2 to alpha-3; the registration
date becomes a year; age at registration (from the birth date, else the age when trafficking
began) becomes a broad band and adult/minor. Merges lose detail on purpose: there is no way
back from the release to the input codes.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from htwork.errors import StandardError
from htwork.standards._columns import factorize as _factorize
from htwork.standards._suggest import real_date
from htwork.standards.codelists import _a2_a3
from htwork.standards.schema import Standard, load_standard

__all__ = ["to_release", "crosswalk_table", "release_inputs", "AGE_BANDS"]

#: Lower age limits of the release's ``ageBroad`` bands and their labels.
AGE_BANDS: tuple[tuple[int, str], ...] = (
    (0, "0--8"), (9, "9--17"), (18, "18--20"), (21, "21--23"), (24, "24--26"),
    (27, "27--29"), (30, "30--38"), (39, "39--47"), (48, "48+"),
)
_NOT_AN_ANSWER = "Unknown"  # a multi-select cell holding only this leaves its flags missing
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_INT = re.compile(r"[+-]?\d+")


@lru_cache(maxsize=1)
def _crosswalk() -> pd.DataFrame:
    ref = resources.files("htwork.standards").joinpath("data", "htcds_to_ctdc.csv")
    with ref.open("rb") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False, encoding="utf-8")


def crosswalk_table() -> pd.DataFrame:
    """The input → release crosswalk (``source_field, source_value, target_field,
    target_value, kind, note``), as shipped. A fresh copy on each call."""
    return _crosswalk().copy()


def release_inputs() -> list[str]:
    """Input-standard fields the release is made from (the crosswalk gives each a release
    field), in crosswalk order; every other input field is dropped by :func:`to_release`."""
    cw = _crosswalk()
    return list(dict.fromkeys(cw.loc[cw["target_field"] != "", "source_field"]))


def _problem(field: str, rows: pd.Index, values: list, what: str) -> StandardError:
    shown = ", ".join(f"row {r}: {v!r}" for r, v in zip(rows[:5], values[:5], strict=False))
    more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
    return StandardError(
        f"{what} ({shown}{more}); the release cannot be made from it.",
        column=field,
        hint="run htwork.standards.validate on the frame and fix its errors first",
    )


def _take(per_unique: np.ndarray, codes: np.ndarray, fill) -> np.ndarray:
    """Per-row values from per-unique values; rows with code -1 get ``fill``."""
    ext = np.append(per_unique, np.array([fill], dtype=per_unique.dtype))
    return ext[np.where(codes < 0, len(per_unique), codes)]


def _na_flags(n: int) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(np.zeros(n, dtype=np.int8), np.ones(n, dtype=bool))


def _na_strings(n: int):
    return pd.array(np.full(n, None, dtype=object), dtype="string")


def _bad(df: pd.DataFrame, field: str, codes: np.ndarray, uniques, bad_u: list[int], what: str):
    rows = df.index[np.isin(codes, bad_u)]
    return _problem(field, rows, [uniques[codes[df.index.get_loc(r)]] for r in rows[:5]], what)


def _value_map(df: pd.DataFrame, field: str, mapping: dict[str, str | None]):
    codes, uniques = _factorize(df[field])
    out = np.array([mapping.get(str(u)) for u in uniques] + [None], dtype=object)
    bad = [i for i, u in enumerate(uniques) if str(u) not in mapping]
    if bad:
        raise _bad(df, field, codes, uniques, bad, "codes the standard does not know")
    return pd.array(out[np.where(codes < 0, len(uniques), codes)], dtype="string")


def _flags(df: pd.DataFrame, field: str, rows: pd.DataFrame, family: list[str],
           sep: str) -> dict[str, pd.arrays.IntegerArray]:
    """0/1/<NA> flags of one family from one multi-select field."""
    known = set(rows["source_value"])
    to_flag = {str(r.source_value): str(r.target_field) for r in rows.itertuples()
               if r.target_field}
    col = {name: j for j, name in enumerate(family)}
    codes, uniques = _factorize(df[field])
    per_u = np.full((len(uniques) + 1, len(family)), -1, dtype=np.int8)
    bad = []
    for i, cell in enumerate(uniques):
        items = [x for x in str(cell).split(sep)]
        if any(x not in known for x in items):
            bad.append(i)
            continue
        if any(x != _NOT_AN_ANSWER for x in items):
            per_u[i] = 0
            for x in items:
                if x in to_flag:
                    per_u[i, col[to_flag[x]]] = 1
    if bad:
        raise _bad(df, field, codes, uniques, bad, "codes the standard does not know")
    m = per_u[np.where(codes < 0, len(uniques), codes)]
    return {
        name: pd.arrays.IntegerArray(np.maximum(m[:, j], 0), m[:, j] < 0)
        for name, j in col.items()
    }


def _dates(df: pd.DataFrame, field: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month, day per row (-1 where missing) of a ``YYYY-MM-DD`` column."""
    n = len(df)
    if field not in df:
        return (np.full(n, -1),) * 3
    codes, uniques = _factorize(df[field])
    ymd = np.full((len(uniques), 3), -1, dtype=np.int64)
    latest = date.today().year + 1  # later years are Buddhist-Era or typing slips
    bad = []
    for i, u in enumerate(uniques):
        m = _DATE.fullmatch(str(u))
        if m:
            y, mo, d = int(m[1]), int(m[2]), int(m[3])
            if y <= latest and real_date(y, mo, d) is not None:
                ymd[i] = (y, mo, d)
                continue
        bad.append(i)
    if bad:
        raise _bad(df, field, codes, uniques, bad,
                   "dates that are not real YYYY-MM-DD Gregorian dates")
    return tuple(_take(ymd[:, k], codes, -1) for k in range(3))  # type: ignore[return-value]


def _ints(df: pd.DataFrame, field: str) -> np.ndarray:
    """Integers per row (-1 where missing) of an integer column."""
    if field not in df:
        return np.full(len(df), -1)
    codes, uniques = _factorize(df[field])
    vals = np.full(len(uniques), -1, dtype=np.int64)
    bad = []
    for i, u in enumerate(uniques):
        if _INT.fullmatch(str(u)) and int(u) >= 0:
            vals[i] = int(u)
        else:
            bad.append(i)
    if bad:
        raise _bad(df, field, codes, uniques, bad, "values that are not whole numbers")
    return _take(vals, codes, -1)


def _age_columns(df: pd.DataFrame) -> dict[str, object]:
    ry, rm, rd = _dates(df, "cas_RegistrationDate")
    by, bm, bd = _dates(df, "prs_Birthdate")
    both = (ry >= 0) & (by >= 0)
    age = np.where(both, ry - by - ((rm * 100 + rd) < (bm * 100 + bd)), -1)
    before = both & (age < 0)
    if before.any():
        rows = df.index[before]
        raise _problem("cas_RegistrationDate", rows, list(df.loc[rows[:5], "cas_RegistrationDate"]),
                       "registration dates before the birth date")
    fallback = _ints(df, "vic_AgeWhenTrafficked")
    age = np.where(by >= 0, age, fallback)
    missing = age < 0
    edges = np.array([lo for lo, _ in AGE_BANDS[1:]])
    band = np.where(missing, -1, np.searchsorted(edges, age, side="right"))
    labels = [lab for _, lab in AGE_BANDS]
    return {
        "yearOfRegistration": pd.arrays.IntegerArray(np.maximum(ry, 0).astype(np.int16), ry < 0),
        # pandas-stubs want a Sequence[int] and an Index; an array and a list work the same
        "ageBroad": pd.Categorical.from_codes(band, labels  # type: ignore[arg-type]
                                              ).astype("string"),
        "majorityStatus": pd.Categorical.from_codes(
            np.where(missing, -1, (age < 18).astype(np.int64)),  # type: ignore[arg-type]
            ["Adult", "Minor"],  # type: ignore[arg-type]
        ).astype("string"),
    }


def to_release(df: pd.DataFrame) -> pd.DataFrame:
    """Make the release table (CTDC-shaped, one row per person) from a standard case frame.

    Parameters
    ----------
    df : pandas.DataFrame
        A standard case frame (columns of the input standard, string values, missing = empty).
        Input fields it lacks count as not recorded.

    Returns
    -------
    pandas.DataFrame
        Columns exactly those of the release standard, in its order, on ``df``'s index.
        Flags are ``Int8`` (1 yes, 0 answered but not this, <NA> not recorded),
        ``yearOfRegistration`` is ``Int16``, text columns are pandas ``string``.

    Raises
    ------
    StandardError
        If a field the release uses holds a code, country, date or age the standard does not
        allow (run :func:`htwork.standards.validate` first).

    Notes
    -----
    ``ageBroad`` and ``majorityStatus`` use the age in completed years on the registration
    date; where the birth date is empty they use ``vic_AgeWhenTrafficked`` instead, which can
    put a person in a younger band than their age at registration.

    Where ``vic_TypeOfExploitation`` is recorded but omits forced labour (sexual exploitation)
    while a ``typeOfLabour*`` (``typeOfSex*``) flag is 1, ``isForcedLabour``
    (``isSexualExploit``) is set to 1: a flag is never 0 beside a recorded kind of it. Where the
    type of exploitation is not recorded, its flags stay missing. (Synthesizers rely on both.)
    """
    std_in, std_out = load_standard("input"), load_standard("release")
    cw = _crosswalk()
    out: dict[str, object] = {}
    families = std_out.flag_families()
    family_of = {f: fam for fam, names in families.items() for f in names}
    n = len(df)
    picks = cw[cw["source_value"] != "*"]
    for key, rows in picks.groupby("source_field", sort=False):
        field = str(key)
        targets = [str(t) for t in rows["target_field"].unique() if t]
        if std_in.is_multiple(field):
            family = families[family_of[targets[0]]]
            if field in df:
                out.update(_flags(df, field, rows, family, std_in.separator(field)))
            else:
                out.update({t: _na_flags(n) for t in family})
        else:
            target = targets[0]
            if field in df:
                mapping = {str(r.source_value): (str(r.target_value) or None)
                           for r in rows.itertuples()}
                out[target] = _value_map(df, field, mapping)
            else:
                out[target] = _na_strings(n)
    a2_a3: dict[str, str | None] = dict(_a2_a3())
    r: Any  # an itertuples row: pandas-stubs types its fields as any scalar
    for r in cw[(cw["source_value"] == "*") & (cw["target_value"] == "*")].itertuples():
        source, target = str(r.source_field), str(r.target_field)
        out[target] = _value_map(df, source, a2_a3) if source in df else _na_strings(n)
    out.update(_age_columns(df))
    missing = [f for f in std_out.field_names if f not in out]
    if missing:  # the crosswalk file and this code disagree: a packaging fault, not the user's
        raise StandardError(f"The shipped crosswalk produces no values for {missing}.")
    result = pd.DataFrame({f: out[f] for f in std_out.field_names})
    result.index = df.index
    for f in std_out.field_names:
        if f in family_of:
            result[f] = result[f].astype("Int8")
    _apply_flag_implications(result, std_out)
    return result


def _apply_flag_implications(result: pd.DataFrame, std: Standard) -> None:
    """Where a flag implies another flag (a recorded kind of labour or sexual exploitation
    implies forced labour or sexual exploitation), a 0 beside it becomes 1. Where the implied
    flag was not recorded at all it stays missing, so a flag family is recorded whole or not at
    all. Rules between other fields hold by construction and are left alone."""
    kinds: dict[str, list[str]] = {}
    for r in std.implications(result.columns):
        if std.family_of(r.field) and std.family_of(r.then):
            kinds.setdefault(r.then, []).append(r.field)
    for flag, members in kinds.items():
        said_no = (result[flag] == 0).fillna(False).to_numpy()
        result.loc[(result[members] == 1).any(axis=1).to_numpy() & said_no, flag] = 1
