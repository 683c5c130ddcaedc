"""Column roles (``htwork:role``) from a Frictionless table schema."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from htwork.errors import StandardError

__all__ = ["ROLES", "schema_roles"]

#: the roles the input standard gives its fields
ROLES = ("direct_identifier", "quasi_identifier", "sensitive", "free_text", "case")

SchemaLike = Mapping[str, Any] | str | Path | bool | None


@lru_cache(maxsize=4)
def _packaged(name: str) -> dict[str, Any]:
    try:
        ref = resources.files("htwork.standards").joinpath("data", f"{name}.schema.json")
        return json.loads(ref.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StandardError(
            f"no standard named {name!r} ships with htwork.",
            hint="use 'htcds_input', or give the path of a Frictionless table schema",
        ) from None


def _load(schema: Mapping[str, Any] | str | Path) -> Mapping[str, Any]:
    if isinstance(schema, Mapping):
        return schema
    path = Path(schema)
    if path.suffix == ".json" or path.exists():
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise StandardError("the schema file does not exist.", file=path) from None
        except json.JSONDecodeError as exc:
            raise StandardError(f"the schema file is not valid JSON ({exc}).", file=path) from None
    return _packaged(str(schema))


def schema_roles(schema: SchemaLike, columns: Iterable[str]) -> dict[str, str]:
    """Map each column named in ``schema`` to its ``htwork:role``.

    Parameters
    ----------
    schema : mapping, str, Path, bool or None
        A Frictionless table schema (as a dict, a path, or the name of a standard shipped with
        htwork such as ``"htcds_input"``). ``None`` uses the input standard; ``False`` uses none.
    columns : iterable of str
        The table's columns; only these are returned.

    Returns
    -------
    dict
        ``{column: role}`` for the table's columns that the schema names and gives a role.
    """
    if schema is False:
        return {}
    spec = _load("htcds_input" if schema is None or schema is True else schema)
    fields = spec.get("fields", []) if isinstance(spec, Mapping) else []
    roles = {f.get("name"): f.get("htwork:role") for f in fields if isinstance(f, Mapping)}
    return {c: roles[c] for c in columns if roles.get(c)}
