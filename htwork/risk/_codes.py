"""Kept for :mod:`htwork.risk.cli` only: the key coding moved to :mod:`htwork.core.keys`.

The command line is moving to ``htwork/cli/`` (issue 16, point 2); once it imports
:func:`htwork.core.keys.parse_columns` this module goes.
"""

from htwork.core.keys import parse_columns

__all__ = ["parse_columns"]
