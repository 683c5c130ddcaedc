"""``simulate``: a realistic synthetic *sensitive* case extract in the htwork input standard."""

from __future__ import annotations

from typing import Any, Literal, overload

import numpy as np
import pandas as pd

from htwork.errors import HtworkError
from htwork.simulate import _tables as T
from htwork.simulate import cases, identity
from htwork.simulate._sampling import (
    child_rng,
    factorize,
    grouped_choice,
    lookup,
    map_values,
    masks_to_strings,
    str_pool,
)
from htwork.simulate.notes import NoteInputs, build_notes
from htwork.simulate.write import NATIVE_FORMATS

_DAYS_PER_YEAR = 365.2425


def _years_between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Completed years from dates ``a`` to dates ``b`` (datetime64[D])."""
    ya = a.astype("datetime64[Y]").astype(np.int64)
    yb = b.astype("datetime64[Y]").astype(np.int64)
    da = (a - a.astype("datetime64[Y]").astype("datetime64[D]")).astype(np.int64)
    db = (b - b.astype("datetime64[Y]").astype("datetime64[D]")).astype(np.int64)
    # compare month-day through the day of a non-leap-adjusted calendar: use (month, day)
    ma = a.astype("datetime64[M]").astype(np.int64) % 12
    mb = b.astype("datetime64[M]").astype(np.int64) % 12
    dda = (a - a.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64)
    ddb = (b - b.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64)
    before = (mb < ma) | ((mb == ma) & (ddb < dda))
    del da, db
    return yb - ya - before.astype(np.int64)


def _iso(days: np.ndarray) -> np.ndarray:
    """ISO date strings (shared objects per distinct date); NaT -> None."""
    out = np.full(len(days), None, dtype=object)
    ok = ~np.isnat(days)
    if ok.any():
        out[ok] = str_pool(days[ok].astype("datetime64[D]").astype(np.int64),
                           lambda v: str(np.datetime64(int(v), "D")))
    return out


class _People(dict):
    """Per-person arrays (columns of equal length)."""

    def take(self, idx: np.ndarray) -> _People:
        return _People({k: v[idx] for k, v in self.items()})

    def concat(self, other: _People) -> _People:
        return _People({k: np.concatenate([self[k], other[k]]) for k in self})


def _registered_in(agency_format: str | None) -> str | None:
    if agency_format is None or agency_format in NATIVE_FORMATS:
        return None  # a dataset's own shape (CTDC's), not one agency's export
    from htwork.standards.crosswalk import load_crosswalk

    country = load_crosswalk(agency_format).country
    if not country:
        raise HtworkError(
            f"the crosswalk {agency_format!r} does not say which country's agencies use it",
            hint="add 'country: <ISO alpha-2>' to the crosswalk YAML to simulate its format")
    return country


def _events_for_country(seed: int, n: int, start_year: int, end_year: int,
                        country: str | None) -> cases.Events:
    if country is None:
        return cases.draw_events(seed, n, start_year, end_year)
    return cases.draw_events(seed, n, start_year, end_year, registered_in=country)


def _people(seed: int, ev: cases.Events, end: np.datetime64) -> _People:
    """Everything about the people of the events, before recording choices."""
    streams = T.streams()
    par = T.params()
    rng = child_rng(seed, "people")
    rep = np.repeat(np.arange(len(ev.size)), ev.size)
    n = len(rep)
    stream = ev.stream[rep]
    origin = np.array([s.origin for s in streams], dtype=object)[stream]
    dest = np.array([s.destination for s in streams], dtype=object)[stream]
    female = rng.random(n) < np.array([s.female for s in streams])[stream]
    age_lo, age_mode, age_hi = (np.array([s.age[i] for s in streams])[stream] for i in range(3))
    age_start = rng.triangular(age_lo, age_mode, age_hi)
    dur = np.minimum(rng.exponential(par["case"]["trafficking_years_mean"], n), 5.0)
    day = ev.day[rep]
    start = day - np.round(dur * _DAYS_PER_YEAR).astype(np.int64)
    birth = start - np.floor(age_start * _DAYS_PER_YEAR).astype(np.int64) - rng.integers(0, 2, n)

    doc_pick = grouped_choice(rng, stream, [s.fields["doc"].p for s in streams])
    doc = lookup(stream, [np.array([o[0] for o in s.fields["doc"].options], dtype=object)
                          for s in streams], doc_pick)
    irregular = np.isin(doc, ["None", "Unknown"]) & (origin != dest)

    home = identity.draw_homes(rng, origin)
    pl = T.places()
    home_region = np.r_[pl["region"].to_numpy(dtype=object), [None]][home]
    street_latin, street_native = identity.draw_streets(rng, origin)
    names = identity.draw_names(rng, origin, female, par["identity"]["alias"])
    sim_country = np.where((origin != dest) & np.isin(dest, list(par["phones"]))
                           & (rng.random(n) < par["identity"]["destination_sim"]), dest, origin)
    phones = identity.draw_phones(rng, sim_country)
    idno = identity.draw_documents(rng, origin, doc, dest, home_region, birth, female)
    birth_year = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    email = identity.draw_emails(rng, names, origin, birth_year, par["identity"]["email"])

    # family groups (siblings in online-abuse cases, families begging) share a family name,
    # address and phone with the first member
    first_of_event = (np.cumsum(ev.size) - ev.size)[rep]
    fam_kind = np.array([s.group_kind == "family" for s in streams])[stream]
    fam = np.flatnonzero(fam_kind & (ev.size[rep] > 1) & (np.arange(n) != first_of_event))
    lead = first_of_event[fam]
    for arr in (names.second_latin, names.second_native, names.second_variants, street_latin,
                street_native, phones.cc, phones.trunk, phones.prefix, phones.rest_a,
                phones.rest_b, home, home_region):
        arr[fam] = arr[lead]

    expl = cases.draw_exploitation(seed, stream, irregular)
    return _People(
        event=rep, stream=stream, origin=origin, dest=dest, female=female, day=day,
        start=start, birth=birth, doc=doc, idno=idno, home=home, home_region=home_region,
        street_latin=street_latin, street_native=street_native,
        first_latin=names.first_latin, first_native=names.first_native,
        first_variants=names.first_variants, second_latin=names.second_latin,
        second_native=names.second_native, second_variants=names.second_variants,
        alias_latin=names.alias_latin, alias_native=names.alias_native,
        phone_cc=phones.cc, phone_trunk=phones.trunk, phone_prefix=phones.prefix,
        phone_a=phones.rest_a, phone_b=phones.rest_b, email=email,
        x_exploitation=expl.exploitation, x_labour=expl.labour, x_industry=expl.industry,
        x_sex_type=expl.sex_type, x_controls=expl.controls, x_relationship=expl.relationship,
        x_recruitment=expl.recruitment, x_platforms=expl.platforms,
        org=ev.org[rep], place=ev.place[rep], region=ev.region[rep], token=ev.token[rep],
        group_size=ev.size[rep], person=np.arange(n), dup_of=np.full(n, -1),
        variant=np.zeros(n, dtype=bool),
    )


def _duplicates(seed: int, p: _People, n_dup: int, end: np.datetime64,
                registered_in: str | None) -> _People:
    """Second registrations of ``n_dup`` people by another agency, later."""
    if n_dup <= 0:
        return p.take(np.zeros(0, dtype=np.int64))
    rng = child_rng(seed, "duplicates")
    par = T.params()["duplicates"]
    eligible = np.flatnonzero(p["day"] <= end - np.timedelta64(par["days_min"], "D"))
    if not len(eligible):
        eligible = np.arange(len(p["day"]))
    src = np.sort(rng.choice(eligible, size=n_dup, replace=n_dup > len(eligible)))
    d = p.take(src)
    d["dup_of"] = src
    room = (end - d["day"]).astype(np.int64)
    gap = rng.integers(par["days_min"], par["days_max"] + 1, n_dup)
    d["day"] = d["day"] + np.maximum(np.minimum(gap, room), 0)
    orgs = T.organisations()
    org_country = orgs["country"].to_numpy()[d["org"]]
    to_origin = ((org_country == d["dest"]) & (d["origin"] != d["dest"])
                 & (rng.random(n_dup) < par["origin_agency"])
                 & np.isin(d["origin"], orgs["country"].unique()))
    if registered_in is not None:
        to_origin[:] = False
    country = np.where(to_origin, d["origin"], org_country)
    story = np.array([s.story for s in T.streams()], dtype=object)[d["stream"]]
    d["org"] = cases.other_orgs(rng, d["org"], country, story)
    d["token"] = rng.integers(0, 2**31 - 1, n_dup)
    d["group_size"] = np.ones(n_dup, dtype=d["group_size"].dtype)
    d["event"] = np.full(n_dup, -1)
    d["variant"] = rng.random(n_dup) < par["name_variant"]
    return d


def _variant(rng: np.random.Generator, text: str, variants: tuple) -> str:
    """A spelling variant: a listed transliteration, else a one-letter typo."""
    if variants:
        return str(variants[int(rng.integers(0, len(variants)))])
    pos = [i for i in range(1, len(text) - 1) if text[i - 1:i + 2].isalpha()]
    if not pos or not text.isascii():
        return text
    i = pos[int(rng.integers(0, len(pos)))]
    kind = int(rng.integers(0, 3))
    if kind == 0:
        return text[:i] + text[i + 1:]
    if kind == 1:
        return text[:i] + text[i] + text[i:]
    return text[:i - 1] + text[i] + text[i - 1] + text[i + 1:]


def _phone_writer(phones: identity.Phones, style: np.ndarray):
    def write(rows: np.ndarray) -> np.ndarray:
        part = identity.Phones(phones.cc[rows], phones.trunk[rows], phones.prefix[rows],
                               phones.rest_a[rows], phones.rest_b[rows])
        return part.format(style[rows], missing="")

    return write


def _mask_missing(rng: np.random.Generator, values: np.ndarray, rate: float) -> np.ndarray:
    out = values.copy()
    out[rng.random(len(out)) < rate] = None
    return out


def _pop(p: _People, *keys: str) -> list[np.ndarray]:
    return [p.pop(k) for k in keys]


def _record_names(rng, p: _People, native: np.ndarray, cols: dict) -> dict[str, np.ndarray]:
    """Names as the agency wrote them (script, duplicates' spelling variants); pops name arrays."""
    fl, fv, sl, sv, al, an = _pop(p, "first_latin", "first_variants", "second_latin",
                                  "second_variants", "alias_latin", "alias_native")
    first = np.where(native & (p["first_native"] != ""), p["first_native"], fl)
    second = np.where(native & (p["second_native"] != ""), p["second_native"], sl)
    alias = np.where(native & (an != ""), an, al)
    for i in np.flatnonzero(p.pop("variant")).tolist():
        if second[i] and rng.random() < 0.4:
            second[i] = _variant(rng, sl[i], sv[i])
        elif rng.random() < 0.15 and second[i]:
            first[i], second[i] = second[i], first[i]
        else:
            first[i] = _variant(rng, fl[i], fv[i])
    cols["prs_FirstName"] = np.where(first == "", None, first)  # type: ignore[call-overload]  # numpy stubs: None is an object scalar
    cols["prs_SecondName"] = np.where(second == "", None, second)  # type: ignore[call-overload]  # numpy stubs: None is an object scalar
    cols["prs_Aliases"] = np.where(alias == "", None, alias)  # type: ignore[call-overload]  # numpy stubs: None is an object scalar
    return {"first": first, "second": second, "alias": map_values(alias, lambda a: a.split(";")[0])}


def _record_person(rng, p: _People, native: np.ndarray, cols: dict) -> dict[str, Any]:
    """Gender, birth date, age, documents, phone, e-mail, address; pops what it consumes."""
    par = T.params()
    cat = T.categories()
    n = len(native)
    origin = p["origin"]
    g = par["gender"]
    sexual = (p["x_exploitation"] & (1 << cat["vic_TypeOfExploitation"].index(
        "SexualExploitation"))) > 0
    u = rng.random(n)
    gender = np.array(["Male", "Female"], dtype=object)[p.pop("female").astype(np.int64)]
    gender[u < np.where(sexual, g["transgender_sexual_exploitation"], g["transgender_other"])] = (
        "Transgender/NonConforming")
    gender[(u >= 0.5) & (u < 0.5 + g["unknown"])] = "Unknown"
    cols["prs_Gender"] = gender

    birth, start = _pop(p, "birth", "start")
    dup = p["dup_of"] >= 0
    jan1 = rng.random(n) < par["identity"]["birthdate_jan1"]
    jan1 |= dup & (rng.random(n) < par["duplicates"]["jan1_birthdate"])
    birth[jan1] = birth[jan1].astype("datetime64[Y]").astype("datetime64[D]")
    age_when = np.maximum(_years_between(birth, start), 0)
    age_now = _years_between(birth, p["day"])
    months = np.round((p["day"] - start).astype(np.int64) / 30.44).astype(np.int64)
    birth_str = _iso(birth)
    birth_str[dup & (rng.random(n) < par["duplicates"]["drop_birthdate"])] = None
    cols["prs_Birthdate"] = birth_str
    cols["vic_AgeWhenTrafficked"] = str_pool(age_when, str)

    cols["prs_Citizenship"] = origin.copy()
    cols["prs_IdentityDocumentType"] = p["doc"].copy()
    idno = p["idno"].copy()
    idno[dup & (rng.random(n) < par["duplicates"]["drop_document"])] = None
    cols["prs_IdentityDocumentNumber"] = idno
    fmt = par["identity"]["phone_format"]
    styles = ["e164", "international", "local", "local_dashed"]
    style = rng.choice(4, size=n, p=np.array([fmt[s] for s in styles]) / sum(fmt.values()))
    phones = identity.Phones(*_pop(p, "phone_cc", "phone_trunk", "phone_prefix", "phone_a",
                                   "phone_b"))
    phone = phones.format(style)
    phone[dup & (rng.random(n) < par["duplicates"]["drop_phone"])] = None
    cols["prs_MobilePhone"] = phone
    cols["prs_Email"] = p.pop("email")
    sl, sn = _pop(p, "street_latin", "street_native")
    cols["prs_MailingStreet"] = np.where(native & (sn != ""), sn, sl)
    pl = T.places()
    city_latin = np.r_[pl["city"].to_numpy(dtype=object), [None]][p["home"]]
    city_local = np.r_[pl["city_local"].to_numpy(dtype=object), [None]][p["home"]]
    use_local_city = (origin == "TH") | (native & np.isin(origin, ["KH", "MM", "VN"]))
    cols["prs_MailingCity"] = np.where(use_local_city, city_local, city_latin)
    cols["prs_MailingState"] = p["home_region"].copy()
    cols["prs_MailingCountry"] = origin.copy()
    return {"age": age_now, "months": months, "phones": phones}


def _record_case(rng, p: _People, end: np.datetime64, cols: dict) -> None:
    """Identifying organisation, status, trafficking status and referrals."""
    par = T.params()
    orgs = T.organisations()
    n = len(p["day"])
    org, origin, dest, day = p["org"], p["origin"], p["dest"], p["day"]
    org_country = orgs["country"].to_numpy()[org]
    org_type = orgs["org_type"].to_numpy()[org]
    status_p = par["trafficking_status"]
    tcodes = T.categories()["vic_TraffickingStatus"]
    ts = np.empty(n, dtype=object)
    for t in np.unique(org_type).tolist():
        rows = np.flatnonzero(org_type == t)
        probs = status_p.get(t, status_p["default"])
        w = np.array([probs.get(c, 0.0) for c in tcodes])
        ts[rows] = np.asarray(tcodes, dtype=object)[rng.choice(len(tcodes), len(rows),
                                                                p=w / w.sum())]
    cols["vic_TraffickingStatus"] = ts

    c = par["case"]
    days_open = (end - day).astype(np.int64)
    closed = rng.random(n) < 1 - np.exp(-days_open / c["closed_after_days"])
    referred = closed & (rng.random(n) < c["closed_referred_share"])
    out_ref = referred | (rng.random(n) < c["outgoing_referral_open"])
    out_day = day + 8 + np.round(rng.exponential(c["outgoing_days_mean"], n)).astype(np.int64)
    out_ok = out_ref & (out_day <= end)
    referred &= out_ok
    active = rng.random(n) < c["active_share_open"]
    status = np.where(closed, np.where(referred, 3, 2), np.where(active, 0, 1))
    cols["cas_Status"] = np.array(["Active", "FollowUp", "Closed", "ClosedReferred"],
                                  dtype=object)[status]
    in_ref = rng.random(n) < c["incoming_referral"]
    in_day = np.minimum(day + rng.integers(0, 8, n), end)
    cols["cas_IncomingReferralDate"] = np.where(in_ref, _iso(in_day), None)  # type: ignore[call-overload]  # numpy stubs: None is an object scalar
    names = orgs["name"].to_numpy(dtype=object)
    referring = cases.other_orgs(rng, org, org_country)
    cols["cas_ReferringOrganisation"] = np.where(in_ref, names[referring], None)  # type: ignore[call-overload]  # numpy stubs: None is an object scalar
    cols["cas_OutgoingReferralDate"] = np.where(out_ok, _iso(np.minimum(out_day, end)), None)  # type: ignore[call-overload]  # numpy stubs: None is an object scalar
    repat = (out_ok & (org_country == dest) & (origin != dest)
             & np.isin(origin, orgs["country"].unique())
             & (rng.random(n) < c["repatriation_referral"]))
    referred_org = cases.other_orgs(rng, org, np.where(repat, origin, org_country), service=True)
    cols["cas_ReferredOrganisation"] = np.where(out_ok, names[referred_org], None)  # type: ignore[call-overload]  # numpy stubs: None is an object scalar
    cols["cas_IdentifyingOrganisation"] = names[org]
    cols["org_Type"] = org_type.astype(object)
    cols["cas_RegistrationDate"] = _iso(day)


def _record_exploitation(rng, p: _People, cols: dict) -> np.ndarray:
    """Exploitation picklists and places; pops the masks. Returns the first platform code."""
    cat = T.categories()
    for key, field in (("x_exploitation", "vic_TypeOfExploitation"),
                       ("x_controls", "vic_MethodsOfControl"),
                       ("x_labour", "vic_TypeOfLabourExploitation"),
                       ("x_industry", "vic_ForcedLabourIndustry"),
                       ("x_sex_type", "vic_TypeOfSexExploitation"),
                       ("x_relationship", "vic_RelationshipToTrafficker"),
                       ("x_recruitment", "vic_MethodOfRecruitment")):
        cols[field] = masks_to_strings(p.pop(key), cat[field])
    plat = p.pop("x_platforms")
    cols["vic_RecruitmentWebsitesAndApps"] = masks_to_strings(
        plat, cat["vic_RecruitmentWebsitesAndApps"])
    low = plat & -plat
    pbit = np.where(low > 0, np.log2(np.maximum(low, 1)).astype(np.int64), -1)
    platform = np.asarray(cat["vic_RecruitmentWebsitesAndApps"] + [""], dtype=object)[pbit]
    origin = p["origin"]
    n = len(origin)
    pl = T.places()
    other_region = identity.draw_homes(rng, origin)
    cols["vic_CountryOfRecruitment"] = origin.copy()
    cols["vic_LocationOfRecruitment"] = np.where(
        rng.random(n) < 0.75, p.pop("home_region"),
        np.r_[pl["region"].to_numpy(dtype=object), [None]][other_region])
    cols["vic_CountryOfExploitation"] = p["dest"].copy()
    cols["vic_LocationOfExploitation"] = p.pop("region")
    return platform


def _note_languages(rng, org: np.ndarray) -> np.ndarray:
    """Language of each case note, drawn from the organisation's ``notes_lang``."""
    orgs = T.organisations()
    langs = orgs["notes_lang"].tolist()
    lang = np.empty(len(org), dtype=object)
    for o in np.unique(org).tolist():
        rows = np.flatnonzero(org == o)
        opts = [x.split(":") for x in langs[o].split()]
        lg = np.array([a for a, _ in opts], dtype=object)
        w = np.array([float(b) for _, b in opts])
        lang[rows] = lg[rng.choice(len(lg), len(rows), p=w / w.sum())]
    org_country = orgs["country"].to_numpy()[org]
    lang[(lang == "th") & (org_country != "TH")] = "en"  # Thai notes only by Thai agencies,
    lang[(lang == "km") & (org_country != "KH")] = "en"  # Khmer only by Cambodian ones
    return lang


def _record(seed: int, p: _People, end: np.datetime64) -> tuple[dict[str, np.ndarray], Any]:
    """Turn people into the standard's columns (strings) as the agencies recorded them.

    Consumes (pops) the person arrays it no longer needs, to keep memory low.
    """
    rng = child_rng(seed, "record")
    par = T.params()
    orgs = T.organisations()
    n = len(p["day"])
    org = p["org"]
    origin = p["origin"]
    cols: dict[str, np.ndarray] = {}
    # local agencies write national-script names some of the time
    share = par["identity"]["native_script"]
    native_p = map_values(origin, lambda c: share.get(c, 0.0)).astype(float)
    native = (orgs["country"].to_numpy()[org] == origin) & (rng.random(n) < native_p)
    nm = _record_names(rng, p, native, cols)
    ps = _record_person(rng, p, native, cols)
    _record_case(rng, p, end, cols)
    platform = _record_exploitation(rng, p, cols)
    for field, rate in par["missing"].items():
        if field in cols:
            cols[field] = _mask_missing(rng, cols[field], rate)
    cols["vic_ForcedLabourIndustry"][pd.isna(cols["vic_TypeOfLabourExploitation"])] = None
    note_in = NoteInputs(
        lang=_note_languages(rng, org),
        story=np.array([s.story for s in T.streams()], dtype=object)[p["stream"]],
        origin=origin, destination=p["dest"], first=nm["first"], second=nm["second"],
        first_native=p.pop("first_native"), second_native=p.pop("second_native"),
        alias=nm["alias"], age=ps["age"], day=p["day"], home=p.pop("home"),
        place=p.pop("place"), phone=_phone_writer(ps["phones"], rng.choice(4, size=n)),
        doc=p.pop("doc"), idno=p.pop("idno"), platform=platform, token=p.pop("token"),
        months=ps["months"])
    del nm, ps
    notes = build_notes(child_rng(seed, "notes"), note_in)
    del note_in
    cols["cas_Notes"] = _mask_missing(rng, notes, par["missing"].get("cas_Notes", 0.0))
    return cols, org


@overload
def simulate(n: int, seed: int, *, start_year: int = ..., end_year: int = ...,
             duplicate_rate: float = ..., agency_format: str | None = ...,
             return_truth: Literal[False] = ...) -> pd.DataFrame: ...
@overload
def simulate(n: int, seed: int, *, start_year: int = ..., end_year: int = ...,
             duplicate_rate: float = ..., agency_format: str | None = ...,
             return_truth: Literal[True]) -> tuple[pd.DataFrame, pd.DataFrame]: ...
@overload
def simulate(n: int, seed: int, *, start_year: int = ..., end_year: int = ...,
             duplicate_rate: float = ..., agency_format: str | None = ...,
             return_truth: bool = ...) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]: ...


def simulate(
    n: int,
    seed: int,
    *,
    start_year: int = 2018,
    end_year: int = 2025,
    duplicate_rate: float = 0.04,
    agency_format: str | None = None,
    return_truth: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Simulate a synthetic sensitive case extract in the htwork input standard.

    Every person, organisation, phone number, document number and case note is invented.
    Fields depend on each other as in real registers of South-East Asian agencies: corridors
    (Myanmar -> Thailand fishing, Indonesia -> Malaysia domestic work, scam compounds in
    Cambodia and Myanmar from 2021, forced marriage to China, online sexual exploitation of
    children in the Philippines...) fix sex, age, labour type, ISIC section, methods of
    control, recruitment and places; group identifications share a date, agency and group id;
    cells go missing at realistic rates; a share of people are registered twice by different
    agencies under spelling variants.

    Parameters
    ----------
    n : int
        Number of records (rows).
    seed : int
        Random seed; the same seed gives the same frame (and byte-identical files).
    start_year, end_year : int, default 2018, 2025
        Registration years covered (inclusive).
    duplicate_rate : float, default 0.04
        Share of rows that are a second registration of someone already in the extract.
    agency_format : str, optional
        Name or path of an agency crosswalk: simulate only records of agencies of that
        crosswalk's ``country``, written in the scripts that agency uses (for
        :func:`htwork.simulate.write_extract` with the same ``agency_format``).
    return_truth : bool, default False
        Also return the true person behind each row (for testing record linkage).

    Returns
    -------
    pandas.DataFrame or (pandas.DataFrame, pandas.DataFrame)
        The extract: the input standard's columns in schema order, every value a string or
        ``None``, index ``0..n-1``. With ``return_truth`` also a frame with ``cas_CaseId``,
        ``person_id``, ``duplicate_of`` (case id of the first registration, or ``None``),
        ``stream`` and ``group_size``, aligned with the extract.

    Examples
    --------
    >>> from htwork.simulate import simulate
    >>> df = simulate(1000, seed=1)
    >>> df.shape
    (1000, 39)
    """
    if not isinstance(n, int | np.integer) or n < 0:
        raise HtworkError(f"n must be a whole number of records >= 0, not {n!r}")
    if not 0 <= duplicate_rate < 1:
        raise HtworkError(f"duplicate_rate must lie in [0, 1), not {duplicate_rate!r}")
    if end_year < start_year:
        raise HtworkError(f"end_year {end_year} is before start_year {start_year}")
    n = int(n)
    registered_in = _registered_in(agency_format)
    end = np.datetime64(f"{end_year}-12-31")
    n_dup = int(round(n * duplicate_rate))
    n_unique = n - n_dup
    fields = T.field_names()
    if n_unique <= 0:
        empty = pd.DataFrame({f: pd.Series([], dtype=object) for f in fields})
        truth = pd.DataFrame(columns=["cas_CaseId", "person_id", "duplicate_of", "stream",
                                      "group_size"])
        return (empty, truth) if return_truth else empty
    ev = _events_for_country(seed, n_unique, start_year, end_year, registered_in)
    people = _people(seed, ev, end)
    people = people.concat(_duplicates(seed, people, n_dup, end, registered_in))
    cols, org = _record(seed, people, end)

    # order by registration date, then organisation; number cases per organisation and year
    rng = child_rng(seed, "order")
    tiebreak = rng.random(len(org))
    case_id = cases.case_ids(org, people["day"], tiebreak)
    order = np.lexsort((tiebreak, org, people["day"]))
    cols["cas_CaseId"] = case_id
    event = people["event"]
    grouped = (people["group_size"] > 1)[order]
    gid = np.full(len(org), None, dtype=object)
    codes, _ = factorize(event[order][grouped])
    gid_sorted = np.full(len(org), None, dtype=object)
    gid_sorted[grouped] = str_pool(codes + 1, lambda v: f"G-{v:06d}")
    gid[order] = gid_sorted
    cols["cas_GroupId"] = gid
    for f in fields:
        cols[f] = cols[f][order]
    df = pd.DataFrame({f: cols.pop(f) for f in fields}, columns=fields, copy=False)
    df.attrs["htwork"] = {"file": None, "columns": {}, "read_problems": [], "simulation": {
        "n": n, "seed": int(seed), "start_year": start_year, "end_year": end_year,
        "duplicate_rate": duplicate_rate, "agency_format": agency_format}}
    if not return_truth:
        return df
    pid = people["person"].copy()
    dup = people["dup_of"] >= 0
    pid[dup] = people["person"][people["dup_of"][dup]]
    dup_of = np.where(dup, case_id[np.maximum(people["dup_of"], 0)], None)  # type: ignore[call-overload]  # numpy stubs: None is an object scalar
    truth = pd.DataFrame({
        "cas_CaseId": case_id[order],
        "person_id": str_pool(pid[order], lambda v: f"P{v:07d}"),
        "duplicate_of": dup_of[order],
        "stream": np.array([s.name for s in T.streams()], dtype=object)[people["stream"]][order],
        "group_size": people["group_size"][order],
    })
    return df, truth
