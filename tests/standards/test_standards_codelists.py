"""The shipped code lists: ISO 3166-1 with M49 regions, ASEAN first-level regions."""

from __future__ import annotations

import pytest

from htwork.errors import StandardError
from htwork.standards import codelists as cl

ASEAN_NAMES = {"BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN", "TL"}


def test_countries_complete_and_unique():
    df = cl.countries()
    assert list(df.columns) == ["alpha2", "alpha3", "numeric", "name", "region", "subregion",
                                "asean"]
    assert len(df) == 249
    assert df["alpha2"].is_unique and df["alpha3"].is_unique and df["numeric"].is_unique
    assert df["alpha2"].str.fullmatch("[A-Z]{2}").all()
    assert df["alpha3"].str.fullmatch("[A-Z]{3}").all()
    assert df["numeric"].str.fullmatch(r"\d{3}").all()
    # Namibia's code is "NA": it must not be read as a missing value
    assert df.set_index("alpha2").loc["NA", "alpha3"] == "NAM"


def test_asean_membership_includes_timor_leste():
    df = cl.countries()
    assert set(df.loc[df["asean"] == 1, "alpha2"]) == ASEAN_NAMES
    assert set(cl.ASEAN) == ASEAN_NAMES and len(cl.ASEAN) == 11


@pytest.mark.parametrize("code,region,sub", [
    *[(c, "Asia", "South-eastern Asia") for c in sorted(ASEAN_NAMES)],
    ("CN", "Asia", "Eastern Asia"), ("TW", "Asia", "Eastern Asia"),
    ("HK", "Asia", "Eastern Asia"), ("KR", "Asia", "Eastern Asia"),
    ("IN", "Asia", "Southern Asia"), ("BD", "Asia", "Southern Asia"),
    ("LK", "Asia", "Southern Asia"), ("NP", "Asia", "Southern Asia"),
    ("IR", "Asia", "Southern Asia"), ("CY", "Asia", "Western Asia"),
    ("AU", "Oceania", "Australia and New Zealand"), ("PG", "Oceania", "Melanesia"),
    ("MX", "Americas", "Latin America and the Caribbean"), ("US", "Americas", "Northern America"),
    ("NG", "Africa", "Sub-Saharan Africa"), ("EG", "Africa", "Northern Africa"),
    ("RU", "Europe", "Eastern Europe"), ("GB", "Europe", "Northern Europe"),
])
def test_m49_regions(code, region, sub):
    row = cl.countries().set_index("alpha2").loc[code]
    assert (row["region"], row["subregion"]) == (region, sub)
    assert cl.subregion(code) == sub


def test_every_country_but_antarctica_has_a_region():
    df = cl.countries()
    assert set(df.loc[df["region"] == "", "alpha2"]) == {"AQ"}
    assert set(df["region"]) == {"", "Africa", "Americas", "Asia", "Europe", "Oceania"}


def test_conversions_and_errors():
    assert cl.alpha2_to_alpha3("MM") == "MMR"
    assert cl.alpha3_to_alpha2("KHM") == "KH"
    assert cl.is_country("TL") and not cl.is_country("XX") and not cl.is_country("th")
    assert not cl.is_country(None)
    with pytest.raises(StandardError, match="alpha-2"):
        cl.alpha2_to_alpha3("XX")
    with pytest.raises(StandardError, match="alpha-3"):
        cl.alpha3_to_alpha2("XXX")
    with pytest.raises(StandardError):
        cl.subregion("ZZ")


def test_returned_frames_are_copies():
    df = cl.countries()
    df.loc[0, "name"] = "changed"
    assert cl.countries().loc[0, "name"] != "changed"


def test_regions_shape():
    df = cl.asean_regions()
    assert list(df.columns) == ["code", "country", "name", "name_local", "type"]
    assert df["code"].is_unique
    assert (df["code"].str.split("-").str[0] == df["country"]).all()
    assert set(df["country"]) == ASEAN_NAMES
    counts = df["country"].value_counts()
    assert counts["TH"] == 78  # 76 provinces, Bangkok, Pattaya
    assert counts["PH"] == 17  # regions, not provinces
    assert counts["ID"] == 38  # provinces, not pycountry's seven geographical units
    assert counts["MM"] == 15 and counts["KH"] == 25 and counts["LA"] == 18
    for code in ("TH-85", "MM-02", "KH-12", "ID-JK", "PH-00", "VN-HN", "LA-VT", "MY-14",
                 "SG-01", "BN-BM", "TL-DI"):
        assert cl.is_region(code), code
    assert not cl.is_region("ID-JW")  # a geographical unit, not a province
    assert cl.is_region("TH-85", "TH") and not cl.is_region("TH-85", "MM")


@pytest.mark.parametrize("country,lo,hi", [
    ("TH", 0x0E00, 0x0E7F), ("LA", 0x0E80, 0x0EFF), ("KH", 0x1780, 0x17FF),
    ("MM", 0x1000, 0x109F),
])
def test_local_names_in_local_script(country, lo, hi):
    df = cl.asean_regions(country)
    assert (df["name_local"] != "").all()
    for name in df["name_local"]:
        letters = [ch for ch in name if not ch.isspace()]
        assert all(lo <= ord(ch) <= hi for ch in letters), name
    if country == "TH":
        assert df.set_index("code").loc["TH-10", "name_local"] == "กรุงเทพมหานคร"


def test_asean_regions_filter_and_error():
    assert set(cl.asean_regions("th")["country"]) == {"TH"}
    with pytest.raises(StandardError, match="not an ASEAN member"):
        cl.asean_regions("CN")
