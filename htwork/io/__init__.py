"""Reading and writing agency files: encodings, header rows, Buddhist-Era dates, atomic writes.

The public functions are re-exported here; each lives in a small module of its own.
"""

from htwork.io.dates import (
    DateParseResult,
    be_to_gregorian_year,
    format_date,
    gregorian_to_be_year,
    parse_dates,
)
from htwork.io.decode import check_encoding
from htwork.io.encoding import EncodingGuess, describe_encoding, detect_encoding
from htwork.io.read import read_table
from htwork.io.write import (
    atomic_folder,
    atomic_write,
    write_csv,
    write_parquet,
    write_table,
    write_xlsx,
)

__all__ = [
    "read_table",
    "detect_encoding",
    "describe_encoding",
    "EncodingGuess",
    "check_encoding",
    "parse_dates",
    "DateParseResult",
    "format_date",
    "be_to_gregorian_year",
    "gregorian_to_be_year",
    "atomic_folder",
    "atomic_write",
    "write_csv",
    "write_parquet",
    "write_xlsx",
    "write_table",
]
