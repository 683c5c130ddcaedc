"""Scan every file written for plain identifiers and for the key (helpers of the tests)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from htwork.linkage.keys import load_key, subkey
from htwork.linkage.normalise import normalise_name

_HEXLIKE = re.compile(r"^[0-9a-f]+$")


#: Shortest value searched in a file's raw bytes. Compressed Parquet pages are random-looking
#: bytes, and with a fresh random key in every run a 4-letter name such as "iuni" turns up in
#: them by chance (about 1 run in 4 on the CLI test); 6 bytes by chance is ~65,000 times rarer.
#: Shorter values are still searched in every decoded value and in the metadata.
MIN_RAW = 6


def _raw_texts(path: Path) -> list[str]:
    """A file's raw bytes, decoded two ways."""
    raw = path.read_bytes()
    return [raw.decode("latin-1"), raw.decode("utf-8", errors="ignore")]


def _texts(path: Path) -> list[str]:
    """Everything a file holds, as text: for Parquet every value and the metadata (compression
    would hide them from a byte scan), else the decoded bytes."""
    raw = path.read_bytes()
    out = [] if path.suffix == ".parquet" else _raw_texts(path)
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        md = table.schema.metadata or {}
        out += [k.decode("utf-8", "ignore") + v.decode("utf-8", "ignore") for k, v in md.items()]
        df = table.to_pandas()
        out.append(" ".join(map(str, df.columns)))
        for c in df.columns:
            out.append("\n".join(map(str, df[c].tolist())))
    if path.suffix == ".json":
        out.append(json.dumps(json.loads(raw), ensure_ascii=False))
    return out


def plain_values(lists: pd.DataFrame | Iterable[pd.DataFrame]) -> set[str]:
    """Identifiers whose presence in an output would be a leak: names as written, their
    words, their normalised tokens, and dates of birth as written and as ISO dates. Short or
    hex-looking strings are left out (they occur in hashes by chance)."""
    frames = [lists] if isinstance(lists, pd.DataFrame) else list(lists)
    out: set[str] = set()
    for df in frames:
        for name in df["name"].dropna():
            out.add(str(name))
            out.update(w for w in re.split(r"[\s,()\"]+", str(name)) if w)
            out.update(normalise_name(name))
        for d in df["dob"].dropna():
            if not re.fullmatch(r"\d{4}", str(d)):
                out.add(str(d))
    return {v for v in out if len(v) >= 4 and not _HEXLIKE.match(v.lower())
            and not v.isdigit()}


def assert_nothing_plain(files: Iterable[Path], lists, key_path: Path,
                         forbidden: Iterable[str] = ()) -> None:
    """No identifier, no input file name and no key (nor sub-key) in any of ``files``."""
    files = [Path(f) for f in files]
    assert files, "nothing was written"
    key = load_key(key_path)
    secrets = [key.hex(), key.hex().upper(), key_path.read_text().strip()]
    secrets += [subkey(key, p).hex() for p in ("bloom", "field", "permutation", "record")]
    raw_secrets = [key] + [subkey(key, p) for p in ("bloom", "field", "permutation", "record")]
    values = plain_values(lists)
    for f in files:
        data = f.read_bytes()
        for s in raw_secrets:
            assert s not in data, f"key material in {f.name}"
        blob = "\n".join(_texts(f))
        raw_blob = "\n".join(_raw_texts(f)) if f.suffix == ".parquet" else ""
        for s in secrets:
            assert s.lower() not in (blob + raw_blob).lower(), f"key in {f.name}"
        for v in values:
            _assert_absent(v, blob, f.name)
            if len(v.encode("utf-8")) >= MIN_RAW:
                _assert_absent(v, raw_blob, f.name)
        for s in forbidden:
            assert s not in blob + raw_blob, f"{s!r} in {f.name}"


def _assert_absent(value: str, blob: str, name: str) -> None:
    if not value.isascii():
        assert value not in blob, f"plain value {value!r} in {name}"
        return
    # Latin words as whole words (so that "king" in "linking" is not a leak)
    assert re.search(rf"(?<![0-9a-z]){re.escape(value.lower())}(?![0-9a-z])",
                     blob.lower()) is None, f"plain value {value!r} in {name}"
