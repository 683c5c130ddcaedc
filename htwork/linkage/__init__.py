"""Linking agencies' lists without sharing names, then estimating how many are missed.

The route (each step one function, and one command of the command line):

1. :func:`new_key` — the agencies make one shared key, kept away from the coordinator;
2. :func:`encode_file` / :func:`encode` — each agency encodes its own list on its own machine:
   names normalised in Latin, Thai, Lao, Khmer, Burmese and Vietnamese script
   (:mod:`.normalise`), written only as keyed Bloom filters and keyed hashes (:mod:`.encode`);
3. :func:`link_files` / :func:`link` — the coordinator links the encodings with splink
   (Fellegi-Sunter, DuckDB or Spark), clusters records into persons and writes the pairwise
   probabilities, the clusters and the capture table (:mod:`.link`);
4. :func:`estimate_with_links` — the population estimate with an interval that includes the
   linkage's uncertainty beside the one that ignores it (:mod:`.uncertainty`).

:func:`simulate_agency_lists` makes agency lists of a known hidden population to test all of it,
and :func:`frequency_attack` checks what an attacker holding the encodings can learn.
"""

import importlib as _importlib
from typing import Any as _Any

_LAZY = {
    "new_key": "htwork.linkage.keys",
    "load_key": "htwork.linkage.keys",
    "key_fingerprint": "htwork.linkage.keys",
    "normalise_name": "htwork.linkage.normalise",
    "normalise_dob": "htwork.linkage.normalise",
    "normalise_sex": "htwork.linkage.normalise",
    "transliterate": "htwork.linkage.normalise",
    "encode": "htwork.linkage.encode",
    "encode_file": "htwork.linkage.encode",
    "read_encoded": "htwork.linkage.encode",
    "EncodedList": "htwork.linkage.encode",
    "Encoder": "htwork.linkage.encode",
    "BloomSpec": "htwork.linkage.encode",
    "link": "htwork.linkage.link",
    "link_files": "htwork.linkage.link",
    "read_links": "htwork.linkage.link",
    "LinkResult": "htwork.linkage.link",
    "estimate_with_links": "htwork.linkage.uncertainty",
    "LinkageEstimate": "htwork.linkage.uncertainty",
    "simulate_agency_lists": "htwork.linkage.simulate",
    "AgencyLists": "htwork.linkage.simulate",
    "frequency_attack": "htwork.linkage.attack",
    "AttackResult": "htwork.linkage.attack",
    "pairwise_quality": "htwork.linkage.evaluate",
    "truth_by_record": "htwork.linkage.evaluate",
    "LinkQuality": "htwork.linkage.evaluate",
}

__all__ = list(_LAZY)


def __getattr__(name: str) -> _Any:
    if name in _LAZY:
        value = getattr(_importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'htwork.linkage' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
