"""Reading Parquet files into frames of strings."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from htwork.errors import InputError
from htwork.io.cells import render_value
from htwork.io.encoding import sniff_binary
from htwork.io.table import clean_header, frame_from_columns

__all__ = ["read_parquet_strings"]

_INDEX_COLUMN = re.compile(r"__index_level_\d+__")


def _strings(column: Any) -> tuple[np.ndarray, np.ndarray]:
    """One Arrow column as an object array of text, and its mask of empty cells."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_dictionary(kind):
        column = column.cast(kind.value_type)
        kind = kind.value_type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        empty = pc.fill_null(pc.equal(column, pa.scalar("")), True).to_numpy(zero_copy_only=False)
        # to_pandas shares one Python string between equal values (to_numpy does not)
        out = column.to_pandas(deduplicate_objects=True).to_numpy(dtype=object)
        out[empty] = None
        return out, empty
    values = column.to_pylist()
    cache: dict[Any, str | None] = {}
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        try:
            key = (type(v), v)
            text = cache[key] if key in cache else cache.setdefault(key, render_value(v))
        except TypeError:  # unhashable (lists, structs)
            text = render_value(v)
        out[i] = text if text != "" else None
    return out, np.equal(out, None)  # type: ignore[call-overload]  # numpy stubs: None is an object scalar


def read_parquet_strings(path: str | Path, data: bytes) -> pd.DataFrame:
    """Read a Parquet file already loaded as ``data`` into a frame of strings.

    The header counts as row 1, so the first record is row 2, as for a CSV. Columns that only
    hold a pandas index without a name (``__index_level_0__``) are left out.

    Parameters
    ----------
    path : str or Path
        The file, for messages.
    data : bytes
        Its bytes.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    InputError
        On a file that is not readable Parquet, or repeated or empty column names.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    file = str(path)
    if not data:
        raise InputError("the file is empty (0 bytes)", file=file)
    if not data.startswith(b"PAR1"):
        kind = sniff_binary(data)
        looks = f"it looks like a {kind}" if kind else "it looks like a text file"
        raise InputError(f"this is not a Parquet file ({looks})", file=file,
                         hint="give the file its proper extension, or pass format=")
    try:
        table = pq.read_table(pa.BufferReader(data))
    except Exception as exc:  # pyarrow's errors say little to a user
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"the Parquet file cannot be read ({reason})", file=file,
                         hint="write the file again; it may be damaged or cut short") from None
    names = list(table.schema.names)
    positions = [i for i, n in enumerate(names) if not _INDEX_COLUMN.fullmatch(n)]
    kept = clean_header(
        [names[i] for i in positions], file=file, header_row=1, render=lambda c: c,
        column_label=lambda pos: f"column {positions[pos] + 1}",
        has_data=lambda pos: 2 if table.column(positions[pos]).null_count < table.num_rows
        else None,
    )
    columns = [_strings(table.column(positions[pos])) for pos, _ in kept]
    return frame_from_columns([c for c, _ in columns], [e for _, e in columns],
                              [n for _, n in kept], table.num_rows, 2)
