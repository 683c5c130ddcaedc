"""Exceptions with messages written for people.

Every error htwork raises on bad input says *what* is wrong, *where* (file, column, row) and
*what to do*. The command line prints ``str(error)`` and exits non-zero, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "HtworkError",
    "InputError",
    "NotFittedError",
    "EncodingError",
    "DateError",
    "CrosswalkError",
    "StandardError",
]


class HtworkError(Exception):
    """Base class of htwork's errors.

    Parameters
    ----------
    message : str
        What is wrong, in plain words.
    file : str or Path, optional
        The file concerned.
    column : str, optional
        The column concerned (as named in the file).
    row : int, optional
        The row concerned, numbered as a spreadsheet shows it (the header is row 1 unless the
        file's header sits lower).
    hint : str, optional
        What to do about it.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        column: str | None = None,
        row: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.column = column
        self.row = row
        self.hint = hint
        super().__init__(self._format())

    def _format(self) -> str:
        where = []
        if self.file is not None:
            where.append(f"file {self.file}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        if self.row is not None:
            where.append(f"row {self.row}")
        text = self.message
        if where:
            text = f"{', '.join(where)}: {text}"
        if self.hint:
            text = f"{text}\n  what to do: {self.hint}"
        return text


class InputError(HtworkError, ValueError):
    """A file or table cannot be used as given (missing, empty, binary, malformed).

    Also a :class:`ValueError`, so that code written for the standard library's convention
    (``except ValueError``) catches it.
    """


class NotFittedError(HtworkError, ValueError, AttributeError):
    """An object that learns from data was used before ``fit``.

    A :class:`ValueError` and an :class:`AttributeError` too, like scikit-learn's
    ``NotFittedError``: ``hasattr(model, "learnt_attribute_")`` is False before ``fit``.
    """


class EncodingError(InputError):
    """A text file's bytes do not decode in the encoding given or detected."""


class DateError(InputError):
    """A date cannot be read in the format or calendar given."""


class CrosswalkError(HtworkError):
    """An agency crosswalk file is malformed or does not fit the file it is applied to."""


class StandardError(HtworkError):
    """A standard (schema, code list) is unknown or malformed."""
