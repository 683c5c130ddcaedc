"""The lowest layer of htwork: what every stage shares, importing nothing of htwork but
:mod:`htwork.errors`.

- :mod:`htwork.core.results`: the base of every result object (``summary``, ``repr``, HTML,
  ``to_dict``, ``to_json`` with NaN as ``null``, ``to_frame``) and the one JSON cleaner;
- :mod:`htwork.core.missing`: why a value is missing (not recorded, suppressed, not
  applicable), and how each kind is written in a frame, a release and a published table;
- :mod:`htwork.core.params`: ``get_params`` / ``set_params`` from ``__init__`` and the one
  "not fitted" check;
- :mod:`htwork.core.keys` and :mod:`htwork.core.wildcard`: quasi-identifiers as integer codes
  and the counting of compatible records, shared by :mod:`htwork.risk` and
  :mod:`htwork.anonymise`.
"""

from htwork.core.missing import Missing, MissingReason, missing_values
from htwork.core.params import ParamsMixin, check_is_fitted
from htwork.core.results import Result, dumps, json_ready

__all__ = [
    "Missing",
    "MissingReason",
    "ParamsMixin",
    "Result",
    "check_is_fitted",
    "dumps",
    "json_ready",
    "missing_values",
]
