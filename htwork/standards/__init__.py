"""The case data standard: field specs, code lists, validation and the release shape."""

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

__all__ = [
    "ASEAN",
    "alpha2_to_alpha3",
    "alpha3_to_alpha2",
    "asean_regions",
    "countries",
    "is_country",
    "is_region",
    "subregion",
]
