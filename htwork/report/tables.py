"""The standard tables of a quarterly report, as true counts (before any suppression).

Each function returns counts without totals; :func:`htwork.report.suppress_table` adds the
totals and hides small cells. Categories come from the input standard (labels, in the
standard's order) so that every quarter's tables have the same rows and columns.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from htwork.report.people import NOT_RECORDED, age_band_labels, country_names
from htwork.report.quarters import quarter_label
from htwork.standards import load_standard

__all__ = ["sex_by_age", "country_groups", "by_country", "corridors", "exploitation",
           "organisation_types", "trend", "OTHER_COUNTRIES", "PEOPLE", "NEW", "SECOND",
           "REGISTRATIONS"]

OTHER_COUNTRIES = "Other countries"
PEOPLE = "People"
NEW = "People newly identified"
SECOND = "Second registrations"
REGISTRATIONS = "Registrations"


def _labels(field: str) -> dict[str, str]:
    return load_standard().labels(field)


def sex_by_age(people: pd.DataFrame, bands: Sequence[int]) -> pd.DataFrame:
    """People by age group (rows) and sex (columns)."""
    sexes = _labels("prs_Gender")
    order = ["Female", "Male", *[c for c in sexes if c not in ("Female", "Male")]]
    labels = age_band_labels(bands)
    band = pd.cut(people["age"], [*bands, np.inf], right=False, labels=labels)
    band = band.astype(object).where(band.notna(), NOT_RECORDED)
    sex = people["sex"].map(sexes).where(people["sex"].notna(), NOT_RECORDED)
    rows = [*labels, *([NOT_RECORDED] if (band == NOT_RECORDED).any() else [])]
    cols = [sexes[c] for c in order] + ([NOT_RECORDED] if (sex == NOT_RECORDED).any() else [])
    table = pd.crosstab(band, sex).reindex(index=rows, columns=cols, fill_value=0)
    table.index.name, table.columns.name = "Age group", "Sex"
    return table


def country_groups(codes: pd.Series, threshold: int) -> pd.Series:
    """Each person's row label: the country's name when at least ``threshold`` people share
    it, else ``"Other countries"``; ``"Not recorded"`` when empty."""
    names = country_names()
    counts = codes.value_counts()
    big = set(counts.index[counts >= max(threshold, 1)])
    label = codes.map(lambda c: names.get(c, c) if c in big else OTHER_COUNTRIES,
                      na_action="ignore")
    return label.where(codes.notna(), NOT_RECORDED)


def _row_order(groups: pd.Series) -> list[str]:
    counts = groups.value_counts()
    named = sorted((g for g in counts.index if g not in (OTHER_COUNTRIES, NOT_RECORDED)),
                   key=lambda g: (-counts[g], g))
    return named + [g for g in (OTHER_COUNTRIES, NOT_RECORDED) if g in counts.index]


def by_country(groups: pd.Series, name: str) -> pd.DataFrame:
    """People by a grouped country field (one column, ``People``)."""
    order = _row_order(groups)
    table = groups.value_counts().reindex(order, fill_value=0).to_frame(PEOPLE)
    table.index.name = name
    return table


def corridors(citizenship: pd.Series, exploitation: pd.Series, rows: list[str],
              cols: list[str]) -> pd.DataFrame:
    """People by citizenship (rows) and country of exploitation (columns), same groups as the
    one-way tables."""
    table = pd.crosstab(citizenship, exploitation).reindex(index=rows, columns=cols,
                                                           fill_value=0)
    table.index.name, table.columns.name = "Citizenship", "Country of exploitation"
    return table


def exploitation(values: pd.Series) -> tuple[pd.DataFrame, int]:
    """People with each form of exploitation (multi-select) and the denominator: the number
    of people with at least one form recorded."""
    labels = _labels("vic_TypeOfExploitation")
    recorded = values.dropna()
    ticks = recorded.str.split(";").explode().value_counts()
    table = ticks.reindex(list(labels), fill_value=0).to_frame(PEOPLE)
    table.index = [labels[c] for c in table.index]
    table.index.name = "Form of exploitation"
    return table, int(len(recorded))


def organisation_types(registrations: pd.DataFrame, present: Sequence[str]) -> pd.DataFrame:
    """Registrations in the quarter by kind of identifying organisation: first registrations
    of a person (people newly identified) and second registrations."""
    labels = _labels("org_Type")
    kind = np.where(registrations["first"], NEW, SECOND)
    table = pd.crosstab(registrations["org_type"], kind).reindex(
        index=list(present), columns=[NEW, SECOND], fill_value=0)
    table.index = [labels.get(c, c) for c in table.index]
    table.index.name, table.columns.name = "Identifying organisation", None
    return table


def trend(people: pd.DataFrame, registrations: pd.DataFrame,
          quarters: Sequence[pd.Period]) -> pd.DataFrame:
    """People newly identified and registrations, per quarter."""
    new = people["quarter"].value_counts()
    regs = registrations["quarter"].value_counts()
    table = pd.DataFrame({NEW: [int(new.get(q, 0)) for q in quarters],
                          REGISTRATIONS: [int(regs.get(q, 0)) for q in quarters]},
                         index=[quarter_label(q) for q in quarters])
    table.index.name = "Quarter"
    return table
