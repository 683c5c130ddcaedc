"""Package data of the simulator, read once and checked against the input standard.

Every table lives in ``htwork/simulate/data/``:

``corridors.csv``
    One row per *stream* (a corridor and a form of exploitation): weight, trend and season
    profiles, sex and age, group sizes, identifying agencies' countries and the weighted code
    sets of every structured field (see :func:`parse_weighted`).
``trends.csv`` / ``seasons.csv``
    Registration volume by year (per trend profile) and by month (per season profile).
``organisations.csv``
    Fictional identifying agencies: country, code, name, type, region, weight, note languages,
    focus (story kinds they see most) and case-number format.
``places.csv``
    Towns by ISO 3166-2 region, in Latin and local script, with home-region weights.
``names_<cc>.csv``
    Names for countries that faker does not cover (KH, LA, MM) and supplements for the others.
``params.yaml``
    Everything else (missing rates, labour type -> ISIC section, phone plans...).
``notes.csv``
    Case-note sentence templates by language, part and story kind.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import yaml

from htwork.errors import StandardError
from htwork.standards.schema import load_standard

_PKG = "htwork.simulate"


def _open(name: str):
    return resources.files(_PKG).joinpath("data", name).open("rb")


def read_csv(name: str) -> pd.DataFrame:
    """A package CSV as strings (empty cells are ``""``)."""
    with _open(name) as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False, encoding="utf-8")


@lru_cache(maxsize=1)
def params() -> dict[str, Any]:
    """``params.yaml`` as a dict."""
    with _open("params.yaml") as fh:
        return yaml.safe_load(io.TextIOWrapper(fh, encoding="utf-8"))


@lru_cache(maxsize=1)
def categories() -> dict[str, list[str]]:
    """Allowed codes of every picklist field of the input standard, in schema order."""
    std = load_standard("input")
    return {f["name"]: [c["value"] for c in f["categories"]]
            for f in std.fields if f.get("categories")}


@lru_cache(maxsize=1)
def field_names() -> list[str]:
    """Input standard field names, in schema order."""
    return list(load_standard("input").field_names)


@dataclass(frozen=True)
class Weighted:
    """A weighted list of options; each option is a tuple of codes (a multi-select set)."""

    options: tuple[tuple[str, ...], ...]
    weights: np.ndarray

    @property
    def p(self) -> np.ndarray:
        """Weights normalised to probabilities."""
        return self.weights / self.weights.sum()


def parse_weighted(text: str, *, field: str | None = None, where: str = "") -> Weighted:
    """Parse ``"A=3;B+C=1"`` into options ``(("A",), ("B", "C"))`` with weights ``[3, 1]``.

    ``+`` joins codes chosen together (a multi-select cell). When ``field`` is given every code
    must be one of that field's categories.
    """
    options: list[tuple[str, ...]] = []
    weights: list[float] = []
    allowed = categories().get(field) if field else None
    for part in filter(None, (p.strip() for p in str(text).split(";"))):
        key, _, w = part.partition("=")
        codes = tuple(c.strip() for c in key.split("+") if c.strip())
        if allowed is not None:
            bad = [c for c in codes if c not in allowed]
            if bad:
                raise StandardError(
                    f"simulator data {where}: {bad} not allowed in {field}",
                    hint="fix htwork/simulate/data/corridors.csv")
        options.append(codes)
        weights.append(float(w) if w else 1.0)
    return Weighted(tuple(options), np.asarray(weights, dtype=float))


def parse_probs(text: str, *, field: str, where: str = "") -> dict[str, float]:
    """Parse ``"A=0.7;B=0.2"`` into independent probabilities per code."""
    w = parse_weighted(text, field=field, where=where)
    return {o[0]: float(p) for o, p in zip(w.options, w.weights, strict=True)}


_WEIGHTED_FIELDS = {
    "exploitation": "vic_TypeOfExploitation",
    "labour": "vic_TypeOfLabourExploitation",
    "sex_type": "vic_TypeOfSexExploitation",
    "doc": "prs_IdentityDocumentType",
    "relationship": "vic_RelationshipToTrafficker",
    "recruitment": "vic_MethodOfRecruitment",
    "platforms": "vic_RecruitmentWebsitesAndApps",
}


@dataclass(frozen=True)
class Stream:
    """One row of ``corridors.csv``, parsed."""

    name: str
    origin: str
    destination: str
    weight: float
    trend: str
    season: str
    story: str
    female: float
    age: tuple[float, float, float]
    group_kind: str
    group: tuple[float, int, int]
    org_countries: Weighted
    exploit_regions: Weighted
    controls: dict[str, float]
    fields: dict[str, Weighted]

    @property
    def mean_size(self) -> float:
        """Expected number of people per identification event."""
        p, lo, hi = self.group
        # size = lo + floor((hi - lo + 1) * u**2): E[floor] ~ (hi - lo + 1) / 3 - 1/2
        mean_group = lo + max((hi - lo + 1) / 3.0 - 0.5, 0.0)
        return (1 - p) + p * mean_group


@lru_cache(maxsize=1)
def streams() -> tuple[Stream, ...]:
    """All streams of ``corridors.csv``, validated."""
    df = read_csv("corridors.csv")
    out = []
    for r in df.to_dict("records"):
        where = f"corridors.csv stream {r['stream']!r}"
        age = tuple(float(x) for x in r["age"].split())
        g = r["group"].split()
        fields = {k: parse_weighted(r[k], field=f, where=where)
                  for k, f in _WEIGHTED_FIELDS.items() if r[k].strip()}
        out.append(Stream(
            name=r["stream"], origin=r["origin"], destination=r["destination"],
            weight=float(r["weight"]), trend=r["trend"], season=r["season"], story=r["story"],
            female=float(r["female"]), age=age,  # type: ignore[arg-type]
            group_kind=r["group_kind"], group=(float(g[0]), int(g[1]), int(g[2])),
            org_countries=parse_weighted(r["org_countries"]),
            exploit_regions=parse_weighted(r["exploit_regions"]),
            controls=parse_probs(r["controls"], field="vic_MethodsOfControl", where=where),
            fields=fields,
        ))
    return tuple(out)


@lru_cache(maxsize=1)
def trends() -> pd.DataFrame:
    """Year weights per trend profile (index: profile, columns: int years)."""
    df = read_csv("trends.csv").set_index("profile").astype(float)
    df.columns = [int(c) for c in df.columns]
    return df


@lru_cache(maxsize=1)
def seasons() -> pd.DataFrame:
    """Month weights per season profile (index: profile, columns 1..12)."""
    df = read_csv("seasons.csv").set_index("profile").astype(float)
    df.columns = [int(c) for c in df.columns]
    return df


@lru_cache(maxsize=1)
def organisations() -> pd.DataFrame:
    """Fictional identifying organisations."""
    df = read_csv("organisations.csv")
    df["weight"] = df["weight"].astype(float)
    bad = sorted(set(df["org_type"]) - set(categories()["org_Type"]))
    if bad:
        raise StandardError(f"simulator data organisations.csv: unknown org types {bad}")
    return df


@lru_cache(maxsize=1)
def places() -> pd.DataFrame:
    """Towns by region."""
    df = read_csv("places.csv")
    df["home_weight"] = df["home_weight"].astype(float)
    return df


@cache
def names(country: str) -> pd.DataFrame:
    """Shipped names of one country (``kind, latin, native, variants, weight``); may be empty."""
    try:
        df = read_csv(f"names_{country.lower()}.csv")
    except FileNotFoundError:
        return pd.DataFrame(columns=["kind", "latin", "native", "variants", "weight"])
    df["weight"] = df["weight"].replace("", "1").astype(float)
    return df


@lru_cache(maxsize=1)
def note_templates() -> pd.DataFrame:
    """Case-note sentence templates (``lang, part, story, weight, template``)."""
    df = read_csv("notes.csv")
    df["weight"] = df["weight"].replace("", "1").astype(float)
    return df
