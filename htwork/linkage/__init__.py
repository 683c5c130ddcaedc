"""Linking agencies' lists without sharing names, then estimating how many are missed.

The route (each step one function, and one command of the command line):

1. :func:`new_key` — the agencies make one shared key, kept away from the coordinator;
2. :func:`encode_file` / :func:`encode` — each agency encodes its own list on its own machine:
   names normalised in Latin, Thai, Lao, Khmer, Burmese and Vietnamese script
   (:mod:`.normalise`), written only as keyed Bloom filters and keyed hashes (:mod:`.encode`);
3. :func:`link_files` / :func:`link` — the coordinator links the encodings with splink
   (Fellegi-Sunter, DuckDB or Spark), clusters records into persons and writes the pairwise
   probabilities, the clusters and the capture table (:mod:`.link`);
4. :func:`estimate_with_linkage_errors` — the population estimate from the capture table
   corrected for the links the linkage missed (:mod:`.missed`), and
   :func:`estimate_with_links` — the estimate with an interval that includes the linkage's
   uncertainty beside the one that ignores it (:mod:`.uncertainty`).

:func:`simulate_agency_lists` makes agency lists of a known hidden population to test all of it,
and :func:`frequency_attack` checks what an attacker holding the encodings can learn.
"""

# Eager imports: the functions ``encode`` and ``link`` share their names with the modules
# that define them, and a lazy attribute would be replaced by the module on its first import.
from htwork.linkage.attack import AttackResult, frequency_attack
from htwork.linkage.encode import (
    BloomSpec,
    EncodedList,
    Encoder,
    encode,
    encode_file,
    read_encoded,
)
from htwork.linkage.evaluate import LinkQuality, pairwise_quality, truth_by_record
from htwork.linkage.keys import key_fingerprint, load_key, new_key
from htwork.linkage.link import LinkResult, link, link_files, read_links
from htwork.linkage.missed import LinkageErrorEstimate, estimate_with_linkage_errors
from htwork.linkage.normalise import (
    normalise_dob,
    normalise_name,
    normalise_sex,
    transliterate,
)
from htwork.linkage.simulate import AgencyLists, simulate_agency_lists
from htwork.linkage.uncertainty import LinkageEstimate, estimate_with_links

__all__ = [
    "new_key", "load_key", "key_fingerprint",
    "normalise_name", "normalise_dob", "normalise_sex", "transliterate",
    "encode", "encode_file", "read_encoded", "EncodedList", "Encoder", "BloomSpec",
    "link", "link_files", "read_links", "LinkResult",
    "estimate_with_links", "LinkageEstimate",
    "estimate_with_linkage_errors", "LinkageErrorEstimate",
    "simulate_agency_lists", "AgencyLists",
    "frequency_attack", "AttackResult",
    "pairwise_quality", "LinkQuality", "truth_by_record",
]
