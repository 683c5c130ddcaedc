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


def _texts(path: Path) -> list[str]:
    """Everything a file holds, as text: raw bytes decoded, and for Parquet every value and the
    metadata (compression would hide them from a byte scan)."""
    raw = path.read_bytes()
    out = [raw.decode("latin-1"), raw.decode("utf-8", errors="ignore")]
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
        texts = _texts(f)
        blob = "\n".join(texts)
        low = blob.lower()
        for s in secrets:
            assert s.lower() not in low, f"key in {f.name}"
        for v in values:
            if not v.isascii():
                assert v not in blob, f"plain value {v!r} in {f.name}"
                continue
            # Latin words as whole words (so that "king" in "linking" is not a leak)
            assert re.search(rf"(?<![0-9a-z]){re.escape(v.lower())}(?![0-9a-z])", low) is None, \
                f"plain value {v!r} in {f.name}"
        for s in forbidden:
            assert s not in blob, f"{s!r} in {f.name}"
