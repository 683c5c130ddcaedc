"""``quarterly_report``: a quarter's standard tables and charts from a case extract, in one
call, with small-cell suppression applied consistently across the tables."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from htwork.errors import InputError
from htwork.report import charts, tables
from htwork.report.people import AGE_BANDS, prepare
from htwork.report.quarters import parse_quarter, previous_quarters, quarter_label
from htwork.report.result import QuarterlyReport, ReportTable
from htwork.report.suppression import SYMBOL, TOTAL, SuppressionResult, suppress_table
from htwork.standards import load_standard

__all__ = ["quarterly_report"]

_TITLES = {
    "sex_by_age": "People newly identified, by age group and sex",
    "citizenship": "People newly identified, by citizenship",
    "country_of_exploitation": "People newly identified, by country of exploitation",
    "corridors": "Corridors: citizenship (rows) by country of exploitation (columns)",
    "exploitation": "Forms of exploitation",
    "organisation_type": "Registrations, by kind of identifying organisation",
    "trend": "People newly identified and registrations, by quarter",
}


def _read(cases: Any, crosswalk: str | None) -> pd.DataFrame:
    if isinstance(cases, pd.DataFrame):
        if crosswalk:
            raise InputError("a crosswalk applies to a file; the table given is already read",
                             hint="pass the file's path with the crosswalk, or map the table "
                                  "first with load_crosswalk(...).apply(table)")
        return cases
    if isinstance(cases, str | Path):
        if crosswalk:
            from htwork.standards.crosswalk import load_crosswalk

            return load_crosswalk(crosswalk).read(cases)
        from htwork.io import read_table

        return read_table(cases)
    raise InputError(f"the cases must be a table (pandas DataFrame) or a file path, not "
                     f"{type(cases).__name__}")


def _check_options(threshold: Any, n_quarters: Any, age_bands: Sequence[int]) -> None:
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise InputError(f"the threshold must be a whole number of people, 1 or more, not "
                         f"{threshold!r}", hint="10 is usual; 1 hides nothing")
    if isinstance(n_quarters, bool) or not isinstance(n_quarters, int) or n_quarters < 1:
        raise InputError(f"the trend needs 1 or more quarters, not {n_quarters!r}")
    bands = list(age_bands)
    if not bands or bands[0] != 0 or any(b >= a for b, a in zip(bands, bands[1:],
                                                                 strict=False)):
        raise InputError(f"age groups must start at 0 and increase, not {bands!r}",
                         hint="e.g. (0, 12, 18, 25, 35, 50)")


def _suppress_linked(counts: dict[str, pd.DataFrame], threshold: int, options: dict,
                     links: list[list[tuple[str, Any, Any]]], audit: bool
                     ) -> dict[str, SuppressionResult]:
    """Suppress every table; a figure hidden in one table is hidden in every table that shows
    it too (then each table is protected again), until nothing changes."""
    forced: dict[str, set] = {name: set() for name in counts}
    dirty = set(counts)
    results: dict[str, SuppressionResult] = {}
    while dirty:
        for name in sorted(dirty):
            results[name] = suppress_table(counts[name], threshold, audit=audit,
                                           force=sorted(forced[name], key=str) or None,
                                           **options.get(name, {}))
        dirty = set()
        for group in links:
            cells = [(t, r, c) for t, r, c in group
                     if r in results[t].mask.index and c in results[t].mask.columns]
            if any(results[t].mask.loc[r, c] for t, r, c in cells):
                for t, r, c in cells:
                    if not results[t].mask.loc[r, c]:
                        forced[t].add((r, c))
                        dirty.add(t)
    return results


def _percent(result: SuppressionResult, denominator: int, denominator_hidden: bool
             ) -> pd.Series:
    counts = result._counts.iloc[:, 0].astype(float)
    pct = (counts / denominator * 100).round(1) if denominator else counts * float("nan")
    hidden = result.mask.iloc[:, 0] | denominator_hidden
    return pct.mask(hidden)


def quarterly_report(
    cases: pd.DataFrame | str | Path,
    quarter: str | pd.Period = "2024Q3",
    *,
    threshold: int = 10,
    n_quarters: int = 8,
    person_key: str | None = None,
    match: Sequence[str] = ("document",),
    age_bands: Sequence[int] = AGE_BANDS,
    crosswalk: str | None = None,
    audit: bool = True,
) -> QuarterlyReport:
    """A quarter's standard tables and charts from a case extract, small cells hidden.

    The tables (people are counted once, in the quarter of their first registration by any
    agency; see :mod:`htwork.report.people`):

    - ``sex_by_age``: people by age group (age at first registration) and sex;
    - ``citizenship`` and ``country_of_exploitation``: people by country, countries with
      fewer than ``threshold`` people grouped as "Other countries", with percentages of all
      people newly identified;
    - ``corridors``: citizenship by country of exploitation, the same country groups;
    - ``exploitation``: people with each form of exploitation (one person can have several)
      and their percentage of the people with at least one form recorded;
    - ``organisation_type``: **registrations** by kind of identifying organisation (a person
      registered by two organisations counts for each);
    - ``trend``: people newly identified and registrations in each of the last
      ``n_quarters`` quarters.

    Every table goes through :func:`htwork.report.suppress_table` (counts from 1 to
    ``threshold - 1`` hidden, then complementary cells); a figure that appears in two tables
    (the quarter's total, a country's total in the one-way table and in the corridors) is
    hidden in both if it is hidden in either.

    Parameters
    ----------
    cases : pandas.DataFrame, str or Path
        The case extract in the input standard (as :func:`htwork.io.read_table` returns it),
        or its file.
    quarter : str or pandas.Period, default "2024Q3"
        The quarter, e.g. ``"2024Q3"`` (July to September 2024).
    threshold : int, default 10
        Smallest count shown (besides 0).
    n_quarters : int, default 8
        Quarters in the trend, the reported one included (fewer if the extract starts later).
    person_key : str, optional
        Column holding one value per person (from record linkage); else ``match`` applies.
    match : sequence of str, default ("document",)
        Deterministic linking rules: ``"document"``, ``"name_birthdate"``; ``()`` counts
        registrations as people.
    age_bands : sequence of int, default (0, 12, 18, 25, 35, 50)
        Lower limits of the age groups.
    crosswalk : str, optional
        Agency crosswalk to read ``cases`` (a file) with.
    audit : bool, default True
        Check every table against exact recovery of hidden cells by linear algebra.

    Returns
    -------
    QuarterlyReport

    Raises
    ------
    htwork.errors.InputError
        A malformed quarter, a quarter without records, a missing column, or a cell the
        report cannot read (naming file, column and rows).

    Examples
    --------
    >>> from htwork.report import quarterly_report
    >>> report = quarterly_report("datasets/demo/cases.csv", "2024Q3")  # doctest: +SKIP
    >>> report.save("out/report-2024Q3")                                 # doctest: +SKIP
    """
    period = parse_quarter(quarter)
    label = quarter_label(period)
    _check_options(threshold, n_quarters, age_bands)
    df = _read(cases, crosswalk)
    file = (df.attrs.get("htwork") or {}).get("file")
    prep = prepare(df, person_key=person_key, match=match)
    regs, people = prep.registrations, prep.people
    regs_q = regs[regs["quarter"] == period]
    people_q = people[people["quarter"] == period]
    first, last = regs["quarter"].iloc[0], regs["quarter"].iloc[-1]
    if not len(regs_q):
        raise InputError(f"no record was registered in {label}", file=file,
                         column="cas_RegistrationDate",
                         hint=f"the extract covers {quarter_label(first)} to "
                              f"{quarter_label(last)}; choose a quarter in that range")
    if not len(people_q):
        raise InputError(f"all {len(regs_q)} registrations of {label} are of people "
                         "registered before: nobody was newly identified", file=file)

    cit = tables.country_groups(people_q["citizenship"], threshold)
    dest = tables.country_groups(people_q["exploitation_country"], threshold)
    exploitation, n_recorded = tables.exploitation(people_q["exploitation"])
    quarters = previous_quarters(period, n_quarters, first)
    std = load_standard()
    used = set(pd.unique(regs["org_type"].dropna()))
    present = [c for c in std.categories("org_Type") if c in used]
    counts = {
        "sex_by_age": tables.sex_by_age(people_q, age_bands),
        "citizenship": tables.by_country(cit, "Citizenship"),
        "country_of_exploitation": tables.by_country(dest, "Country of exploitation"),
        "exploitation": exploitation,
        "organisation_type": tables.organisation_types(regs_q, present)[[tables.NEW,
                                                                        tables.SECOND]]
        .sum(axis=1).to_frame(tables.REGISTRATIONS),
        "trend": tables.trend(people, regs, quarters),
    }
    counts["organisation_type"].index.name = "Identifying organisation"
    counts["corridors"] = tables.corridors(cit, dest, list(counts["citizenship"].index),
                                           list(counts["country_of_exploitation"].index))
    counts = {name: counts[name] for name in _TITLES}
    P, N, R = tables.PEOPLE, tables.NEW, tables.REGISTRATIONS
    links: list[list[tuple[str, Any, Any]]] = [
        [("sex_by_age", TOTAL, TOTAL), ("citizenship", TOTAL, P),
         ("country_of_exploitation", TOTAL, P), ("corridors", TOTAL, TOTAL),
         ("trend", label, N)],
        [("organisation_type", TOTAL, R), ("trend", label, R)],
    ]
    links += [[("citizenship", c, P), ("corridors", c, TOTAL)]
              for c in counts["citizenship"].index]
    links += [[("country_of_exploitation", c, P), ("corridors", TOTAL, c)]
              for c in counts["country_of_exploitation"].index]
    options = {"exploitation": {"total": n_recorded}, "trend": {"margins": False}}
    results = _suppress_linked(counts, threshold, options, links, audit)

    n_people, n_regs = len(people_q), len(regs_q)
    people_hidden = bool(results["citizenship"].mask.loc[TOTAL, P])
    recorded_hidden = bool(results["exploitation"].mask.loc[TOTAL, P])
    notes = _notes(prep.linked_by, int((~regs["first"]).sum()), len(regs), threshold,
                   n_recorded, n_people, recorded_hidden or people_hidden)
    sections = {}
    for name, title in _TITLES.items():
        res = results[name]
        percent, plabel = None, ""
        if name in ("citizenship", "country_of_exploitation"):
            percent, plabel = _percent(res, n_people, people_hidden), "% of people"
        elif name == "exploitation":
            percent = _percent(res, n_recorded, recorded_hidden)
            plabel = "% of people with a form recorded"
        sections[name] = ReportTable(name, title, _table_note(name, threshold, n_recorded,
                                                              recorded_hidden),
                                     res, percent, plabel)
    headline = {
        "Quarter": label,
        "People newly identified": SYMBOL if people_hidden else n_people,
        "Registrations": SYMBOL if results["organisation_type"].mask.loc[TOTAL, R] else n_regs,
        "Second registrations (people registered before)": n_regs - n_people
        if not people_hidden else SYMBOL,
        "Cells hidden (small / to protect them)":
            f"{sum(r.n_primary for r in results.values())} / "
            f"{sum(r.n_secondary for r in results.values())}",
    }
    source = _source_label(file)
    figures = _figures(sections, label, threshold, f"Source: case extract, "
                       f"{label}; htwork quarterly report")
    return QuarterlyReport(quarter=label, threshold=threshold, sections=sections,
                           figures=figures, headline=headline, notes=notes, source=source,
                           inputs=(Path(file),) if file else ())


def _source_label(file: str | Path | None) -> str:
    """How the report names its input: never by file name or path (a file may be named after
    a person), only by the SHA-256 of its bytes, which lets its owner recognise it."""
    if not file or not Path(file).is_file():
        return "the case extract"
    h = hashlib.sha256()
    with open(file, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return f"the case extract (SHA-256 {h.hexdigest()[:16]})"


def _table_note(name: str, threshold: int, n_recorded: int, hidden: bool) -> str:
    x = f"{SYMBOL}: hidden (a count from 1 to {threshold - 1}, or hidden so that one cannot be " \
        "worked out from the totals)."
    unit = {
        "sex_by_age": "Unit: people, counted once, in the quarter of their first registration. "
                      "Age at first registration.",
        "citizenship": f"Unit: people. Countries with fewer than {threshold} people are "
                       "grouped as 'Other countries'.",
        "country_of_exploitation": f"Unit: people. Countries with fewer than {threshold} "
                                   "people are grouped as 'Other countries'.",
        "corridors": "Unit: people. Country groups as in the two tables above.",
        "exploitation": "Unit: people. One person can have several forms, so the rows add up "
                        "to more than the total. Total and percentages: people with at least "
                        "one form recorded"
                        + ("." if hidden else f" ({n_recorded:,})."),
        "organisation_type": "Unit: registrations. A person registered by two organisations "
                             "counts for each.",
        "trend": "People: counted in the quarter of their first registration. Registrations: "
                 "every record.",
    }[name]
    return f"{unit} {x}"


def _notes(linked_by: str, n_second: int, n_records: int, threshold: int, n_recorded: int,
           n_people: int, hidden: bool) -> list[str]:
    return [
        "Unit: a person is counted once, in the quarter of their first registration by any "
        "agency in the extract (people newly identified). "
        f"Linking: {linked_by}; {n_second:,} of the {n_records:,} records in the extract are "
        "second registrations of someone registered earlier. Records of the same person that "
        "share no document number are not linked, so some people may still be counted twice.",
        "The table of identifying organisations counts registrations, not people. The number "
        "of second registrations (registrations minus people newly identified) describes the "
        "records, not the people, and is shown even when small.",
        "Age: at first registration, from the date of birth, else the age when the "
        "trafficking began.",
        "Forms of exploitation: "
        + ("the number of people with a form recorded is hidden."
           if hidden else f"{n_recorded:,} of the {n_people:,} people newly identified have "
                          "at least one form recorded; percentages are of them."),
        f"Small cells: every count from 1 to {threshold - 1} is hidden (x); zeros are shown. "
        "Further cells are hidden so that a hidden count cannot be worked out from a row or "
        "column total, nor from any combination of a table's totals, and a figure hidden in "
        "one table is hidden wherever it appears. Not protected against: narrow ranges worked "
        "out from the fact that counts are never negative, and comparing this report with "
        "earlier or later editions (figures for past quarters change when records are "
        "added).",
        "Names, phone numbers, document numbers, case numbers and notes are used only to link "
        "records; none appears in this report.",
    ]


def _figures(sections: dict[str, ReportTable], label: str, threshold: int, source: str
             ) -> dict[str, Any]:
    def inner(name: str) -> pd.DataFrame:
        v = sections[name].values
        return v.drop(index=TOTAL, errors="ignore").drop(columns=TOTAL, errors="ignore")

    sex_age = inner("sex_by_age")
    keep = [c for c in sex_age.columns
            if (sex_age[c].isna() | (sex_age[c] > 0)).any()]
    percent = sections["exploitation"].percent
    assert percent is not None  # the exploitation section gives shares
    expl = percent.drop(index=TOTAL)
    common: dict[str, Any] = {"threshold": threshold, "source": source}
    return {
        "trend": charts.trend_chart(inner("trend"), title="People newly identified and "
                                    "registrations, by quarter", xlabel="Quarter",
                                    ylabel="Number", **common),
        "sex_by_age": charts.grouped_bar_chart(sex_age[keep], title=f"People newly "
                                               f"identified in {label}, by age and sex",
                                               xlabel="Age group (years)", ylabel="People",
                                               **common),
        "citizenship": charts.bar_chart(inner("citizenship").iloc[:, 0],
                                        title=f"People newly identified in {label}, by "
                                              "citizenship", xlabel="People",
                                        ylabel="Citizenship", **common),
        "country_of_exploitation": charts.bar_chart(
            inner("country_of_exploitation").iloc[:, 0],
            title=f"People newly identified in {label}, by country of exploitation",
            xlabel="People", ylabel="Country of exploitation", **common),
        "exploitation": charts.bar_chart(expl, title=f"Forms of exploitation, {label}",
                                         xlabel="% of people with a form recorded",
                                         ylabel="Form of exploitation", **common),
        "organisation_type": charts.bar_chart(inner("organisation_type").iloc[:, 0],
                                              title=f"Registrations in {label}, by kind of "
                                                    "identifying organisation",
                                              xlabel="Registrations",
                                              ylabel="Identifying organisation", **common),
    }
