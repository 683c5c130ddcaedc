"""Load the shipped standards (Frictionless v2 table schemas) as :class:`Standard` objects."""

from __future__ import annotations

import copy
import difflib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from htwork.errors import StandardError

__all__ = ["Standard", "load_standard", "STANDARDS"]

#: Shipped standards: name -> schema file under ``htwork/standards/data/``.
STANDARDS: dict[str, str] = {
    "input": "htcds_input.schema.json",
    "release": "ctdc_release.schema.json",
}
_ALIASES = {"htcds": "input", "ctdc": "release"}


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
    """

    name: str
    descriptor: dict[str, Any] = field(repr=False)
    source: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        fields = self.descriptor.get("fields")
        if not isinstance(fields, list) or not all(
            isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields
        ):
            raise StandardError(
                "This is not a table schema: it needs a list 'fields' of objects with a 'name'.",
                file=self.source,
                hint="give a Frictionless table schema (JSON) or one of: "
                + ", ".join(_known_names()),
            )
        object.__setattr__(self, "_by_name", {f["name"]: f for f in fields})

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

    @property
    def roles(self) -> dict[str, str]:
        """Disclosure role of every field (``direct_identifier``, ``quasi_identifier``, ...)."""
        return {f["name"]: f.get("htwork:role", "") for f in self.fields}

    def with_role(self, role: str) -> list[str]:
        """Names of the fields with one disclosure role, in schema order."""
        return [n for n, r in self.roles.items() if r == role]

    @property
    def direct_identifiers(self) -> list[str]:
        """Fields that identify a person on their own (names, phone, document number...)."""
        return self.with_role("direct_identifier")

    @property
    def quasi_identifiers(self) -> list[str]:
        """Fields that identify people in combination (age, gender, citizenship, places...)."""
        return self.with_role("quasi_identifier")

    @property
    def sensitive(self) -> list[str]:
        """Fields whose disclosure harms (exploitation, means of control...)."""
        return self.with_role("sensitive")

    def families(self) -> dict[str, list[str]]:
        """Flag families of a release standard (``htwork:family`` -> field names)."""
        out: dict[str, list[str]] = {}
        for f in self.fields:
            if f.get("htwork:family"):
                out.setdefault(f["htwork:family"], []).append(f["name"])
        return out

    def to_frictionless(self) -> dict[str, Any]:
        """The raw Frictionless v2 table schema descriptor (a deep copy, safe to change)."""
        return copy.deepcopy(self.descriptor)


def _known_names() -> list[str]:
    return [*STANDARDS, *_ALIASES]


@lru_cache(maxsize=8)
def _load_shipped(name: str) -> Standard:
    ref = resources.files("htwork.standards").joinpath("data", STANDARDS[name])
    descriptor = json.loads(ref.read_text(encoding="utf-8"))
    return Standard(name=name, descriptor=descriptor, source=STANDARDS[name])


def load_standard(name: str | Path | Standard = "input") -> Standard:
    """Load a standard by name or from a schema file.

    Parameters
    ----------
    name : str, Path or Standard
        ``"input"`` (alias ``"htcds"``), ``"release"`` (alias ``"ctdc"``), or the path of a
        Frictionless table schema JSON file. A :class:`Standard` is returned as it is.

    Returns
    -------
    Standard

    Raises
    ------
    StandardError
        If the name is unknown, or the file is missing or not a table schema.
    """
    if isinstance(name, Standard):
        return name
    key = str(name).strip()
    if key.lower() in STANDARDS or key.lower() in _ALIASES:
        key = _ALIASES.get(key.lower(), key.lower())
    if key in STANDARDS:
        return _load_shipped(key)
    path = Path(key)
    if path.suffix.lower() == ".json" or path.exists():
        if not path.is_file():
            raise StandardError("There is no such schema file.", file=path,
                                hint="check the path, or use one of: "
                                + ", ".join(_known_names()))
        try:
            descriptor = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise StandardError(f"The schema file is not valid JSON ({exc}).", file=path,
                                hint="fix the JSON, or regenerate the file") from None
        if not isinstance(descriptor, dict):
            raise StandardError("The schema file does not hold a JSON object.", file=path)
        return Standard(name=str(descriptor.get("name") or path.stem), descriptor=descriptor,
                        source=str(path))
    raise StandardError(
        f"Unknown standard {str(name)!r}.",
        hint="use one of: " + ", ".join(_known_names()) + ", or the path of a schema .json file",
    )
