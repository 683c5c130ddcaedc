"""Meet a policy with a table: the columns its keys name, by column or by role, that exist.

A policy names its quasi-identifiers (and sensitive, published, never-published and counted
columns) by column, by role (``{role: quasi_identifier}``, read from the table's schema), or
both, as sdcMicro's ``createSdcObj(keyVars=..., sensibleVar=...)`` names columns and ARX gives
each attribute a type. :func:`resolve_keys` turns those names into the table's columns:

- a named column the table has is used;
- a named column the table lacks but that its schema or one of htwork's standards defines is
  **absent**: the release goes on with the keys present and says so (``strict=True``: an
  error);
- a name that is no column of the table, its schema or a standard **exists nowhere** (a typo):
  an error naming the policy and the key;
- a role takes the schema's columns with that role that the table has.

``quasi=`` (``--quasi A,B,C``) replaces the policy's quasi-identifiers; each must be a column.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from htwork.errors import InputError
from htwork.release.policy import ROLE_KEYS, Policy
from htwork.standards import Standard, load_standard

__all__ = ["KeyResolution", "resolve_keys"]


@dataclass
class KeyResolution:
    """A policy met with a table.

    Attributes
    ----------
    policy : Policy
        The policy with every key a list of the table's columns (no roles left).
    absent : dict
        ``{policy key: [names]}``: columns (or ``role <name>``) the policy names that the
        table lacks.
    by_role : dict
        ``{policy key: {role: [columns]}}``: what each role named.
    quasi_override : list of str or None
        The quasi-identifiers given on the command line, if any.
    """

    policy: Policy
    absent: dict[str, list[str]] = field(default_factory=dict)
    by_role: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    quasi_override: list[str] | None = None

    def section(self) -> dict[str, Any]:
        """The risk report's ``keys`` section."""
        return {"quasi_identifiers": list(self.policy.quasi_identifiers),
                "sensitive": list(self.policy.sensitive),
                "absent": {k: list(v) for k, v in self.absent.items()},
                "by_role": self.by_role,
                "quasi_override": self.quasi_override}

    def text(self) -> str:
        """One sentence on the keys used and those absent."""
        q = ", ".join(self.policy.quasi_identifiers) or "none"
        parts = [f"Quasi-identifiers used: {q}"
                 + (" (given with --quasi)" if self.quasi_override else "") + "."]
        for key, names in self.absent.items():
            parts.append(f"Absent from the table, so not used: {key} "
                         f"{', '.join(names)}.")
        return " ".join(parts)


def _known_elsewhere(schema: Standard | None) -> set[str]:
    """Column names a schema or one of htwork's standards defines."""
    known: set[str] = set()
    for std in (schema, load_standard("release"), load_standard("input")):
        if std is not None:
            known.update(std.field_names)
    return known


def resolve_keys(policy: Policy, columns: list[str], schema: Standard | None = None, *,
                 quasi: list[str] | None = None, strict: bool = False,
                 policy_file: str | Path | None = None) -> KeyResolution:
    """The policy's keys as columns of the table.

    Parameters
    ----------
    policy : Policy
    columns : list of str
        The columns of the table to publish.
    schema : Standard, optional
        The table's schema (roles); without one, roles name nothing.
    quasi : list of str, optional
        Quasi-identifiers that replace the policy's (each must be a column).
    strict : bool
        Make an absent key an error.
    policy_file : str or Path, optional
        The policy's file, named in errors.

    Returns
    -------
    KeyResolution

    Raises
    ------
    InputError
        A key that exists nowhere; an absent key with ``strict``; a ``quasi`` column the table
        lacks; no quasi-identifier left on a microdata route.
    """
    have = set(columns)
    known = _known_elsewhere(schema) | have
    where = f"policy {policy.name!r}"
    changes: dict[str, Any] = {}
    absent: dict[str, list[str]] = {}
    by_role: dict[str, dict[str, list[str]]] = {}
    if quasi is not None:
        missing = [q for q in quasi if q not in have]
        if missing:
            raise InputError(f"--quasi names {', '.join(map(repr, missing))}, which the table "
                             "does not have", column=missing[0],
                             hint="choose among: " + ", ".join(columns))
    for key in (*ROLE_KEYS, "importance"):
        names = list(getattr(policy, key))
        roles = list(policy.roles.get(key, ()))
        if key == "quasi_identifiers" and quasi is not None:
            names, roles = list(quasi), []
        nowhere = [n for n in names if n not in known]
        if nowhere and key != "never":
            raise InputError(
                f"{where}: {key} names {', '.join(map(repr, nowhere))}, which is no column of "
                "the table, of its schema or of htwork's standards", file=policy_file,
                column=key, hint="correct the name; the table's columns are: "
                + ", ".join(columns[:40]) + (", ..." if len(columns) > 40 else ""))
        used = [n for n in names if n in have]
        lost = [n for n in names if n not in have]
        for r in roles:
            cols = [c for c in (schema.columns_with_role(r) if schema is not None else [])
                    if c in have]
            by_role.setdefault(key, {})[r] = cols
            used += [c for c in cols if c not in used]
            if not cols:
                lost.append(f"role {r}")
        if key == "never":  # forbidden whether present or not
            changes[key] = tuple(dict.fromkeys([*names, *used]))
            continue
        if lost and key != "importance":
            absent[key] = lost
        changes[key] = tuple(used)
    if strict and absent:
        first = next(iter(absent))
        raise InputError(f"{where} names columns the table lacks: "
                         + "; ".join(f"{k} {', '.join(v)}" for k, v in absent.items()),
                         file=policy_file, column=first,
                         hint="drop --strict to release with the keys present, or fix the "
                              "policy")
    resolved = dataclasses.replace(policy, roles={}, **changes) if (
        policy.route == "aggregate" or changes["quasi_identifiers"]) else None
    if resolved is None:
        raise InputError(f"{where}: none of its quasi-identifiers is in the table "
                         f"({', '.join(absent.get('quasi_identifiers', [])) or 'none named'})",
                         file=policy_file, column="quasi_identifiers",
                         hint="pass --quasi A,B,C, or name them by role in the policy "
                              "(quasi_identifiers: {role: quasi_identifier})")
    return KeyResolution(resolved, absent, by_role, list(quasi) if quasi is not None else None)
