"""Identification events, exploitation fields and case management of simulated cases.

An *event* is one identification: one person, or a group identified together (a boat crew in a
port inspection, a batch of people leaving a scam compound, siblings in an online-abuse case).
People of an event share its stream, registration date, identifying organisation, place of
exploitation and group id.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from htwork.errors import StandardError
from htwork.simulate import _tables as T
from htwork.simulate._sampling import (
    child_rng,
    factorize,
    grouped_choice,
    lookup,
    options_to_masks,
    skewed_int,
    str_pool,
)

#: Reference years of the trend profiles: stream weights are person shares over these years.
REFERENCE_YEARS = tuple(range(2018, 2026))


@dataclass
class Events:
    """Identification events (one entry per event)."""

    stream: np.ndarray  # int index into streams()
    day: np.ndarray  # datetime64[D] registration date
    size: np.ndarray  # people in the event
    org: np.ndarray  # int index into organisations()
    org_country: np.ndarray  # object ISO alpha-2
    region: np.ndarray  # object ISO 3166-2 of the place of exploitation, or None
    place: np.ndarray  # int index into places() (exploitation town), -1 if none
    token: np.ndarray  # int used by case notes to pick boat / company names


def _trend_weight(trend: str, years: np.ndarray) -> np.ndarray:
    tr = T.trends().loc[trend]
    ref = tr[list(REFERENCE_YEARS)].to_numpy().mean()
    clipped = np.clip(years, min(REFERENCE_YEARS), max(REFERENCE_YEARS))
    return tr[clipped].to_numpy() / ref


def _dates(rng: np.random.Generator, year: np.ndarray, season: list[str], stream: np.ndarray,
           start: np.datetime64, end: np.datetime64, weekend_shift: float) -> np.ndarray:
    seas = T.seasons()
    profiles = sorted(set(season))
    prof_of_stream = np.array([profiles.index(s) for s in season])
    probs = [seas.loc[p].to_numpy() for p in profiles]
    month = grouped_choice(rng, prof_of_stream[stream], probs)
    first = ((year - 1970) * 12 + month).astype("datetime64[M]").astype("datetime64[D]")
    nxt = ((year - 1970) * 12 + month + 1).astype("datetime64[M]").astype("datetime64[D]")
    dim = (nxt - first).astype(np.int64)
    day = first + np.floor(rng.random(len(year)) * dim).astype(np.int64)
    wd = (day.astype(np.int64) + 3) % 7  # Monday 0
    shift = rng.random(len(day)) < weekend_shift
    day = day + np.where(shift & (wd == 5), -1, 0) + np.where(shift & (wd == 6), 1, 0)
    return np.clip(day, start, end)


@cache
def _org_probs(country: str, region: str, story: str) -> np.ndarray:
    """Weights of every organisation identifying a case of ``story`` in ``region``."""
    orgs = T.organisations()
    w = orgs["weight"].to_numpy() * (orgs["country"] == country).to_numpy()
    reg = orgs["region"].to_numpy()
    if region:
        w = w * np.where(reg == region, 6.0, np.where(reg == "", 1.5, 0.4))
    if story:
        focus = np.array([story in f.split() for f in orgs["focus"].tolist()])
        w = w * np.where(focus, 4.0, 1.0)
    w.flags.writeable = False
    return w


def draw_events(seed: int, n_people: int, start_year: int, end_year: int, *,
                registered_in: str | None = None) -> Events:
    """Identification events covering exactly ``n_people`` people.

    With ``registered_in`` (ISO alpha-2) only events identified by that country's agencies.
    """
    rng = child_rng(seed, "events")
    streams = T.streams()
    par = T.params()["case"]
    years = np.arange(start_year, end_year + 1)
    ns, ny = len(streams), len(years)
    w = np.zeros((ns, ny))
    for i, s in enumerate(streams):
        share = 1.0
        if registered_in is not None:
            share = float(sum(p for o, p in zip(s.org_countries.options, s.org_countries.p,
                                                 strict=True) if o[0] == registered_in))
        w[i] = share * s.weight * _trend_weight(s.trend, years) / s.mean_size
    if w.sum() == 0:
        raise StandardError(f"no simulated corridor has agencies in {registered_in!r}")
    p = (w / w.sum()).ravel()
    mean_size = np.repeat([s.mean_size for s in streams], ny)
    m = int(n_people / float(p @ mean_size) * 1.1) + 16
    cell = rng.choice(len(p), size=m, p=p)
    stream = cell // ny
    year = years[cell % ny]
    gp = np.array([s.group[0] for s in streams])[stream]
    lo = np.array([s.group[1] for s in streams])[stream]
    hi = np.array([s.group[2] for s in streams])[stream]
    size = np.where(rng.random(m) < gp, skewed_int(rng, lo, hi), 1)
    total = np.cumsum(size)
    while total[-1] < n_people:  # rare: draw more single events of the same mix
        extra = rng.choice(len(p), size=m, p=p)
        stream = np.r_[stream, extra // ny]
        year = np.r_[year, years[extra % ny]]
        size = np.r_[size, np.ones(m, dtype=size.dtype)]
        total = np.cumsum(size)
    k = int(np.searchsorted(total, n_people)) + 1
    stream, year, size = stream[:k], year[:k], size[:k].copy()
    size[-1] -= int(total[k - 1] - n_people)

    start = np.datetime64(f"{start_year}-01-01")
    end = np.datetime64(f"{end_year}-12-31")
    day = _dates(rng, year, [s.season for s in streams], stream, start, end,
                 par["weekend_shift"])

    keys = grouped_choice(rng, stream, [s.org_countries.p for s in streams])
    org_country = lookup(stream, [np.array([o[0] for o in s.org_countries.options], dtype=object)
                                  for s in streams], keys)
    if registered_in is not None:
        org_country[:] = registered_in

    pick = grouped_choice(rng, stream, [s.exploit_regions.p if s.exploit_regions.options
                                        else np.ones(1) for s in streams])
    region = lookup(stream, [np.array([o[0] for o in s.exploit_regions.options], dtype=object)
                             if s.exploit_regions.options else np.array([None], dtype=object)
                             for s in streams], pick)

    place = _draw_places(rng, region, np.array([s.destination for s in streams],
                                               dtype=object)[stream])
    org = _draw_orgs(rng, stream, org_country, region)
    token = rng.integers(0, 2**31 - 1, k)
    return Events(stream, day, size, org, org_country, region, place, token)


def _draw_places(rng, region: np.ndarray, destination: np.ndarray) -> np.ndarray:
    pl = T.places()
    key = np.where(pd.isna(region), "country:" + destination.astype(object),
                   "region:" + np.where(pd.isna(region), "", region).astype(object))
    inv, uniq = factorize(key)
    cands = []
    for u in uniq.tolist():
        kind, _, code = u.partition(":")
        if kind == "region":
            c = np.flatnonzero((pl["region"] == code).to_numpy())
        else:
            c = np.flatnonzero(((pl["country"] == code) & (pl["region"] == "")).to_numpy())
        cands.append(c)
    idx = grouped_choice(rng, inv, [np.ones(max(len(c), 1)) for c in cands])
    out = np.full(len(region), -1, dtype=np.int64)
    for j, c in enumerate(cands):
        if len(c):
            rows = inv == j
            out[rows] = c[idx[rows]]
    return out


def _draw_orgs(rng, stream: np.ndarray, org_country: np.ndarray, region: np.ndarray
               ) -> np.ndarray:
    streams = T.streams()
    dest = np.array([s.destination for s in streams], dtype=object)[stream]
    story = np.array([s.story for s in streams], dtype=object)[stream]
    reg = np.where((org_country == dest) & pd.notna(region), region, "")
    key = org_country.astype(object) + "|" + reg.astype(object) + "|" + story.astype(object)
    inv, uniq = factorize(key)
    probs = [_org_probs(*u.split("|")) for u in uniq.tolist()]
    return grouped_choice(rng, inv, probs)


def other_orgs(rng: np.random.Generator, org: np.ndarray, country: np.ndarray,
               story: np.ndarray | None = None, *, service: bool = False) -> np.ndarray:
    """Another organisation in ``country`` for each row (never the row's own ``org``).

    ``service`` favours the organisations cases are referred to (NGOs, social welfare,
    government protection centres); ``story`` favours organisations with that focus.
    """
    orgs = T.organisations()
    st = story if story is not None else np.full(len(org), "", dtype=object)
    cc, cu = factorize(country)
    sc, su = factorize(st)
    n_org = len(orgs)
    inv, uniq = factorize((cc * (n_org + 1) + org) * len(su) + sc)
    types = orgs["org_type"].to_numpy()
    boost = np.where(np.isin(types, ["NGO", "LocalGovernmentOrganisation",
                                     "CentralGovernmentOrganisation"]), 3.0, 1.0)
    probs = []
    for u in uniq.tolist():
        s = su[u % len(su)]
        o = u // len(su) % (n_org + 1)
        c = cu[u // len(su) // (n_org + 1)]
        w = _org_probs(c, "", s) * (boost if service else 1.0)
        w = w.copy()
        w[o] = 0.0
        if w.sum() == 0:  # a country with a single organisation: keep it
            w[o] = 1.0
        probs.append(w)
    return grouped_choice(rng, inv, probs)


# --- exploitation fields ----------------------------------------------------------------------


@dataclass
class Exploitation:
    """Bit masks (over the schema's categories) of the multi-select fields, per person."""

    exploitation: np.ndarray
    labour: np.ndarray
    industry: np.ndarray
    sex_type: np.ndarray
    controls: np.ndarray
    relationship: np.ndarray
    recruitment: np.ndarray
    platforms: np.ndarray


def _draw_masks(rng, stream: np.ndarray, key: str, field: str) -> np.ndarray:
    streams = T.streams()
    codes = T.categories()[field]
    masks = [options_to_masks(s.fields[key].options, codes) if key in s.fields
             else np.zeros(1, dtype=np.int64) for s in streams]
    probs = [s.fields[key].p if key in s.fields else np.ones(1) for s in streams]
    return lookup(stream, masks, grouped_choice(rng, stream, probs))


def _bit(field: str, code: str) -> int:
    return 1 << T.categories()[field].index(code)


def industry_masks(labour: np.ndarray) -> np.ndarray:
    """ISIC section masks implied by labour-type masks (``params.yaml`` ``labour_isic``)."""
    lab_codes = T.categories()["vic_TypeOfLabourExploitation"]
    isic_codes = T.categories()["vic_ForcedLabourIndustry"]
    mapping = T.params()["labour_isic"]
    out = np.zeros(len(labour), dtype=np.int64)
    for b, code in enumerate(lab_codes):
        sec = mapping.get(code) or ""
        if sec:
            out |= np.where(labour >> b & 1, 1 << isic_codes.index(sec), 0)
    return out


def draw_exploitation(seed: int, stream: np.ndarray, irregular: np.ndarray) -> Exploitation:
    """Exploitation type, labour type, ISIC section, sex-exploitation type, methods of control,
    relationship to the trafficker, method of recruitment and platforms, per person.

    Parameters
    ----------
    stream : int array
        Stream of each person.
    irregular : bool array
        Migrant without a valid document (more often threatened with the police).
    """
    rng = child_rng(seed, "exploitation")
    streams = T.streams()
    n = len(stream)
    expl = _draw_masks(rng, stream, "exploitation", "vic_TypeOfExploitation")
    forced_labour = (expl & _bit("vic_TypeOfExploitation", "ForcedLabour")) > 0
    sexual = (expl & _bit("vic_TypeOfExploitation", "SexualExploitation")) > 0
    labour = np.where(forced_labour, _draw_masks(rng, stream, "labour",
                                                 "vic_TypeOfLabourExploitation"), 0)
    sex_type = _draw_masks(rng, stream, "sex_type", "vic_TypeOfSexExploitation")
    private = _bit("vic_TypeOfSexExploitation", "PrivateSexualServices")
    sex_type = np.where(sexual, np.where(sex_type == 0, private, sex_type), 0)

    control_codes = T.categories()["vic_MethodsOfControl"]
    mat = np.zeros((len(streams), len(control_codes)))
    for i, s in enumerate(streams):
        for code, p in s.controls.items():
            mat[i, control_codes.index(code)] = p
    tle = control_codes.index("ThreatsLawEnforcement")
    controls = np.zeros(n, dtype=np.int64)
    for j in range(len(control_codes)):
        pj = mat[stream, j]
        if j == tle:
            pj = np.where(irregular, np.minimum(pj + 0.25, 0.95), pj)
        controls |= np.where(rng.random(n) < pj, 1 << j, 0)
    top = mat.argmax(axis=1)[stream]
    controls = np.where(controls == 0, np.left_shift(1, top), controls)

    relationship = _draw_masks(rng, stream, "relationship", "vic_RelationshipToTrafficker")
    recruitment = _draw_masks(rng, stream, "recruitment", "vic_MethodOfRecruitment")
    online = (recruitment & _bit("vic_MethodOfRecruitment", "Internet")) > 0
    platforms = np.where(online, _draw_masks(rng, stream, "platforms",
                                             "vic_RecruitmentWebsitesAndApps"), 0)
    return Exploitation(expl, labour, industry_masks(labour), sex_type, controls, relationship,
                        recruitment, platforms)


# --- case management --------------------------------------------------------------------------


def _roman(m: int) -> str:
    return ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"][m - 1]


def case_ids(org: np.ndarray, day: np.ndarray, tiebreak: np.ndarray) -> np.ndarray:
    """Case numbers in each organisation's own format, numbered per organisation and year in
    order of registration."""
    orgs = T.organisations()
    year = day.astype("datetime64[Y]").astype(np.int64) + 1970
    month = day.astype("datetime64[M]").astype(np.int64) % 12 + 1
    order = np.lexsort((tiebreak, day, year, org))
    so, sy = org[order], year[order]
    new = np.r_[True, (so[1:] != so[:-1]) | (sy[1:] != sy[:-1])]
    start = np.maximum.accumulate(np.where(new, np.arange(len(so)), 0))
    seq = np.empty(len(org), dtype=np.int64)
    seq[order] = np.arange(len(so)) - start + 1
    out = np.empty(len(org), dtype=object)
    fmts = orgs["case_format"].tolist()
    codes = orgs["code"].tolist()
    for o in np.unique(org).tolist():
        rows = np.flatnonzero(org == o)
        y, m, q = year[rows], month[rows], seq[rows]
        acc = np.full(len(rows), "", dtype=object)
        for literal, field, spec, _ in string.Formatter().parse(fmts[o]):
            if literal:
                acc = acc + literal
            if field == "seq":
                acc = acc + str_pool(q, lambda v, s=spec: format(v, s))
            elif field == "code":
                acc = acc + codes[o]
            elif field in ("year", "yy", "be"):
                shift = {"year": (0, 10**9), "yy": (0, 100), "be": (543, 10**9)}[field]
                acc = acc + str_pool((y + shift[0]) % shift[1], lambda v, s=spec: format(v, s))
            elif field == "roman":
                acc = acc + str_pool(m, _roman)
            elif field:
                raise StandardError(f"organisations.csv: unknown case-number field {field!r}")
        out[rows] = acc
    return out
