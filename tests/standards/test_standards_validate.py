"""validate(): planted problems are found with the right code, column, row and suggestion."""

from __future__ import annotations

import json
import time

import numpy as np
import pandas as pd
import pytest

from htwork.standards import ValidationReport, load_standard, validate
from htwork.standards.report import PROBLEM_CODES


def clean_frame() -> pd.DataFrame:
    """Three people, every field of the input standard filled correctly (rows 2-4)."""
    rows = [
        {"cas_CaseId": "TH-0001", "cas_IdentifyingOrganisation": "Ranong shelter",
         "org_Type": "NGO", "cas_GroupId": "G1", "cas_RegistrationDate": "2023-05-10",
         "cas_Status": "Active", "cas_IncomingReferralDate": "2023-05-09",
         "cas_ReferringOrganisation": "Police", "cas_OutgoingReferralDate": "",
         "cas_ReferredOrganisation": "", "prs_FirstName": "Aye", "prs_SecondName": "",
         "prs_Aliases": "", "prs_Gender": "Female", "prs_Birthdate": "2006-02-28",
         "prs_Citizenship": "MM", "prs_IdentityDocumentType": "None",
         "prs_IdentityDocumentNumber": "", "prs_MobilePhone": "+66812345678",
         "prs_Email": "", "prs_MailingStreet": "", "prs_MailingCity": "Dawei",
         "prs_MailingState": "MM-05", "prs_MailingCountry": "MM",
         "vic_TraffickingStatus": "ConfirmedVictim", "vic_AgeWhenTrafficked": "16",
         "vic_TypeOfExploitation": "ForcedLabour",
         "vic_MethodsOfControl": "DebtBondage;WithholdsDocuments",
         "vic_TypeOfLabourExploitation": "Fishing", "vic_ForcedLabourIndustry":
         "A_AgricultureForestryAndFishing", "vic_TypeOfSexExploitation": "",
         "vic_RelationshipToTrafficker": "RecruitmentAgent",
         "vic_MethodOfRecruitment": "JobOffer", "vic_RecruitmentWebsitesAndApps": "Facebook",
         "vic_CountryOfRecruitment": "MM", "vic_LocationOfRecruitment": "MM-05",
         "vic_CountryOfExploitation": "TH", "vic_LocationOfExploitation": "TH-85",
         "cas_Notes": "free text"},
        {"cas_CaseId": "TH-0002", "cas_IdentifyingOrganisation": "Police",
         "cas_RegistrationDate": "2024-02-29", "prs_Gender": "Unknown",
         "vic_TypeOfExploitation": "SexualExploitation;ForcedCriminality",
         "vic_TypeOfSexExploitation": "RemoteInteractiveServices",
         "vic_CountryOfExploitation": "KH", "vic_LocationOfExploitation": "KH-12",
         "prs_Citizenship": "VN"},
        {"cas_CaseId": "TH-0003", "cas_IdentifyingOrganisation": "Hotline",
         "cas_RegistrationDate": "2020-01-01", "prs_Gender": "Transgender/NonConforming",
         "prs_Birthdate": "2000-01-01", "vic_AgeWhenTrafficked": "0"},
    ]
    fields = load_standard("input").field_names
    df = pd.DataFrame(rows, index=[2, 3, 4]).reindex(columns=fields)
    return df.astype(object).where(df.notna(), None)


def problem(report: ValidationReport, code: str, column: str | None = None) -> pd.DataFrame:
    p = report.problems
    sel = p["code"] == code
    if column is not None:
        sel &= p["column"] == column
    return p[sel]


def test_clean_frame_has_no_problems():
    report = validate(clean_frame())
    assert report.ok and report.n_errors == 0 and report.n_warnings == 0, report.summary()
    assert len(report.problems) == 0
    assert report.summary().startswith("file (data frame): 3 rows, 0 errors, 0 warnings")
    assert list(report.problems.columns) == ["severity", "code", "column", "source_column",
                                             "row", "value", "message", "suggestion"]


def plant(changes: dict[tuple[int, str], object]) -> pd.DataFrame:
    df = clean_frame()
    for (row, col), value in changes.items():
        df.loc[row, col] = value
    return df


@pytest.mark.parametrize("row,column,value,code,suggestion", [
    (3, "prs_Gender", "Mael", "not_in_categories", "Male"),
    (3, "prs_Gender", "female", "not_in_categories", "Female"),
    (2, "org_Type", "Law enforcement", "not_in_categories", "LawEnforcement"),
    (2, "vic_MethodsOfControl", "DebtBondage;WithholdDocuments", "not_in_categories",
     "WithholdsDocuments"),
    (2, "vic_MethodsOfControl", "DebtBondage; WithholdsDocuments", "not_in_categories",
     "WithholdsDocuments"),
    (2, "vic_MethodsOfControl", "DebtBondage;", "empty_item", None),
    (3, "cas_IdentifyingOrganisation", "", "required_missing", None),
    (4, "prs_Gender", None, "required_missing", None),
    (2, "cas_RegistrationDate", "10/05/2023", "bad_date_format", "2023-05-10"),
    (2, "cas_RegistrationDate", "2023-5-10", "bad_date_format", "2023-05-10"),
    (2, "cas_RegistrationDate", "2023-02-29", "invalid_date", None),
    (2, "cas_RegistrationDate", "2566-05-10", "buddhist_era_date", "2023-05-10"),
    (4, "prs_Birthdate", "2543-01-01", "buddhist_era_date", "2000-01-01"),
    (4, "prs_Birthdate", "2099-01-01", "future_date", None),
    (4, "prs_Birthdate", "1899-12-31", "date_before_1900", None),
    (2, "vic_AgeWhenTrafficked", "16.0", "not_integer", "16"),
    (2, "vic_AgeWhenTrafficked", "sixteen", "not_integer", None),
    (2, "vic_AgeWhenTrafficked", "101", "out_of_range", None),
    (2, "vic_AgeWhenTrafficked", "-1", "out_of_range", None),
    (2, "prs_Citizenship", "MMR", "unknown_country", "MM"),
    (2, "prs_Citizenship", "mm", "unknown_country", "MM"),
    (2, "prs_Citizenship", "Myanmar", "unknown_country", "MM"),
    (2, "prs_Citizenship", "Vietnam", "unknown_country", "VN"),
    (2, "prs_Citizenship", "XX", "unknown_country", None),
    (2, "vic_LocationOfExploitation", "TH-99", "unknown_region", None),
    (2, "vic_LocationOfExploitation", "th-85", "unknown_region", "TH-85"),
    (2, "vic_LocationOfExploitation", "ระนอง", "unknown_region", "TH-85"),
    (2, "vic_LocationOfExploitation", "MM-02", "region_country_mismatch", None),
    (2, "vic_LocationOfExploitation", "CN-53", "region_not_checked", None),
])
def test_planted_problem_found(row, column, value, code, suggestion):
    report = validate(plant({(row, column): value}))
    found = problem(report, code, column)
    assert len(found) == 1, report.summary()
    p = found.iloc[0]
    assert p["row"] == row
    assert p["suggestion"] == suggestion
    assert p["source_column"] == column
    assert f"row {row}" in p["message"] and column in p["message"]
    assert p["severity"] == ("warning" if code == "region_not_checked" else "error")
    assert len(report.problems) == 1, report.summary()  # nothing else goes off
    assert code in PROBLEM_CODES


def test_registered_before_birth():
    report = validate(plant({(4, "cas_RegistrationDate"): "1999-12-31"}))
    p = problem(report, "registered_before_birth").iloc[0]
    assert (p["row"], p["column"], p["value"]) == (4, "cas_RegistrationDate", "1999-12-31")
    assert "2000-01-01" in p["message"]


def test_duplicate_case_ids():
    report = validate(plant({(4, "cas_CaseId"): "TH-0001"}))
    dup = problem(report, "duplicate_key", "cas_CaseId")
    assert list(dup["row"]) == [2, 4]
    assert "rows 2, 4" in dup["message"].iloc[0]


def test_multi_select_reports_each_bad_item():
    report = validate(plant({(2, "vic_MethodsOfControl"): "Foo;DebtBondage;Bar"}))
    bad = problem(report, "not_in_categories", "vic_MethodsOfControl")
    assert list(bad["value"]) == ["Foo", "Bar"] and list(bad["row"]) == [2, 2]


def test_columns_missing_and_unknown():
    df = clean_frame().drop(columns=["prs_Gender"]).rename(columns={"cas_Status": "cas_Statu"})
    report = validate(df)
    miss = problem(report, "missing_column").iloc[0]
    assert miss["column"] == "prs_Gender" and miss["severity"] == "error"
    assert miss["row"] is None
    extra = problem(report, "unknown_column").iloc[0]
    assert (extra["column"], extra["severity"], extra["suggestion"]) == (
        "cas_Statu", "warning", "cas_Status")


def test_duplicate_column_names():
    df = clean_frame()
    df = pd.concat([df, df[["prs_Gender"]]], axis=1)
    report = validate(df)
    assert list(report.problems["code"]) == ["duplicate_column"]
    assert report.problems["column"].iloc[0] == "prs_Gender"


def test_file_columns_and_read_problems_from_attrs():
    df = plant({(3, "prs_Gender"): "Mael"})
    df.attrs["htwork"] = {
        "file": "ranong.csv", "columns": {"prs_Gender": "ភេទ / Sex"},
        "read_problems": [{"column": "ភេទ / Sex", "row": 4, "value": "\ufffd",
                           "code": "undecodable_bytes", "message": "bytes that are not UTF-8"}],
    }
    report = validate(df)
    p = problem(report, "not_in_categories").iloc[0]
    assert p["source_column"] == "ភេទ / Sex" and p["column"] == "prs_Gender"
    assert p["message"] == ("row 3, column 'ភេទ / Sex' (prs_Gender): 'Mael' is not an allowed "
                            "code; did you mean 'Male'?")
    read = problem(report, "undecodable_bytes").iloc[0]
    assert (read["row"], read["column"], read["source_column"]) == (4, "prs_Gender", "ភេទ / Sex")
    assert report.file == "ranong.csv"
    assert validate(df, file="other.csv").file == "other.csv"


def test_report_views():
    df = plant({(3, "prs_Gender"): "Mael", (2, "prs_Citizenship"): "Thailand",
                (2, "Extra"): "x"})
    report = validate(df, file="cases.csv")
    assert (report.n_errors, report.n_warnings, report.ok) == (2, 1, False)
    text = report.summary()
    assert text.splitlines()[0] == "file cases.csv: 3 rows, 2 errors, 1 warning"
    assert "row 3: 'Mael' is not an allowed code; did you mean 'Male'?" in text
    assert str(report) == text
    assert "errors=2" in repr(report) and "cases.csv" in repr(report)
    html = report._repr_html_()
    assert "<table>" in html and "not_in_categories" in html and "&#x27;Mael&#x27;" in html
    d = report.to_dict()
    json.dumps(d)
    assert d["n_errors"] == 2 and d["file"] == "cases.csv"
    assert {p["row"] for p in d["problems"]} == {None, 2, 3}
    assert all(type(p["row"]) is int for p in d["problems"] if p["row"] is not None)
    frame = report.to_frame()
    frame["message"] = "changed"
    assert "changed" not in set(report.problems["message"])


def test_summary_groups_and_caps_examples():
    df = pd.concat([clean_frame()] * 4, ignore_index=True)
    df.index = df.index + 2
    df["cas_CaseId"] = [f"C{i}" for i in range(len(df))]
    df["prs_Gender"] = "Mael"
    report = validate(df)
    groups = report.groups()
    assert len(groups) == 1 and groups.loc[0, "count"] == 12
    assert len(groups.loc[0, "examples"]) == 5
    assert "... and 7 more" in report.summary()


def test_release_frame_validates_against_release_standard():
    from htwork.standards import to_release
    rel = to_release(clean_frame())
    assert validate(rel, "release").ok, validate(rel, "release").summary()
    bad = rel.astype(object)
    bad.loc[2, "ageBroad"] = "9-17"
    report = validate(bad, "ctdc_release")
    assert problem(report, "not_in_categories", "ageBroad")["suggestion"].iloc[0] == "9--17"


def _big(n: int, rng) -> pd.DataFrame:
    def pick(values):
        return np.asarray(values, dtype=object)[rng.integers(0, len(values), n)]
    return pd.DataFrame({
        "cas_CaseId": np.array([f"C{i}" for i in range(n)], dtype=object),
        "cas_IdentifyingOrganisation": pick(["A", "B"]),
        "cas_RegistrationDate": pick(["2021-03-04", "2022-07-08", "2023-11-12"]),
        "prs_Gender": pick(["Male", "Female"]),
        "prs_Birthdate": pick(["1990-01-01", "2001-05-06", None]),
        "prs_Citizenship": pick(["MM", "KH", "LA"]),
        "vic_MethodsOfControl": pick(["DebtBondage;TakesEarnings", "Other", None]),
        "vic_CountryOfExploitation": pick(["TH"]),
        "vic_LocationOfExploitation": pick(["TH-85", "TH-10"]),
        "vic_AgeWhenTrafficked": pick(["15", "22", None]),
    })


@pytest.mark.slow
def test_large_frames_stay_fast():
    rng = np.random.default_rng(0)
    df = _big(200_000, rng)
    t = time.perf_counter()
    assert validate(df).ok
    clean_s = time.perf_counter() - t
    df["prs_Gender"] = "Mael"
    df["cas_RegistrationDate"] = "2566-01-01"
    t = time.perf_counter()
    report = validate(df)
    text = report.summary()
    dirty_s = time.perf_counter() - t
    assert report.n_errors == 400_000 and "did you mean 'Male'" in text
    # generous bounds (shared CI machines); a per-row Python loop would take far longer
    assert clean_s < 15 and dirty_s < 30, (clean_s, dirty_s)
