"""From a sensitive extract to a publishable release folder, in one call.

>>> from htwork.release import release                                   # doctest: +SKIP
>>> result = release("cases.csv", "ctdc_k11", out="release/")             # doctest: +SKIP
>>> print(result.summary())                                               # doctest: +SKIP

- :func:`release`: read → validate → map → identifiers → protect → assess → gate → write,
  each step a function of :mod:`htwork.release.steps` that can be called on its own;
- :func:`replay`: rebuild a folder from its ``recipe.yaml`` and the same input;
- :func:`scan`: look for the input's identifiers (and keys) in a folder;
- policies: :data:`PRESETS` (``ctdc_k11``, ``sds_resolution10``, ``hdx_global_risk_3pct``),
  :func:`load_policy`, :class:`Policy`, :class:`Thresholds`.
"""

from htwork.release.gate import GateError
from htwork.release.pipeline import ReleaseResult, release, replay
from htwork.release.policy import PRESETS, Policy, Thresholds, load_policy
from htwork.release.scan import LeakError, ScanResult, scan

__all__ = [
    "GateError",
    "LeakError",
    "PRESETS",
    "Policy",
    "ReleaseResult",
    "ScanResult",
    "Thresholds",
    "load_policy",
    "release",
    "replay",
    "scan",
]
