"""Protect a case table: direct identifiers, free-text notes, quasi-identifiers.

Transformers follow scikit-learn (``fit(df)`` returns ``self``, learned state ends in ``_``,
``transform(df)`` returns a new frame and never modifies its input):

- direct identifiers: :func:`detect_identifiers`, :class:`DropIdentifiers`,
  :class:`Pseudonymiser` (HMAC-SHA256 under a key you keep; :func:`generate_key`,
  :func:`load_key`), :class:`Redactor` for case notes;
- quasi-identifiers: :class:`Recoder` with hierarchies shipped as data
  (:func:`load_hierarchy`), :class:`TopBottomCoder`, :class:`LocalSuppression` (to
  k-anonymity), :class:`PRAM` (invariant post-randomisation), :class:`AddNoise` for numbers.
"""

from htwork.anonymise.hierarchy import (
    DateHierarchy,
    Hierarchy,
    available_hierarchies,
    load_hierarchy,
)
from htwork.anonymise.identifiers import (
    ColumnFinding,
    DropIdentifiers,
    IdentifierReport,
    detect_identifiers,
)
from htwork.anonymise.noise import AddNoise
from htwork.anonymise.pram import PRAM, invariant_matrix, stationary_distribution
from htwork.anonymise.pseudonymise import Pseudonymiser, generate_key, load_key
from htwork.anonymise.recode import Recoder, TopBottomCoder
from htwork.anonymise.redact import RedactionReport, Redactor, redact_text
from htwork.anonymise.suppression import LocalSuppression

__all__ = [
    "AddNoise",
    "ColumnFinding",
    "DateHierarchy",
    "DropIdentifiers",
    "Hierarchy",
    "IdentifierReport",
    "LocalSuppression",
    "PRAM",
    "Pseudonymiser",
    "Recoder",
    "RedactionReport",
    "Redactor",
    "TopBottomCoder",
    "available_hierarchies",
    "detect_identifiers",
    "generate_key",
    "invariant_matrix",
    "load_hierarchy",
    "load_key",
    "redact_text",
    "stationary_distribution",
]
