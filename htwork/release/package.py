"""``datapackage.json`` for a release folder (Frictionless Data Package v2).

Fields come from the release standard with their descriptions, ``categories`` and
``constraints.enum`` (frictionless validators check the enum, not the categories); recoded
fields get the categories of their new level. Missing values are labelled: an empty cell is
"not recorded", :data:`SUPPRESSED` is "suppressed to protect the people in the data".
"""

from __future__ import annotations

import json
from typing import Any

from htwork.core.missing import Missing, missing_values
from htwork.standards import load_standard

__all__ = ["SUPPRESSED", "datapackage", "dumps"]

#: What a suppressed cell holds in ``data.csv`` (and ``data.parquet``).
SUPPRESSED = Missing.SUPPRESSED.release_value
MISSING_VALUES = missing_values(Missing.NOT_RECORDED, Missing.SUPPRESSED)
#: An aggregate row leaves empty the attributes it does not combine.
AGGREGATE_MISSING_VALUES = missing_values(
    Missing.NOT_APPLICABLE.because("not part of this combination"))


def _release_fields(columns: list[str], categories: dict[str, list[str]]) -> list[dict]:
    std = load_standard("release")
    out = []
    for name in columns:
        if name in std:
            f = std.public_field(name)
        else:
            f = {"name": name, "type": "string",
                 "description": "Keyed pseudonym (HMAC-SHA256); the key is not published."}
        if name in categories:
            cats = list(categories[name])
            f["type"] = "string"
            f["description"] = f.get("description", "") + " Generalised for this release."
            f["categories"] = cats
            f["constraints"] = {"enum": cats}
            f.pop("categoriesOrdered", None)
        if f.get("type") == "integer" and "categories" not in f and std.family_of(name):
            f["categories"] = [{"value": 0, "label": "no"}, {"value": 1, "label": "yes"}]
            f.setdefault("constraints", {})["enum"] = [0, 1]
        out.append(f)
    return out


def _aggregate_fields(columns: list[str]) -> list[dict]:
    fields = _release_fields(columns, {})
    for f in fields:
        f["description"] = (f.get("description", "") + " Empty when the attribute is not part "
                            "of the combination counted in this row.")
    fields.append({"name": "attributes", "type": "integer", "description":
                   "How many attributes the row combines.", "constraints": {"minimum": 1}})
    fields.append({"name": "count", "type": "integer", "description":
                   "Number of people with this combination, rounded down to the policy's "
                   "multiple; combinations describing fewer people than the minimum are not "
                   "published.", "constraints": {"minimum": 0}})
    return fields


def datapackage(*, name: str, title: str, description: str, columns: list[str],
                categories: dict[str, list[str]], licence: str, sources: list[dict],
                route: str, n_rows: int, files: dict[str, str]) -> dict[str, Any]:
    """The descriptor (plain data).

    Parameters
    ----------
    files : dict
        ``{relative path: sha256}`` of ``data.csv`` and ``data.parquet``.
    """
    fields = (_aggregate_fields(columns) if route == "aggregate"
              else _release_fields(columns, categories))
    schema = {"fields": fields, "missingValues": MISSING_VALUES if route != "aggregate"
              else AGGREGATE_MISSING_VALUES}
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": name,
        "title": title,
        "description": description,
        "version": "1.0.0",
        "licenses": [{"name": licence, "path": f"https://spdx.org/licenses/{licence}.html",
                      "title": licence}],
        "sources": sources,
        "keywords": ["human trafficking", "counter-trafficking", "case data",
                     "statistical disclosure control"],
        "resources": [
            {"name": "data", "type": "table", "path": "data.csv", "scheme": "file",
             "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
             "hash": f"sha256:{files['data.csv']}",
             "dialect": {"$schema": "https://datapackage.org/profiles/2.0/tabledialect.json",
                         "header": True, "delimiter": ","},
             "description": f"{n_rows:,} rows.", "schema": schema},
            {"name": "data-parquet", "type": "file", "path": "data.parquet", "scheme": "file",
             "format": "parquet", "mediatype": "application/vnd.apache.parquet",
             "hash": f"sha256:{files['data.parquet']}",
             "description": "The same table as data.csv, every column text, suppressed cells "
                            f"holding {SUPPRESSED!r}, not-recorded cells null."},
        ],
    }


def dumps(descriptor: dict[str, Any]) -> str:
    """Deterministic JSON text (sorted nowhere: field order matters; UTF-8, 2-space indent)."""
    return json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
