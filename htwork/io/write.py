"""Writing files atomically and deterministically: the same frame always gives the same bytes.

Every writer goes through :func:`atomic_write` (a temporary file in the destination's folder,
flushed to disk, then renamed over the destination), so a crash or an error never leaves a
half-written file, and refuses to overwrite the file a frame was read from.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from htwork.errors import InputError
from htwork.io.files import same_file
from htwork.io.guard import check_replace

__all__ = ["atomic_write", "atomic_folder", "neutralise_formulas", "write_csv", "write_parquet",
           "write_xlsx", "write_table", "FIXED_TIMESTAMP", "WRITE_FORMATS"]

#: The creation/modification time written into .xlsx files and their zip entries.
FIXED_TIMESTAMP = (2000, 1, 1, 0, 0, 0)

#: Extensions :func:`write_table` understands, and the format each one writes.
WRITE_FORMATS = {".csv": "csv", ".txt": "csv", "": "csv", ".parquet": "parquet", ".xlsx": "xlsx"}

_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


@contextmanager
def atomic_folder(path: str | Path, *, replace: bool = False) -> Iterator[Path]:
    """Build a folder in a temporary place beside ``path``, then rename it to ``path``.

    A reader never sees half a folder: the files are written into the yielded temporary
    folder, which becomes ``path`` only when the ``with`` block succeeds (files readable by
    all, 0644; folders 0755). If the block raises, the temporary folder is removed and
    ``path`` is left as it was.

    Parameters
    ----------
    path : str or Path
        The folder to create. An empty folder there is replaced.
    replace : bool, default False
        Replace a non-empty folder too (it is swapped out only after the new one is complete),
        but only when every file in it is one the new folder holds again
        (:func:`htwork.io.guard.check_replace`): htwork deletes nothing it did not write.

    Yields
    ------
    Path
        The temporary folder to write into.

    Raises
    ------
    htwork.errors.InputError
        If the parent folder does not exist, or ``path`` holds files and ``replace`` is False,
        or holds files the new folder would not write again, or is a file.
    """
    target = Path(path)
    parent = target.resolve().parent
    if not parent.is_dir():
        raise InputError("cannot write the folder: the folder above it does not exist",
                         file=target, hint="create it first, or choose another path")
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise InputError(f"cannot write in this folder ({exc.strerror or exc})", file=target,
                         hint="choose a folder you can write to") from None
    try:
        yield tmp
        for p in tmp.rglob("*"):
            os.chmod(p, 0o755 if p.is_dir() else 0o644)
        os.chmod(tmp, 0o755)
        if target.is_dir() and not target.is_symlink() and not any(target.iterdir()):
            target.rmdir()
        if not target.exists() and not target.is_symlink():
            os.replace(tmp, target)
        elif replace:
            check_replace(target, tmp)
            old = parent / f".{target.name}.{secrets.token_hex(6)}.old"
            os.replace(target, old)
            os.replace(tmp, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            raise InputError("the folder already exists and holds files", file=target,
                             hint="choose a new folder")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


@contextmanager
def atomic_write(
    path: str | Path, mode: str = "w", encoding: str = "utf-8", newline: str = ""
) -> Iterator[IO[Any]]:
    """Open ``path`` for writing so that it is replaced only when writing succeeds.

    Writing goes to a temporary file in the same folder, which is flushed and ``fsync``-ed, then
    renamed over ``path`` with :func:`os.replace`. If the ``with`` block raises, the temporary
    file is removed and ``path`` is left exactly as it was.

    Parameters
    ----------
    path : str or Path
        The destination.
    mode : {"w", "wb"}, default "w"
        Text or binary.
    encoding : str, default "utf-8"
        Text mode only.
    newline : str, default ""
        Text mode only; ``""`` writes line endings exactly as given (no translation).

    Yields
    ------
    file object

    Raises
    ------
    htwork.errors.InputError
        If the folder does not exist, ``path`` is a folder, or the folder is not writable.

    Examples
    --------
    >>> with atomic_write("out.csv") as fh:                          # doctest: +SKIP
    ...     fh.write("a,b\\n1,2\\n")
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"mode must be 'w' or 'wb', not {mode!r}")
    target = Path(path)
    folder = target.parent
    if not folder.is_dir():
        raise InputError("cannot write the file: its folder does not exist", file=path,
                         hint="create the folder first, or choose another path")
    if target.is_dir():
        raise InputError("cannot write the file: this path is a folder", file=path)
    keep_mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else None
    tmp = folder / f".{target.name}.{secrets.token_hex(6)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o666)
    except OSError as exc:
        raise InputError(f"cannot write in this folder ({exc.strerror or exc})", file=path,
                         hint="choose a folder you can write to") from None
    if keep_mode is not None:
        os.chmod(tmp, keep_mode)
    fh: IO[Any] = (os.fdopen(fd, "wb") if mode == "wb"
                   else os.fdopen(fd, "w", encoding=encoding, newline=newline))
    try:
        yield fh
        fh.flush()
        os.fsync(fh.fileno())
        fh.close()
        try:
            os.replace(tmp, target)
        except PermissionError:
            raise InputError(
                "cannot replace the file: it is read-only or open in another program", file=path,
                hint="close it (in Excel, say) or choose another path, then try again",
            ) from None
    except BaseException:
        try:
            fh.close()
        finally:
            tmp.unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not possible on Windows; the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _refuse_input(frame: pd.DataFrame, path: str | Path) -> None:
    source = (frame.attrs.get("htwork") or {}).get("file")
    if source and same_file(source, path):
        raise InputError(
            "writing here would overwrite the input file the data was read from", file=path,
            hint="write to another file; inputs are never modified",
        )


#: First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# a phone number or a date range: digits with spaces, dots, dashes, slashes and brackets; it
# calls no function and reaches no other cell, so it stays as the user wrote it
_PHONE_LIKE = re.compile(r"[+-][\d ().,/-]*\d[\d ().,/-]*")


def _defuse(value: Any) -> Any:
    if (isinstance(value, str) and value.startswith(FORMULA_START) and value not in ("-", "+")
            and not _PLAIN_NUMBER.fullmatch(value) and not _PHONE_LIKE.fullmatch(value)):
        return "'" + value
    return value


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every text cell (and header) a spreadsheet would run as a formula made
    plain text by a leading apostrophe.

    A cell is defused when it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return and is not a plain number (``-5`` and ``+3.2`` stay numbers; a lone ``-`` stays
    as it is), as the OWASP advice on CSV injection says. A phone number such as
    ``+66 82 171 8789`` (digits, spaces, dots, dashes, slashes and brackets only) calls no
    function and stays as it is. Spreadsheets show the text without
    the apostrophe. Numeric columns are never touched. The frame is copied only when a cell
    changes.

    Examples
    --------
    >>> df = pd.DataFrame({"a": ["=1+1", "-5", "@SUM(A1)", "+66 82 171 8789",
    ...                          "-2+cmd|' /C calc'!A0"]})
    >>> neutralise_formulas(df)["a"].tolist()
    ["'=1+1", '-5', "'@SUM(A1)", '+66 82 171 8789', "'-2+cmd|' /C calc'!A0"]
    """
    out = df
    for i in range(df.shape[1]):
        col = df.iloc[:, i]
        if col.dtype.kind not in "OSUT" and not isinstance(col.dtype, pd.StringDtype):
            continue
        values = col.to_numpy(dtype=object)
        hits = [j for j, v in enumerate(values) if isinstance(v, str)
                and v.startswith(FORMULA_START) and _defuse(v) is not v]
        if not hits:
            continue
        values = values.copy()
        for j in hits:
            values[j] = _defuse(values[j])
        if out is df:
            out = df.copy()
        out.isetitem(i, values)  # object values: only the CSV text is made from this copy
    headers = [_defuse(c) for c in df.columns]
    if headers != list(df.columns):
        if out is df:
            out = df.copy()
        out.columns = pd.Index(headers)
    return out


def _unencodable(frame: pd.DataFrame, encoding: str, index: bool) -> tuple[Any, Any, str]:
    """Find the first header or cell that ``encoding`` cannot write: (column, row, value)."""
    for name in frame.columns:
        try:
            str(name).encode(encoding)
        except UnicodeEncodeError:
            return name, None, str(name)
    for name in frame.columns:
        col = frame[name]
        for label, value in zip(col.index, col.to_numpy(), strict=True):
            if isinstance(value, str):
                try:
                    value.encode(encoding)
                except UnicodeEncodeError:
                    return name, label, value
    if index:
        for label in frame.index:
            try:
                str(label).encode(encoding)
            except UnicodeEncodeError:
                return None, label, str(label)
    return None, None, ""


def holds_carriage_return(df: pd.DataFrame) -> bool:
    """Whether a text cell or a header of ``df`` holds a carriage return.

    Parameters
    ----------
    df : pandas.DataFrame

    Returns
    -------
    bool
    """
    if any(isinstance(c, str) and "\r" in c for c in df.columns):
        return True
    for i in range(df.shape[1]):
        col = df.iloc[:, i]
        if col.dtype.kind in "OSUT" or isinstance(col.dtype, pd.StringDtype):
            if col.astype("string").str.contains("\r", regex=False).fillna(False).any():
                return True
    return False


def write_csv(
    df: pd.DataFrame,
    path: str | Path,
    *,
    encoding: str = "utf-8",
    index: bool = False,
    line_terminator: str = "\n",
    delimiter: str = ",",
    errors: str = "strict",
) -> None:
    """Write ``df`` as CSV, atomically; the same frame always gives the same bytes.

    Parameters
    ----------
    df : pandas.DataFrame
        The table; missing values are written as empty fields. Text a spreadsheet would run as
        a formula (``=HYPERLINK(...)``, ``+1+1``, ``@SUM(...)``) is written with a leading
        apostrophe (:func:`neutralise_formulas`).
    path : str or Path
        The destination; it must not be the file ``df`` was read from.
    encoding : str, default "utf-8"
        E.g. ``"utf-8-sig"`` for Excel users, or ``"cp874"`` to imitate a Thai agency export.
    index : bool, default False
        Write the index (the spreadsheet row numbers of a read frame) as the first column,
        headed ``row`` when it has no name.
    line_terminator : str, default "\\n"
        Ends each row. When a cell holds a carriage return (``"\\r"``) and the terminator
        does not, rows end in ``"\\r\\n"`` instead, so that the cell is quoted and reads back
        as one value.
    delimiter : str, default ","
    errors : str, default "strict"
        What to do with characters ``encoding`` cannot write: ``"strict"`` raises
        :class:`~htwork.errors.InputError` naming the column and row; ``"replace"`` writes ``?``.

    Raises
    ------
    htwork.errors.InputError
        When the write would overwrite the input, or a value cannot be encoded.
    """
    _refuse_input(df, path)
    df = neutralise_formulas(df)
    label = None if not index or any(n is not None for n in df.index.names) else "row"
    if "\r" not in line_terminator and holds_carriage_return(df):
        # the csv module quotes only the characters of the line terminator: a bare "\r" in a
        # cell would be written unquoted and read back as the end of a row
        line_terminator = "\r" + line_terminator
    text = df.to_csv(index=index, index_label=label, lineterminator=line_terminator,
                     sep=delimiter)
    try:
        data = text.encode(encoding, errors=errors)
    except UnicodeEncodeError:
        column, row, value = _unencodable(df, encoding, index)
        raise InputError(
            f"the value {value[:60]!r} cannot be written in {encoding}",
            file=path, column=None if column is None else str(column),
            row=int(row) if isinstance(row, int | np.integer) else None,
            hint="write UTF-8 instead, or pass errors='replace'",
        ) from None
    except LookupError:
        raise InputError(f"unknown text encoding {encoding!r}", file=path) from None
    with atomic_write(path, "wb") as fh:
        fh.write(data)


def write_parquet(
    df: pd.DataFrame, path: str | Path, *, index: bool = False, compression: str = "snappy"
) -> None:
    """Write ``df`` as Parquet, atomically; the same frame always gives the same bytes.

    ``df.attrs`` (which for a read frame holds the input's path and raw text of problem lines,
    names included) is **not** written. pandas' own ``df.to_parquet`` stores it in the file's
    metadata (key ``PANDAS_ATTRS``), so releases must be written with this function.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    path : str or Path
        The destination; it must not be the file ``df`` was read from.
    index : bool, default False
        Store the index as a column.
    compression : str, default "snappy"
        Any codec pyarrow supports (``"zstd"``, ``"gzip"``, ``"none"``).

    Raises
    ------
    htwork.errors.InputError
        When the write would overwrite the input, or a column mixes types Parquet cannot hold.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    _refuse_input(df, path)
    bare = df.copy(deep=False)
    bare.attrs = {}
    try:
        table = pa.Table.from_pandas(bare, preserve_index=index)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as exc:
        raise InputError(f"the table cannot be written as Parquet ({exc})", file=path,
                         hint="make each column hold one type, e.g. all strings") from None
    buf = pa.BufferOutputStream()
    pq.write_table(table, buf, compression=compression)  # type: ignore[arg-type]  # any codec name pyarrow knows
    with atomic_write(path, "wb") as fh:
        fh.write(buf.getvalue().to_pybytes())


def _title_rows_for(
    title_rows: Sequence[Any] | Mapping[str, Sequence[Any]] | None, sheet: str
) -> list[list[Any]]:
    if title_rows is None:
        return []
    rows = title_rows.get(sheet, []) if isinstance(title_rows, Mapping) else title_rows
    out: list[list[Any]] = []
    for row in rows:
        if row is None or row == "":
            out.append([])
        elif isinstance(row, str):
            out.append([row])
        else:
            out.append(list(row))
    return out


def _check_sheet_names(names: list[str], path: str | Path) -> None:
    seen: set[str] = set()
    for name in names:
        if not name or len(name) > 31 or _SHEET_NAME_BAD.search(name):
            raise InputError(
                f"{name!r} cannot be a sheet name", file=path,
                hint="sheet names have 1 to 31 characters and none of [ ] : * ? / \\",
            )
        if name.casefold() in seen:
            raise InputError(f"two sheets would be named {name!r}", file=path)
        seen.add(name.casefold())


def _cell(ws: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if value is None:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(ws, value)
        cell.data_type = "s"  # text that looks like a formula stays text
        return cell
    return value


def _deterministic_zip(raw: bytes) -> bytes:
    """Rewrite an .xlsx zip with fixed entry times and fixed document timestamps."""
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*FIXED_TIMESTAMP).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                for tag in (b"dcterms:created", b"dcterms:modified"):
                    data = re.sub(rb"(<" + tag + rb"[^>]*>)[^<]*(</" + tag + rb">)",
                                  lambda m: m.group(1) + stamp + m.group(2), data)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            zout.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return out.getvalue()


def write_xlsx(
    frames: Mapping[str, pd.DataFrame] | pd.DataFrame,
    path: str | Path,
    *,
    title_rows: Sequence[Any] | Mapping[str, Sequence[Any]] | None = None,
    index: bool = False,
) -> None:
    """Write one or more frames as sheets of an .xlsx workbook, atomically and deterministically.

    The workbook's created/modified properties and its zip entries carry
    :data:`FIXED_TIMESTAMP`, so the same frames always give the same bytes. Strings stay strings
    (one starting with ``=`` is not turned into a formula); missing values are empty cells.

    Parameters
    ----------
    frames : mapping of str to pandas.DataFrame, or a DataFrame
        Sheet name -> table, in sheet order (a lone frame becomes sheet ``"Sheet1"``).
    path : str or Path
        The destination; it must not be a file any of the frames was read from.
    title_rows : sequence or mapping of sheet name to sequence, optional
        Rows written above the header, as an agency export has them: each a string (put in
        column A), a list of cell values, or ``None``/``""`` for an empty row. ``["Report",
        None]`` puts the header on row 3. A sequence applies to every sheet.
    index : bool, default False
        Write each frame's index as the first column.

    Raises
    ------
    htwork.errors.InputError
        For a bad sheet name, a value Excel cannot hold (control characters), or a write over
        an input file.
    """
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    if isinstance(frames, pd.DataFrame):
        frames = {"Sheet1": frames}
    names = [str(n) for n in frames]
    _check_sheet_names(names, path)
    for df in frames.values():
        _refuse_input(df, path)
    wb = Workbook(write_only=True)
    for name, df in zip(names, frames.values(), strict=True):
        ws = wb.create_sheet(title=name)
        table = df.reset_index() if index else df
        for row in _title_rows_for(title_rows, name):
            ws.append(row)
        ws.append([_cell(ws, str(c)) for c in table.columns])
        body = table.astype(object).where(table.notna(), None).to_numpy()  # type: ignore[call-overload]  # pandas-stubs: other=None is allowed
        for i, values in enumerate(body):
            try:
                ws.append([_cell(ws, v) for v in values])
            except (IllegalCharacterError, ValueError, TypeError) as exc:
                bad = next((str(c) for c, v in zip(table.columns, values, strict=True)
                            if _fails(ws, v)), None)
                raise InputError(f"a value on sheet {name!r} cannot be written to Excel ({exc})",
                                 file=path, column=bad, row=_label(df.index[i]),
                                 hint="remove control characters from the text") from None
    buf = io.BytesIO()
    wb.properties.creator = "htwork"
    wb.save(buf)
    data = _deterministic_zip(buf.getvalue())
    with atomic_write(path, "wb") as fh:
        fh.write(data)


def _fails(ws: Any, value: Any) -> bool:
    from openpyxl.cell import WriteOnlyCell

    try:
        WriteOnlyCell(ws, value)
    except Exception:
        return True
    return False


def _label(label: Any) -> int | None:
    return int(label) if isinstance(label, int | np.integer) and not isinstance(label, bool) \
        else None


def write_table(df: pd.DataFrame, path: str | Path) -> None:
    """Write ``df`` in the format its file name asks for, atomically.

    The extension chooses the writer (see :data:`WRITE_FORMATS`): ``.parquet`` ->
    :func:`write_parquet`, ``.xlsx`` -> :func:`write_xlsx` (one sheet, ``Sheet1``), ``.csv``,
    ``.txt`` or no extension -> :func:`write_csv` (UTF-8). Each writes the same bytes for the
    same frame and never over the file the frame was read from.

    Parameters
    ----------
    df : pandas.DataFrame
        The table (the index is not written).
    path : str or Path
        The destination; its folder must exist.

    Raises
    ------
    htwork.errors.InputError
        For any other extension (nothing is written), or what the chosen writer raises.

    Examples
    --------
    >>> write_table(protected, "protected.parquet")                  # doctest: +SKIP
    """
    suffix = Path(path).suffix.lower()
    kind = WRITE_FORMATS.get(suffix)
    if kind == "parquet":
        write_parquet(df, path)
    elif kind == "xlsx":
        write_xlsx(df, path)
    elif kind == "csv":
        write_csv(df, path)
    else:
        raise InputError(
            f"cannot write {suffix!r} files.",
            file=path,
            hint="end the output name with .csv, .parquet or .xlsx",
        )
