"""The release route for a table in its own schema (not htwork's input standard).

The table is read as its schema says (:func:`htwork.standards.conform`: missing-value codes
become missing cells, columns get their types, categories are checked), **not** mapped to the
CTDC-shaped release standard: its own columns are protected, assessed and published, less its
direct identifiers and free text (by their role in the schema), the columns the policy forbids
and the columns empty in the input. ``data.parquet`` keeps the schema's types.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from htwork.errors import InputError
from htwork.release.package import SUPPRESSED
from htwork.release.policy import Policy
from htwork.standards import Standard, load_standard
from htwork.standards.conform import Conformed, conform

__all__ = ["choose_schema", "is_input_standard", "conform_input", "own_columns",
           "own_pseudonyms", "csv_frame", "parquet_frame", "own_fields", "own_meta",
           "ROLES_DROPPED"]

#: Roles whose columns are never published.
ROLES_DROPPED = ("direct_identifier", "free_text")
Record = dict[str, Any]


def is_input_standard(df: pd.DataFrame) -> bool:
    """Whether a table is written in htwork's input standard (at least half of its columns
    are fields of it)."""
    names = set(load_standard("input").field_names)
    cols = [str(c) for c in df.columns]
    return bool(cols) and sum(c in names for c in cols) * 2 >= len(cols)


def shipped_schema_of(df: pd.DataFrame) -> Standard | None:
    """The shipped schema a table other than the input standard is written in, if any: the CTDC
    global dataset's own columns and codes (``load_standard("ctdc")``) when at least half of the
    table's columns are fields of it; else ``None``."""
    cols = [str(c) for c in df.columns]
    std = load_standard("ctdc")
    names = set(std.field_names)
    if cols and sum(c in names for c in cols) * 2 >= len(cols):
        return std
    return None


def choose_schema(df: pd.DataFrame, schema: str | Path | Standard | dict | None,
                  crosswalk: str | Path | None) -> tuple[Standard | None, bool]:
    """The schema a table is released under: ``(None, False)`` for the input standard (the
    route through the CTDC-shaped release standard), else ``(schema, inferred)``.

    Without ``schema``, a table in the input standard (or read through a crosswalk) takes the
    input route, a table in the CTDC global dataset's own columns gets the shipped CTDC schema
    (:func:`shipped_schema_of`), and any other table gets a schema inferred by
    :func:`htwork.standards.profile`. A schema ``profile`` made (not read from a file) counts
    as inferred, so a caller that already inferred it to show it need not infer it twice.
    """
    if isinstance(schema, Standard) and schema.inferred:
        return schema, True
    if schema is not None:
        std = load_standard(schema)
        if std is load_standard("input"):
            return None, False
        return std, False
    if crosswalk is not None or is_input_standard(df):
        return None, False
    shipped = shipped_schema_of(df)
    if shipped is not None:
        return shipped, False
    from htwork.standards import profile

    return profile(df), True


def conform_input(df: pd.DataFrame, schema: Standard, file: str | Path) -> Conformed:
    """The table read as its schema says.

    Raises
    ------
    InputError
        If the table does not fit the schema (the message lists the problems, naming the
        fields); nothing can be released from it.
    """
    c = conform(df, schema, file=file)
    if not c.ok:
        errors = c.report.problems
        first = errors[errors["severity"].astype(str) == "error"]["column"].iloc[0]
        raise InputError(f"the table does not fit its schema {schema.name!r}; nothing was "
                         f"released.\n{c.report.summary()}", file=file, column=str(first),
                         hint="fix the table or the schema (htwork validate FILE --schema "
                              "SCHEMA lists every problem)")
    return c


def _never(policy: Policy, schema: Standard) -> list[str]:
    cols = list(policy.never)
    for r in policy.roles.get("never", ()):
        cols += schema.columns_with_role(r)
    return cols


def own_columns(conformed: Conformed, policy: Policy, inferred: bool
                ) -> tuple[pd.DataFrame, list[Record], list[str]]:
    """The table to protect: the schema's columns less direct identifiers, free text, the
    policy's ``never`` and the columns empty in the input.

    Returns
    -------
    (table, records, empty)
        The typed table, the records (for the recipe and the datasheet) and the names of the
        columns left out because the input holds nothing in them.
    """
    schema, table = conformed.schema, conformed.table
    coded = {k: v for k, v in conformed.missing_codes.items() if v}
    records: list[Record] = [{
        "step": "schema", "schema": schema.name, "inferred": inferred,
        "missing_codes": coded,
        "text": (f"Read {len(table):,} records as {'an inferred' if inferred else 'the given'}"
                 f" table schema ({len(table.columns)} columns typed: "
                 + ", ".join(f"{n} {t}" for n, t in _type_counts(conformed.types).items())
                 + ")" + (", missing-value codes made empty cells in "
                          + ", ".join(f"{k} ({v:,})" for k, v in coded.items())
                          if coded else "") + "; not mapped to any other standard.")}]
    dropped = {r: [c for c in schema.columns_with_role(r) if c in table] for r in ROLES_DROPPED}
    gone = [c for cols in dropped.values() for c in cols]
    records.append({"step": "drop_identifiers", "columns": gone, "by_role": dropped,
                    "text": ("Dropped the columns the schema marks as direct identifiers ("
                             + (", ".join(dropped["direct_identifier"]) or "none") + ") and "
                             "free text (" + (", ".join(dropped["free_text"]) or "none")
                             + ").")})
    never = [c for c in _never(policy, schema) if c in table and c not in gone]
    if never:
        records.append({"step": "never", "columns": never,
                        "text": f"Columns the policy forbids: {', '.join(never)}."})
    keep = [c for c in table.columns if c not in set(gone) | set(never)]
    empty = [c for c in keep if not table[c].notna().any()]
    if empty:
        records.append({"step": "empty_columns", "columns": empty,
                        "text": "Left out columns empty in the input: " + ", ".join(empty)
                                + "."})
    keep = [c for c in keep if c not in set(empty)]
    return table[keep], records, empty


def _type_counts(types: dict[str, str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for t in types.values():
        out[t] = out.get(t, 0) + 1
    return out


def own_pseudonyms(df: pd.DataFrame, base: pd.DataFrame, policy: Policy,
                   key: bytes | None) -> tuple[pd.DataFrame, list[Record]]:
    """Add the policy's keyed pseudonyms (``pseudonymise: {input column: release column}``)."""
    if not policy.pseudonymise:
        return base, []
    if key is None:
        raise InputError(f"policy {policy.name!r} pseudonymises {list(policy.pseudonymise)} "
                         "but no key was given", hint="pass key= (or --key-file)")
    missing = [c for c in policy.pseudonymise if c not in df]
    if missing:
        raise InputError(f"policy {policy.name!r} pseudonymises {missing[0]!r}, which the "
                         "table does not have", column=missing[0])
    from htwork.anonymise import Pseudonymiser

    src = list(policy.pseudonymise)
    ps = Pseudonymiser(key, columns=src).fit_transform(df[src])
    base = base.copy()
    for s, target in policy.pseudonymise.items():
        base[target] = ps[s].to_numpy()
    return base, [{"step": "pseudonymise", "columns": dict(policy.pseudonymise),
                   "method": "HMAC-SHA256, 16 hex characters",
                   "text": "Keyed pseudonyms (HMAC-SHA256) for "
                           f"{', '.join(src)}; the key stays with the publisher."}]


def _text(v: Any) -> str | None:
    if v is None or (not isinstance(v, str) and bool(pd.isna(v))):
        return None
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat()
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    return str(v)


def csv_frame(table: pd.DataFrame, mask: pd.DataFrame | None) -> pd.DataFrame:
    """The published table as text: integers ``57``, numbers ``30.79...``, dates
    ``2011-05-01``, missing ``None``, suppressed cells :data:`SUPPRESSED`."""
    out = pd.DataFrame({c: [_text(v) for v in table[c].astype(object)] for c in table.columns},
                       index=table.index, dtype=object)
    if mask is not None:
        for c in mask.columns:
            m = mask[c].to_numpy(dtype=bool)
            if m.any() and c in out:
                out.loc[m, c] = SUPPRESSED
    return out.reset_index(drop=True)


def parquet_frame(table: pd.DataFrame, mask: pd.DataFrame | None,
                  types: dict[str, str]) -> pd.DataFrame:
    """The published table with the schema's types (``Int64``, ``Float64``, dates as
    ``date32``): text columns hold :data:`SUPPRESSED` in suppressed cells, typed columns a
    null (``data.csv`` tells the two kinds of missing apart)."""
    out: dict[str, Any] = {}
    for c in table.columns:
        s = table[c].reset_index(drop=True)
        kind = types.get(c, "string")
        if kind in ("integer", "year"):
            out[c] = s.astype("Int64")
        elif kind == "number":
            out[c] = s.astype("Float64")
        elif kind == "boolean":
            out[c] = s.astype("boolean")
        elif kind in ("date", "datetime"):
            ts = pd.to_datetime(s)
            out[c] = pd.Series([None if pd.isna(v) else v.date() for v in ts], dtype=object)
        else:
            text = s.astype(object).where(s.notna(), None)  # type: ignore[call-overload]  # pandas-stubs: other=None is allowed
            if mask is not None and c in mask:
                text[mask[c].to_numpy(dtype=bool)] = SUPPRESSED
            out[c] = text.map(lambda v: None if v is None else str(v))
    return pd.DataFrame(out)


def own_fields(schema: Standard, columns: list[str], categories: dict[str, list[str]]
               ) -> list[dict[str, Any]]:
    """The data package's fields: the schema's own (type, description, categories), without
    htwork's properties or field-level missing values (every missing code of the input is an
    empty cell in the release)."""
    out = []
    for name in columns:
        if name in schema:
            f = schema.public_field(name)
            f.pop("missingValues", None)
            if f.get("type") in ("date", "datetime"):
                f.pop("format", None)
            if f.get("type") == "year" and f.get("categories"):
                f["type"] = "integer"
        else:
            f = {"name": name, "type": "string",
                 "description": "Keyed pseudonym (HMAC-SHA256); the key is not published."}
        if name in categories:
            cats = list(categories[name])
            f["type"] = "string"
            f["categories"] = cats
            f["constraints"] = {"enum": cats}
        out.append(f)
    return out


def own_meta(df: pd.DataFrame, schema: Standard, inferred: bool,
             given: str | Path | Standard | dict | None, quasi: list[str] | None,
             strict: bool, types: dict[str, str]) -> dict[str, Any]:
    """What the datasheet and recipe say about a table released in its own schema (the
    schema named by file name only, never by path)."""
    name = Path(given).name if isinstance(given, str | Path) else None
    dropped = {r: [c for c in schema.columns_with_role(r) if c in df] for r in ROLES_DROPPED}
    return {"schema": schema, "schema_given": name, "schema_inferred": inferred,
            "quasi": list(quasi) if quasi else None, "strict": strict, "types": types,
            "title": "Data release",
            "dropped_by_role": dropped,
            "sensitive_columns": [c for c in schema.columns_with_role("sensitive") if c in df],
            "source_description": f"a table of {len(df):,} records, read with "
                                  + ("a schema inferred by htwork profile" if inferred else
                                     f"its schema {schema.name!r}") + "."}
