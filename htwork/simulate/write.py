"""Writing simulated extracts: the standard CSV, or an agency's own format via its crosswalk."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from htwork.errors import HtworkError

#: Rows per block when streaming the standard CSV (keeps memory flat for a million rows).
CSV_CHUNK = 50_000
#: Formats that are a published dataset's own shape rather than an agency's crosswalk:
#: ``ctdc`` is the CTDC global dataset's columns and codes (:func:`htwork.standards.to_ctdc`).
NATIVE_FORMATS: tuple[str, ...] = ("ctdc",)


def _field(value: str) -> str:
    """One CSV field as pandas writes it: quoted (quotes doubled) when it holds a comma, a
    quote, a line feed or a carriage return (rows then end in ``\\r\\n``, see
    :func:`write_standard_csv`)."""
    if "," in value or '"' in value or "\n" in value or "\r" in value:
        return '"' + value.replace('"', '""') + '"'
    return value


def _csv_column(values: pd.Series) -> list[str]:
    """The column's CSV fields: missing values empty, quoting only where a value needs it."""
    arr = values.to_numpy(dtype=object, copy=True)
    arr[pd.isna(arr)] = ""
    fields = arr.tolist()
    try:
        blob = "\x1f".join(fields)  # one scan in C tells whether any value needs quoting
    except TypeError:  # not only strings (numbers...)
        fields = list(map(str, fields))
        blob = "\x1f".join(fields)
    if "," in blob or '"' in blob or "\n" in blob or "\r" in blob:
        fields = [_field(v) for v in fields]
    return fields


def write_standard_csv(df: pd.DataFrame, path: str | Path, *, chunk: int = CSV_CHUNK) -> Path:
    """Write a frame of strings as UTF-8 CSV, atomically, in blocks of rows.

    The bytes are those :func:`htwork.io.write_csv` writes (comma, ``\\n`` line ends, or
    ``\\r\\n`` when a cell holds a carriage return, no index, minimal quoting, missing values
    as empty fields), but each distinct value is quoted
    once and the text is never held in memory all at once, so a million records take seconds.

    Parameters
    ----------
    df : pandas.DataFrame
        Values are strings or missing.
    path : str or Path
    chunk : int, default 50000
        Rows per block.

    Returns
    -------
    Path
    """
    from htwork.io import atomic_write
    from htwork.io.write import holds_carriage_return

    path = Path(path)
    eol = "\r\n" if holds_carriage_return(df) else "\n"
    with atomic_write(path, "wb") as fh:
        fh.write((",".join(_field(str(c)) for c in df.columns) + eol).encode("utf-8"))
        for lo in range(0, len(df), chunk):
            part = df.iloc[lo:lo + chunk]
            cols = [_csv_column(part[c]) for c in part.columns]
            lines = list(map(",".join, zip(*cols, strict=True)))
            if len(cols) == 1:  # a lone empty field is written "" (else the line would vanish)
                lines = [x or '""' for x in lines]
            lines.append("")
            fh.write(eol.join(lines).encode("utf-8"))
    return path


def write_extract(df: pd.DataFrame, path: str | Path, agency_format: str | None = None) -> Path:
    """Write a simulated extract in the input standard or in an agency's format.

    Parameters
    ----------
    df : pandas.DataFrame
        A frame in the input standard, e.g. from :func:`htwork.simulate.simulate`.
    path : str or Path
        The file to write (replaced atomically).
    agency_format : str, optional
        ``"ctdc"``: the CTDC global dataset's own columns and codes (alpha-2 countries, 0/1
        flags, ``-99`` where not recorded; CSV, or Parquet/.xlsx by the file's extension).
        Or a crosswalk name (``kh_identification_form``, ``th_cross_ministerial``) or YAML path:
        the frame is exported through :meth:`Crosswalk.export` and written in that agency's
        file format (.xlsx with title rows, Windows-874 CSV...). Without it, UTF-8 CSV in the
        standard's columns.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    htwork.errors.HtworkError
        When the agency's encoding cannot hold the text (simulate with the same
        ``agency_format`` so only that agency's records, in the scripts it uses, are drawn).
    """
    if agency_format is None:
        return write_standard_csv(df, path)
    if agency_format in NATIVE_FORMATS:
        return _write_native(df, Path(path))
    from htwork.standards.crosswalk import load_crosswalk

    cw = load_crosswalk(agency_format)
    simulated = ((df.attrs.get("htwork") or {}).get("simulation") or {})
    try:
        return cw.write(df, path)
    except HtworkError as err:
        if "cannot be written" not in err.message:
            raise
        for_ = simulated.get("agency_format")
        raise HtworkError(
            f"the extract holds text that {cw.name}'s encoding "
            f"({cw.file.get('encoding')}) cannot write ({err.message})",
            file=path, column=err.column, row=err.row,
            hint=(f"simulate with agency_format={cw.name!r}: only records of "
                  f"{cw.country or 'that country'}'s agencies, in the scripts they use, are "
                  "drawn" if for_ != cw.name else "write UTF-8 instead"),
        ) from None


def _write_native(df: pd.DataFrame, path: Path) -> Path:
    """Write a standard frame in a dataset's own shape (:data:`NATIVE_FORMATS`)."""
    from htwork.standards import to_ctdc

    table = to_ctdc(df).reset_index(drop=True)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        from htwork.io import write_parquet

        write_parquet(table, path)
        return path
    if suffix == ".xlsx":
        from htwork.io import write_xlsx

        write_xlsx({"Sheet1": table}, path)
        return path
    return write_standard_csv(table, path)
