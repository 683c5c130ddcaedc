"""quarterly_report on the demo extract: contents against direct pandas counts, linked
suppression, determinism, atomic save, no identifier in the output, clear errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from htwork.errors import InputError
from htwork.release import scan
from htwork.report import QuarterlyReport, quarterly_report
from htwork.report.people import link_people
from htwork.report.suppression import TOTAL
from htwork.simulate import simulate
from tests.report.conftest import QUARTER
from tests.report.test_suppression import equations


@pytest.fixture(scope="module")
def by_hand(demo):
    """The quarter's people, computed directly with pandas: records sharing a (normalised)
    document number are one person, counted in the quarter of their first registration."""
    d = demo.assign(date=pd.to_datetime(demo["cas_RegistrationDate"]))
    d = d.reset_index(drop=True).sort_values("date", kind="stable")
    doc = d["prs_IdentityDocumentNumber"].str.upper().str.replace(r"[^0-9A-Z]", "",
                                                                 regex=True)
    key = doc.where(doc.str.len() >= 5, "row" + d.index.astype(str))
    d["person"] = key
    people = d.groupby("person", sort=False).first()
    first_date = d.groupby("person", sort=False)["date"].min()
    people = people[first_date.dt.to_period("Q").astype(str) == QUARTER]
    regs = d[d["date"].dt.to_period("Q").astype(str) == QUARTER]
    return people, regs


def shown(table: pd.DataFrame) -> pd.DataFrame:
    return table.drop(index=TOTAL, errors="ignore")


def test_result_object(report):
    assert isinstance(report, QuarterlyReport)
    assert report.quarter == QUARTER and report.threshold == 10
    assert set(report.tables) == {"sex_by_age", "citizenship", "country_of_exploitation",
                                  "corridors", "exploitation", "organisation_type", "trend"}
    assert "QuarterlyReport 2024Q3" in repr(report)
    assert "<table>" in report._repr_html_()
    d = report.to_dict()
    assert d["quarter"] == QUARTER and set(d["tables"]) == set(report.tables)
    assert report.summary().startswith("Quarterly report 2024Q3")
    for fig in report.figures.values():
        ax = fig.axes[0]
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    with pytest.raises(KeyError, match="sex_by_age"):
        report["nope"]


def test_people_total_and_sex_by_hand(report, by_hand):
    people, regs = by_hand
    sex_age = report["sex_by_age"].values
    assert sex_age.loc[TOTAL, TOTAL] == len(people)
    assert report.headline["People newly identified"] == len(people)
    assert report.headline["Registrations"] == len(regs)
    by_sex = people["prs_Gender"].value_counts()
    for code, label in [("Female", "Female"), ("Male", "Male")]:
        cell = sex_age.loc[TOTAL, label]
        assert pd.isna(cell) or cell == by_sex.get(code, 0)


def test_every_shown_cell_equals_the_direct_count(report, by_hand):
    people, regs = by_hand
    cit = people["prs_Citizenship"].value_counts()
    t = report["citizenship"].values
    assert t.loc["Myanmar", "People"] == cit["MM"]
    assert t.loc["Lao PDR", "People"] == cit["LA"]
    dest = people["vic_CountryOfExploitation"].value_counts()
    assert report["country_of_exploitation"].values.loc["Thailand", "People"] == dest["TH"]
    corr = pd.crosstab(people["prs_Citizenship"], people["vic_CountryOfExploitation"])
    assert report["corridors"].values.loc["Lao PDR", "Thailand"] == corr.loc["LA", "TH"]
    forms = people["vic_TypeOfExploitation"].dropna().str.split(";").explode().value_counts()
    ex = report["exploitation"]
    assert ex.values.loc["Forced Labour", "People"] == forms["ForcedLabour"]
    assert ex.values.loc[TOTAL, "People"] == people["vic_TypeOfExploitation"].notna().sum()
    pct = ex.percent["Forced Labour"]
    assert pct == round(forms["ForcedLabour"] / people["vic_TypeOfExploitation"].notna().sum()
                        * 100, 1)
    org = regs["org_Type"].value_counts()
    o = report["organisation_type"].values
    assert o.loc["Law Enforcement", "Registrations"] == org["LawEnforcement"]
    assert o.loc[TOTAL, "Registrations"] == len(regs)
    # age at first registration, from the birth date else the age when trafficked
    born = pd.to_datetime(people["prs_Birthdate"])
    reg = people["date"]
    age = (reg.dt.year - born.dt.year - ((reg.dt.month < born.dt.month)
           | ((reg.dt.month == born.dt.month) & (reg.dt.day < born.dt.day))))
    age = age.fillna(pd.to_numeric(people["vic_AgeWhenTrafficked"]))
    adults = ((age >= 25) & (age < 35) & (people["prs_Gender"] == "Female")).sum()
    assert report["sex_by_age"].values.loc["25-34", "Female"] == adults


def test_trend_counts_registrations_per_quarter(report, demo):
    quarter = pd.to_datetime(demo["cas_RegistrationDate"]).dt.to_period("Q").astype(str)
    t = report["trend"].values
    assert len(t) == 8 and t.index[-1] == QUARTER
    for q in t.index:
        assert t.loc[q, "Registrations"] == (quarter == q).sum()
        assert t.loc[q, "People newly identified"] <= t.loc[q, "Registrations"]


def test_every_table_is_protected(report):
    for name, section in report.sections.items():
        res = section.result
        counts = res._counts
        hidden = res.mask
        values = counts.to_numpy()
        assert (hidden.to_numpy() >= ((values > 0) & (values < 10))).all(), name
        assert not hidden.to_numpy()[values == 0].any(), name
        if name == "trend":
            continue
        for eq in equations(counts, counts.shape[1] > 1):
            assert sum(bool(hidden.loc[c]) for c in eq) != 1, (name, eq)
        pub = section.published
        assert (pub.iloc[:, :hidden.shape[1]].to_numpy()[hidden.to_numpy()] == "x").all()


def test_linked_figures_are_hidden_in_every_table(report):
    cit, dest = report["citizenship"].result, report["country_of_exploitation"].result
    corr = report["corridors"].result
    for c in cit.table.index:
        assert cit.mask.loc[c, "People"] == corr.mask.loc[c, TOTAL], c
        if not cit.mask.loc[c, "People"]:
            assert cit.table.loc[c, "People"] == corr.table.loc[c, TOTAL]
    for c in dest.table.index:
        assert dest.mask.loc[c, "People"] == corr.mask.loc[TOTAL, c], c


def test_percentages_hidden_with_their_counts(report):
    for name in ("citizenship", "country_of_exploitation", "exploitation"):
        sec = report[name]
        hidden = sec.result.mask.iloc[:, 0]
        assert sec.percent[hidden].isna().all()
        assert sec.percent[~hidden].notna().all()


def test_threshold_one_shows_the_true_counts(demo, by_hand):
    people, _ = by_hand
    r = quarterly_report(demo, QUARTER, threshold=1)
    assert r.n_primary == r.n_secondary == 0
    t = r["sex_by_age"].values
    assert t.loc[TOTAL, "Female"] == (people["prs_Gender"] == "Female").sum()


@pytest.mark.slow
def test_deterministic_and_atomic_save(report, demo, tmp_path):
    a = report.save(tmp_path / "a")
    b = quarterly_report(demo, QUARTER).save(tmp_path / "b")
    files = sorted(p.name for p in a.iterdir())
    assert files == sorted(p.name for p in b.iterdir())
    assert {"report.html", "report.md", "report.json", "sex_by_age.csv", "trend.png"} <= set(
        files)
    for name in files:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    html = (a / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and "Corridors" in html
    csv = pd.read_csv(a / "citizenship.csv", dtype=str, keep_default_na=False)
    assert "x" in set(csv["People"]) and csv.columns[0] == "Citizenship"
    with pytest.raises(InputError, match="already exists"):
        report.save(a)
    report.save(a, overwrite=True)  # a folder htwork wrote is replaced
    assert sorted(p.name for p in a.iterdir()) == files
    (a / "stale.txt").write_text("old")  # a file htwork did not write is never deleted
    with pytest.raises(InputError, match="would delete"):
        report.save(a, overwrite=True)
    assert (a / "stale.txt").read_text() == "old"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_failed_save_leaves_nothing(report, tmp_path, monkeypatch):
    import htwork.report.render as render

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(render, "write_files", boom)
    with pytest.raises(OSError):
        report.save(tmp_path / "r")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_no_identifier_in_the_folder(report, demo, tmp_path):
    folder = report.save(tmp_path / "r")
    assert scan(folder, demo).ok
    text = "\n".join(p.read_text(encoding="utf-8", errors="ignore")
                     for p in folder.iterdir() if p.suffix in (".html", ".md", ".json", ".csv"))
    q = demo[demo["cas_RegistrationDate"].str.startswith("2024-0")]
    for col in ("prs_MobilePhone", "prs_IdentityDocumentNumber", "cas_CaseId"):
        for v in q[col].dropna().head(300):
            assert v not in text
    names = (q["prs_FirstName"] + " " + q["prs_SecondName"]).dropna()
    assert not any(n in text for n in names)


def test_linking_never_joins_two_true_people():
    df, truth = simulate(3000, seed=5, return_truth=True)
    person, words = link_people(df)
    assert "document" in words
    joined = pd.DataFrame({"p": person, "t": truth["person_id"]})
    assert (joined.groupby("p")["t"].nunique() == 1).all()
    assert len(np.unique(person)) < len(df)  # some second registrations are found
    assert len(np.unique(person)) >= truth["person_id"].nunique()


@pytest.mark.slow
def test_person_key_and_no_linking(demo):
    by_row = quarterly_report(demo, QUARTER, match=())
    assert by_row.headline["People newly identified"] == by_row.headline["Registrations"]
    keyed = demo.assign(pid=demo["prs_IdentityDocumentNumber"].fillna(
        pd.Series(demo.index.astype(str), index=demo.index)))
    r = quarterly_report(keyed, QUARTER, person_key="pid")
    assert r.headline["Registrations"] == by_row.headline["Registrations"]


@pytest.mark.slow
def test_crosswalk_file(repo_root):
    path = repo_root / "datasets" / "demo" / "cases_th_cross_ministerial.csv"
    r = quarterly_report(path, QUARTER, crosswalk="th_cross_ministerial", threshold=5)
    assert r.source is not None and r.source.startswith("the case extract (SHA-256 ")
    assert path.name not in r.source and path.stem not in r.source  # issue 17, point 3


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize("quarter", ["2024Q5", "Q3", "2024-07", "third quarter"])
def test_malformed_quarter(demo, quarter):
    with pytest.raises(InputError, match="not a quarter"):
        quarterly_report(demo, quarter)


def test_quarter_without_data(demo):
    with pytest.raises(InputError, match="2018Q1 to 2025Q4"):
        quarterly_report(demo, "2030Q1")


def test_missing_columns_named(demo):
    with pytest.raises(InputError, match="prs_Gender") as err:
        quarterly_report(demo.drop(columns=["prs_Gender", "org_Type"]), QUARTER)
    assert "org_Type" in str(err.value) and "cases.csv" in str(err.value)


def test_bad_date_names_the_row(demo):
    bad = demo.copy()
    bad.loc[bad.index[3], "cas_RegistrationDate"] = "31/07/2024"
    with pytest.raises(InputError) as err:
        quarterly_report(bad, QUARTER)
    msg = str(err.value)
    assert f"row {bad.index[3]}" in msg and "cas_RegistrationDate" in msg and "31/07/2024" in msg


def test_unknown_code_names_the_row(demo):
    bad = demo.copy()
    bad.loc[bad.index[10], "prs_Gender"] = "F"
    with pytest.raises(InputError, match=f"row {bad.index[10]}.*'F'"):
        quarterly_report(bad, QUARTER)


@pytest.mark.parametrize("kwargs", [{"threshold": 0}, {"threshold": 2.5},
                                    {"n_quarters": 0}, {"age_bands": (5, 18)},
                                    {"match": ("phone",)}])
def test_bad_options(demo, kwargs):
    with pytest.raises(InputError):
        quarterly_report(demo, QUARTER, **kwargs)


def test_not_a_table():
    with pytest.raises(InputError, match="DataFrame"):
        quarterly_report(42, QUARTER)
