"""The quarterly report reads countries written any way (alpha-3, English names), as alpha-2."""

from __future__ import annotations

import pandas.testing as pdt

from htwork.report import quarterly_report
from htwork.standards import country_name, to_alpha3

from .conftest import QUARTER


def test_alpha3_and_names_give_the_same_report(demo, report):
    other = demo.copy()
    other["prs_Citizenship"] = demo["prs_Citizenship"].map(to_alpha3, na_action="ignore")
    other["vic_CountryOfExploitation"] = demo["vic_CountryOfExploitation"].map(
        country_name, na_action="ignore")
    again = quarterly_report(other, QUARTER)
    for name in ("citizenship", "country_of_exploitation", "corridors"):
        pdt.assert_frame_equal(again[name].values, report[name].values)
    assert demo["prs_Citizenship"].dropna().str.len().eq(2).all()  # the input is untouched
