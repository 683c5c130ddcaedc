"""A standard case frame as the CTDC global dataset writes it (the shipped ``ctdc`` schema).

:func:`to_ctdc` makes, from the input standard, a table with the Counter Trafficking Data
Collaborative's own columns and codes (codebook v6): ``yearOfRegistration``, ``Datasource``,
``gender``, ``ageBroad``, the three adult/minor columns, ``citizenship`` and
``CountryOfExploitation`` as ISO alpha-2, the flag families as ``1``/``0`` with their
``...Concatenated`` columns, and ``-99`` wherever a value was not recorded. Which input field
and codes set each flag is data in the schema (``htwork:fromInput``); ages and dates follow
the release standard's rules (:func:`htwork.standards.to_release`). The simulator writes it as
``--agency-format ctdc``: a CTDC-native table to test on, with no real person in it.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from htwork.standards._columns import factorize as _factorize
from htwork.standards.country import normalise_countries
from htwork.standards.release import _age_columns, _ints
from htwork.standards.schema import Standard, load_standard

__all__ = ["CTDC_MISSING", "to_ctdc", "ctdc_label"]

#: How the CTDC global dataset writes a value that was not recorded.
CTDC_MISSING = "-99"
_NOT_AN_ANSWER = "Unknown"
_PREFIX = re.compile(r"^(meansOfControl|typeOfLabour|typeOfSex|recruiterRelation|is)")


def ctdc_label(flag: str) -> str:
    """A flag's words in the ``...Concatenated`` columns: ``meansOfControlDebtBondage`` ->
    ``"Debt Bondage"``, ``isForcedLabour`` -> ``"Forced Labour"``."""
    rest = _PREFIX.sub("", flag)
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", rest)


def _strings(values: np.ndarray | pd.Series | pd.api.extensions.ExtensionArray) -> np.ndarray:
    """Text per row, :data:`CTDC_MISSING` where missing."""
    s = pd.Series(values, dtype=object)
    return s.where(s.notna(), CTDC_MISSING).astype(str).to_numpy(dtype=object)


def _items(df: pd.DataFrame, field: str) -> tuple[np.ndarray, list[set[str] | None]]:
    """Codes per row and, per distinct cell, its set of items (``None``: not recorded)."""
    if field not in df:
        return np.full(len(df), -1), []
    codes, uniques = _factorize(df[field])
    return codes, [{x.strip() for x in str(u).split(";") if x.strip()} for u in uniques]


def _flag_family(df: pd.DataFrame, std: Standard, names: list[str]) -> dict[str, np.ndarray]:
    """0/1/-1 per row for each flag of one family, from the input field the schema names."""
    specs = {n: std.field(n).get("htwork:fromInput") or {} for n in names}
    fields = {s["field"] for s in specs.values() if s}
    out = {n: np.full(len(df), -1, dtype=np.int8) for n in names}
    for field in fields:
        codes, cells = _items(df, field)
        if not cells:
            continue
        answers = {c for s in specs.values() if s.get("field") == field for c in s["codes"]}
        per_u = np.full((len(cells) + 1, len(names)), -1, dtype=np.int8)
        for i, items in enumerate(cells):
            if not items or (items == {_NOT_AN_ANSWER} and _NOT_AN_ANSWER not in answers):
                continue  # not recorded
            per_u[i] = 0
            for j, n in enumerate(names):
                if items & set(specs[n].get("codes") or ()):
                    per_u[i, j] = 1
        rows = per_u[np.where(codes < 0, len(cells), codes)]
        for j, n in enumerate(names):
            if specs[n].get("field") == field or not specs[n]:
                out[n] = np.maximum(out[n], rows[:, j])
    return out


def to_ctdc(df: pd.DataFrame) -> pd.DataFrame:
    """Write a standard case frame in the CTDC global dataset's own columns and codes.

    Parameters
    ----------
    df : pandas.DataFrame
        A standard case frame (input-standard columns, strings, missing = empty); fields it
        lacks count as not recorded.

    Returns
    -------
    pandas.DataFrame
        The columns of the shipped ``ctdc`` schema, in its order, on ``df``'s index; every
        value a string, ``-99`` where not recorded. It validates against
        ``load_standard("ctdc")``.

    Raises
    ------
    htwork.errors.StandardError
        If a date or age the table is made from is not valid (validate the frame first).

    Notes
    -----
    ``majorityStatusAtExploit`` and ``majorityEntry`` both come from
    ``vic_AgeWhenTrafficked`` (the input standard records one age for the start of the
    trafficking). ``isSexAndLabour`` is 1 where both forced labour and sexual exploitation
    are recorded. Flags the input standard cannot tell (``meansOfControlUsesChildren``,
    ``meansOfControlRestrictsMovement``, ``isForcedMilitary``, the ``NotSpecified`` flags) are
    0 where their question was answered, ``-99`` where not.
    """
    std = load_standard("ctdc")
    n = len(df)
    cols: dict[str, np.ndarray] = {}
    ages = _age_columns(df)
    for name in ("yearOfRegistration", "ageBroad", "majorityStatus"):
        cols[name] = _strings(ages[name])  # type: ignore[arg-type]
    at_start = _ints(df, "vic_AgeWhenTrafficked")
    minor = np.where(at_start < 18, "Minor", "Adult").astype(object)
    minor[at_start < 0] = None
    cols["majorityStatusAtExploit"] = _strings(minor)
    cols["majorityEntry"] = _strings(minor)
    gender = (df["prs_Gender"].to_numpy(dtype=object) if "prs_Gender" in df
              else np.full(n, None, dtype=object))
    known = np.isin(gender, std.categories("gender"))  # "Unknown" is not recorded in CTDC
    gender = gender.copy()
    gender[~known] = None
    cols["gender"] = _strings(gender)
    org = df["org_Type"] if "org_Type" in df else pd.Series([None] * n, dtype=object)
    cols["Datasource"] = np.where(org.to_numpy(dtype=object) == "Hotline", "Hotline",
                                  "Case Management").astype(object)
    for name in ("citizenship", "CountryOfExploitation"):
        source = std.field(name)["htwork:fromInput"]["field"]
        if source in df:
            cols[name] = _strings(normalise_countries(df[source], "alpha2")[0].to_numpy())
        else:
            cols[name] = np.full(n, CTDC_MISSING, dtype=object)
    families = std.flag_families()
    for family, names in families.items():
        flags = _flag_family(df, std, names)
        if family == "typeOfExploit":
            both = (flags["isForcedLabour"] == 1) & (flags["isSexualExploit"] == 1)
            flags["isSexAndLabour"] = np.where(flags["isForcedLabour"] < 0, -1,
                                               both.astype(np.int8))
        for name, v in flags.items():
            cols[name] = _flag_text(v)
        concatenated = {"meansOfControl": "meansOfControlConcatenated",
                        "typeOfExploit": "typeOfExploitConcatenated",
                        "typeOfLabour": "typeOfLabourConcatenated",
                        "typeOfSex": "typeOfSexConcatenated",
                        "recruiterRelation": "RecruiterRelationship"}[family]
        cols[concatenated] = _concatenate(flags, n)
    cols["isAbduction"] = _flag_text(_flag_family(df, std, ["isAbduction"])["isAbduction"])
    return pd.DataFrame({f: cols[f] for f in std.field_names}, index=df.index)


def _flag_text(v: np.ndarray) -> np.ndarray:
    return np.where(v < 0, CTDC_MISSING, v.astype(str)).astype(object)


def _concatenate(flags: dict[str, np.ndarray], n: int) -> np.ndarray:
    """The labels of the flags set to 1, joined by ``;`` (``-99`` where none is)."""
    names = list(flags)
    if not names:
        return np.full(n, CTDC_MISSING, dtype=object)
    bits = np.stack([flags[f] == 1 for f in names], axis=1)
    key = bits @ (1 << np.arange(len(names), dtype=np.int64))
    uniq, inverse = np.unique(key, return_inverse=True)
    labels = [";".join(ctdc_label(names[j]) for j in range(len(names)) if (k >> j) & 1)
              or CTDC_MISSING for k in uniq]
    return np.asarray(labels, dtype=object)[inverse.ravel()]
