"""Validity, missing values, duplicates and identity formats of simulated extracts."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from htwork.simulate import _tables as T
from htwork.simulate.identity import thai_check_digit
from htwork.standards import validate
from htwork.standards.schema import load_standard

from .helpers import share


def test_columns_and_types(df):
    assert list(df.columns) == load_standard("input").field_names
    assert len(df) == 20_000
    assert all(dtype == "object" for dtype in df.dtypes)
    for col in df.columns:
        values = df[col].dropna()
        assert values.map(type).eq(str).all(), col
        assert (values != "").all(), col
    assert df.index.equals(pd.RangeIndex(len(df)))


def test_validates_without_problems(df):
    report = validate(df)
    assert report.ok, report.summary()
    assert len(report.to_frame()) == 0


@pytest.mark.slow
def test_every_picklist_value_is_allowed(df):
    std = load_standard("input")
    for f in std.fields:
        cats = [c["value"] for c in f.get("categories") or []]
        if not cats:
            continue
        items = df[f["name"]].dropna().str.split(";").explode()
        assert set(items) <= set(cats), f["name"]
        if f.get("htwork:multiple"):  # written in the schema's category order
            order = {c: i for i, c in enumerate(cats)}
            for cell in df[f["name"]].dropna().unique():
                pos = [order[x] for x in cell.split(";")]
                assert pos == sorted(pos) and len(set(pos)) == len(pos), cell


@pytest.mark.parametrize("field, rate, tol", [
    ("prs_Birthdate", 0.15, 0.03), ("prs_MobilePhone", 0.30, 0.03), ("prs_Email", 0.80, 0.03),
    ("vic_MethodsOfControl", 0.25, 0.02), ("cas_Notes", 0.05, 0.01),
    ("vic_RelationshipToTrafficker", 0.20, 0.02), ("prs_MailingState", 0.15, 0.02),
    ("vic_TypeOfExploitation", 0.03, 0.01)])
def test_missing_rates(df, field, rate, tol):
    assert abs(df[field].isna().mean() - rate) <= tol, df[field].isna().mean()


def test_required_fields_always_filled(df):
    for f in ("cas_CaseId", "cas_IdentifyingOrganisation", "cas_RegistrationDate", "prs_Gender"):
        assert df[f].notna().all()
    assert df.cas_CaseId.is_unique


def test_unknown_is_a_code_not_a_gap(df):
    assert (df.prs_Gender == "Unknown").sum() > 20
    assert has_code(df.vic_RelationshipToTrafficker, "Unknown") > 500
    assert (df.prs_IdentityDocumentType == "Unknown").sum() > 500


def has_code(series: pd.Series, code: str) -> int:
    return int(series.dropna().str.split(";").map(lambda x: code in x).sum())


def test_structural_gaps(df):
    sexual_only = df.vic_TypeOfExploitation == "SexualExploitation"
    assert df.vic_TypeOfLabourExploitation[sexual_only].isna().all()
    no_sex = df.vic_TypeOfExploitation.notna() & ~df.vic_TypeOfExploitation.str.contains(
        "SexualExploitation", na=False)
    assert df.vic_TypeOfSexExploitation[no_sex].isna().all()
    offline = df.vic_MethodOfRecruitment.notna() & ~df.vic_MethodOfRecruitment.str.contains(
        "Internet", na=False)
    assert df.vic_RecruitmentWebsitesAndApps[offline].isna().all()
    myanmar = df.prs_Citizenship == "MM"
    assert df.prs_SecondName[myanmar].isna().all()  # Myanmar names have no family name


def test_duplicate_registrations(df, truth):
    dup = truth.duplicate_of.notna()
    assert dup.sum() == round(0.04 * len(df))
    assert truth.duplicate_of[dup].isin(truth.cas_CaseId).all()
    first = df.set_index("cas_CaseId")
    orig = first.loc[truth.duplicate_of[dup]]
    again = df[dup.to_numpy()]
    assert (again.cas_RegistrationDate.to_numpy() >= orig.cas_RegistrationDate.to_numpy()).all()
    assert (again.cas_IdentifyingOrganisation.to_numpy()
            != orig.cas_IdentifyingOrganisation.to_numpy()).all()
    # the same person: person ids agree, names differ in a share of pairs
    pid = truth.set_index("cas_CaseId").person_id
    assert (pid[truth.duplicate_of[dup]].to_numpy() == truth.person_id[dup].to_numpy()).all()
    same_first = (again.prs_FirstName.to_numpy() == orig.prs_FirstName.to_numpy())
    assert 0.2 < 1 - same_first.mean() < 0.8
    assert truth.person_id.nunique() == len(df) - dup.sum()
    # the truth never leaks into the standard columns
    assert "person_id" not in df.columns and "duplicate_of" not in df.columns


def test_thai_national_ids_have_valid_check_digits(df):
    thai = (df.prs_Citizenship == "TH") & (df.prs_IdentityDocumentType == "NationalID")
    ids = df.prs_IdentityDocumentNumber[thai].dropna().str.replace("-", "")
    assert len(ids) > 200
    assert ids.str.fullmatch(r"[13]\d{12}").all()
    d = np.array([[int(c) for c in x] for x in ids])
    assert (thai_check_digit(d[:, :12]) == d[:, 12]).all()
    pink = (df.prs_IdentityDocumentType == "WorkPermit") & (df.vic_CountryOfExploitation == "TH")
    cards = df.prs_IdentityDocumentNumber[pink].dropna().str.replace("-", "")
    assert cards.str.fullmatch(r"00\d{11}").all()


@pytest.mark.parametrize("country, doc, pattern", [
    ("MM", "NationalID", r"\d{1,2}/[A-Z]{4,8}\(N\)\d{6}"),
    ("KH", "Passport", r"N\d{7}"),
    ("PH", "Passport", r"P\d{7}[A-Z]"),
    ("ID", "NationalID", r"\d{16}"),
    ("VN", "NationalID", r"\d{12}"),
    ("MM", "Passport", r"M[A-D]\d{6}"),
])
def test_document_number_patterns(df, country, doc, pattern):
    rows = (df.prs_Citizenship == country) & (df.prs_IdentityDocumentType == doc)
    numbers = df.prs_IdentityDocumentNumber[rows].dropna()
    assert len(numbers) > 20
    assert numbers.str.fullmatch(pattern).all(), numbers[~numbers.str.fullmatch(pattern)].head()


def test_indonesian_nik_encodes_birth_date_and_sex(df):
    rows = ((df.prs_Citizenship == "ID") & (df.prs_IdentityDocumentType == "NationalID")
            & df.prs_IdentityDocumentNumber.notna() & df.prs_Birthdate.notna()
            & df.prs_Gender.isin(["Male", "Female"]))
    nik, born, sex = (df.loc[rows, c] for c in ("prs_IdentityDocumentNumber", "prs_Birthdate",
                                                 "prs_Gender"))
    day = nik.str[6:8].astype(int) - np.where(sex == "Female", 40, 0)
    mm, yy = nik.str[8:10], nik.str[10:12]
    # most birth dates agree (a share were re-recorded as 1 January)
    agree = (day == born.str[8:10].astype(int)) & (mm == born.str[5:7]) & (yy == born.str[2:4])
    assert agree.mean() > 0.85


def test_myanmar_nrc_state_matches_home_region_mostly(df):
    states = {"MM-15": "10", "MM-13": "3", "MM-05": "6", "MM-06": "12", "MM-17": "13"}
    rows = ((df.prs_Citizenship == "MM") & (df.prs_IdentityDocumentType == "NationalID")
            & df.prs_MailingState.isin(list(states)) & df.prs_IdentityDocumentNumber.notna())
    got = df.prs_IdentityDocumentNumber[rows].str.split("/").str[0]
    want = df.prs_MailingState[rows].map(states)
    assert (got == want).mean() > 0.95


PHONE = {
    "TH": r"(\+66 ?|0)[689]\d[- ]?\d{3}[- ]?\d{4}",
    "KH": r"(\+855 ?|0)\d{2,3}[- ]?\d{3}[- ]?\d{3}",
    "MM": r"(\+95 ?|0)9\d{2}[- ]?\d{3}[- ]?\d{4}",
    "VN": r"(\+84 ?|0)\d{2}[- ]?\d{3}[- ]?\d{4}",
    "ID": r"(\+62 ?|0)8\d{2}[- ]?\d{3}[- ]?\d{5}",
    "PH": r"(\+63 ?|0)9\d{2}[- ]?\d{3}[- ]?\d{4}",
    "LA": r"(\+856 ?|0)20\d[- ]?\d{3}[- ]?\d{4}",
    "MY": r"(\+60 ?|0)1\d[- ]?\d{3}[- ]?\d{4}",
    "SG": r"(\+65 ?)?[89][- ]?\d{3}[- ]?\d{4}",
}


def test_phone_numbers_in_national_formats(df):
    phones = df.prs_MobilePhone.dropna()
    any_country = "|".join(f"(?:{p})" for p in PHONE.values())
    assert phones.str.fullmatch(any_country).all(), phones[
        ~phones.str.fullmatch(any_country)].head()
    # sometimes international, sometimes written locally as agencies do
    assert 0.3 < share(phones.str.startswith("+")) < 0.8
    mm = phones[df.prs_Citizenship[phones.index] == "MM"]
    local_thai_sim = mm.str.fullmatch(PHONE["TH"])
    assert 0.1 < share(local_thai_sim) < 0.5  # migrants with a Thai SIM card


def test_emails_and_names(df):
    emails = df.prs_Email.dropna()
    assert emails.str.fullmatch(r"[a-z0-9._]+@[a-z.]+\.(com|net|org)").all()
    assert emails.str.split("@").str[1].str.contains("example").all()  # reserved domains
    thai = df.prs_FirstName[df.prs_Citizenship == "TH"].dropna()
    assert thai.str.contains(r"[\u0E00-\u0E7F]").mean() > 0.95  # Thai script
    khmer = df.prs_FirstName[(df.prs_Citizenship == "KH")].dropna()
    assert 0.02 < khmer.str.contains(r"[\u1780-\u17FF]").mean() < 0.4  # some in Khmer script
    vn_abroad = (df.prs_Citizenship == "VN") & ~df.cas_IdentifyingOrganisation.isin(
        T.organisations().query("country == 'VN'").name)
    assert df.prs_FirstName[vn_abroad].dropna().map(str.isascii).all()  # no diacritics abroad
    assert 0.1 < df.prs_Aliases.notna().mean() < 0.2


def test_address_in_home_country(df):
    rows = df.prs_MailingState.notna() & df.prs_MailingCountry.notna()
    assert (df.prs_MailingState[rows].str[:2] == df.prs_MailingCountry[rows]).all()
    assert (df.prs_MailingCountry.dropna() == df.prs_Citizenship[df.prs_MailingCountry.notna()]
            ).mean() > 0.97
    assert df.prs_MailingState.dropna().str.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}").all()


def test_shipped_latin_name_lists_are_ascii():
    for cc in ("kh", "la", "mm", "vn", "ph", "th", "id"):
        names = T.names(cc.upper())
        assert names.latin.map(str.isascii).all(), cc
        assert len(names) >= (150 if cc in ("kh", "la", "mm", "vn", "ph") else 30)
    kh, mm = T.names("KH"), T.names("MM")
    assert kh.native.str.contains(r"[\u1780-\u17FF]").all()
    assert mm.native[mm.kind != "nickname"].str.contains(r"[\u1000-\u109F]").all()
    assert not (mm.kind == "family").any()
    assert re.fullmatch(r"[A-Za-z ]+", "Aung Kyaw")
