"""``read_table``: any supported file to a frame of strings indexed by spreadsheet row."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from htwork.errors import InputError
from htwork.io.excel_reader import read_xlsx
from htwork.io.files import check_input_path, read_bytes
from htwork.io.parquet_reader import read_parquet_strings
from htwork.io.text_reader import read_delimited

__all__ = ["read_table", "infer_format", "FORMATS"]

#: ``format=`` values and the extensions that imply them.
FORMATS = {
    "csv": (".csv", ".txt"),
    "tsv": (".tsv", ".tab"),
    "xlsx": (".xlsx", ".xlsm"),
    "parquet": (".parquet", ".pq"),
}

_UNSUPPORTED = {
    ".xls": "old-style Excel .xls workbooks cannot be read; open it in Excel or LibreOffice "
    "and save it as .xlsx",
    ".ods": "OpenDocument spreadsheets cannot be read; save it as .xlsx or .csv",
    ".numbers": "Apple Numbers files cannot be read; export it as .xlsx or .csv",
    ".json": "JSON files are not tables htwork reads; export the table as .csv",
}


def infer_format(path: str | Path, format: str | None = None) -> str:
    """Decide the file format from ``format=`` or the file's extension.

    Parameters
    ----------
    path : str or Path
        The file.
    format : str, optional
        ``"csv"``, ``"tsv"``, ``"txt"``, ``"xlsx"`` or ``"parquet"``; overrides the extension.

    Returns
    -------
    str
        One of ``"csv"``, ``"tsv"``, ``"xlsx"``, ``"parquet"``.

    Raises
    ------
    InputError
        For an unknown format or extension.
    """
    if format is not None:
        key = format.lower().lstrip(".")
        key = {"txt": "csv", "excel": "xlsx", "xlsm": "xlsx", "pq": "parquet"}.get(key, key)
        if key not in FORMATS:
            raise InputError(f"unknown format {format!r}", file=path,
                             hint="use one of 'csv', 'tsv', 'xlsx', 'parquet'")
        return key
    suffix = Path(path).suffix.lower()
    for key, suffixes in FORMATS.items():
        if suffix in suffixes:
            return key
    if suffix in _UNSUPPORTED:
        raise InputError(_UNSUPPORTED[suffix], file=path)
    shown = f"extension {suffix!r}" if suffix else "no extension"
    raise InputError(
        f"the file has {shown}, so its format is unknown", file=path,
        hint="pass format='csv', 'tsv', 'xlsx' or 'parquet', or rename the file",
    )


def _read_stream(path: str | Path, options: dict[str, Any]) -> Any:
    from htwork.io.files import read_bytes as _check_readable
    from htwork.io.stream_reader import read_delimited_stream

    try:
        return read_delimited_stream(path, **options)
    except PermissionError:
        _check_readable(path)  # raises the usual message
        raise


def read_table(
    path: str | Path,
    *,
    format: str | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
    header_row: int | None = None,
    delimiter: str | None = None,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Read a CSV, TSV, Excel or Parquet file as a frame of strings.

    Every value is text as the file shows it (no type inference); empty cells are missing
    (``None``). The index is each row's number as a spreadsheet shows it: with the header on row
    1 the first record is row 2. The file is only ever opened for reading.

    Parameters
    ----------
    path : str or Path
        The file.
    format : {"csv", "tsv", "xlsx", "parquet"}, optional
        Overrides the format implied by the extension (``.csv``/``.txt``, ``.tsv``, ``.xlsx``,
        ``.parquet``).
    encoding : str, optional
        Text files only. Detected when not given. When given and some bytes do not decode, they
        are replaced and each affected row gets a ``bad_encoding`` entry in ``read_problems``.
    sheet : str or int, optional
        Excel only: sheet name or 0-based position. Chosen when not given (see notes).
    header_row : int, optional
        1-based row of the header. Detected when not given: the first of the top 30 rows that is
        nearly as wide as the table and all text, so title rows above it are skipped.
    delimiter : str, optional
        Text files only. Sniffed among ``, ; TAB |`` when not given (tab for ``.tsv``).
    columns : sequence of str, optional
        Keep only these columns, in this order. Every one must be in the file.

    Returns
    -------
    pandas.DataFrame
        Object columns of ``str``/``None``, indexed by spreadsheet row. ``df.attrs["htwork"]``
        holds ``file``, ``columns`` (empty; the crosswalk fills it), ``read_problems``,
        ``encoding`` (text files), ``header_row``, ``sheet`` (Excel), ``format``, ``delimiter``
        (text files) and ``notes`` (what was detected or chosen, in plain words).

    Raises
    ------
    htwork.errors.InputError
        For a missing file, a folder, an unknown format, an empty (0-byte) or binary file where
        text was expected, an unreadable workbook or Parquet file, an empty or repeated column
        name, a text row with more fields than the header, a name in ``columns`` that the
        file does not have, or a file beyond the limits of :mod:`htwork.io.limits` (a line over
        1 MiB, more than 16,384 columns, a cell over 100,000 characters). The message names the
        file and, where it applies, the row and
        column.

    Examples
    --------
    >>> df = read_table("victims.csv")                           # doctest: +SKIP
    >>> df.attrs["htwork"]["encoding"], df.index[0]               # doctest: +SKIP
    ('cp874', 2)
    """
    check_input_path(path)
    kind = infer_format(path, format)
    problems: list[dict[str, Any]] = []
    meta: dict[str, Any] = {"encoding": None, "delimiter": None, "sheet": None}
    got = None
    if kind in ("csv", "tsv"):
        options: dict[str, Any] = dict(encoding=encoding, delimiter=delimiter,
                                       header_row=header_row,
                                       default_delimiter="\t" if kind == "tsv" else None)
        got = _read_stream(path, options)  # from disk, for large files; None: in memory
    data = b"" if got is not None else read_bytes(path)
    if kind in ("csv", "tsv"):
        if got is None:
            got = read_delimited(path, data, **options)
        frame, problems, notes = got.frame, got.problems, got.notes
        meta.update(encoding=got.encoding, delimiter=got.delimiter, header_row=got.header_row)
    elif kind == "xlsx":
        xl = read_xlsx(path, data, sheet=sheet, header_row=header_row)
        frame, problems, notes = xl.frame, xl.problems, xl.notes
        meta.update(sheet=xl.sheet, header_row=xl.header_row)
    else:
        frame, notes = read_parquet_strings(path, data), []
        meta.update(header_row=1)
    ignored = {
        "csv": ("sheet",), "tsv": ("sheet",),
        "xlsx": ("encoding", "delimiter"),
        "parquet": ("encoding", "delimiter", "sheet", "header_row"),
    }[kind]
    given = {"encoding": encoding, "delimiter": delimiter, "sheet": sheet, "header_row": header_row}
    notes = notes + [f"{name}= does not apply to {kind} files and was ignored"
                     for name in ignored if given[name] is not None]
    if columns is not None:
        frame = _select(frame, list(columns), path)
    frame.attrs["htwork"] = {
        "file": str(path),
        "columns": {},
        "read_problems": problems,
        "encoding": meta["encoding"],
        "header_row": meta["header_row"],
        "sheet": meta["sheet"],
        "format": kind,
        "delimiter": meta["delimiter"],
        "notes": notes,
    }
    return frame


def _select(frame: pd.DataFrame, columns: list[str], path: str | Path) -> pd.DataFrame:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"columns {missing} are not in the file", file=path,
                         hint=f"the file has: {list(frame.columns)}")
    return frame[columns]
