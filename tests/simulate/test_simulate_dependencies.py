"""The dependencies built into the simulator hold on a 20,000-record sample, within bands."""

from __future__ import annotations

import numpy as np
import pandas as pd

from htwork.simulate import _tables as T

from .helpers import has, share


def _expected_labour_share(origin: str, dest: str, code: str, *, male: bool) -> float:
    """Share of ``code`` among the labour types of a corridor's (fe)male forced labourers,
    computed from corridors.csv."""
    num = den = 0.0
    for s in T.streams():
        if (s.origin, s.destination) != (origin, dest) or "labour" not in s.fields:
            continue
        sex = (1 - s.female) if male else s.female
        w = s.weight * sex
        lab = s.fields["labour"]
        p_code = sum(p for o, p in zip(lab.options, lab.p, strict=True) if code in o)
        ex = s.fields["exploitation"]
        p_fl = sum(p for o, p in zip(ex.options, ex.p, strict=True) if "ForcedLabour" in o)
        num += w * p_fl * p_code
        den += w * p_fl
    return num / den


def test_fishing_dominates_myanmar_men_in_thailand(df):
    rows = ((df.prs_Citizenship == "MM") & (df.vic_CountryOfExploitation == "TH")
            & (df.prs_Gender == "Male") & df.vic_TypeOfLabourExploitation.notna())
    got = share(has(df.vic_TypeOfLabourExploitation, "Fishing"), rows)
    want = _expected_labour_share("MM", "TH", "Fishing", male=True)
    assert 0.50 <= got <= 0.70
    assert abs(got - want) < 0.04, (got, want)


def test_sex_by_form_of_labour(df):
    gender = df.prs_Gender
    fishing = has(df.vic_TypeOfLabourExploitation, "Fishing")
    domestic = has(df.vic_TypeOfLabourExploitation, "DomesticWork")
    marriage = has(df.vic_TypeOfExploitation, "ForcedMarriage")
    assert share(gender == "Male", fishing) > 0.93
    assert share(gender == "Female", domestic) > 0.85
    assert share(gender == "Female", marriage) > 0.97


def test_children_in_philippine_online_sexual_exploitation(df, ages):
    rows = (has(df.vic_TypeOfSexExploitation, "RemoteInteractiveServices")
            & (df.prs_Citizenship == "PH") & ages.age_trafficked.notna())
    assert rows.sum() > 300
    assert share(ages.age_trafficked < 18, rows) > 0.97
    fam = df.vic_RelationshipToTrafficker.notna() & rows
    assert share(has(df.vic_RelationshipToTrafficker, "FamilyMember"), fam) > 0.6
    assert share(has(df.vic_MethodOfRecruitment, "Familial"),
                 rows & df.vic_MethodOfRecruitment.notna()) > 0.6


def test_scam_compounds_surge_from_2021(df, ages):
    scam = has(df.vic_TypeOfLabourExploitation, "OnlineScamOperations")
    assert scam.sum() > 500
    assert share(ages.year < 2020, scam) < 0.03
    early = share(scam, ages.year.isin([2018, 2019, 2020]))
    late = share(scam, ages.year.isin([2022, 2023, 2024, 2025]))
    assert late > 10 * max(early, 0.001)
    # forced criminality, mostly young adults of both sexes, recruited online
    assert share(has(df.vic_TypeOfExploitation, "ForcedCriminality"),
                 scam & df.vic_TypeOfExploitation.notna()) > 0.95
    adult = ages.age_trafficked.between(17, 45)
    assert share(adult, scam & ages.age_trafficked.notna()) > 0.9
    assert 0.2 < share(df.prs_Gender == "Female", scam) < 0.5
    online = has(df.vic_MethodOfRecruitment, "Internet")
    assert share(online, scam & df.vic_MethodOfRecruitment.notna()) > 0.6
    apps = df.vic_RecruitmentWebsitesAndApps[scam].dropna()
    top = apps.str.split(";").explode().value_counts()
    assert set(top.index[:2]) == {"Facebook", "Telegram"}
    places = df.vic_LocationOfExploitation[scam].dropna()
    assert share(places.isin(["KH-18", "MM-13", "LA-BK"])) > 0.5


def test_isic_section_follows_labour_type_in_every_row(df):
    mapping = T.params()["labour_isic"]
    both = df.vic_ForcedLabourIndustry.notna()
    assert both.sum() > 5000
    for labour, isic in zip(df.vic_TypeOfLabourExploitation[both],
                            df.vic_ForcedLabourIndustry[both], strict=True):
        want = {mapping[x] for x in labour.split(";")} - {""}
        assert set(isic.split(";")) == want, (labour, isic)
    # an industry is never recorded without a labour type
    assert not (df.vic_ForcedLabourIndustry.notna()
                & df.vic_TypeOfLabourExploitation.isna()).any()
    assert mapping["OnlineScamOperations"].startswith("N_")
    assert mapping["Fishing"].startswith("A_") and mapping["DomesticWork"].startswith("T_")
    assert mapping["Construction"].startswith("F_")


def test_methods_of_control_depend_on_exploitation(df):
    controls = df.vic_MethodsOfControl
    known = controls.notna()
    fishing = has(df.vic_TypeOfLabourExploitation, "Fishing") & known
    domestic = has(df.vic_TypeOfLabourExploitation, "DomesticWork") & known
    sexual = (df.vic_TypeOfExploitation == "SexualExploitation") & known
    labour = (df.vic_TypeOfExploitation == "ForcedLabour") & known
    debt, docs = has(controls, "DebtBondage"), has(controls, "WithholdsDocuments")
    assert share(debt, fishing) > 0.55 and share(docs, fishing) > 0.5
    assert share(debt, fishing) > share(debt, domestic) + 0.2
    drugs = has(controls, "PsychoactiveSubstance")
    assert share(drugs, sexual) > 3 * share(drugs, labour)
    hours = has(controls, "ExcessiveWorkingHours")
    assert share(hours, labour) > share(hours, sexual) + 0.4
    # several methods per person are common
    assert share(controls[known].str.count(";") >= 1) > 0.6


def test_irregular_migrants_more_often_threatened_with_police(df):
    cross = (df.prs_Citizenship != df.vic_CountryOfExploitation) & df.vic_MethodsOfControl.notna()
    no_doc = df.prs_IdentityDocumentType == "None"
    passport = df.prs_IdentityDocumentType == "Passport"
    police = has(df.vic_MethodsOfControl, "ThreatsLawEnforcement")
    assert share(police, cross & no_doc) > share(police, cross & passport) + 0.1


def test_thai_fishing_happens_in_coastal_provinces(df):
    rows = (has(df.vic_TypeOfLabourExploitation, "Fishing")
            & (df.vic_CountryOfExploitation == "TH") & df.vic_LocationOfExploitation.notna())
    coastal = {"TH-85", "TH-74", "TH-90", "TH-94", "TH-23", "TH-84", "TH-86", "TH-11", "TH-92",
               "TH-20", "TH-21", "TH-22", "TH-80"}
    assert share(df.vic_LocationOfExploitation.isin(coastal), rows) == 1.0
    top = df.vic_LocationOfExploitation[rows].value_counts().index[:3]
    assert {"TH-85", "TH-74"} <= set(top)


def test_group_identifications_share_date_agency_and_place(df, truth):
    g = df[df.cas_GroupId.notna()]
    per = g.groupby("cas_GroupId").agg(
        size=("cas_CaseId", "size"), dates=("cas_RegistrationDate", "nunique"),
        orgs=("cas_IdentifyingOrganisation", "nunique"),
        places=("vic_LocationOfExploitation", lambda s: s.dropna().nunique()))
    assert (per["size"] >= 2).all()
    assert (per.dates == 1).all() and (per.orgs == 1).all() and (per.places <= 1).all()
    crews = truth.loc[df.cas_GroupId.notna() & truth.stream.str.endswith("fishing"),
                      "group_size"]
    assert crews.max() <= 30 and crews.max() >= 15
    assert not truth.loc[df.cas_GroupId.notna(), "stream"].str.endswith("domestic").any()


def test_registration_years_and_seasonality(df, ages):
    counts = ages.year.value_counts()
    assert set(counts.index) == set(range(2018, 2026))
    assert counts.min() > 0.07 * len(df)
    months = pd.to_datetime(df.cas_RegistrationDate).dt.month.value_counts()
    assert months[4] < months[[3, 5]].mean()  # fewer registrations in April (Songkran)
    weekday = pd.to_datetime(df.cas_RegistrationDate).dt.dayofweek
    assert share(weekday >= 5) < 0.12  # offices rarely register at weekends


def test_referrals_follow_registration(df):
    reg = pd.to_datetime(df.cas_RegistrationDate)
    inc = pd.to_datetime(df.cas_IncomingReferralDate)
    out = pd.to_datetime(df.cas_OutgoingReferralDate)
    assert (inc[inc.notna()] >= reg[inc.notna()]).all()
    assert (out[out.notna()] > reg[out.notna()]).all()
    assert (out.dropna() <= pd.Timestamp("2025-12-31")).all()
    assert (df.cas_ReferringOrganisation.notna() == df.cas_IncomingReferralDate.notna()).all()
    assert (df.cas_ReferredOrganisation.notna() == df.cas_OutgoingReferralDate.notna()).all()
    assert not (df.cas_ReferringOrganisation == df.cas_IdentifyingOrganisation).any()
    closed_ref = df.cas_Status == "ClosedReferred"
    assert df.cas_OutgoingReferralDate[closed_ref].notna().all()


def test_ages_consistent_with_birth_dates(ages):
    both = ages.age_at_registration.notna() & ages.age_trafficked.notna()
    gap = ages.age_at_registration[both] - ages.age_trafficked[both]
    assert both.sum() > 12000
    assert (gap >= 0).all() and (gap <= 6).all()
    assert ages.age_trafficked.dropna().between(0, 100).all()


def test_birth_dates_sometimes_first_of_january(df):
    born = df.prs_Birthdate.dropna()
    jan1 = born.str.endswith("-01-01").mean()
    assert 0.06 < jan1 < 0.14  # estimated ages written as 1 January


def test_every_organisation_is_marked_fictional(df):
    for col in ("cas_IdentifyingOrganisation", "cas_ReferringOrganisation",
                "cas_ReferredOrganisation"):
        assert df[col].dropna().str.endswith("(fictional)").all()
    per_country = T.organisations().groupby("country").size()
    assert (per_country >= 4).all() and per_country.max() >= 20


def test_type_of_organisation_matches_the_organisation(df):
    pairs = df.groupby("cas_IdentifyingOrganisation").org_Type.nunique(dropna=True)
    assert (pairs <= 1).all()


def test_corridor_table_is_consistent():
    regions = set(T.places().region) | set(
        __import__("htwork.standards.codelists", fromlist=["x"]).asean_regions().code)
    for s in T.streams():
        assert s.weight > 0 and 0 <= s.female <= 1
        lo, mode, hi = s.age
        assert 0 <= lo <= mode <= hi <= 80
        for opt in s.exploit_regions.options:
            assert opt[0] in regions, (s.name, opt)
        assert np.isclose(s.org_countries.p.sum(), 1)
        assert s.trend in T.trends().index and s.season in T.seasons().index
