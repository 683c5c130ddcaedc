"""Load table schemas (Frictionless v2) as :class:`Standard` objects: the one place that
knows a table's fields, their roles, domains, flag families and the rules between them.

A schema is a Frictionless table schema with htwork's own field properties:

``htwork:role`` / ``htwork:roleReason``
    The field's disclosure role (one of :data:`ROLES`) and why it has it.
``htwork:family``
    The multi-select question a 0/1 flag belongs to (``means``, ``typeOfLabour``...).
``htwork:implies``
    What a value of the field says about another field of the same row: a list of
    ``{"when": [values], "field": name, "value": v, "or_missing": bool, "description": str}``.
``htwork:multiple`` / ``htwork:separator``, ``htwork:codelist``, ``htwork:country_field``
    Multi-select cells, the shipped code list values come from, the country a region lies in.
``htwork:countryForms``
    How a country field may write countries: ``alpha2`` (the default), ``alpha3``, ``name``.
``htwork:fromInput``
    Which input-standard field (and codes) a field is made from (:func:`to_ctdc`).

The shipped standards are the input (HTCDS-aligned) and release (CTDC-shaped) schemas and the
CTDC global dataset's own columns and codes (``"ctdc"``); any
other schema (a ``.json`` or ``.yaml`` file, or a descriptor dict) loads through the same
:func:`load_standard`.
"""

from __future__ import annotations

import copy
import difflib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from htwork.errors import StandardError

__all__ = ["Standard", "Implication", "load_standard", "STANDARDS", "ROLES"]

#: Shipped standards: name -> schema file under ``htwork/standards/data/``.
STANDARDS: dict[str, str] = {
    "input": "htcds_input.schema.json",
    "release": "ctdc_release.schema.json",
    "ctdc": "ctdc_global.schema.json",
}
_ALIASES = {"htcds": "input", "htcds_input": "input", "ctdc_release": "release",
            "ctdc_global": "ctdc"}

#: The disclosure roles a field can have (``htwork:role``).
ROLES: tuple[str, ...] = ("direct_identifier", "quasi_identifier", "sensitive", "free_text",
                          "weight", "other")


@dataclass(frozen=True)
class Implication:
    """A rule between two fields of one row: where ``field`` takes a value in ``when``,
    ``then`` holds ``value`` (or is empty, when ``or_missing``).

    Attributes
    ----------
    field : str
        The field whose value implies.
    when : tuple
        Its values that imply.
    then : str
        The field implied.
    value : object
        The value ``then`` must hold.
    or_missing : bool
        ``then`` may also be empty (not recorded).
    description : str
        The rule in words (empty: :meth:`__str__` words it).
    """

    field: str
    when: tuple[Any, ...]
    then: str
    value: Any
    or_missing: bool = False
    description: str = ""

    def __str__(self) -> str:
        if self.description:
            return self.description
        when = self.when[0] if len(self.when) == 1 else list(self.when)
        return (f"{self.field} = {when} implies {self.then} = {self.value}"
                + (" or missing" if self.or_missing else ""))


@dataclass(frozen=True, eq=False)
class Standard:
    """A table standard: the fields of a Frictionless table schema plus htwork's own keys.

    Parameters
    ----------
    name : str
        ``"input"``, ``"release"``, or the name of a schema loaded from a file.
    descriptor : dict
        The Frictionless v2 table schema descriptor.
    source : str, optional
        Where the descriptor was read from.
    inferred : bool
        Made by :func:`htwork.standards.profile` from the table itself (not read from a file
        or shipped); a release under it says so and its replay infers it again.
    """

    name: str
    descriptor: dict[str, Any] = field(repr=False)
    source: str | None = field(default=None, repr=False)
    inferred: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        fields = self.descriptor.get("fields")
        if not isinstance(fields, list) or not all(
            isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields
        ):
            raise StandardError(
                "This is not a table schema: it needs a list 'fields' of objects with a 'name'.",
                file=self.source,
                hint="give a Frictionless table schema (JSON or YAML) or one of: "
                + ", ".join(_known_names()),
            )
        by_name = {f["name"]: f for f in fields}
        object.__setattr__(self, "_by_name", by_name)
        for f in fields:
            self._check_field(f, by_name)

    def _check_field(self, f: dict[str, Any], by_name: Mapping[str, Any]) -> None:
        role = f.get("htwork:role")
        if role is not None and role not in ROLES:
            raise StandardError(f"Field {f['name']!r} has an unknown role {role!r}.",
                                file=self.source, column=f["name"],
                                hint="use one of: " + ", ".join(ROLES))
        rules = f.get("htwork:implies", [])
        if not isinstance(rules, list) or not all(
                isinstance(r, dict) and {"when", "field", "value"} <= set(r)
                and isinstance(r["when"], list) for r in rules):
            raise StandardError(
                f"Field {f['name']!r}: htwork:implies must be a list of objects with "
                "'when' (a list of values), 'field' and 'value'.", file=self.source,
                column=f["name"])
        for r in rules:
            if r["field"] not in by_name:
                raise StandardError(
                    f"Field {f['name']!r} implies a value of {r['field']!r}, which the schema "
                    "does not have.", file=self.source, column=f["name"],
                    hint="name a field of the same schema")

    @property
    def fields(self) -> list[dict[str, Any]]:
        """Field descriptors, in schema order."""
        return self.descriptor["fields"]

    @property
    def field_names(self) -> list[str]:
        """Field names, in schema order."""
        return [f["name"] for f in self.fields]

    def field(self, name: str) -> dict[str, Any]:
        """The descriptor of one field.

        Raises
        ------
        StandardError
            If the standard has no such field (the message suggests the nearest name).
        """
        try:
            return self._by_name[name]  # type: ignore[attr-defined]
        except KeyError:
            near = difflib.get_close_matches(str(name), self.field_names, n=1)
            hint = f"did you mean {near[0]!r}?" if near else None
            raise StandardError(
                f"The {self.name} standard has no field {name!r}.", hint=hint
            ) from None

    def __contains__(self, name: object) -> bool:
        return name in self._by_name  # type: ignore[attr-defined]

    @property
    def required(self) -> list[str]:
        """Names of the fields that must be filled in every row."""
        return [f["name"] for f in self.fields if f.get("constraints", {}).get("required")]

    @property
    def primary_key(self) -> list[str]:
        """The primary key's field names (empty when the schema has none)."""
        pk = self.descriptor.get("primaryKey") or []
        return [pk] if isinstance(pk, str) else list(pk)

    def categories(self, name: str) -> list[Any]:
        """Allowed codes of a picklist field, in schema order (empty if it is no picklist)."""
        cats = self.field(name).get("categories") or []
        return [c["value"] if isinstance(c, dict) else c for c in cats]

    def labels(self, name: str) -> dict[Any, str]:
        """Human labels of a picklist field's codes (code -> label)."""
        cats = self.field(name).get("categories") or []
        return {c["value"]: c.get("label", str(c["value"])) for c in cats if isinstance(c, dict)}

    def is_multiple(self, name: str) -> bool:
        """Whether a field holds several codes in one cell."""
        return bool(self.field(name).get("htwork:multiple"))

    def separator(self, name: str) -> str:
        """The separator between the codes of a multi-select field (``";"``)."""
        return self.field(name).get("htwork:separator", ";")

    def codelist(self, name: str) -> str | None:
        """The shipped code list a field's values come from (``iso3166``, ``asean_regions``)."""
        return self.field(name).get("htwork:codelist")

    # --- domains ---------------------------------------------------------------------------

    def domain(self, name: str) -> list[Any] | None:
        """The codes a field allows (its ``constraints.enum``, else its categories; for a
        multi-select field, the codes of its items), or ``None`` when it lists none."""
        f = self.field(name)
        enum = (f.get("constraints") or {}).get("enum")
        if enum:
            return list(enum)
        return self.categories(name) or None

    def domains(self, columns: Iterable[Any]) -> dict[Any, list[Any]]:
        """:meth:`domain` of each of ``columns`` that the schema names and gives codes
        (others are left out)."""
        out: dict[Any, list[Any]] = {}
        for c in columns:
            codes = self.domain(c) if isinstance(c, str) and c in self else None
            if codes:
                out[c] = codes
        return out

    # --- roles ---------------------------------------------------------------------------------

    def role(self, name: str) -> str | None:
        """The field's disclosure role (one of :data:`ROLES`), or ``None`` if the schema gives
        none."""
        return self.field(name).get("htwork:role")

    def role_reason(self, name: str) -> str | None:
        """Why the field has its role (``htwork:roleReason``), or ``None``."""
        return self.field(name).get("htwork:roleReason")

    @property
    def roles(self) -> dict[str, str]:
        """Disclosure role of every field that has one (``direct_identifier``, ...)."""
        return {f["name"]: f["htwork:role"] for f in self.fields if f.get("htwork:role")}

    def columns_with_role(self, role: str) -> list[str]:
        """Names of the fields with one disclosure role, in schema order.

        Raises
        ------
        StandardError
            If ``role`` is not one of :data:`ROLES`.
        """
        if role not in ROLES:
            raise StandardError(f"Unknown role {role!r}.", hint="use one of: " + ", ".join(ROLES))
        return [n for n, r in self.roles.items() if r == role]

    @property
    def direct_identifiers(self) -> list[str]:
        """Fields that identify a person on their own (names, phone, document number...)."""
        return self.columns_with_role("direct_identifier")

    @property
    def quasi_identifiers(self) -> list[str]:
        """Fields that identify people in combination (age, gender, citizenship, places...)."""
        return self.columns_with_role("quasi_identifier")

    @property
    def sensitive(self) -> list[str]:
        """Fields whose disclosure harms (exploitation, means of control...)."""
        return self.columns_with_role("sensitive")

    # --- flag families and rules between fields ---------------------------------------------

    def flag_families(self) -> dict[str, list[str]]:
        """Flag families (``htwork:family`` -> its 0/1 fields, in schema order): the
        multi-select questions spread over one column per answer."""
        out: dict[str, list[str]] = {}
        for f in self.fields:
            if f.get("htwork:family"):
                out.setdefault(f["htwork:family"], []).append(f["name"])
        return out

    def family_of(self, name: str) -> str | None:
        """The flag family a field belongs to, or ``None`` (also for fields not in the
        schema)."""
        f = self._by_name.get(name)  # type: ignore[attr-defined]
        return f.get("htwork:family") if f else None

    def implications(self, columns: Iterable[Any] | None = None) -> list[Implication]:
        """The rules between fields (``htwork:implies``), in schema order; with ``columns``,
        only those whose two fields are both among them."""
        have = None if columns is None else set(columns)
        out: list[Implication] = []
        for f in self.fields:
            for r in f.get("htwork:implies", []):
                if have is not None and not (f["name"] in have and r["field"] in have):
                    continue
                out.append(Implication(f["name"], tuple(r["when"]), r["field"], r["value"],
                                       bool(r.get("or_missing", False)),
                                       str(r.get("description", ""))))
        return out

    # --- descriptors ---------------------------------------------------------------------------

    def public_field(self, name: str) -> dict[str, Any]:
        """A field's descriptor without htwork's own properties (a copy), as published in a
        data package."""
        return {k: copy.deepcopy(v) for k, v in self.field(name).items()
                if not k.startswith("htwork:")}

    def to_frictionless(self, *, public: bool = False) -> dict[str, Any]:
        """The Frictionless v2 table schema descriptor (a deep copy, safe to change).

        Parameters
        ----------
        public : bool
            Leave out htwork's own properties (``htwork:role``...), as a data package
            publishes the schema.
        """
        out = copy.deepcopy(self.descriptor)
        if public:
            out = {k: v for k, v in out.items() if not k.startswith("htwork:")}
            out["fields"] = [self.public_field(n) for n in self.field_names]
        return out

    def missing_codes(self, name: str) -> list[str]:
        """The codes that stand for a missing value in one field (its own ``missingValues``,
        else the schema's), as written in the file."""
        mv = self.field(name).get("missingValues", self.descriptor.get("missingValues", [""]))
        return [m["value"] if isinstance(m, dict) else str(m) for m in mv]

    def to_frame(self) -> Any:
        """One row per field: name, type, role, reason, missing codes and categories."""
        import pandas as pd

        rows = [{"field": f["name"], "type": f.get("type", "any"),
                 "role": f.get("htwork:role"), "reason": f.get("htwork:roleReason"),
                 "missing": ", ".join(repr(c) for c in self.missing_codes(f["name"])),
                 "categories": len(self.categories(f["name"]))}
                for f in self.fields]
        return pd.DataFrame(rows).set_index("field")

    def summary(self) -> str:
        """The fields in words: one line each with type, role and missing codes."""
        width = max((len(n) for n in self.field_names), default=5)
        lines = [f"schema {self.name}: {len(self.fields)} fields"]
        for f in self.fields:
            kind = f.get("type", "any")
            n_cat = len(self.categories(f["name"]))
            if n_cat:
                kind += f" ({n_cat} categories)"
            codes = [c for c in self.missing_codes(f["name"]) if c != ""]
            miss = f"  missing: {', '.join(codes)}" if codes else ""
            lines.append(f"  {f['name']:<{width}}  {kind:<26} {f.get('htwork:role') or '-'}"
                         f"{miss}")
        return "\n".join(lines)

    def save(self, path: str | Path) -> Path:
        """Write the schema (with htwork's own properties) to ``path``, atomically: YAML for
        ``.yaml``/``.yml``, JSON for ``.json``.

        Raises
        ------
        StandardError
            If the extension is neither.
        """
        from htwork.io.write import atomic_write

        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".json", ".yaml", ".yml"):
            raise StandardError("A schema file must end in .yaml, .yml or .json.", file=path,
                                hint="name the file schema.yaml or schema.json")
        if suffix == ".json":
            text = json.dumps(self.descriptor, ensure_ascii=False, indent=2) + "\n"
        else:
            import yaml

            text = yaml.safe_dump(self.descriptor, allow_unicode=True, sort_keys=False,
                                  width=100)
        with atomic_write(path, encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        return path


def _known_names() -> list[str]:
    return [*STANDARDS, *_ALIASES]


@lru_cache(maxsize=8)
def _load_shipped(name: str) -> Standard:
    ref = resources.files("htwork.standards").joinpath("data", STANDARDS[name])
    descriptor = json.loads(ref.read_text(encoding="utf-8"))
    return Standard(name=name, descriptor=descriptor, source=STANDARDS[name])


def _read_file(path: Path) -> Standard:
    if not path.is_file():
        raise StandardError("There is no such schema file.", file=path,
                            hint="check the path, or use one of: " + ", ".join(_known_names()))
    import yaml  # only for schema files written as YAML

    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            descriptor = yaml.safe_load(text)
        else:
            descriptor = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StandardError(f"The schema file is not valid JSON ({exc}).", file=path,
                            hint="fix the JSON, or regenerate the file") from None
    except yaml.YAMLError as exc:
        raise StandardError(f"The schema file is not valid YAML ({exc}).", file=path,
                            hint="fix the YAML") from None
    if not isinstance(descriptor, dict):
        raise StandardError("The schema file does not hold a JSON or YAML object.", file=path)
    return Standard(name=str(descriptor.get("name") or path.stem.removesuffix(".schema")),
                    descriptor=descriptor, source=str(path))


def load_standard(name: str | Path | Standard | Mapping[str, Any] = "input") -> Standard:
    """Load a standard by name, from a schema file, or from a descriptor.

    Parameters
    ----------
    name : str, Path, Standard or mapping
        ``"input"`` (aliases ``"htcds"``, ``"htcds_input"``), ``"release"`` (alias
        ``"ctdc_release"``: htwork's CTDC-shaped release standard), ``"ctdc"`` (alias
        ``"ctdc_global"``: the CTDC global dataset's own columns and codes, alpha-2 countries,
        ``-99`` missing), the path of a Frictionless table schema file
        (``.json``, ``.yaml`` or ``.yml``), or the descriptor itself (a dict). A
        :class:`Standard` is returned as it is.

    Returns
    -------
    Standard

    Raises
    ------
    StandardError
        If the name is unknown, the file is missing or unreadable, or the descriptor is not a
        table schema (or gives a field an unknown role or a rule naming a missing field).
    """
    if isinstance(name, Standard):
        return name
    if isinstance(name, Mapping):
        descriptor = dict(name)
        return Standard(name=str(descriptor.get("name") or "schema"), descriptor=descriptor)
    key = str(name).strip()
    shipped = _ALIASES.get(key.lower(), key.lower())
    if shipped in STANDARDS:
        return _load_shipped(shipped)
    path = Path(key)
    if path.suffix.lower() in (".json", ".yaml", ".yml") or path.exists():
        return _read_file(path)
    raise StandardError(
        f"Unknown standard {str(name)!r}.",
        hint="use one of: " + ", ".join(_known_names())
        + ", or the path of a schema .json or .yaml file",
    )
