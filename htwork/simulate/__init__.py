"""Realistic synthetic *sensitive* case extracts (no real person, agency or case).

:func:`simulate` draws a frame in the htwork input standard; :class:`CaseSimulator` is the
same with scikit-learn-style parameters; :func:`write_extract` writes it as the standard CSV or
in an agency's own format through its crosswalk.
"""

from htwork.simulate.core import simulate

__all__ = ["simulate"]
