"""Drop direct-identifier columns (as found by ``detect_identifiers``).

The detection itself lives in :mod:`htwork.standards.identifiers` (profiling a new table needs it
too); it is re-exported here so that ``from htwork.anonymise import detect_identifiers`` keeps
working.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from htwork.anonymise._base import BaseTransformer, as_list, check_columns, check_frame, copy_attrs
from htwork.standards.identifiers import (
    CASE_NUMBERS,
    ColumnFinding,
    IdentifierReport,
    detect_identifiers,
)
from htwork.standards.table_roles import SchemaLike

__all__ = ["ColumnFinding", "DropIdentifiers", "IdentifierReport", "detect_identifiers"]


class DropIdentifiers(BaseTransformer):
    """Remove direct-identifier (and, by default, free-text) columns.

    Parameters
    ----------
    columns : str or list of str, optional
        The columns to drop. Default: what :func:`detect_identifiers` finds at ``fit`` (the
        schema's direct identifiers when the table is in the input standard), and the case
        and group numbers (:data:`htwork.standards.identifiers.CASE_NUMBERS`).
    schema : dict, str, Path, bool or None
        Passed to :func:`detect_identifiers` when ``columns`` is not given.
    drop_free_text : bool
        Also drop detected free-text columns (case notes). Default ``True``: notes are dropped
        unless they have been redacted (see :class:`~htwork.anonymise.Redactor`).
    keep : str or list of str, optional
        Columns never dropped, even when detected: the user's decision to keep them.

    Attributes
    ----------
    columns_ : list of str
        The columns ``transform`` drops.
    report_ : IdentifierReport or None
        The detection behind ``columns_`` (``None`` when ``columns`` was given).
    """

    def __init__(
        self,
        columns: str | Sequence[str] | None = None,
        schema: SchemaLike = None,
        drop_free_text: bool = True,
        keep: str | Sequence[str] | None = None,
    ) -> None:
        self.columns = columns
        self.schema = schema
        self.drop_free_text = drop_free_text
        self.keep = keep

    def fit(self, df: pd.DataFrame) -> DropIdentifiers:
        """Decide which columns to drop."""
        check_frame(df)
        cols = as_list(self.columns)
        if cols is not None:
            self.columns_ = check_columns(df, cols)
            self.report_ = None
        else:
            report = detect_identifiers(df, schema=self.schema)
            found = set(report.columns if self.drop_free_text else report.identifiers)
            found |= {c for c in CASE_NUMBERS if c in set(map(str, df.columns))}
            self.columns_ = [str(c) for c in df.columns if str(c) in found]
            self.report_ = report
        keep = check_columns(df, as_list(self.keep) or [])
        self.columns_ = [c for c in self.columns_ if c not in set(map(str, keep))]
        return self

    def transform(self, df: pd.DataFrame) -> pd.DataFrame:
        """A copy of ``df`` without ``columns_``."""
        self._check_fitted("columns_")
        check_frame(df)
        check_columns(df, self.columns_)
        out = df.drop(columns=self.columns_)
        return copy_attrs(df, out)
