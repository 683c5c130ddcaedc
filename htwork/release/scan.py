"""Leak scan: no direct identifier of the input, and no pseudonymisation key, in a release.

Values of the input's direct-identifier columns (names, aliases, phone numbers, identity
document numbers, e-mails, street addresses, case and group numbers, and any column
:func:`htwork.anonymise.detect_identifiers` flags) are normalised (case folded, spaces
collapsed; phone numbers and ID numbers also as bare digits) and searched for in every file of
the folder: in the data cell by cell, and in every text file (notes, datasheet, metadata) as
whole words.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from htwork.anonymise import detect_identifiers
from htwork.core.results import Result
from htwork.errors import InputError
from htwork.standards import load_standard

__all__ = ["Leak", "ScanResult", "scan", "identifier_values", "LeakError"]

_EXTRA = ("cas_GroupId",)
_DIGITS = re.compile(r"\d")
_MIN_TEXT = 4      # shorter values (e.g. a two-letter name) are matched only in data cells
_MIN_DIGITS = 7    # phone and ID numbers: at least this many digits to be searched as digits
_PHONE_TAIL = 8    # a phone number is matched by its last 8 digits (drops country prefixes)


class LeakError(InputError):
    """An identifier of the input was found in a release: nothing was released."""


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    return " ".join(text.split())


@dataclass(frozen=True)
class Leak:
    """One identifier value found in a release file (``value`` is shown only masked)."""

    file: str
    column: str
    kind: str
    masked: str


@dataclass(repr=False)
class ScanResult(Result):
    """Result of :func:`scan`: ``ok`` when nothing leaked."""

    files: list[str]
    n_values: int
    leaks: list[Leak] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.leaks

    def summary(self) -> str:
        """Files and values searched, then each leak (its value masked)."""
        head = (f"leak scan: {len(self.files)} files, {self.n_values:,} identifier values "
                f"searched: ")
        if self.ok:
            return head + "nothing found"
        lines = [head + f"{len(self.leaks)} found"]
        lines += [f"  {x.file}: a value of input column {x.column} ({x.kind}) {x.masked}"
                  for x in self.leaks[:50]]
        return "\n".join(lines)

    def _data(self) -> dict[str, Any]:
        """Files searched, identifier values searched, and the number of leaks."""
        return {"files": self.files, "identifier_values": self.n_values,
                "leaks": len(self.leaks)}

    def to_frame(self) -> pd.DataFrame:
        """One row per leak: ``file``, ``column``, ``kind`` and the ``masked`` value."""
        return pd.DataFrame([vars(x) for x in self.leaks],
                            columns=["file", "column", "kind", "masked"])


def _mask(value: str) -> str:
    return value[:1] + "*" * max(len(value) - 1, 0)


def identifier_values(df: pd.DataFrame) -> dict[str, set[str]]:
    """Normalised values of the direct-identifier columns of an input table, by column."""
    std = load_standard("input")
    cols = [c for c in list(std.direct_identifiers) + list(_EXTRA) if c in df]
    found = list(detect_identifiers(df).identifiers)
    free_text = set(std.columns_with_role("free_text"))
    cols += [c for c in found if c in df and c not in cols and c not in free_text]
    out: dict[str, set[str]] = {}
    for c in cols:
        vals = {_norm(v) for v in df[c].dropna().astype(str) if str(v).strip()}
        if c == "prs_Aliases":
            vals |= {_norm(p) for v in list(vals) for p in re.split(r"[;,]", v) if p.strip()}
        out[c] = {v for v in vals if v}
    return out


def _kind(column: str) -> str:
    low = column.lower()
    for word, kind in (("phone", "phone"), ("email", "e-mail"), ("name", "name"),
                       ("alias", "name"), ("street", "address"), ("document", "ID number"),
                       ("caseid", "case number"), ("groupid", "case number")):
        if word in low:
            return kind
    return "identifier"


def _digit_forms(value: str, kind: str) -> set[str]:
    digits = "".join(_DIGITS.findall(value))
    if len(digits) < _MIN_DIGITS or kind not in ("phone", "ID number", "case number"):
        return set()
    forms = {digits}
    if kind == "phone":
        forms.add(digits[-_PHONE_TAIL:])
    return forms


_WORD = re.compile(r"\w+")
_MAX_GRAM = 8


class _Index:
    """Cells, word n-grams and digit runs of one normalised file, for set look-ups."""

    def __init__(self, text: str, *, cells: bool) -> None:
        self.cells = {c.strip() for c in re.split(r"[,\n\"]", text)} if cells else set()
        tokens = _WORD.findall(text)
        self.grams = {" ".join(tokens[i:i + m]) for m in range(1, _MAX_GRAM + 1)
                      for i in range(len(tokens) - m + 1)}
        runs = re.findall(r"\d+", re.sub(r"(?<=\d)[\s\-().+/]+(?=\d)", "", text))
        self.digits = {r for r in runs if len(r) >= _MIN_DIGITS}
        self.digits |= {r[-_PHONE_TAIL:] for r in self.digits}


@lru_cache(maxsize=1)
def public_vocabulary() -> frozenset[str]:
    """Word sequences of htwork's standards as published (field names and descriptions,
    category labels such as country names; not htwork's own annotations). A name that is also,
    say, a country ("Jordan", "Hong Kong") is not counted as a leak when it appears in metadata
    text; in data cells it always is."""
    grams: set[str] = set()
    for name in ("release", "input"):
        descriptor = load_standard(name).to_frictionless(public=True)
        text = json.dumps(descriptor, indent=2, ensure_ascii=False)
        grams |= _Index(_norm(text), cells=False).grams
    return frozenset(grams)


def _text_of(path: Path) -> str:
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        return "\n".join(",".join("" if v is None else str(v) for v in row.values())
                         for row in table.to_pylist())
    return path.read_bytes().decode("utf-8", errors="replace")


def scan(folder: str | Path, against: str | Path | pd.DataFrame, *,
         keys: list[bytes] | None = None,
         values: dict[str, set[str]] | None = None) -> ScanResult:
    """Look for the input's direct identifiers (and pseudonymisation keys) in a folder.

    Parameters
    ----------
    folder : str or Path
        A release folder (every file under it is read).
    against : str, Path or DataFrame
        The sensitive input (a file readable by :func:`htwork.io.read_table`, in the input
        standard, or the frame itself).
    keys : list of bytes, optional
        Pseudonymisation keys that must not appear (raw, hexadecimal or base64).
    values : dict, optional
        :func:`identifier_values` of ``against``, when already computed.

    Returns
    -------
    ScanResult
        ``result.ok`` is True when nothing was found; ``result.leaks`` names file, input column
        and kind (the value itself only masked).
    """
    import base64

    from htwork.io import read_table

    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("the release folder does not exist", file=folder)
    if values is None:
        df = against if isinstance(against, pd.DataFrame) else read_table(against)
        values = identifier_values(df)
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    normed = {p: _norm(_text_of(p)) for p in files if p.suffix.lower() != ".png"}
    index = {p: _Index(t, cells=p.suffix in (".csv", ".parquet")) for p, t in normed.items()}
    public = public_vocabulary()
    leaks: list[Leak] = []
    n = 0
    for col, vals in values.items():
        kind = _kind(col)
        for v in sorted(vals):
            n += 1
            words = " ".join(_WORD.findall(v))
            digits = _digit_forms(v, kind)
            for p, ix in index.items():
                hit = v in ix.cells or (len(v) >= _MIN_TEXT and bool(words)
                                        and words in ix.grams and words not in public)
                hit = hit or bool(digits & ix.digits)
                if not hit and len(v) >= _MIN_TEXT and words.count(" ") >= _MAX_GRAM:
                    hit = v in normed[p]
                if hit:
                    leaks.append(Leak(str(p.relative_to(folder)), col, kind, _mask(v)))
    for key in keys or []:
        forms = {key.hex(), base64.b64encode(key).decode()}
        for p in files:
            raw = p.read_bytes()
            if key in raw or any(f.encode() in raw or f.lower() in normed.get(p, "")
                                 for f in forms):
                leaks.append(Leak(str(p.relative_to(folder)), "(key)", "pseudonymisation key",
                                  "****"))
    return ScanResult([str(p.relative_to(folder)) for p in files], n, leaks)
