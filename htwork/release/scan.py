"""Leak scan: no direct identifier of the input, and no pseudonymisation key, in a folder.

Values of the input's direct-identifier columns (names, aliases, phone numbers, identity
document numbers, e-mails, street addresses, case and group numbers, and any column
:func:`htwork.anonymise.detect_identifiers` flags) are looked for in every file of the folder,
read as a person would read it (:mod:`htwork.release.scan_read`: CSV, Parquet data and metadata,
JSON, HTML, Markdown, YAML, PNG text, XLSX, archives, compressed and UTF-16 files, file and column
names) and compared after normalisation (:mod:`htwork.release.scan_normalise`):

* names and other text: as a sequence of words whatever the spaces, punctuation, case, accents
  or a title glued in front; inside unspaced Thai (on word or character-cluster boundaries),
  Lao, Khmer and Myanmar text; values shorter than four characters only as a whole cell of a
  data table; a name that is also a word of htwork's published standards (a country such as
  "Jordan") only as a whole data cell;
* phone numbers on their digits (the last eight, which drops country prefixes), ID and case
  numbers on their letters and digits, and on their digits alone when they have at least seven
  (eight when letters come with them), in any script's digits and across any separators;
* numbers that are not identifiers are not searched: a case number ``1`` .. ``N`` or any value
  of fewer than seven digits and nothing else, and placeholders such as ``N/A``.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from htwork.anonymise import detect_identifiers
from htwork.core.results import Result
from htwork.errors import InputError
from htwork.release.scan_normalise import (
    UNSPACED,
    cluster_aligned,
    digit_runs,
    normalise,
    script_of,
    strip_title,
    thai_match,
    title_splits,
    tokens,
)
from htwork.release.scan_read import MAX_EXPANDED, TABLE, FileText, read_file
from htwork.standards import load_standard
from htwork.standards.schema import Standard

__all__ = ["Leak", "ScanResult", "scan", "identifier_values", "LeakError", "public_vocabulary"]

_EXTRA = ("cas_GroupId",)
_MIN_TEXT = 4      # shorter values (e.g. a two-letter name) are matched only as whole data cells
_MIN_UNSPACED = 3  # a name in Thai, Lao, Khmer or Myanmar script: searched inside running text
_MIN_DIGITS = 7    # phone and ID numbers: at least this many digits to be searched as digits
_MIN_MIXED = 8     # ... and this many when the value has letters too (``C4098289`` is not)
_PHONE_TAIL = 8    # a phone number is matched by its last 8 digits (drops country prefixes)
_MAX_GRAM = 8      # longest word sequence compared as one value
_NEVER = 1 << 30
_PARTS = re.compile(r"\d+|\D+")
_HEX = re.compile(r"\b[0-9a-f]{32,}\b")  # hashes: their digits are not phone numbers
_PLACEHOLDERS = frozenset(
    "none null nil na n/a nan unknown missing - -- ? x xx no yes ไม่มี ไม่ทราบ ບໍ່ມີ".split()
)


class LeakError(InputError):
    """An identifier of the input was found in a release: nothing was released."""


@dataclass(frozen=True)
class Leak:
    """One identifier value found in a release file (``value`` is shown only masked)."""

    file: str
    column: str
    kind: str
    masked: str


@dataclass(repr=False)
class ScanResult(Result):
    """Result of :func:`scan`: ``ok`` when nothing leaked and every file was read whole."""

    files: list[str]
    n_values: int
    leaks: list[Leak] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.leaks and not self.unreadable

    def summary(self) -> str:
        """Files and values searched, then each leak (its value masked)."""
        head = (f"leak scan: {len(self.files)} files, {self.n_values:,} identifier values "
                f"searched: ")
        if self.ok:
            return head + "nothing found"
        lines = [head + f"{len(self.leaks)} found"]
        lines += [f"  {x.file}: a value of input column {x.column} ({x.kind}) {x.masked}"
                  for x in self.leaks[:50]]
        lines += [f"  {u} (not scanned whole, so not passed)" for u in self.unreadable[:20]]
        return "\n".join(lines)

    def _data(self) -> dict[str, Any]:
        """Files searched, identifier values searched, leaks, and files not read whole."""
        return {"files": self.files, "identifier_values": self.n_values,
                "leaks": len(self.leaks), "unreadable": list(self.unreadable)}

    def to_frame(self) -> pd.DataFrame:
        """One row per leak: ``file``, ``column``, ``kind`` and the ``masked`` value."""
        return pd.DataFrame([vars(x) for x in self.leaks],
                            columns=["file", "column", "kind", "masked"])


def _mask(value: str) -> str:
    return value[:1] + "*" * max(len(value) - 1, 0)


def _norm(text: str) -> str:
    return " ".join(normalise(str(text)).split())


def identifier_values(df: pd.DataFrame, schema: Standard | None = None) -> dict[str, set[str]]:
    """Normalised values of the direct-identifier columns of an input table, by column.

    Parameters
    ----------
    df : pandas.DataFrame
        The sensitive input.
    schema : Standard, optional
        The table's own schema: its direct-identifier columns are searched as well as those of
        the input standard and those recognised by name and content.

    Returns
    -------
    dict
        Column name to the set of its normalised values.
    """
    std = load_standard("input")
    own = list(schema.direct_identifiers) if schema is not None else []
    cols = [c for c in list(std.direct_identifiers) + list(_EXTRA) + own if c in df]
    cols = list(dict.fromkeys(cols))
    found = list(detect_identifiers(df).identifiers)
    free_text = set(std.columns_with_role("free_text"))
    if schema is not None:
        free_text |= set(schema.columns_with_role("free_text"))
    cols += [c for c in found if c in df and c not in cols and c not in free_text]
    out: dict[str, set[str]] = {}
    for c in cols:
        raw = pd.unique(df[c].dropna().astype(str))
        vals = {_norm(v) for v in raw if str(v).strip()}
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


@dataclass(frozen=True)
class _Forms:
    """How one identifier value is searched."""

    words: tuple[tuple[str, int], ...]  # squeezed word sequences (with and without a
    #                                    title), each with the most text words it may span
    short: bool                  # only as a whole data cell
    digits: tuple[str, ...]      # digit strings looked for inside digit runs
    unspaced: tuple[str, str] | None  # (script, text) searched inside unspaced runs
    long: bool = False           # more words than a word sequence holds: searched as text


def _forms(value: str, kind: str) -> _Forms | None:
    """The forms of a normalised value, or ``None`` when it is not an identifier to search."""
    if value in _PLACEHOLDERS:
        return None
    toks = tokens(value)
    squeezed = "".join(toks)
    if not squeezed:
        return None
    digits = "".join(c for c in squeezed if c.isdigit())
    letters = len(squeezed) - len(digits)
    digit_forms: tuple[str, ...] = ()
    if kind in ("phone", "ID number", "case number", "identifier"):
        need = _MIN_DIGITS if letters == 0 else _MIN_MIXED
        if len(digits) >= need:
            digit_forms = (digits[-_PHONE_TAIL:],) if kind == "phone" else (digits,)
    if letters == 0:  # a plain number: an identifier only through its digits
        if not digit_forms:
            return None
        number = ((squeezed, _span(toks)),) if len(digits) >= _MIN_DIGITS else ()
        return _Forms(number, False, digit_forms, None)
    words = {(squeezed, _span(toks))}
    bare = strip_title(toks)
    if bare is not toks and len("".join(bare)) >= _MIN_TEXT:
        words.add(("".join(bare), _span(bare)))
    script = script_of(squeezed)
    unspaced = None
    if script in UNSPACED:
        text = "".join(t for t in toks if script_of(t) == script)
        if len(text) >= _MIN_UNSPACED:
            unspaced = (script, text)
    return _Forms(tuple(sorted(words)), len(squeezed) < _MIN_TEXT, digit_forms, unspaced,
                  len(toks) > _MAX_GRAM)


def _span(toks: list[str]) -> int:
    """How many words of a text a value may be spread over: its own words, or its runs of
    letters and of digits (``MC823186`` may be written ``MC-823186``), never more: ``li li``
    in a web page is not the name ``Lili``."""
    return max(len(toks), sum(len(_PARTS.findall(t)) for t in toks))


class _Index:
    """What one file holds, for set look-ups: whole cells, word sequences, digit runs and
    runs of unspaced scripts."""

    def __init__(self, text: FileText) -> None:
        self.cells: set[str] = set()
        self.grams: dict[str, int] = {}  # word sequence squeezed -> fewest words it spans
        self.digits: set[str] = set()
        self.unspaced: dict[str, set[str]] = {}
        flat: list[str] = []  # every piece squeezed, for values longer than _MAX_GRAM words
        seen: set[tuple[str, int]] = set()
        for piece in text.pieces:
            if (piece.text, piece.kind) in seen:
                continue
            seen.add((piece.text, piece.kind))
            norm = normalise(piece.text)
            toks = tokens(norm)
            whole = "".join(toks)
            if piece.kind == TABLE:
                self.cells.add(whole)
            if len(toks) > _MAX_GRAM:
                flat.append(whole)
            self._grams(toks)
            self.digits |= digit_runs(_HEX.sub(" ", norm), _MIN_DIGITS)
            for t in toks:
                script = script_of(t)
                if script in UNSPACED:
                    self.unspaced.setdefault(script, set()).add(t)
        self.flat = "\x00".join(flat)

    def _grams(self, toks: list[str]) -> None:
        n = len(toks)
        grams = self.grams
        for i in range(n):
            for first in (toks[i], *title_splits(toks[i])):
                joined = first
                if grams.get(joined, _MAX_GRAM + 1) > 1:
                    grams[joined] = 1
                for j in range(i + 1, min(i + _MAX_GRAM, n)):
                    joined += toks[j]
                    k = j - i + 1
                    if grams.get(joined, _MAX_GRAM + 1) > k:
                        grams[joined] = k

    def finds(self, forms: _Forms, public: frozenset[str]) -> bool:
        """Whether the value is in this file."""
        for w, most in forms.words:
            if w in self.cells:
                if not (forms.short and w in public):
                    return True
            elif not forms.short and w not in public and self.grams.get(w, _NEVER) <= most:
                return True
        if forms.long and any(w in self.flat for w, _ in forms.words):
            return True
        if forms.digits and any(d in run for d in forms.digits for run in self.digits):
            return True
        if forms.unspaced is not None and not forms.short:
            script, text = forms.unspaced
            for run in self.unspaced.get(script, ()):
                if text not in run:
                    continue
                if script == "thai":
                    if thai_match(run, text):
                        return True
                elif _aligned_anywhere(run, text):
                    return True
        return False


def _aligned_anywhere(run: str, text: str) -> bool:
    start = run.find(text)
    while start >= 0:
        if cluster_aligned(run, start, start + len(text)):
            return True
        start = run.find(text, start + 1)
    return False


@lru_cache(maxsize=1)
def public_vocabulary() -> frozenset[str]:
    """Word sequences of htwork's standards as published (field descriptions, category labels
    such as country names; not htwork's own annotations) and common English words, squeezed as
    the scan compares them. A name that is also, say, a country ("Jordan", "Hong Kong") or a
    word ("Mean") is not counted as a leak in text; as a whole data cell it is."""
    from faker.providers.lorem.en_US import Provider

    text = FileText()
    for name in ("release", "input"):
        descriptor = load_standard(name).to_frictionless(public=True)
        text.add(json.dumps(descriptor, indent=2, ensure_ascii=False))
    ix = _Index(text)
    # everyday English (Faker's list of ~1,000 common words): "mean" in "mean_relative_error"
    # is not the surname Mean; such a name is still a leak as a whole data cell
    return frozenset(ix.grams) | {normalise(w) for w in Provider.word_list}


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def scan(folder: str | Path, against: str | Path | pd.DataFrame, *,
         keys: list[bytes] | None = None,
         values: dict[str, set[str]] | None = None,
         max_expanded: int = MAX_EXPANDED, schema: Standard | None = None) -> ScanResult:
    """Look for the input's direct identifiers (and pseudonymisation keys) in a folder.

    Parameters
    ----------
    folder : str or Path
        A release folder (every file under it is read, whatever its format).
    against : str, Path or DataFrame
        The sensitive input (a file readable by :func:`htwork.io.read_table`, in the input
        standard, or the frame itself).
    keys : list of bytes, optional
        Pseudonymisation keys that must not appear (raw, hexadecimal or base64).
    values : dict, optional
        :func:`identifier_values` of ``against``, when already computed.
    max_expanded : int
        Most bytes one file's archives and compressed streams may expand to; a file that
        expands further is reported as not scanned whole (and the scan does not pass).
    schema : Standard, optional
        The input's own schema (:func:`htwork.standards.profile` or a saved YAML): the values
        of its direct-identifier columns are searched too.

    Returns
    -------
    ScanResult
        ``result.ok`` is True when nothing was found and every file was read whole;
        ``result.leaks`` names file, input column and kind (the value itself only masked).
    """
    from htwork.io import read_table

    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("the release folder does not exist", file=folder)
    if values is None:
        df = against if isinstance(against, pd.DataFrame) else read_table(against)
        values = identifier_values(df, schema)
    files = _files(folder)
    texts = {p: read_file(p, str(p.relative_to(folder)), budget=max_expanded) for p in files}
    index = {p: _Index(t) for p, t in texts.items()}
    public = public_vocabulary()
    leaks: list[Leak] = []
    n = 0
    for col, vals in values.items():
        kind = _kind(col)
        for v in sorted(vals):
            n += 1
            forms = _forms(v, kind)
            if forms is None:
                continue
            for p, ix in index.items():
                if ix.finds(forms, public):
                    leaks.append(Leak(str(p.relative_to(folder)), col, kind, _mask(v)))
    leaks += _key_leaks(folder, files, texts, keys or [])
    unreadable = [f"{p.relative_to(folder)}: {problem}" for p, t in texts.items()
                  for problem in t.problems]
    return ScanResult([str(p.relative_to(folder)) for p in files], n, leaks, unreadable)


def _key_leaks(folder: Path, files: Iterable[Path], texts: dict[Path, FileText],
               keys: list[bytes]) -> list[Leak]:
    out: list[Leak] = []
    for key in keys:
        forms = {key.hex(), base64.b64encode(key).decode(), base64.urlsafe_b64encode(key).decode()}
        for p in files:
            raw = p.read_bytes()
            joined = "\n".join(normalise(piece.text) for piece in texts[p].pieces)
            if key in raw or any(f.encode() in raw or f.lower() in joined for f in forms):
                out.append(Leak(str(p.relative_to(folder)), "(key)", "pseudonymisation key",
                                "****"))
    return out
