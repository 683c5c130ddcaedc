"""One vocabulary for missing values: not recorded, suppressed, not applicable.

A cell can be empty for three reasons, and a reader of a published table must be able to tell
them apart:

=================  =======================================  =============  ==============
kind               meaning                                  release file   published table
=================  =======================================  =============  ==============
``NOT_RECORDED``   nobody wrote the value down              empty cell     "Not recorded"
``SUPPRESSED``     hidden to protect the people in the      "suppressed"   "x"
                   data (local suppression, small cells)
``NOT_APPLICABLE`` the question does not arise for this     empty cell     "z"
                   row (an aggregate row that does not
                   combine this attribute)
=================  =======================================  =============  ==============

In a pandas frame every kind is a missing cell (``None``, ``NaN`` or ``pd.NA``): pandas has one
missing value, so where the kind matters it travels beside the frame (a suppression mask, a
cell-status table). A release file writes the kinds as above and labels them in its
Frictionless ``missingValues`` (:func:`missing_values`); a published count table shows a
suppressed cell as ``x`` and counts the not-recorded as a row or column of their own. ``z`` is
the UK Government Statistical Service's shorthand for "not applicable".

Survey files code the reason a value is missing (``-8`` "don't know", ``-99`` "refused"):
:meth:`Missing.because` keeps such a reason, and the code that stood for it, under one of the
three kinds.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

__all__ = ["Missing", "MissingReason", "missing_values"]

_LABEL = {
    "not_recorded": "not recorded",
    "suppressed": "suppressed to protect the people in the data",
    "not_applicable": "not applicable",
}
_RELEASE = {"not_recorded": "", "suppressed": "suppressed", "not_applicable": ""}
_TABLE = {"not_recorded": "Not recorded", "suppressed": "x", "not_applicable": "z"}


class Missing(Enum):
    """Why a value is missing."""

    NOT_RECORDED = "not_recorded"
    SUPPRESSED = "suppressed"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        """The kind in words, as a release's ``missingValues`` labels it."""
        return _LABEL[self.value]

    @property
    def release_value(self) -> str:
        """What a cell of this kind holds in a release file (``data.csv``)."""
        return _RELEASE[self.value]

    @property
    def table_value(self) -> str:
        """How a published count table shows it (a cell symbol, or a row/column label)."""
        return _TABLE[self.value]

    def because(self, reason: str, code: Any = None) -> MissingReason:
        """This kind, for a stated reason (and the source's code for it, such as ``-99``).

        Examples
        --------
        >>> Missing.NOT_RECORDED.because("refused", code=-99).label
        'refused'
        """
        return MissingReason(self, reason, code)


@dataclass(frozen=True)
class MissingReason:
    """A kind of missing value with its reason and the source's code for it.

    Attributes
    ----------
    kind : Missing
    reason : str, optional
        The reason in words ("refused", "not part of this combination").
    code : Any, optional
        How the source file writes it (``-99``, ``"DK"``); ``None`` when it writes an empty cell.
    """

    kind: Missing
    reason: str | None = None
    code: Any = None

    @property
    def label(self) -> str:
        """The reason, or the kind's label when no reason is given."""
        return self.reason or self.kind.label

    @property
    def release_value(self) -> str:
        """What the cell holds in a release file (the kind's value)."""
        return self.kind.release_value

    @property
    def table_value(self) -> str:
        """How a published table shows it (the kind's symbol)."""
        return self.kind.table_value


def missing_values(*kinds: Missing | MissingReason) -> list[dict[str, str]]:
    """Frictionless ``missingValues`` entries (``{"value", "label"}``) for these kinds.

    Examples
    --------
    >>> missing_values(Missing.NOT_RECORDED, Missing.SUPPRESSED)[1]["value"]
    'suppressed'
    """
    return [{"value": k.release_value, "label": k.label} for k in kinds]
