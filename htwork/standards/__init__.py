"""The case data standard: field specs, code lists, validation and the release shape.

- :func:`load_standard` / :class:`Standard`: the input (HTCDS-aligned) and release
  (CTDC-shaped) standards, shipped as Frictionless v2 table schemas, or any table schema file:
  fields, domains (allowed codes), disclosure roles (:data:`ROLES`) with their reasons, flag
  families and the rules between fields (:class:`Implication`). Other modules ask these
  objects; none reads a schema file itself.
- :func:`profile`: infer a schema (types, missing codes, roles with reasons) for any table;
  :data:`TableSchema` is :class:`Standard`, one object for shipped and profiled schemas.
- :func:`validate` / :class:`ValidationReport`: check a table and explain its problems.
- :func:`to_release`: one CTDC-shaped row per person, by the shipped crosswalk;
  :func:`to_ctdc`: the same people in the CTDC global dataset's own columns and codes;
  :func:`release_inputs`: the input fields it reads.
- Code lists: ISO 3166-1 countries and ASEAN first-level regions; :func:`to_alpha2`,
  :func:`to_alpha3`, :func:`country_name`, :func:`normalise_countries` read a country written
  any way (alpha-2, alpha-3, English name, everyday names such as "Laos" or "Burma").
"""

from htwork.standards.codelists import (
    ASEAN,
    alpha2_to_alpha3,
    alpha3_to_alpha2,
    asean_regions,
    countries,
    is_country,
    is_region,
    subregion,
)
from htwork.standards.country import (
    country_name,
    normalise_countries,
    to_alpha2,
    to_alpha3,
)
from htwork.standards.ctdc import to_ctdc
from htwork.standards.profile import TableSchema, profile
from htwork.standards.release import crosswalk_table, release_inputs, to_release
from htwork.standards.report import ValidationReport
from htwork.standards.schema import ROLES, Implication, Standard, load_standard
from htwork.standards.validate import validate

__all__ = [
    "ASEAN",
    "Implication",
    "ROLES",
    "Standard",
    "TableSchema",
    "ValidationReport",
    "alpha2_to_alpha3",
    "alpha3_to_alpha2",
    "asean_regions",
    "countries",
    "country_name",
    "crosswalk_table",
    "is_country",
    "is_region",
    "load_standard",
    "normalise_countries",
    "profile",
    "release_inputs",
    "subregion",
    "to_alpha2",
    "to_alpha3",
    "to_ctdc",
    "to_release",
    "validate",
]
