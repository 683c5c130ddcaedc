"""Agency lists of one hidden population, with recording errors, and the truth kept apart.

:func:`simulate_agency_lists` draws a population of migrants and nationals of the region
(names from :mod:`htwork.simulate.identity`: faker pools and the shipped Khmer, Lao, Myanmar,
Vietnamese and Filipino name lists, native scripts included; Burmese names built from the
shipped names' syllables, :mod:`htwork.linkage._mm_names`), puts each person on each agency's
list with a list-specific probability that depends on a hidden "visibility" of the person and on
referrals between agencies (so lists are dependent, as in the field), and writes each list the
way that agency writes names and dates:

========== =========================================================================
Police     Thai script for Thai nationals (with titles), Latin passport spellings for
           others, often FAMILY NAME first in capitals; dates day-first in Buddhist Era
Welfare    Thai script for Thai nationals, Latin for others; ISO dates
NGO        each person's own script (Burmese, Khmer, Thai, Vietnamese with diacritics),
           nicknames in brackets; dates often only a year
Labour     Latin capitals without diacritics; day-first Gregorian dates, often missing
========== =========================================================================

On top, random recording errors: typos, other transliterations, swapped name order, a nickname
instead of the given name, missing or partial birth dates, day and month swapped, a year off by
one, missing sex. Lists beyond the fourth reuse those conventions in turn.

The result keeps the lists (what agencies hold) apart from the truth (who is who), which only
scoring uses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from htwork.core.results import Result
from htwork.errors import InputError

__all__ = ["AgencyLists", "simulate_agency_lists", "DEFAULT_COUNTRIES", "DEFAULT_ERRORS",
           "AGENCY_STYLES", "AGENCY_DOB_GAPS"]

#: Countries of origin of the simulated people and their shares.
DEFAULT_COUNTRIES = {"MM": 0.30, "KH": 0.18, "LA": 0.10, "TH": 0.14, "VN": 0.14, "ID": 0.07,
                     "PH": 0.07}
#: Per-record probabilities of each recording error.
DEFAULT_ERRORS = {
    "typo": 0.05,             # one letter dropped, doubled, swapped or replaced
    "variant": 0.25,          # another transliteration of the name (when one is known)
    "swap_order": 0.10,       # given and family name in the other order
    "nickname": 0.02,         # a nickname written instead of the given name
    "nickname_brackets": 0.08,  # the nickname added in brackets
    "dob_missing": 0.04,
    "dob_year_only": 0.05,
    "dob_day_month_swapped": 0.02,
    "dob_year_off": 0.02,
    "sex_missing": 0.03,
}
#: Extra birth-date gaps of agencies that record dates poorly (added to the rates above).
AGENCY_DOB_GAPS = {"labour": {"missing": 0.06, "year_only": 0.05}, "ngo": {"year_only": 0.08}}
#: How each agency writes (cycled when there are more lists).
AGENCY_STYLES = ("police", "welfare", "ngo", "labour")

_THAI_TITLES = {"m": "นาย", "f": "นางสาว"}
_LATIN_TITLES = {"m": "Mr.", "f": "Ms."}
_MM_TITLES = {"m": "U", "f": "Daw"}


@dataclass
class AgencyLists(Result):
    """Simulated agency lists and the truth about them.

    Attributes
    ----------
    lists : dict of str to DataFrame
        What each agency holds: columns ``name``, ``dob``, ``sex`` (text as written), indexed by
        row number as a spreadsheet shows it (first record on row 2).
    truth : DataFrame
        ``list``, ``row``, ``person``: who each record is (kept apart from the lists).
    population : DataFrame
        Everyone in the hidden population, on a list or not: ``person``, ``country``, ``sex``,
        ``dob``.
    seed : int
        The seed.
    """

    lists: dict[str, pd.DataFrame]
    truth: pd.DataFrame
    population: pd.DataFrame
    seed: int
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def n_population(self) -> int:
        """True size of the hidden population."""
        return len(self.population)

    @property
    def list_names(self) -> list[str]:
        return list(self.lists)

    def true_capture_table(self):
        """The capture table from the true links (:class:`htwork.prevalence.CaptureTable`)."""
        from htwork.prevalence import CaptureTable

        names = self.list_names
        bits = np.zeros(self.n_population, dtype=np.int64)
        for i, name in enumerate(names):
            people = self.truth.loc[self.truth["list"] == name, "person"].to_numpy()
            bits[people] |= 1 << i
        counts = np.bincount(bits, minlength=1 << len(names))
        counts[0] = 0
        return CaptureTable(names, counts)

    def true_pairs(self) -> set[tuple[tuple[str, int], tuple[str, int]]]:
        """Every pair of records (on different lists) of one person, as ``((list, row), ...)``
        sorted within the pair."""
        out = set()
        for _, grp in self.truth.groupby("person"):
            recs = sorted(zip(grp["list"], grp["row"], strict=True))
            for a in range(len(recs)):
                for b in range(a + 1, len(recs)):
                    out.add((recs[a], recs[b]))
        return out

    def save(self, folder: str | Path, truth_path: str | Path | None = None) -> dict[str, Path]:
        """Write each list as ``<folder>/<list>.csv`` (UTF-8) and, if asked, the truth apart.

        Returns
        -------
        dict
            List name to file written.
        """
        from htwork.io import write_csv

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        out = {}
        for name, df in self.lists.items():
            path = folder / f"{name}.csv"
            write_csv(df.reset_index(drop=True), path)
            out[name] = path
        if truth_path is not None:
            write_csv(self.truth, truth_path)
        return out

    def summary(self) -> str:
        sizes = ", ".join(f"{k} {len(v):,}" for k, v in self.lists.items())
        return (f"Simulated agency lists (seed {self.seed}): hidden population "
                f"{self.n_population:,}; {len(self.truth):,} records on {len(self.lists)} "
                f"lists ({sizes}); {self.true_capture_table().observed:,} people on a list")

    def _data(self) -> dict[str, Any]:
        return {"seed": self.seed, "population": self.n_population,
                "lists": {k: len(v) for k, v in self.lists.items()},
                "capture_table": self.true_capture_table().to_dict()["counts"],
                "params": self.params}

    def __repr__(self) -> str:
        return (f"AgencyLists(population={self.n_population}, lists="
                f"{ {k: len(v) for k, v in self.lists.items()} }, seed={self.seed})")


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


_THAI_LATIN_VARIANTS = [("ch", "j"), ("ai", "ay"), ("i", "ee"), ("u", "oo"), ("ph", "p"),
                        ("th", "t"), ("o", "oh"), ("k", "kh")]


def _thai_latin(native: str, rng: np.random.Generator) -> str:
    """A passport-like Latin spelling of a Thai name (Royal Institute romanisation, with the
    personal spelling choices Thai passports show)."""
    from htwork.linkage.normalise import _romanise_thai

    out = []
    for word in native.split():
        w = _romanise_thai(word)
        if rng.random() < 0.4:
            a, b = _THAI_LATIN_VARIANTS[rng.integers(len(_THAI_LATIN_VARIANTS))]
            if a in w:
                w = w.replace(a, b, 1)
        out.append(w.capitalize())
    return " ".join(out)


def _typo(text: str, rng: np.random.Generator) -> str:
    chars = list(text)
    letters = [i for i, c in enumerate(chars) if c.isalpha()]
    if len(letters) < 3:
        return text
    i = letters[rng.integers(1, len(letters))]
    kind = rng.integers(4)
    if kind == 0:
        del chars[i]
    elif kind == 1:
        chars.insert(i, chars[i])
    elif kind == 2 and i + 1 < len(chars) and chars[i + 1].isalpha():
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    else:
        pool = "aeiouy" if chars[i].lower() in "aeiouy" else "bcdfghklmnprstw"
        if chars[i].isascii():
            rep = pool[rng.integers(len(pool))]
            chars[i] = rep.upper() if chars[i].isupper() else rep
        else:
            del chars[i]
    return "".join(chars)


def _pick_variant(latin: str, variants: Sequence[str], rng: np.random.Generator,
                  p: float) -> str:
    if variants and rng.random() < p:
        return variants[rng.integers(len(variants))]
    return latin


def _fold_ascii(text: str) -> str:
    from htwork.simulate.identity import fold_ascii

    return fold_ascii(text)


def simulate_agency_lists(n_population: int = 5000, lists: Sequence[str] | int = 4, *,
                          capture: Sequence[float] | None = None, heterogeneity: float = 0.8,
                          referral_odds: float = 3.0,
                          countries: Mapping[str, float] | None = None,
                          errors: Mapping[str, float] | None = None,
                          burmese_names: str = "syllables",
                          seed: int = 0) -> AgencyLists:
    """Simulate agency lists of one hidden population, with the truth kept apart.

    Parameters
    ----------
    n_population : int
        Size of the hidden population (people on no list included).
    lists : sequence of str or int
        List names (``"Police"``, ...) or their number (4: Police, Welfare, NGO, Labour).
    capture : sequence of float, optional
        Each list's capture probability for a person of average visibility (default 0.35,
        0.30, 0.25, 0.20, then 0.2).
    heterogeneity : float
        Standard deviation of the hidden visibility on the logit scale (people seen by one
        agency are more likely seen by others: positive dependence).
    referral_odds : float
        Odds ratio of being on list 2 for people on list 1 (police refer victims to welfare).
    countries : mapping, optional
        Share of people by country of origin (default :data:`DEFAULT_COUNTRIES`).
    errors : mapping, optional
        Probabilities of recording errors, updating :data:`DEFAULT_ERRORS`.
    burmese_names : {"syllables", "list"}
        Names of people of Myanmar: built from syllables (default;
        :mod:`htwork.linkage._mm_names`: about 1.5 people a name), or drawn whole from the
        shipped list of 440 names (about 18 people a name in 8,000, as the case simulator
        does).
    seed : int
        Seed of everything drawn.

    Returns
    -------
    AgencyLists
    """
    from htwork.simulate.identity import draw_names, name_tables

    if isinstance(lists, int):
        base = ["Police", "Welfare", "NGO", "Labour"]
        lists = base[:lists] if lists <= 4 else base + [f"List{i + 1}" for i in range(4, lists)]
    lists = list(lists)
    if len(lists) < 2:
        raise InputError("at least two lists are needed")
    if n_population < 1:
        raise InputError("the population must have at least one person")
    k = len(lists)
    capture = list(capture) if capture is not None else (
        [0.35, 0.30, 0.25, 0.20] + [0.2] * max(0, k - 4))[:k]
    if len(capture) != k or not all(0 < p < 1 for p in capture):
        raise InputError(f"give {k} capture probabilities strictly between 0 and 1")
    countries = dict(countries or DEFAULT_COUNTRIES)
    err = {**DEFAULT_ERRORS, **(errors or {})}
    unknown = set(err) - set(DEFAULT_ERRORS)
    if unknown:
        raise InputError(f"unknown error kinds: {', '.join(sorted(unknown))}",
                         hint=f"use {', '.join(DEFAULT_ERRORS)}")
    rng = np.random.default_rng(seed)
    n = n_population
    cc = np.array(list(countries))
    p = np.array([countries[c] for c in cc], dtype=float)
    country = rng.choice(cc, size=n, p=p / p.sum())
    female = rng.random(n) < 0.55
    names = draw_names(rng, country, female, alias_share=0.35)
    if burmese_names == "syllables":  # drawn apart: every other draw stays as it was
        from htwork.linkage._mm_names import draw_burmese_names

        mm = np.flatnonzero(country == "MM")
        latin, native, variants = draw_burmese_names(
            np.random.default_rng([seed, 0x4D4D]), female[mm])
        names.first_latin[mm], names.first_native[mm] = latin, native
        names.first_variants[mm] = variants
    elif burmese_names != "list":
        raise InputError(f"burmese_names must be 'syllables' or 'list', not {burmese_names!r}")
    birth = (np.datetime64("1975-01-01") + rng.integers(0, 365 * 37, n).astype("timedelta64[D]"))
    dob = pd.to_datetime(birth)
    sex = np.where(female, "f", "m")

    # capture: heterogeneous visibility plus referral from list 1 to list 2
    u = rng.normal(0, heterogeneity, n)
    on = np.zeros((n, k), dtype=bool)
    for j in range(k):
        lp = _logit(capture[j]) + u
        if j == 1:
            lp = lp + np.log(referral_odds) * on[:, 0]
        on[:, j] = rng.random(n) < _expit(lp)

    nick_tables = {c: name_tables(c).get("nickname") for c in set(country)}
    out_lists: dict[str, pd.DataFrame] = {}
    truth_rows = []
    for j, list_name in enumerate(lists):
        style = AGENCY_STYLES[j % len(AGENCY_STYLES)]
        people = np.flatnonzero(on[:, j])
        rng.shuffle(people)
        recs = []
        for row, i in enumerate(people, start=2):
            recs.append(_write_record(i, style, country[i], sex[i], dob[i], names, nick_tables,
                                      err, rng))
            truth_rows.append((list_name, row, int(i)))
        df = pd.DataFrame(recs, columns=["name", "dob", "sex"])
        df.index = pd.RangeIndex(2, len(df) + 2)
        out_lists[list_name] = df
    truth = pd.DataFrame(truth_rows, columns=["list", "row", "person"])
    population = pd.DataFrame({"person": np.arange(n), "country": country, "sex": sex,
                               "dob": dob.strftime("%Y-%m-%d")})
    return AgencyLists(out_lists, truth, population, seed,
                       params={"capture": capture, "heterogeneity": heterogeneity,
                               "referral_odds": referral_odds, "countries": countries,
                               "errors": err})


def _write_record(i: int, style: str, country: str, sex: str, dob: pd.Timestamp, names,
                  nick_tables, err: Mapping[str, float], rng: np.random.Generator) -> tuple:
    given_latin = names.first_latin[i]
    given_native = names.first_native[i]
    family_latin = names.second_latin[i]
    family_native = names.second_native[i]
    gv, fv = names.first_variants[i], names.second_variants[i]
    # which script this agency writes this person's name in
    native_ok = bool(given_native) and (not family_latin or bool(family_native))
    if style in ("police", "welfare"):
        use_native = country == "TH"
    elif style == "ngo":
        use_native = native_ok and country in ("TH", "MM", "KH", "VN")
    else:
        use_native = False
    nickname = ""
    nt = nick_tables.get(country)
    if nt is not None and len(nt):
        j = rng.choice(len(nt), p=nt.p)
        nickname = nt.native[j] if use_native and nt.native[j] else nt.latin[j]
    if use_native:
        given, family = given_native, family_native
    else:
        if country == "TH":
            given = _thai_latin(given_native, rng)
            family = _thai_latin(family_native, rng) if family_native else ""
        else:
            given = _pick_variant(given_latin, gv, rng, err["variant"])
            family = _pick_variant(family_latin, fv, rng, err["variant"])
        if style == "labour":
            given, family = _fold_ascii(given).upper(), _fold_ascii(family).upper()
    if nickname and rng.random() < err["nickname"]:
        given = nickname
    if rng.random() < err["typo"]:
        if family and rng.random() < 0.5:
            family = _typo(family, rng)
        else:
            given = _typo(given, rng)
    # order: Vietnamese and Police family-first conventions, plus random swaps
    family_first = country == "VN" and use_native
    if style == "police" and not use_native and rng.random() < 0.5:
        family_first = True
    if rng.random() < err["swap_order"]:
        family_first = not family_first
    if family and family_first:
        name = f"{family.upper() if style == 'police' and not use_native else family}, {given}" \
            if style == "police" and not use_native else f"{family} {given}"
    else:
        name = f"{given} {family}".strip()
    if nickname and style == "ngo" and rng.random() < err["nickname_brackets"] * 2:
        name = f"{name} ({nickname})"
    elif nickname and rng.random() < err["nickname_brackets"]:
        name = f'{name} "{nickname}"'
    if style == "police":
        if use_native and rng.random() < 0.7:
            name = _THAI_TITLES[sex] + name
        elif not use_native and rng.random() < 0.2:
            name = f"{_LATIN_TITLES[sex]} {name}"
    if country == "MM" and style == "ngo" and rng.random() < 0.3:
        name = (("ဦး" if sex == "m" else "ဒေါ်") + name) if use_native \
            else f"{_MM_TITLES[sex]} {name}"
    # birth date
    y, m, d = dob.year, dob.month, dob.day
    r = rng.random()
    gaps = AGENCY_DOB_GAPS.get(style, {})
    p_missing = err["dob_missing"] + gaps.get("missing", 0.0)
    p_year = err["dob_year_only"] + gaps.get("year_only", 0.0)
    if r < p_missing:
        dob_text = None
    elif r < p_missing + p_year:
        dob_text = str(y + 543) if style == "police" else str(y)
    else:
        if rng.random() < err["dob_day_month_swapped"] and d <= 12:
            d, m = m, d
        if rng.random() < err["dob_year_off"]:
            y += int(rng.choice([-1, 1]))
        if style == "police":
            dob_text = f"{d:02d}/{m:02d}/{y + 543}"
        elif style == "welfare":
            dob_text = f"{y:04d}-{m:02d}-{d:02d}"
        else:
            dob_text = f"{d:02d}/{m:02d}/{y:04d}"
    # sex
    if rng.random() < err["sex_missing"]:
        sex_text = None
    elif style in ("police", "welfare"):
        sex_text = {"m": "ชาย", "f": "หญิง"}[sex]
    elif style == "labour":
        sex_text = sex.upper()
    else:
        sex_text = {"m": "male", "f": "female"}[sex]
    return name, dob_text, sex_text
