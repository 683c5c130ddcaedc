"""Realistic synthetic *sensitive* case extracts (no real person, agency or case).

:func:`simulate` draws a frame in the htwork input standard; :class:`CaseSimulator` is the
same with scikit-learn-style parameters; :func:`write_extract` writes it as the standard CSV or
in an agency's own format through its crosswalk.

The knowledge behind it is package data in ``htwork/simulate/data/`` (corridors, trends,
fictional organisations, places, names, note templates, parameters), not code.
"""

from htwork.simulate.core import simulate
from htwork.simulate.estimator import CaseSimulator
from htwork.simulate.write import write_extract, write_standard_csv

__all__ = ["simulate", "CaseSimulator", "write_extract", "write_standard_csv"]
