"""A seeded generator of correlated, CTDC-shaped categorical case data for the synth tests.

The table imitates the release standard (one row per person, 13 categorical columns) closely
enough to exercise the synthesizers: ASEAN corridors (citizenship -> country of exploitation),
sex- and age-dependent exploitation types, multi-select flag families that are missing together,
a long tail of rare citizenships, and the structural rules that every sampled row must keep:

- ``ageBroad`` ``0--8`` or ``9--17`` -> ``majorityStatus`` ``Minor``; adult bands -> ``Adult``;
- a ``typeOfLabour*`` flag of 1 -> ``isForcedLabour`` 1;
- each flag family (exploitation, typeOfLabour, means, recruiterRelation) is either all recorded
  or all missing.

It stands in for ``to_release(simulate(n, seed))`` until those land; no real person is in it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CITIZENSHIP = ["MMR", "KHM", "LAO", "VNM", "IDN", "PHL", "THA", "MYS", "CHN", "BGD"]
CITIZENSHIP_P = [0.27, 0.16, 0.10, 0.12, 0.11, 0.08, 0.06, 0.04, 0.04, 0.02]
RARE_CITIZENSHIP = ["NPL", "LKA", "IND", "PAK", "KOR", "TWN", "UGA", "KEN", "UZB", "SGP",
                    "BRN", "TLS", "MNG", "PRK", "NGA", "GHA", "ETH", "SLE", "RUS", "FJI"]
DESTINATIONS = ["THA", "MYS", "CHN", "KHM", "MMR", "VNM", "IDN", "PHL", "SGP", "ARE", "JPN",
                "KOR", "TWN", "SAU", "LAO"]
AGE_BANDS = ["0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+"]
MINOR_BANDS = {"0--8", "9--17"}
LABOUR = ["Agriculture", "Construction", "DomesticWork"]
COLUMNS = [
    "yearOfRegistration", "gender", "ageBroad", "majorityStatus", "citizenship",
    "CountryOfExploitation", "isForcedLabour", "isSexualExploit", "typeOfLabourAgriculture",
    "typeOfLabourConstruction", "typeOfLabourDomesticWork", "meansThreats",
    "recruiterRelationFamily",
]


def _corridor(rng: np.random.Generator, cit: np.ndarray) -> np.ndarray:
    """Country of exploitation given citizenship: a few strong corridors plus noise."""
    strong = {
        "MMR": ["THA", "MYS", "CHN", "MMR"], "KHM": ["THA", "KHM", "MYS", "VNM"],
        "LAO": ["THA", "LAO", "CHN"], "VNM": ["CHN", "VNM", "MYS", "KOR", "TWN"],
        "IDN": ["MYS", "SAU", "IDN", "SGP", "TWN"], "PHL": ["SAU", "ARE", "MYS", "PHL", "JPN"],
        "THA": ["THA", "MYS", "JPN"], "MYS": ["MYS", "SGP"], "CHN": ["CHN", "MMR", "KHM"],
        "BGD": ["MYS", "ARE", "SAU"],
    }
    out = np.empty(len(cit), dtype=object)
    for i, c in enumerate(cit):
        options = strong.get(c)
        if options is None or rng.random() < 0.08:
            out[i] = DESTINATIONS[rng.integers(len(DESTINATIONS))]
        else:
            w = np.array([0.55, 0.25, 0.12, 0.05, 0.03][: len(options)])
            out[i] = options[rng.choice(len(options), p=w / w.sum())]
    return out


def case_table(n: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Simulate ``n`` CTDC-shaped person rows (13 categorical columns) with seed ``seed``.

    Parameters
    ----------
    n : int
        Number of rows.
    seed : int
        Random seed; the same seed gives the same table.

    Returns
    -------
    pandas.DataFrame
        Strings for codes, pandas ``Int64`` for year and the 0/1 flags (missing = not recorded).
    """
    rng = np.random.default_rng(seed)
    rare = rng.random(n) < 0.03
    cit = np.where(
        rare,
        rng.choice(RARE_CITIZENSHIP, n, p=np.r_[[0.3, 0.2, 0.1], np.full(17, 0.4 / 17)]),
        rng.choice(CITIZENSHIP, n, p=CITIZENSHIP_P),
    ).astype(object)
    country = _corridor(rng, cit)
    dest_far = np.isin(country, ["SAU", "ARE", "JPN", "KOR", "TWN", "SGP"])
    p_female = np.where(dest_far, 0.72, np.where(country == "CHN", 0.85, 0.45))
    gender = np.where(rng.random(n) < p_female, "Female", "Male").astype(object)
    gender[rng.random(n) < 0.004] = "Transgender/NonConforming"

    # age bands: women to CHN younger; minors more common in domestic corridors
    base = np.array([0.03, 0.13, 0.12, 0.13, 0.13, 0.11, 0.2, 0.1, 0.05])
    young = base * np.array([1.6, 2.0, 1.6, 1.2, 1.0, 0.8, 0.6, 0.4, 0.3])
    is_young = (country == "CHN") | (country == cit)
    age_idx = np.where(
        is_young,
        rng.choice(len(AGE_BANDS), n, p=young / young.sum()),
        rng.choice(len(AGE_BANDS), n, p=base / base.sum()),
    )
    age = np.array(AGE_BANDS, dtype=object)[age_idx]
    minor = np.isin(age, list(MINOR_BANDS))
    majority = np.where(minor, "Minor", "Adult").astype(object)
    age_missing = rng.random(n) < 0.08
    age[age_missing] = None
    # where the band is unknown, majority status is sometimes known, sometimes not
    unknown_major = age_missing & (rng.random(n) < 0.5)
    majority[unknown_major] = None

    # exploitation family
    p_sex = np.clip(
        0.08 + 0.45 * (gender == "Female") + 0.25 * (country == "CHN") + 0.1 * minor
        - 0.05 * dest_far, 0, 0.95,
    )
    sexual = (rng.random(n) < p_sex).astype(int)
    forced = np.where(sexual == 1, (rng.random(n) < 0.07).astype(int), (rng.random(n) < 0.93))
    forced = forced.astype(int)
    expl_missing = rng.random(n) < 0.06

    # type of labour: one industry for most forced-labour cases, by sex and corridor
    p_lab = np.stack([
        0.35 + 0.2 * (country == "THA") - 0.2 * dest_far,
        0.25 + 0.35 * (gender == "Male") - 0.15 * dest_far,
        0.1 + 0.55 * (gender == "Female") * dest_far + 0.15 * (gender == "Female"),
    ], axis=1).clip(0.01, None)
    p_lab /= p_lab.sum(axis=1, keepdims=True)
    industry = (p_lab.cumsum(axis=1) < rng.random(n)[:, None]).sum(axis=1)
    has_industry = (forced == 1) & (rng.random(n) < 0.8)
    labour = {
        name: ((industry == i) & has_industry).astype(int) for i, name in enumerate(LABOUR)
    }

    threats = (rng.random(n) < 0.2 + 0.3 * sexual + 0.1 * minor).astype(int)
    threats_missing = rng.random(n) < 0.25
    family = (rng.random(n) < 0.05 + 0.3 * minor + 0.1 * (country == cit)).astype(int)
    family_missing = rng.random(n) < 0.3

    year = 2015 + np.clip(
        np.round(rng.normal(5 + 2 * (cit == "MMR") - 2 * (cit == "PHL"), 2.2, n)), 0, 9
    ).astype(int)

    def flag(values: np.ndarray, missing: np.ndarray) -> pd.Series:
        return pd.Series(values, dtype="Int64").mask(missing)

    df = pd.DataFrame({
        "yearOfRegistration": pd.Series(year, dtype="Int64"),
        "gender": gender,
        "ageBroad": age,
        "majorityStatus": majority,
        "citizenship": cit,
        "CountryOfExploitation": country,
        "isForcedLabour": flag(forced, expl_missing),
        "isSexualExploit": flag(sexual, expl_missing),
        **{f"typeOfLabour{k}": flag(v, expl_missing) for k, v in labour.items()},
        "meansThreats": flag(threats, threats_missing),
        "recruiterRelationFamily": flag(family, family_missing),
    })
    return df[COLUMNS]


SURVEY_EDU = ["primary", "vocational", "secondary", "higher"]


def survey_table(n: int = 1500, seed: int = 0) -> pd.DataFrame:
    """A seeded survey-like table with numbers, dates, missing codes and logical relations.

    Columns: ``sex``, ``age`` (whole years, 16-90), ``agegr`` (bands of ``age``),
    ``majority`` (Adult), ``edu``, ``income`` (whole numbers, ``-8`` = not applicable for
    pupils, some blank), ``height`` (cm) and ``weight`` (kg) as whole numbers, ``bmi`` =
    weight / (height / 100) ** 2, ``marital``, ``ymarr`` (year of marriage, never before the
    year of birth 2011 - age, blank when single) and ``registered`` (a date). No real person is
    in it.
    """
    rng = np.random.default_rng(seed)
    sex = rng.choice(["F", "M"], n)
    age = np.clip(np.round(rng.gamma(2.2, 13.0, n) + 16), 16, 90).astype(int)
    bands = [(16, 24, "16-24"), (25, 34, "25-34"), (35, 44, "35-44"), (45, 59, "45-59"),
             (60, 90, "60+")]
    agegr = np.empty(n, dtype=object)
    for lo, hi, label in bands:
        agegr[(age >= lo) & (age <= hi)] = label
    edu_p = np.where(age[:, None] < 25, [0.2, 0.3, 0.4, 0.1], [0.25, 0.35, 0.25, 0.15])
    edu_idx = (edu_p.cumsum(axis=1) < rng.random(n)[:, None]).sum(axis=1)
    edu = np.array(SURVEY_EDU, dtype=object)[edu_idx]
    pupil = (age < 23) & (rng.random(n) < 0.6)
    log_income = (7.0 + 0.25 * (sex == "M") + 0.3 * edu_idx + 0.004 * (age - 40)
                  + rng.normal(0, 0.35, n))
    income = np.round(np.exp(log_income) / 50) * 50  # heaped on round values, as in surveys
    income = income.astype(float)
    income[pupil] = -8
    income[rng.random(n) < 0.05] = np.nan
    height = np.round(np.where(sex == "M", 178, 165) + rng.normal(0, 7, n)).astype(int)
    bmi0 = np.clip(rng.normal(25 + 0.05 * (age - 40), 3.5, n), 16, 45)
    weight = np.round(bmi0 * (height / 100) ** 2).astype(int)
    bmi = weight / (height / 100) ** 2
    married = (age >= 20) & (rng.random(n) < 0.75)
    marital = np.where(married, "married", "single").astype(object)
    wedding_age = np.clip(np.round(rng.normal(25, 4, n)), 18, None)
    ymarr = np.where(married, np.minimum(2011 - age + wedding_age, 2011), np.nan)
    registered = pd.Timestamp("2011-01-01") + pd.to_timedelta(rng.integers(0, 365, n),
                                                              unit="D")
    return pd.DataFrame({
        "sex": sex.astype(object), "age": age, "agegr": agegr, "majority": "Adult",
        "edu": edu, "income": income, "height": height, "weight": weight, "bmi": bmi,
        "marital": marital, "ymarr": ymarr, "registered": registered,
    })
