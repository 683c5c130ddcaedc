"""htwork: a research workbench for human-trafficking case data in Southeast Asia.

The main line (see the repository's ``README.md`` and ``docs/``): read an agency extract
(:mod:`htwork.io`), map and validate it against the case data standard
(:mod:`htwork.standards`), protect it (:mod:`htwork.anonymise`) or synthesise it
(:mod:`htwork.synth`), assess the disclosure risk (:mod:`htwork.risk`) and write a release folder
(:mod:`htwork.release`). Beside it: prevalence from overlapping lists (:mod:`htwork.prevalence`),
quarterly reports with small cells hidden (:mod:`htwork.report`), simulated sensitive extracts
(:mod:`htwork.simulate`) and exercise checks for the tutorials (:mod:`htwork.tutor`).

The most used functions are importable from here; they load their subpackage on first use, so
``import htwork`` stays fast. (``simulate`` and ``release`` are subpackages: call
``htwork.simulate.simulate`` and ``htwork.release.release``.)
"""

import importlib as _importlib
from typing import Any as _Any

__version__ = "0.1.0"

# public name -> the subpackage that defines it
_LAZY = {
    "read_table": "htwork.io",
    "write_csv": "htwork.io",
    "write_parquet": "htwork.io",
    "write_table": "htwork.io",
    "load_standard": "htwork.standards",
    "validate": "htwork.standards",
    "to_release": "htwork.standards",
    "load_crosswalk": "htwork.standards.crosswalk",
    "assess": "htwork.risk",
    "explain": "htwork.risk",
    "evaluate": "htwork.synth",
    "replay": "htwork.release",
    "scan": "htwork.release",
    "estimate": "htwork.prevalence",
    "CaptureTable": "htwork.prevalence",
    "quarterly_report": "htwork.report",
}

_SUBPACKAGES = (
    "io", "standards", "simulate", "anonymise", "risk", "synth", "release", "prevalence", "report",
    "tutor",
)

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> _Any:
    if name in _LAZY:
        value = getattr(_importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in _SUBPACKAGES:
        return _importlib.import_module(f"htwork.{name}")
    raise AttributeError(f"module 'htwork' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY, *_SUBPACKAGES})
