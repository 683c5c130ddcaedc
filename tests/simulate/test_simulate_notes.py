"""Case notes carry what redaction must find, in the agency's language."""

from __future__ import annotations

import pandas as pd

from htwork.simulate import _tables as T


def _digits(s: str) -> str:
    return "".join(ch for ch in s if ch.isdigit())


def test_notes_name_the_person_or_give_the_phone(df):
    notes = df.cas_Notes
    rows = notes.notna()
    hit = []
    for note, first, second, alias, phone in zip(
            notes[rows], df.prs_FirstName[rows].fillna(""), df.prs_SecondName[rows].fillna(""),
            df.prs_Aliases[rows].fillna(""), df.prs_MobilePhone[rows].fillna(""), strict=True):
        names = [x for x in (first, second, *alias.split(";")) if len(x) >= 2]
        tail = _digits(phone)[-7:]
        hit.append(any(x in note for x in names) or (len(tail) == 7 and tail in _digits(note)))
    assert pd.Series(hit).mean() > 0.85


def test_notes_hold_identifiers_and_places(df):
    notes = df.cas_Notes.dropna()
    assert notes.str.contains(r"\+\d{2,3}[ \d]|0\d{8,}|\d{3}-\d{3}-\d{3,4}").mean() > 0.6
    ids = df.prs_IdentityDocumentNumber
    rows = df.cas_Notes.notna() & ids.notna()
    with_id = [i in n for i, n in zip(ids[rows], df.cas_Notes[rows], strict=True)]
    assert 0.1 < pd.Series(with_id).mean() < 0.6
    fishing = (df.vic_TypeOfLabourExploitation.fillna("").str.contains("Fishing")
               & df.cas_Notes.notna())
    boats = df.cas_Notes[fishing].str.contains(r"(?:Sor|Por|Chor|Kor|Nor|Tor)\. \w+ \d+|[สปชกนต]\.")
    assert boats.mean() > 0.4


def test_note_language_follows_the_agency(df):
    orgs = T.organisations().set_index("name")
    country = df.cas_IdentifyingOrganisation.map(orgs.country)
    notes = df.cas_Notes
    thai = notes.str.contains(r"[\u0E00-\u0E7F]{4}", na=False) & notes.str.contains(
        "อายุ", na=False)
    khmer = notes.str.contains("អាយុ", na=False)
    bahasa = notes.str.contains(r"\b(?:tahun|th, warga)\b", na=False)
    assert (country[thai] == "TH").all() and thai.sum() > 1000
    assert (country[khmer] == "KH").all() and khmer.sum() > 100
    assert (country[bahasa] == "ID").all() and bahasa.sum() > 200
    english = notes.str.contains(r"\b(?:identified|interviewed|Client|Interview|team met)\b",
                                 na=False)
    assert english.mean() > 0.4
    # Khmer notes name Cambodians in Khmer script, whatever script the name field uses
    kh_person = khmer & (df.prs_Citizenship == "KH")
    assert notes[kh_person].str.contains(r"[\u1780-\u17FF]{2,} អាយុ").mean() > 0.2


def test_notes_are_not_templated_placeholders(df):
    notes = df.cas_Notes.dropna()
    assert not notes.str.contains(r"\{[a-z_]+\}").any()
    assert not notes.str.contains("  ").any()
    assert notes.str.len().between(30, 800).all()
