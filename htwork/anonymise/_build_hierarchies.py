"""Write the generalisation hierarchies shipped in ``htwork/anonymise/data/hierarchies/``.

A developer tool: ``python -m htwork.anonymise._build_hierarchies`` rewrites the CSV files
from the rules below and the code lists of :mod:`htwork.standards.codelists`. The CSV files are
what ships and what users copy and edit; a test checks that they match these rules, so edit
here, re-run, commit both.

Layout (as in ARX): one row per leaf value, one column per level, the most detailed first; the
header row names the levels. Labels of bands use ``--`` between bounds, as the release
standard's ``ageBroad`` does (spreadsheets turn ``1-4`` into a date).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from htwork.standards import codelists

OUT = Path(__file__).resolve().parent / "data" / "hierarchies"
MAX_AGE = 120
CTDC_BANDS = [(0, 8), (9, 17), (18, 20), (21, 23), (24, 26), (27, 29), (30, 38), (39, 47)]
TOP = "*"


def _band(age: int, width: int) -> str:
    lo = age // width * width
    return f"{lo}--{lo + width - 1}"


def _ctdc(age: int) -> str:
    for lo, hi in CTDC_BANDS:
        if lo <= age <= hi:
            return f"{lo}--{hi}"
    return "48+"


def age_rows() -> list[list[str]]:
    """``age``: single years → 5-year → 10-year → 20-year bands → ``*``."""
    rows = [["age", "band5", "band10", "band20", "any"]]
    for a in range(MAX_AGE + 1):
        rows.append([str(a), _band(a, 5), _band(a, 10), _band(a, 20), TOP])
    return rows


def age_ctdc_rows() -> list[list[str]]:
    """``age_ctdc``: single years → the release standard's ``ageBroad`` → minor/adult → ``*``."""
    rows = [["age", "ageBroad", "majorityStatus", "any"]]
    for a in range(MAX_AGE + 1):
        rows.append([str(a), _ctdc(a), "Minor" if a < 18 else "Adult", TOP])
    return rows


def nationality_rows() -> list[list[str]]:
    """``nationality``: ISO 3166-1 alpha-2 and alpha-3 → UN M49 sub-region → region → ``*``."""
    df = codelists.countries()
    rows: list[list[Any]] = [["country", "subregion", "region", "any"]]
    for code_col in ("alpha2", "alpha3"):
        for rec in df.sort_values(code_col).itertuples(index=False):
            sub = rec.subregion or rec.name  # Antarctica has no M49 region
            region = rec.region or rec.name
            rows.append([getattr(rec, code_col), sub, region, TOP])
    return rows


def geography_rows() -> list[list[str]]:
    """``geography``: ASEAN ISO 3166-2 region (or a bare country) → country → sub-region."""
    countries = codelists.countries().set_index("alpha2")
    regions = codelists.asean_regions().sort_values("code")
    rows: list[list[Any]] = [["location", "country", "subregion", "any"]]
    rec: Any  # an itertuples row: pandas-stubs types its fields as any scalar
    for rec in regions.itertuples(index=False):
        rows.append([rec.code, rec.country, countries.loc[rec.country, "subregion"], TOP])
    for a2, country in countries.sort_index().iterrows():
        rows.append([a2, a2, country["subregion"] or country["name"], TOP])
    return rows


BUILDERS = {
    "age": age_rows,
    "age_ctdc": age_ctdc_rows,
    "nationality": nationality_rows,
    "geography": geography_rows,
}


def write(out: Path = OUT) -> list[Path]:
    """Write every hierarchy CSV; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, build in BUILDERS.items():
        path = out / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(build())
        paths.append(path)
    return paths


if __name__ == "__main__":  # pragma: no cover
    for p in write():
        print(p)
