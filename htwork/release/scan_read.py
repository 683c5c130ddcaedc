"""Reading every file of a folder as a person would see it, for the leak scan.

A file is recognised by its first bytes before its extension (a gzip named ``.csv`` is read as
gzip) and turned into :class:`Piece` s of text:

* CSV/TSV: every cell, the header included; Parquet: column names, every distinct value, the
  schema's and the file's key-value metadata (pandas' JSON included); XLSX and other ZIP files:
  every member (cells, shared strings, sheet names, document properties), recursively;
* JSON: every key and value, ``\\u`` escapes decoded; YAML: the raw text (comments) and every
  parsed value, escapes decoded; HTML/XML/SVG: the text with tags and entities resolved, every
  text node and attribute value, comments included; Markdown: the text, entities resolved, and
  table cells; PNG: ``tEXt``, ``zTXt``, ``iTXt`` and other ancillary chunks;
* gzip, bzip2 and xz are decompressed; text in UTF-16/32 (with or without a byte-order mark),
  UTF-8 or a legacy code page (Thai Windows-874, ...) is decoded;
* anything else: its printable runs of UTF-8 and UTF-16 text (as the ``strings`` tool shows);
* the file's own name and folders.

Decompression is bounded (:data:`MAX_EXPANDED` bytes per file, :data:`MAX_DEPTH` levels of
nesting); what cannot be read whole is reported, never skipped silently.
"""

from __future__ import annotations

import base64
import binascii
import bz2
import csv
import html
import io
import json
import lzma
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["PROSE", "VALUE", "TABLE", "Piece", "FileText", "read_file", "decode_text",
           "MAX_EXPANDED", "MAX_DEPTH"]

#: Most bytes one file may expand to (archives and compressed streams) before it is reported
#: as too large to scan whole.
MAX_EXPANDED = 1 << 30
#: Archives inside archives are opened this many levels deep.
MAX_DEPTH = 4
_MAX_PARSE = 64 << 20  # JSON/YAML parsed as structures up to this size (raw text always read)

_PNG = b"\x89PNG\r\n\x1a\n"
_TEXT_SUFFIXES = {".md", ".txt", ".markdown", ".rst", ".log", ".py", ".r", ".sql", ".ini",
                  ".cfg", ".toml", ".tex", ".bib", ".ipynb"}
_MARKUP = {".html", ".htm", ".xhtml", ".xml", ".svg", ".rels", ".vml", ".xsd", ".kml"}
_JSON = {".json", ".geojson", ".jsonld", ".ipynb", ".webmanifest"}
_TAG = re.compile(r"<[^<>]*>")
_ATTR = re.compile(r"""=\s*(?:"([^"]*)"|'([^']*)')""")
_DATA_URI = re.compile(r"data:([\w.+/-]*)(?:;[\w=.-]+)*;base64,([A-Za-z0-9+/=\s]+)")
_COMMENT = re.compile(r"<!--(.*?)-->|<!\[CDATA\[(.*?)\]\]>", re.S)
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_PRINTABLE = re.compile(rb"[\x20-\x7e\t]{4,}|(?:[\xc2-\xf4][\x80-\xbf]{1,3}){2,}")
_UTF16 = re.compile(rb"(?:[\x20-\x7e]\x00){4,}|(?:[\x00-\xff][\x0e\x10\x17]){3,}")


#: Kinds of piece: running text, a value on its own (a JSON or YAML value, an HTML text node,
#: metadata, a column or file name), a cell of a data table (CSV, Parquet, spreadsheet).
PROSE, VALUE, TABLE = 0, 1, 2


@dataclass(frozen=True)
class Piece:
    """A text of a file and its kind (:data:`PROSE`, :data:`VALUE` or :data:`TABLE`)."""

    text: str
    kind: int = PROSE


@dataclass
class FileText:
    """Everything readable in one file: its pieces and what could not be read."""

    pieces: list[Piece] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    expanded: int = 0

    def add(self, text: str, kind: int = PROSE) -> None:
        if text and not text.isspace():
            self.pieces.append(Piece(text, kind))

    def cells(self, values: Any, kind: int = TABLE) -> None:
        for v in values:
            self.add(v if isinstance(v, str) else _as_text(v), kind)


def _as_text(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e19:
        return str(int(value))  # a phone stored as a number: 66812345678.0
    if isinstance(value, bytes):
        return decode_text(value)
    return str(value)


# ---------------------------------------------------------------- decoding

def decode_text(data: bytes) -> str:
    """Bytes as text: BOM, BOM-less UTF-16, UTF-8, or the legacy encoding htwork.io detects."""
    from htwork.io.encoding import detect_encoding

    if not data:
        return ""
    if b"\x00" not in data[: 1 << 16]:  # UTF-16 text of Thai or ASCII is valid UTF-8 too
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    guess = detect_encoding(data)
    text = data.decode(guess.encoding, errors="replace")
    return text[1:] if text.startswith("\ufeff") else text


def _looks_binary(data: bytes) -> bool:
    from htwork.io.encoding import sniff_binary

    return sniff_binary(data[: 1 << 20]) is not None


# ---------------------------------------------------------------- formats

def _csv(text: str, out: FileText, suffix: str) -> None:
    from htwork.io.delimited import sniff_delimiter

    delimiter = "\t" if suffix in (".tsv", ".tab") else sniff_delimiter(text)
    seen: set[str] = set()
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            seen.update(row)
    except csv.Error:
        out.add(text)
        return
    out.cells(sorted(seen))


def _walk(obj: Any, out: FileText) -> None:
    """Keys and values of parsed JSON/YAML (aliases visited once)."""
    stack, seen = [obj], set()
    while stack:
        item = stack.pop()
        if isinstance(item, dict | list | tuple):
            if id(item) in seen:
                continue
            seen.add(id(item))
            if isinstance(item, dict):
                for k, v in item.items():
                    out.add(_as_text(k), VALUE)
                    stack.append(v)
            else:
                stack.extend(item)
        else:
            out.add(_as_text(item), VALUE)


def _json(text: str, out: FileText) -> None:
    out.add(text)
    if "\\u" in text:
        out.add(_JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text))
    if len(text) > _MAX_PARSE:
        return
    try:
        _walk(json.loads(text), out)
        return
    except (ValueError, RecursionError):
        pass
    for line in text.splitlines():  # JSON Lines
        try:
            _walk(json.loads(line), out)
        except (ValueError, RecursionError):
            continue


def _yaml(text: str, out: FileText) -> None:
    import yaml

    out.add(text)  # comments included
    if len(text) > _MAX_PARSE:
        return
    try:
        for doc in yaml.safe_load_all(text):
            _walk(doc, out)
    except (yaml.YAMLError, RecursionError, ValueError):
        pass


def _markup(text: str, out: FileText, xml_cells: bool = False, depth: int = 0,
            budget: int = MAX_EXPANDED) -> None:
    if "base64," in text:  # embedded files (figures as data: URIs) are read as files
        def embedded(m: re.Match[str]) -> str:
            try:
                raw = base64.b64decode(m.group(2), validate=False)
            except (ValueError, binascii.Error):
                return m.group()
            out.expanded += len(raw)
            _read(raw, "embedded." + (m.group(1).split("/")[-1] or "bin"), out, depth + 1,
                  budget)
            return " "

        text = _DATA_URI.sub(embedded, text)
    out.add(html.unescape(_TAG.sub(" ", text)))  # tags and attributes are read below
    for m in _COMMENT.finditer(text):
        out.add(html.unescape(m.group(1) or m.group(2) or ""))
    kind = TABLE if xml_cells else VALUE
    out.cells((html.unescape(t).strip() for t in _TAG.split(text)), kind)
    out.cells((html.unescape(a or b).strip() for a, b in _ATTR.findall(text)), VALUE)


def _markdown(text: str, out: FileText, depth: int = 0, budget: int = MAX_EXPANDED) -> None:
    out.add(text)
    if "&" in text:
        out.add(html.unescape(text))
    if "<" in text:
        _markup(text, out, depth=depth, budget=budget)
    for line in text.splitlines():
        if line.count("|") >= 2:
            out.cells((html.unescape(c).strip() for c in line.strip().strip("|").split("|")),
                      VALUE)


def _png(data: bytes, out: FileText, budget: int) -> None:
    pos = len(_PNG)
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind in (b"IDAT", b"IHDR", b"PLTE", b"IEND"):
            if kind == b"IEND":
                break
            continue
        try:
            if kind == b"tEXt":
                key, _, text = body.partition(b"\x00")
                out.add(key.decode("latin-1"), VALUE)
                out.add(text.decode("latin-1"), VALUE)
            elif kind == b"zTXt":
                key, _, rest = body.partition(b"\x00")
                out.add(key.decode("latin-1"), VALUE)
                out.add(_inflate(rest[1:], budget, out).decode("latin-1"), VALUE)
            elif kind == b"iTXt":
                key, _, rest = body.partition(b"\x00")
                compressed, rest = rest[0], rest[2:]
                lang, _, rest = rest.partition(b"\x00")
                translated, _, text = rest.partition(b"\x00")
                raw = _inflate(text, budget, out) if compressed else text
                for part in (key, lang, translated, raw):
                    out.add(part.decode("utf-8", errors="replace"), VALUE)
            else:  # eXIf and any other ancillary chunk: its printable text
                _strings(body, out)
        except (zlib.error, IndexError):
            out.problems.append(f"a {kind.decode('latin-1')} chunk could not be read")


def _inflate(data: bytes, budget: int, out: FileText) -> bytes:
    d = zlib.decompressobj()
    raw = d.decompress(data, budget + 1)
    if len(raw) > budget:
        out.problems.append("a compressed part expands beyond the scan's limit")
        return raw[:budget]
    return raw


def _strings(data: bytes, out: FileText) -> None:
    """Printable runs, as the ``strings`` tool shows them (UTF-8 and UTF-16)."""
    for m in _PRINTABLE.finditer(data):
        out.add(m.group().decode("utf-8", errors="replace"))
    for m in _UTF16.finditer(data):
        out.add(m.group().decode("utf-16-le", errors="replace"))


def _parquet(data: bytes, out: FileText) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(pa.BufferReader(data))
        schema = pf.schema_arrow
        meta = pf.metadata
    except (pa.ArrowException, OSError, ValueError) as exc:
        out.problems.append(f"not a readable Parquet file ({exc})")
        _strings(data, out)
        return
    out.add(str(meta.created_by or ""), VALUE)
    kv = dict(schema.metadata or {})
    kv.update(meta.metadata or {})
    for f in schema:
        kv.update({(f.name + ":" + k.decode("utf-8", "replace")).encode(): v
                   for k, v in (f.metadata or {}).items()})
    for k, v in kv.items():
        out.add(k.decode("utf-8", errors="replace"), VALUE)
        text = v.decode("utf-8", errors="replace")
        if text.lstrip()[:1] in ("{", "["):
            _json(text, out)
        else:
            out.add(text, VALUE)
    out.cells(schema.names)
    try:
        table = pf.read()
    except (pa.ArrowException, OSError, ValueError) as exc:
        out.problems.append(f"the Parquet data could not be read ({exc})")
        return
    for name in table.column_names:
        col = table.column(name)
        try:
            values = pc.unique(col).to_pylist()
        except pa.ArrowException:
            values = col.to_pylist()
        out.cells(values)


def _zip(data: bytes, out: FileText, depth: int, budget: int) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        out.problems.append(f"not a readable ZIP archive ({exc})")
        _strings(data, out)
        return
    out.cells((i.filename for i in infos), VALUE)
    out.add(archive.comment.decode("utf-8", errors="replace"))
    for info in infos:
        if info.is_dir():
            continue
        if out.expanded + info.file_size > budget:
            out.problems.append(f"{info.filename}: too large to scan whole")
            continue
        try:
            with archive.open(info) as fh:
                member = fh.read(budget - out.expanded + 1)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError,
                zlib.error) as exc:
            out.problems.append(f"{info.filename}: could not be read ({exc})")
            continue
        out.expanded += len(member)
        _read(member, info.filename, out, depth + 1, budget)


def _decompress(data: bytes, kind: str, out: FileText, budget: int) -> bytes | None:
    left = budget - out.expanded
    try:
        if kind == "gzip":
            d: Any = zlib.decompressobj(47)
            raw = d.decompress(data, left + 1)
            while not d.eof and d.unused_data and len(raw) <= left:  # concatenated members
                rest = d.unused_data
                d = zlib.decompressobj(47)
                raw += d.decompress(rest, left + 1 - len(raw))
        elif kind == "bzip2":
            raw = bz2.BZ2Decompressor().decompress(data, left + 1)
        else:
            raw = lzma.LZMADecompressor().decompress(data, left + 1)
    except (zlib.error, OSError, lzma.LZMAError, EOFError, ValueError) as exc:
        out.problems.append(f"the {kind} stream could not be read ({exc})")
        return None
    if len(raw) > left:
        out.problems.append(f"the {kind} stream expands beyond the scan's limit")
        raw = raw[:left]
    out.expanded += len(raw)
    return raw


def _read(data: bytes, name: str, out: FileText, depth: int, budget: int) -> None:
    suffix = Path(name).suffix.lower()
    if depth > MAX_DEPTH:
        out.problems.append(f"{name}: nested more than {MAX_DEPTH} levels deep")
        return
    if data.startswith(_PNG):
        _png(data, out, budget)
        return
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        _zip(data, out, depth, budget)
        return
    for magic, kind in ((b"\x1f\x8b", "gzip"), (b"BZh", "bzip2"), (b"\xfd7zXZ\x00", "xz")):
        if data.startswith(magic):
            raw = _decompress(data, kind, out, budget)
            if raw is not None:
                inner = name[: -len(suffix)] if suffix in (".gz", ".bz2", ".xz", ".tgz") \
                    else name
                _read(raw, inner, out, depth + 1, budget)
            return
    if data.startswith(b"PAR1"):
        _parquet(data, out)
        return
    if _looks_binary(data):
        _strings(data, out)
        return
    text = decode_text(data)
    if suffix in (".csv", ".tsv", ".tab"):
        _csv(text, out, suffix)
    elif suffix in _JSON or text.lstrip()[:1] in ("{", "["):
        _json(text, out)
    elif suffix in (".yaml", ".yml"):
        _yaml(text, out)
    elif suffix in _MARKUP or text.lstrip()[:1] == "<":
        # spreadsheet cells are XML text nodes
        _markup(text, out, xml_cells=suffix == ".xml", depth=depth, budget=budget)
    else:
        _markdown(text, out, depth, budget)


def read_file(path: Path, relative: str, *, budget: int = MAX_EXPANDED) -> FileText:
    """Every piece of text in one file, and its name.

    Parameters
    ----------
    path : Path
        The file.
    relative : str
        Its path inside the folder scanned (its name and folders are pieces too).
    budget : int
        Most bytes its archives and compressed streams may expand to.

    Returns
    -------
    FileText
    """
    out = FileText()
    parts = Path(relative).parts
    out.cells(parts, VALUE)
    out.cells((Path(p).stem for p in parts), VALUE)
    try:
        data = path.read_bytes()
    except OSError as exc:
        out.problems.append(f"could not be read ({exc.strerror or exc})")
        return out
    _read(data, path.name, out, 0, budget)
    return out
