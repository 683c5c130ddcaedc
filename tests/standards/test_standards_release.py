"""to_release on small hand-made frames, every value computed by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from htwork.errors import StandardError
from htwork.standards import load_standard, to_release

NA = pd.NA


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "cas_CaseId": ["a", "b", "c", "d", "e"],
        "cas_RegistrationDate": ["2023-05-10", "2023-05-10", "2022-01-01", "", "2019-12-31"],
        "prs_Gender": ["Male", "Unknown", "Female", None, "Transgender/NonConforming"],
        # a: 17 on registration day (birthday tomorrow); b: 18 on the day itself
        "prs_Birthdate": ["2005-05-11", "2005-05-10", None, None, "1971-12-31"],
        "vic_AgeWhenTrafficked": [None, "30", "30", "8", None],
        "prs_Citizenship": ["MM", "KH", None, "NA", "TL"],
        "vic_CountryOfExploitation": ["TH", "TH", "MY", None, ""],
        "vic_TypeOfExploitation": ["ForcedLabour", "ForcedMarriage;OrganRemoval", None,
                                   "SexualExploitation;ForcedLabour", ""],
        "vic_MethodsOfControl": ["DebtBondage;TakesEarnings", "Other", None,
                                 "PhysicalThreats;ThreatsLawEnforcement;WithholdsDocuments",
                                 "FalsePromises"],
        "vic_TypeOfLabourExploitation": ["Fishing;Aquafarming", None, None,
                                         "OnlineScamOperations", "Other"],
        "vic_TypeOfSexExploitation": [None, None, None, "RemoteInteractiveServices", None],
        "vic_RelationshipToTrafficker": ["Unknown", "Employer;FamilyMember", "", None,
                                         "Unknown;Stranger"],
        "prs_FirstName": ["A", "B", "C", "D", "E"],
        "cas_Notes": ["x", None, None, None, None],
    }, index=[2, 3, 4, 5, 6])


@pytest.fixture(scope="module")
def rel(frame) -> pd.DataFrame:
    return to_release(frame)


def col(rel, name):
    return list(rel[name].astype(object).where(rel[name].notna(), None))


def test_columns_order_index_dtypes(rel, frame):
    assert list(rel.columns) == load_standard("release").field_names
    assert list(rel.index) == list(frame.index)
    assert str(rel["yearOfRegistration"].dtype) == "Int16"
    for f in load_standard("release").flag_families()["means"]:
        assert str(rel[f].dtype) == "Int8"
    assert str(rel["gender"].dtype) == "string"


def test_year_gender_countries(rel):
    assert col(rel, "yearOfRegistration") == [2023, 2023, 2022, None, 2019]
    assert col(rel, "gender") == ["Male", None, "Female", None, "Transgender/NonConforming"]
    assert col(rel, "citizenship") == ["MMR", "KHM", None, "NAM", "TLS"]
    assert col(rel, "CountryOfExploitation") == ["THA", "THA", "MYS", None, None]


def test_age_bands_at_the_17_18_boundary_and_fallback(rel):
    # a: 17 (birthday the next day) -> 9--17 Minor; b: 18 that day -> 18--20 Adult
    # c: no birth date, age when trafficked 30 -> 30--38; d: no registration date, no birth
    # date -> fallback 8 -> 0--8 Minor; e: born 1971-12-31, registered 2019-12-31 -> 48 -> 48+
    assert col(rel, "ageBroad") == ["9--17", "18--20", "30--38", "0--8", "48+"]
    assert col(rel, "majorityStatus") == ["Minor", "Adult", "Adult", "Minor", "Adult"]


def test_exploitation_flags(rel):
    # e: type of exploitation not recorded (a kind of labour is): the family stays missing
    assert col(rel, "isForcedLabour") == [1, 0, None, 1, None]
    assert col(rel, "isSexualExploit") == [0, 0, None, 1, None]
    assert col(rel, "isOtherExploit") == [0, 1, None, 0, None]  # b: two codes merge into one


def test_means_flags(rel):
    assert col(rel, "meansDebtBondageEarnings") == [1, 0, None, 0, 0]
    assert col(rel, "meansThreats") == [0, 0, None, 1, 0]
    assert col(rel, "meansWithholdDocs") == [0, 0, None, 1, 0]
    assert col(rel, "meansFalsePromises") == [0, 0, None, 0, 1]
    # b recorded only "Other": answered, so every means flag is 0, not missing
    means = load_standard("release").flag_families()["means"]
    assert rel.loc[3, means].tolist() == [0] * 8


def test_labour_sex_relation_flags(rel):
    assert col(rel, "typeOfLabourAquafarming") == [1, None, None, 0, 0]
    assert col(rel, "typeOfLabourIllicitActivities") == [0, None, None, 1, 0]
    assert col(rel, "typeOfLabourOther") == [0, None, None, 0, 1]
    assert col(rel, "typeOfSexRemoteInteractiveServices") == [None, None, None, 1, None]
    assert col(rel, "typeOfSexProstitution") == [None, None, None, 0, None]
    # a: only "Unknown" -> not recorded; e: Unknown;Stranger -> Other = 1
    assert col(rel, "recruiterRelationOther") == [None, 1, None, None, 1]
    assert col(rel, "recruiterRelationFamily") == [None, 1, None, None, 0]
    assert col(rel, "recruiterRelationIntimatePartner") == [None, 0, None, None, 0]


def test_missing_input_columns_mean_not_recorded():
    df = pd.DataFrame({"cas_RegistrationDate": ["2020-02-29"], "prs_Gender": ["Female"]},
                      index=[10])
    out = to_release(df)
    assert list(out.index) == [10] and out.loc[10, "yearOfRegistration"] == 2020
    assert out.drop(columns=["yearOfRegistration", "gender"]).isna().all().all()


@pytest.mark.parametrize("column,value,match", [
    ("prs_Gender", "Mael", "codes the standard does not know"),
    ("vic_MethodsOfControl", "DebtBondage;Threats", "codes the standard does not know"),
    ("prs_Citizenship", "MMR", "codes the standard does not know"),
    ("cas_RegistrationDate", "2566-05-10", "not real YYYY-MM-DD Gregorian dates"),
    ("cas_RegistrationDate", "2023-02-30", "not real YYYY-MM-DD Gregorian dates"),
    ("vic_AgeWhenTrafficked", "17.5", "not whole numbers"),
])
def test_refuses_values_it_would_lose(column, value, match):
    df = pd.DataFrame({"cas_RegistrationDate": ["2023-01-01", "2023-01-01"],
                       "prs_Gender": ["Male", "Male"]}, index=[7, 8])
    df[column] = ["" if column not in ("cas_RegistrationDate", "prs_Gender") else df[column][7],
                  value]
    with pytest.raises(StandardError, match=match) as err:
        to_release(df)
    assert "row 8" in str(err.value) and column in str(err.value)


def test_registration_before_birth_refused():
    df = pd.DataFrame({"cas_RegistrationDate": ["2020-01-01"], "prs_Birthdate": ["2021-01-01"]})
    with pytest.raises(StandardError, match="before the birth date"):
        to_release(df)


@pytest.mark.slow
def test_large_frame_is_vectorised():
    n = 200_000
    rng = np.random.default_rng(1)
    df = pd.DataFrame({
        "cas_RegistrationDate": rng.choice(["2020-01-05", "2021-07-09", "2022-11-30"], n),
        "prs_Birthdate": rng.choice(["2001-01-01", "1990-06-15", ""], n),
        "prs_Gender": rng.choice(["Male", "Female", "Unknown"], n),
        "vic_MethodsOfControl": rng.choice(["DebtBondage;TakesEarnings", "Other", ""], n),
        "prs_Citizenship": rng.choice(["MM", "KH"], n),
    }).astype(object)
    out = to_release(df)
    assert len(out) == n
    assert (out["meansDebtBondageEarnings"].isna() == (df["vic_MethodsOfControl"] == "")).all()


def test_a_flag_is_never_0_beside_a_recorded_kind_of_it():
    import pandas as pd

    from htwork.standards import to_release

    df = pd.DataFrame(
        {
            "vic_TypeOfExploitation": [None, "SexualExploitation", "ForcedLabour", None],
            "vic_TypeOfLabourExploitation": ["Fishing", "Construction", None, None],
            "vic_TypeOfSexExploitation": [None, None, "Prostitution", None],
        }
    )
    out = to_release(df)
    # row 1 recorded sexual exploitation only, but a kind of forced labour: corrected to 1;
    # row 0 recorded no type of exploitation: the family stays missing, recorded whole or not
    assert out["isForcedLabour"].tolist() == [pd.NA, 1, 1, pd.NA]
    assert out["isSexualExploit"].tolist() == [pd.NA, 1, 1, pd.NA]
    assert out["isOtherExploit"].tolist() == [pd.NA, 0, 0, pd.NA]
    assert out.loc[0, "typeOfLabourAquafarming"] == 1
