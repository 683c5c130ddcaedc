"""Countries however a table writes them: alpha-2, alpha-3, ISO names and everyday names."""

from __future__ import annotations

import pandas as pd
import pytest

from htwork.standards import load_standard, validate
from htwork.standards.country import (
    country_form,
    country_name,
    normalise_countries,
    to_alpha2,
    to_alpha3,
)


@pytest.mark.parametrize("written, a2", [
    ("VN", "VN"), ("VNM", "VN"), ("Viet Nam", "VN"), ("Vietnam", "VN"), (" viet-nam ", "VN"),
    ("LA", "LA"), ("LAO", "LA"), ("Lao PDR", "LA"), ("Laos", "LA"),
    ("Lao People's Democratic Republic", "LA"),
    ("MM", "MM"), ("MMR", "MM"), ("Myanmar", "MM"), ("Burma", "MM"),
    ("KHM", "KH"), ("Cambodia", "KH"), ("Korea, Republic of", "KR"), ("South Korea", "KR"),
    ("NA", "NA"), ("Namibia", "NA"),
])
def test_every_spelling_reaches_the_same_country(written, a2):
    assert to_alpha2(written) == a2


def test_unknown_and_missing_are_none():
    for v in ("Atlantis", "XX", "", None, float("nan"), "-99"):
        assert to_alpha2(v) is None


def test_alpha3_name_and_form():
    assert to_alpha3("Burma") == "MMR" and to_alpha3("TH") == "THA"
    assert country_name("LAO") == "Lao People's Democratic Republic"
    assert country_form("VN") == "alpha2" and country_form("VNM") == "alpha3"
    assert country_form("Viet Nam") == "name" and country_form("vn") == "name"
    assert country_form("Atlantis") is None


def test_normalise_a_column_keeps_unknown_values_for_validation():
    s = pd.Series(["Vietnam", "KHM", None, "Atlantis", "MM"], index=[2, 3, 4, 5, 6])
    out, unknown = normalise_countries(s, "alpha3")
    assert out.tolist() == ["VNM", "KHM", None, "Atlantis", "MMR"]
    assert unknown.tolist() == [False, False, False, True, False]
    assert list(out.index) == [2, 3, 4, 5, 6]


def test_input_standard_suggests_alpha2_for_any_spelling():
    df = pd.DataFrame({"prs_Citizenship": ["Viet Nam", "LAO", "Burma", "MM"]})
    report = validate(df, "input")
    bad = report.problems[report.problems["code"] == "unknown_country"]
    assert bad["suggestion"].tolist() == ["VN", "LA", "MM"]
    assert "is a country, but this field takes an ISO 3166-1 alpha-2 code" in \
        bad["message"].iloc[0]


def test_release_region_recoding_reads_any_spelling():
    from htwork.release.protect import recode_values

    s = pd.Series(["MMR", "MM", "Myanmar", "Viet Nam", None])
    out = recode_values("citizenship", s, 1)
    assert out.tolist()[:4] == ["South-eastern Asia"] * 4 and out.iloc[4] is None


def test_shipped_ctdc_schema_accepts_alpha2_and_alpha3():
    std = load_standard("ctdc")
    assert std.field("citizenship")["htwork:countryForms"] == ["alpha2", "alpha3"]
    df = pd.DataFrame({"citizenship": ["VN", "KHM", "-99"],
                       "CountryOfExploitation": ["TH", "THA", ""]})
    assert validate(df, "ctdc").ok


def test_the_country_module_does_not_hide_the_countries_table():
    import htwork.standards as standards

    assert callable(standards.countries) and len(standards.countries()) == 249
