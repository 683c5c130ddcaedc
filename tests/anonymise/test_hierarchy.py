"""Hierarchies shipped as data, global recoding, top and bottom coding."""

from __future__ import annotations

import pandas as pd
import pytest

from htwork.anonymise import (
    Hierarchy,
    Recoder,
    TopBottomCoder,
    available_hierarchies,
    load_hierarchy,
)
from htwork.anonymise import _build_hierarchies as build
from htwork.errors import InputError, StandardError


def test_shipped_hierarchies():
    assert available_hierarchies() == ["age", "age_ctdc", "date", "geography", "nationality"]
    assert load_hierarchy("age").levels == ["age", "band5", "band10", "band20", "any"]
    assert load_hierarchy("age_ctdc").levels == ["age", "ageBroad", "majorityStatus", "any"]
    assert load_hierarchy("date").levels == ["day", "month", "quarter", "year", "any"]


def test_shipped_csvs_match_their_rules_and_the_code_lists(tmp_path):
    """The CSV files are what the builder makes from htwork.standards' code lists."""
    for path in build.write(tmp_path):
        shipped = build.OUT / path.name
        assert shipped.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), path.name


AGE = pd.Series(["0", "4", "5", "17", "18", "20", "29", "38", "39", "47", "48", "99", None],
                index=range(2, 15), name="age")


@pytest.mark.parametrize(
    "name, level, expected",
    [
        ("age_ctdc", "ageBroad", ["0--8", "0--8", "0--8", "9--17", "18--20", "18--20", "27--29",
                                  "30--38", "39--47", "39--47", "48+", "48+", None]),
        ("age_ctdc", 2, ["Minor"] * 4 + ["Adult"] * 8 + [None]),
        ("age", "band5", ["0--4", "0--4", "5--9", "15--19", "15--19", "20--24", "25--29",
                          "35--39", "35--39", "45--49", "45--49", "95--99", None]),
        ("age", "band10", ["0--9", "0--9", "0--9", "10--19", "10--19", "20--29", "20--29",
                           "30--39", "30--39", "40--49", "40--49", "90--99", None]),
        ("age", "any", ["*"] * 12 + [None]),
    ],
)
def test_age_levels_by_hand(name, level, expected):
    out = load_hierarchy(name).generalise(AGE, level)
    assert out.tolist() == expected
    assert out.index.equals(AGE.index) and out.name == "age"


def test_level_zero_and_numbers():
    h = load_hierarchy("age_ctdc")
    assert h.generalise(AGE, 0).tolist() == AGE.tolist()
    nums = pd.Series([8, 9.0, 48])
    assert h.generalise(nums, "ageBroad").tolist() == ["0--8", "9--17", "48+"]
    assert h.generalise(pd.Series(["17.0", " 18 "]), 1).tolist() == ["9--17", "18--20"]


def test_dates_day_month_quarter_year():
    d = pd.Series(["2023-05-17", "2023-12-31", "2024-01-01", None], name="cas_RegistrationDate")
    h = load_hierarchy("date")
    assert h.generalise(d, "day").tolist() == d.tolist()
    assert h.generalise(d, "month").tolist() == ["2023-05", "2023-12", "2024-01", None]
    assert h.generalise(d, "quarter").tolist() == ["2023-Q2", "2023-Q4", "2024-Q1", None]
    assert h.generalise(d, "year").tolist() == ["2023", "2023", "2024", None]
    assert h.generalise(d, 4).tolist() == ["*", "*", "*", None]
    coarse = pd.Series(["2022-07", "2021"])
    assert h.generalise(coarse, "year").tolist() == ["2022", "2021"]
    with pytest.raises(InputError):
        h.generalise(coarse, "month")  # "2021" has no month
    with pytest.raises(InputError, match="2024-02-30"):
        h.generalise(pd.Series(["2024-02-30"]), "year")


def test_geography_region_country_subregion():
    loc = pd.Series(["TH-85", "MM-02", "KH-12", "VN-SG", "TH", "CN"])
    h = load_hierarchy("geography")
    assert h.generalise(loc, "country").tolist() == ["TH", "MM", "KH", "VN", "TH", "CN"]
    assert h.generalise(loc, "subregion").tolist() == ["South-eastern Asia"] * 5 + ["Eastern Asia"]


def test_nationality_alpha2_and_alpha3():
    h = load_hierarchy("nationality")
    nat = pd.Series(["MM", "KHM", "NA", "FR", "BD"])
    assert h.generalise(nat, "subregion").tolist() == [
        "South-eastern Asia", "South-eastern Asia", "Sub-Saharan Africa", "Western Europe",
        "Southern Asia",
    ]
    assert h.generalise(nat, "region").tolist() == ["Asia", "Asia", "Africa", "Europe", "Asia"]


def test_unknown_values_and_bad_levels():
    h = load_hierarchy("age_ctdc")
    bad = pd.Series(["34", "thirty", "-1"], index=[5, 6, 7], name="vic_AgeWhenTrafficked")
    with pytest.raises(InputError, match="thirty") as err:
        h.generalise(bad, "ageBroad")
    assert err.value.column == "vic_AgeWhenTrafficked" and err.value.row == 6
    assert h.generalise(bad, 1, unknown="missing").tolist() == ["30--38", None, None]
    assert h.generalise(bad, 1, unknown="keep").tolist() == ["30--38", "thirty", "-1"]
    for level in ("decade", 4, -1):
        with pytest.raises(InputError, match="not a level"):
            h.generalise(bad, level)
    with pytest.raises(InputError):
        h.generalise(bad, 1, unknown="ignore")
    with pytest.raises(StandardError, match="no hierarchy named"):
        load_hierarchy("postcode")


def test_custom_hierarchy_from_csv_and_to_arx(tmp_path):
    table = pd.DataFrame({"job": ["fishing", "construction", "domestic"],
                          "sector": ["Agriculture", "Industry", "Services"],
                          "any": ["*", "*", "*"]})
    path = tmp_path / "job.csv"
    Hierarchy(table, "job").to_csv(path)
    h = load_hierarchy(path)
    assert h.name == "job" and h.generalise(pd.Series(["domestic"]), "sector").tolist() == [
        "Services"
    ]
    h.to_arx(tmp_path / "job_arx.csv")
    assert (tmp_path / "job_arx.csv").read_text().splitlines()[0] == "fishing;Agriculture;*"


def test_malformed_hierarchies_are_refused():
    with pytest.raises(StandardError, match="twice"):
        Hierarchy(pd.DataFrame({"v": ["a", "a"], "l": ["x", "y"]}))
    with pytest.raises(StandardError, match="not a tree"):
        Hierarchy(pd.DataFrame({"v": ["a", "b"], "l1": ["x", "x"], "l2": ["p", "q"]}))
    with pytest.raises(StandardError, match="empty cell"):
        Hierarchy(pd.DataFrame({"v": ["a", "b"], "l1": ["x", ""]}))


def test_recoder(cases):
    before = cases.copy()
    rec = Recoder(
        {
            "vic_AgeWhenTrafficked": ("age_ctdc", "ageBroad"),
            "prs_Birthdate": ("date", "year"),
            "vic_LocationOfExploitation": ("geography", "country"),
            "prs_Citizenship": ("nationality", "subregion"),
        }
    ).fit(cases)
    assert rec.levels_ == {"vic_AgeWhenTrafficked": 1, "prs_Birthdate": 3,
                           "vic_LocationOfExploitation": 1, "prs_Citizenship": 1}
    out = rec.transform(cases)
    assert out["vic_AgeWhenTrafficked"].tolist() == [
        "30--38", "30--38", "27--29", "21--23", "24--26", "30--38", "30--38", "9--17", "9--17", ""
    ]
    assert out["prs_Birthdate"].tolist()[:3] == ["1990", "1988", "1995"]
    assert out["vic_LocationOfExploitation"].tolist()[:6] == ["TH", "TH", "TH", "TH", "KH", "MY"]
    assert set(out["prs_Citizenship"]) == {"South-eastern Asia"}
    assert out["prs_FirstName"].equals(cases["prs_FirstName"])
    assert out.attrs == cases.attrs
    pd.testing.assert_frame_equal(cases, before)


def test_recoder_errors(cases):
    with pytest.raises(InputError, match="no such column"):
        Recoder({"nope": ("age", 1)}).fit(cases)
    with pytest.raises(InputError, match="not a level"):
        Recoder({"vic_AgeWhenTrafficked": ("age", "decade")}).fit(cases)
    with pytest.raises(InputError, match=r"\(hierarchy, level\)"):
        Recoder({"vic_AgeWhenTrafficked": "age"}).fit(cases)
    with pytest.raises(InputError, match="not in the 'age' hierarchy"):
        Recoder({"prs_Gender": ("age", 1)}).fit(cases)


def test_top_bottom_coding_numbers_as_text_and_numbers():
    df = pd.DataFrame({"age": ["10", "70", "65", None, "2"], "n": [10, 70, 65, None, 2]})
    t = TopBottomCoder("age", top=65, bottom=5).fit(df)
    assert (t.n_top_, t.n_bottom_) == (1, 1)
    assert t.transform(df)["age"].tolist() == ["10", "65", "65", None, "5"]  # > top only
    labelled = TopBottomCoder("n", top=64, top_value="65+").fit_transform(df)
    assert labelled["n"].tolist()[:3] == [10.0, "65+", "65+"]
    assert TopBottomCoder("n", top=65).fit_transform(df)["n"].tolist()[1] == 65.0


def test_top_bottom_coding_ordinal():
    order = ["none", "primary", "secondary", "tertiary"]
    df = pd.DataFrame({"edu": ["none", "primary", "secondary", "tertiary", None]})
    out = TopBottomCoder("edu", top="primary", order=order).fit_transform(df)
    assert out["edu"].tolist() == ["none", "primary", "primary", "primary", None]
    cat = df.astype({"edu": pd.CategoricalDtype(order, ordered=True)})
    out = TopBottomCoder("edu", bottom="secondary").fit_transform(cat)
    assert out["edu"].tolist()[:4] == ["secondary", "secondary", "secondary", "tertiary"]


def test_top_bottom_coding_errors():
    df = pd.DataFrame({"age": ["10", "ten"], "edu": ["none", "phd"]})
    with pytest.raises(InputError, match="no such column"):
        TopBottomCoder("nope", top=1).fit(df)
    with pytest.raises(InputError, match="not a number"):
        TopBottomCoder("age", top=65).fit(df)
    with pytest.raises(InputError, match="top, bottom"):
        TopBottomCoder("age").fit(df)
    with pytest.raises(InputError, match="ordered categories"):
        TopBottomCoder("edu", top="primary", order=["none", "primary"]).fit(df)
    with pytest.raises(InputError, match="above top"):
        TopBottomCoder("age", top=1, bottom=5).fit(pd.DataFrame({"age": [1, 2]}))
