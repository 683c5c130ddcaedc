"""From registrations to people: checking the columns a report uses, linking second
registrations, one row per person.

The unit of a report's tables is the **person**, counted once, in the quarter of their
**first** registration by any agency in the extract ("people newly identified"). A person
whom a second agency registers later is not counted again (the table of identifying
organisations, which counts **registrations**, says how many such second registrations each
kind of organisation made).

Records are linked into people by

- ``person_key``: a column that already holds one value per person (from record linkage, or a
  keyed pseudonym of a national ID); or else
- ``match``: deterministic rules on the records themselves: ``"document"`` (the same identity
  document number, compared without spaces, dashes or case; numbers shorter than 5 characters
  are ignored) and, optionally, ``"name_birthdate"`` (the same full name, case-folded, and the
  same date of birth). Records joined by any rule, directly or through others, are one person.

Deterministic rules miss second registrations whose number was not recorded or whose name was
spelt differently, so a report made with them can still count some people twice: it says so.
Names and numbers are used only to link; they never reach a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from htwork.core.missing import Missing
from htwork.core.numbers import to_numbers
from htwork.errors import InputError
from htwork.standards import countries, load_standard, normalise_countries

__all__ = ["REQUIRED", "MATCH_RULES", "AGE_BANDS", "Prepared", "prepare", "link_people",
           "age_band_labels", "country_names"]

#: Columns of the input standard every report needs.
REQUIRED = ("cas_RegistrationDate", "prs_Gender", "prs_Citizenship",
            "vic_CountryOfExploitation", "vic_TypeOfExploitation", "org_Type")
#: Deterministic linking rules ``match`` accepts.
MATCH_RULES = ("document", "name_birthdate")
#: Lower limits of the default age groups (age at first registration, in completed years).
AGE_BANDS: tuple[int, ...] = (0, 12, 18, 25, 35, 50)
#: Row or column of the people whose value was not recorded (``Missing.NOT_RECORDED``).
NOT_RECORDED = Missing.NOT_RECORDED.table_value

_SHORT_NAMES = {"LA": "Lao PDR", "KR": "Republic of Korea", "KP": "DPR Korea",
                "TW": "Taiwan Province of China", "VN": "Viet Nam",
                "GB": "United Kingdom", "US": "United States"}


def country_names() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> short English name (``"LA"`` -> ``"Lao PDR"``)."""
    table = countries()
    names = dict(zip(table["alpha2"], table["name"], strict=True))
    names.update(_SHORT_NAMES)
    return names


def age_band_labels(bands: Sequence[int]) -> list[str]:
    """``(0, 12, 18)`` -> ``["0-11", "12-17", "18+"]``."""
    bands = list(bands)
    out = [f"{lo}-{hi - 1}" for lo, hi in zip(bands[:-1], bands[1:], strict=True)]
    return [*out, f"{bands[-1]}+"]


@dataclass
class Prepared:
    """The checked registrations and the people they belong to.

    Attributes
    ----------
    registrations : pandas.DataFrame
        One row per record, in registration order: ``date``, ``quarter``, ``person`` (an
        integer), ``first`` (the person's first registration), ``org_type``.
    people : pandas.DataFrame
        One row per person: ``quarter`` (of the first registration), ``sex``, ``age``,
        ``citizenship``, ``exploitation_country``, ``exploitation`` (codes; empty where no
        registration recorded them; taken from the earliest registration that has them).
    linked_by : str
        How records were linked, in words.
    """

    registrations: pd.DataFrame
    people: pd.DataFrame
    linked_by: str


# --- checks ---------------------------------------------------------------------------------


def _file(df: pd.DataFrame) -> str | None:
    return (df.attrs.get("htwork") or {}).get("file")


def _column(df: pd.DataFrame, field: str) -> str:
    """The file's own name of a standard field (through the crosswalk), else the field."""
    mapped = ((df.attrs.get("htwork") or {}).get("columns") or {}).get(field)
    return f"{mapped} ({field})" if mapped and mapped != field else field


def _bad(df: pd.DataFrame, field: str, bad: np.ndarray, what: str, hint: str) -> InputError:
    rows = df.index[bad]
    values = df[field].to_numpy()[bad]
    shown = ", ".join(f"row {r}: {v!r}" for r, v in zip(rows[:5], values[:5], strict=False))
    more = f" and {len(rows) - 5} more rows" if len(rows) > 5 else ""
    first = rows[0]
    return InputError(f"{what} ({shown}{more})", file=_file(df), column=_column(df, field),
                      row=int(first) if isinstance(first, int | np.integer) else None,
                      hint=hint)


def _check_columns(df: pd.DataFrame, person_key: str | None) -> None:
    missing = [c for c in REQUIRED if c not in df.columns]
    if person_key is not None and person_key not in df.columns:
        missing.append(person_key)
    if missing:
        raise InputError(
            "the report needs the column" + ("s " if len(missing) > 1 else " ")
            + ", ".join(repr(c) for c in missing) + ", which the table does not have",
            file=_file(df), column=missing[0],
            hint="read an agency's own export through its crosswalk (--crosswalk NAME), or "
                 "rename the columns to the input standard's names (htwork validate FILE "
                 "lists them)")


_VALIDATE = "run htwork validate on the file and fix these cells first"


def _dates(df: pd.DataFrame, field: str, required: bool) -> pd.Series:
    text = df[field]
    parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    bad = (text.notna() & parsed.isna()).to_numpy()
    if bad.any():
        raise _bad(df, field, bad, "dates the report cannot read (write them as YYYY-MM-DD)",
                   _VALIDATE)
    if required and parsed.isna().any():
        raise _bad(df, field, parsed.isna().to_numpy(), "registration dates are missing, so "
                   "these records cannot be placed in a quarter",
                   "fill in the registration date, or remove the records")
    return parsed


def _codes(df: pd.DataFrame, field: str, allowed: set[str], multiple: bool = False) -> None:
    values = df[field]
    uniques = pd.unique(values.dropna())
    if multiple:
        wrong = {u for u in uniques if not set(str(u).split(";")) <= allowed}
    else:
        wrong = {u for u in uniques if u not in allowed}
    if wrong:
        raise _bad(df, field, values.isin(wrong).to_numpy(), "codes the standard does not "
                   "know", _VALIDATE)


def _check_codes(df: pd.DataFrame) -> None:
    std = load_standard()
    for field in ("prs_Gender", "org_Type"):
        _codes(df, field, set(std.categories(field)))
    _codes(df, "vic_TypeOfExploitation", set(std.categories("vic_TypeOfExploitation")),
           multiple=True)
    known = set(countries()["alpha2"])
    for field in ("prs_Citizenship", "vic_CountryOfExploitation"):
        _codes(df, field, known)


def _alpha2_countries(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with its countries as alpha-2 codes, however they were written (alpha-3,
    names); values that are no country stay for :func:`_check_codes` to report. The caller's
    frame is not changed."""
    fields = [f for f in ("prs_Citizenship", "vic_CountryOfExploitation") if f in df.columns]
    if not fields:
        return df
    out = df.copy(deep=False)
    for field in fields:
        out[field] = normalise_countries(df[field], "alpha2")[0]
    out.attrs = df.attrs
    return out


def _ages(df: pd.DataFrame, registered: pd.Series) -> pd.Series:
    """Age in completed years at registration: from the birth date, else the age when the
    trafficking began (``vic_AgeWhenTrafficked``)."""
    age = pd.Series(np.nan, index=df.index)
    if "prs_Birthdate" in df.columns:
        born = _dates(df, "prs_Birthdate", required=False)
        years = (registered.dt.year - born.dt.year
                 - ((registered.dt.month < born.dt.month)
                    | ((registered.dt.month == born.dt.month)
                       & (registered.dt.day < born.dt.day))).astype(int))
        negative = (years < 0).to_numpy()
        if negative.any():
            raise _bad(df, "prs_Birthdate", negative, "birth dates after the registration "
                       "date", _VALIDATE)
        age = years.astype(float)
    if "vic_AgeWhenTrafficked" in df.columns:
        text = df["vic_AgeWhenTrafficked"]
        told = to_numbers(text)
        bad = (text.notna() & (told.isna() | (told < 0) | (told > 120)
                               | (told != told.round()))).to_numpy()
        if bad.any():
            raise _bad(df, "vic_AgeWhenTrafficked", bad, "ages that are not whole numbers "
                       "from 0 to 120", _VALIDATE)
        age = age.fillna(told)
    return age


# --- linking --------------------------------------------------------------------------------


def _key_codes(values: pd.Series) -> np.ndarray:
    codes, _ = pd.factorize(values, use_na_sentinel=True)
    return codes


def link_people(df: pd.DataFrame, *, person_key: str | None = None,
                match: Sequence[str] = ("document",)) -> tuple[np.ndarray, str]:
    """An integer person number for each record, and how records were linked (in words).

    Parameters
    ----------
    df : pandas.DataFrame
        Records in the input standard.
    person_key : str, optional
        A column holding one value per person; records with an empty key are people alone.
    match : sequence of str, default ("document",)
        Deterministic rules when there is no ``person_key``: ``"document"``,
        ``"name_birthdate"``; empty to count every record as a person.

    Returns
    -------
    (numpy.ndarray, str)
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(df)
    if person_key is not None:
        keys = [_key_codes(df[person_key])]
        words = f"records with the same {person_key!r} are one person"
    else:
        unknown = [m for m in match if m not in MATCH_RULES]
        if unknown:
            raise InputError(f"unknown matching rule {unknown[0]!r}",
                             hint="use " + " or ".join(repr(m) for m in MATCH_RULES))
        keys, said = [], []
        if "document" in match and "prs_IdentityDocumentNumber" in df.columns:
            doc = (df["prs_IdentityDocumentNumber"].str.upper()
                   .str.replace(r"[^0-9A-Z]", "", regex=True))
            keys.append(_key_codes(doc.where(doc.str.len() >= 5)))
            said.append("the same identity document number")
        if "name_birthdate" in match and {"prs_FirstName", "prs_Birthdate"} <= set(df.columns):
            second = (df["prs_SecondName"] if "prs_SecondName" in df.columns
                      else pd.Series(None, index=df.index, dtype=object))
            name = (df["prs_FirstName"].fillna("") + " " + second.fillna("")).str.casefold()
            name = name.str.split().str.join(" ")
            key = name + "|" + df["prs_Birthdate"]
            keys.append(_key_codes(key.where(df["prs_FirstName"].notna())))
            said.append("the same full name and date of birth")
        words = ("records with " + " or ".join(said) + " are one person" if said
                 else "every record counts as a person (no linking)")
    rows, cols, offset = [], [], n
    for codes in keys:
        has = codes >= 0
        rows.append(np.flatnonzero(has))
        cols.append(codes[has] + offset)
        offset += int(codes.max()) + 1 if has.any() else 0
    if not rows:
        return np.arange(n), words
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    graph = coo_matrix((np.ones(len(r), dtype=np.int8), (r, c)), shape=(offset, offset))
    _, labels = connected_components(graph, directed=False)
    _, person = np.unique(labels[:n], return_inverse=True)
    return person, words


# --- the whole step -------------------------------------------------------------------------


def prepare(df: pd.DataFrame, *, person_key: str | None = None,
            match: Sequence[str] = ("document",)) -> Prepared:
    """Check the columns a report uses and make one row per person.

    Raises
    ------
    htwork.errors.InputError
        A required column is missing; a date, age or code cannot be read (naming the file,
        the column and the rows).
    """
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"the cases must be a table (pandas DataFrame) or a file path, not "
                         f"{type(df).__name__}")
    if not len(df):
        raise InputError("the table has no records", file=_file(df))
    _check_columns(df, person_key)
    date = _dates(df, "cas_RegistrationDate", required=True)
    df = _alpha2_countries(df)
    _check_codes(df)
    age = _ages(df, date)
    person, words = link_people(df, person_key=person_key, match=match)
    frame = pd.DataFrame({
        "date": date.to_numpy(),
        "person": person,
        "org_type": df["org_Type"].to_numpy(),
        "sex": df["prs_Gender"].to_numpy(),
        "age": age.to_numpy(),
        "citizenship": df["prs_Citizenship"].to_numpy(),
        "exploitation_country": df["vic_CountryOfExploitation"].to_numpy(),
        "exploitation": df["vic_TypeOfExploitation"].to_numpy(),
    })
    order = np.lexsort((np.arange(len(frame)), frame["date"].to_numpy()))
    frame = frame.iloc[order].reset_index(drop=True)
    frame["quarter"] = frame["date"].dt.to_period("Q-DEC")
    frame["first"] = ~frame["person"].duplicated()
    people = (frame.drop(columns=["first", "org_type"])
              .groupby("person", sort=False).first())
    # the quarter, age and date are those of the first registration, never of a later one
    firsts = frame[frame["first"]].set_index("person")
    people["quarter"] = firsts["quarter"]
    people["date"] = firsts["date"]
    return Prepared(registrations=frame[["date", "quarter", "person", "first", "org_type"]],
                    people=people.reset_index(drop=True), linked_by=words)
