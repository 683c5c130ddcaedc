"""Column roles (``htwork:role``) of a table, asked of :mod:`htwork.standards`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from htwork.standards import Standard, load_standard

__all__ = ["SchemaLike", "schema_roles"]

SchemaLike = Standard | Mapping[str, Any] | str | Path | bool | None


def schema_roles(schema: SchemaLike, columns: Iterable[str]) -> dict[str, str]:
    """Map each column named in ``schema`` to its ``htwork:role``.

    Parameters
    ----------
    schema : Standard, mapping, str, Path, bool or None
        A table schema: anything :func:`htwork.standards.load_standard` takes (a
        :class:`~htwork.standards.Standard`, a descriptor dict, the path of a schema file, or the
        name of a shipped standard such as ``"htcds_input"``). ``None`` (or ``True``) uses the
        input standard; ``False`` uses none.
    columns : iterable of str
        The table's columns; only these are returned.

    Returns
    -------
    dict
        ``{column: role}`` for the table's columns that the schema names and gives a role.

    Raises
    ------
    StandardError
        If the schema cannot be loaded (unknown name, missing or malformed file, unknown role).
    """
    if schema is False:
        return {}
    std = load_standard("input" if schema is None or schema is True else schema)
    roles = std.roles
    return {c: roles[c] for c in columns if c in roles}
