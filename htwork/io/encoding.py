"""Text encodings: detect them, decode with them, and say which bytes did not fit.

Agency exports in Southeast Asia arrive as UTF-8 (with or without a byte-order mark), Excel
"Unicode text" (UTF-16 LE with a BOM, tab-separated), Windows-874 / TIS-620 for Thai,
Windows-1258 for Vietnamese, Windows-1252 for Latin-script languages, and now and then GB18030 or
Big5. :func:`detect_encoding` tries, in order:

1. byte-order marks (UTF-32, UTF-8, UTF-16);
2. UTF-16 without a BOM, recognised by its pattern of NUL bytes;
3. strict UTF-8 (pure ASCII counts as UTF-8);
4. a Thai check: bytes 0xA1-0xFB that decode as Windows-874 into well-formed Thai syllables;
5. charset-normalizer, restricted to the region's plausible legacy encodings;
6. Windows-1252, then latin-1, as a last resort (low confidence).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import numpy as np

from htwork.errors import EncodingError

__all__ = [
    "EncodingGuess",
    "detect_encoding",
    "describe_encoding",
    "bom_encoding",
    "sniff_binary",
    "normalise_encoding",
]

#: charset-normalizer is only allowed to choose among these (after the checks above).
REGIONAL_ENCODINGS = ("cp874", "cp1258", "cp1252", "gb18030", "big5")

_SAMPLE = 1 << 20  # bytes looked at by the statistical checks

_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_OLE2 = "old Microsoft Office file, perhaps an Excel .xls workbook"
_MAGIC = (  # what a file that is not text often starts with
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "ZIP archive, perhaps an Excel .xlsx workbook"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", _OLE2),
    (b"PAR1", "Parquet file"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!", "RAR archive"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\x7fELF", "program (ELF executable)"),
    (b"MZ", "Windows program"),
)

_DESCRIPTIONS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with a byte-order mark",
    "utf-16": "UTF-16 (Excel 'Unicode text')",
    "utf-16-le": "UTF-16 LE (Excel 'Unicode text')",
    "utf-16-be": "UTF-16 BE",
    "utf-32": "UTF-32",
    "utf-32-le": "UTF-32 LE",
    "utf-32-be": "UTF-32 BE",
    "cp874": "windows-874 (Thai)",
    "tis-620": "TIS-620 (Thai)",
    "iso8859-11": "ISO 8859-11 (Thai)",
    "cp1258": "windows-1258 (Vietnamese)",
    "cp1252": "windows-1252 (Western European)",
    "iso8859-1": "latin-1 (Western European)",
    "gb18030": "GB18030 (Simplified Chinese)",
    "gbk": "GBK (Simplified Chinese)",
    "gb2312": "GB2312 (Simplified Chinese)",
    "big5": "Big5 (Traditional Chinese)",
    "ascii": "ASCII",
}


@dataclass(frozen=True)
class EncodingGuess:
    """The result of :func:`detect_encoding`.

    Attributes
    ----------
    encoding : str
        A Python codec name (``"utf-8"``, ``"utf-8-sig"``, ``"utf-16-le"``, ``"cp874"``, ...).
    confidence : float
        From 0 (a guess) to 1 (certain: a byte-order mark, or valid UTF-8).
    bom : bool
        Whether the data starts with a byte-order mark.
    """

    encoding: str
    confidence: float
    bom: bool

    def describe(self) -> str:
        """The encoding's name for people, e.g. ``"windows-874 (Thai)"``."""
        return describe_encoding(self.encoding)


#: Names Python's codec registry lacks (it knows Windows-874 only as ``cp874``).
_ALIASES = {"windows-874": "cp874", "windows874": "cp874", "windows_874": "cp874",
            "x-windows-874": "cp874", "ms874": "cp874", "ibm874": "cp874"}


def _lookup(encoding: str) -> str:
    return codecs.lookup(_ALIASES.get(encoding.strip().lower(), encoding.strip())).name


def normalise_encoding(encoding: str) -> str:
    """Return Python's canonical codec name for ``encoding`` (``"windows-874"`` -> ``"cp874"``).

    Parameters
    ----------
    encoding : str
        Any name Python knows for a codec.

    Returns
    -------
    str

    Raises
    ------
    htwork.errors.EncodingError
        If Python has no such codec.
    """
    try:
        return _lookup(encoding)
    except LookupError:
        raise EncodingError(
            f"unknown text encoding {encoding!r}",
            hint="use a name such as 'utf-8', 'cp874' (Thai), 'cp1258' (Vietnamese) or "
            "'utf-16'; or leave the encoding out to have it detected",
        ) from None


def describe_encoding(encoding: str) -> str:
    """Name an encoding for people, e.g. ``"cp874"`` -> ``"windows-874 (Thai)"``.

    Parameters
    ----------
    encoding : str
        A codec name.

    Returns
    -------
    str
    """
    try:
        name = _lookup(encoding)
    except LookupError:
        return encoding
    return _DESCRIPTIONS.get(name, name)


def bom_encoding(data: bytes) -> str | None:
    """Return the codec named by ``data``'s byte-order mark, or ``None`` without one.

    Parameters
    ----------
    data : bytes
        The file's first bytes.

    Returns
    -------
    str or None
        ``"utf-8-sig"``, ``"utf-16-le"``, ``"utf-16-be"``, ``"utf-32-le"`` or ``"utf-32-be"``.
    """
    for mark, name in _BOMS:
        if data.startswith(mark):
            return name
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """Recognise BOM-less UTF-16 by NULs in the high bytes of ASCII characters."""
    n = len(sample) - len(sample) % 2
    if n < 4:
        return None
    arr = np.frombuffer(sample[:n], dtype=np.uint8)
    even_nul = float(np.mean(arr[0::2] == 0))
    odd_nul = float(np.mean(arr[1::2] == 0))
    orders = (("utf-16-le", odd_nul, even_nul), ("utf-16-be", even_nul, odd_nul))
    for name, text_nul, other_nul in orders:
        if text_nul >= 0.1 and other_nul <= 0.01:
            try:
                text = sample[:n].decode(name)
            except UnicodeDecodeError:
                # the sample may end inside a surrogate pair
                try:
                    text = sample[: n - 2].decode(name)
                except UnicodeDecodeError:
                    continue
            controls = sum(1 for ch in text if ch < " " and ch not in "\t\r\n")
            if controls <= len(text) * 0.01:
                return name
    return None


# Windows-874 byte classes (Thai letters are 0xA1-0xFB; 0xDB-0xDE are unassigned)
_CONSONANT = np.zeros(256, dtype=bool)
_CONSONANT[0xA1:0xCF] = True
_COMBINING = np.zeros(256, dtype=bool)  # vowels above/below, tone marks: follow a consonant
_COMBINING[[0xD1, *range(0xD4, 0xDB), *range(0xE7, 0xEF)]] = True
_LEADING = np.zeros(256, dtype=bool)  # vowels written before their consonant
_LEADING[0xE0:0xE5] = True
_THAI = np.zeros(256, dtype=bool)
_THAI[0xA1:0xDB] = True
_THAI[0xDF:0xFC] = True


def _thai_cp874_confidence(sample: bytes) -> float | None:
    """Return a confidence when ``sample`` reads as well-formed Thai in windows-874."""
    arr = np.frombuffer(sample, dtype=np.uint8)
    high = arr >= 0x80
    n_high = int(high.sum())
    if n_high < 2:
        return None
    if _THAI[arr[high]].mean() < 0.95 or _CONSONANT[arr[high]].mean() < 0.3:
        return None
    prev = np.concatenate(([0], arr[:-1]))
    nxt = np.concatenate((arr[1:], [0]))
    bad_combining = _COMBINING[arr] & ~(_CONSONANT[prev] | _COMBINING[prev])
    bad_leading = _LEADING[arr] & ~_CONSONANT[nxt]
    violations = int(bad_combining.sum() + bad_leading.sum())
    if violations > 0.02 * n_high:
        return None
    return 0.95 if n_high >= 20 else 0.8


_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _mostly_utf8(data: bytes) -> bool:
    """True when ``data`` is UTF-8 with a few stray runs (rows pasted from another system).

    A file whose non-ASCII text is overwhelmingly well-formed UTF-8 is read as UTF-8, and the
    rows with stray bytes are reported one by one, instead of reading the whole file in a
    legacy encoding and garbling every other row.
    """
    valid = len(_UTF8_MULTIBYTE.findall(data))
    if valid < 20:
        return False
    allowed = max(1, valid // 50)
    bad_lines = 0
    pos = 0
    while pos < len(data):
        try:
            data[pos:].decode("utf-8")
            break
        except UnicodeDecodeError as exc:
            bad_lines += 1
            if bad_lines > allowed:
                return False
            end = data.find(b"\n", pos + exc.end)
            if end < 0:
                break
            pos = end + 1
    return True


def _charset_normalizer(sample: bytes) -> EncodingGuess | None:
    from charset_normalizer import from_bytes

    best = from_bytes(sample, cp_isolation=list(REGIONAL_ENCODINGS)).best()
    if best is None:
        return None
    name = normalise_encoding(best.encoding)
    return EncodingGuess(name, round(max(0.1, 0.9 * (1.0 - best.chaos)), 2), False)


def detect_encoding(data: bytes) -> EncodingGuess:
    """Guess the text encoding of ``data``.

    Parameters
    ----------
    data : bytes
        The file's bytes (all of them: UTF-8 validity is checked on the whole; the statistical
        checks look at the first megabyte).

    Returns
    -------
    EncodingGuess

    Notes
    -----
    Binary data is not rejected here; :func:`sniff_binary` does that. A UTF-8 BOM gives
    ``"utf-8-sig"``; a UTF-16 BOM gives ``"utf-16-le"`` / ``"utf-16-be"`` with ``bom=True``
    (:func:`htwork.io.decode.decode_bytes` drops the BOM character).

    Examples
    --------
    >>> detect_encoding("ชื่อ,อายุ\\nสมชาย,30\\n".encode("cp874")).encoding
    'cp874'
    """
    bom = bom_encoding(data)
    if bom is not None:
        return EncodingGuess(bom, 1.0, True)
    sample = data[:_SAMPLE]
    utf16 = _utf16_without_bom(sample)
    if utf16 is not None:
        return EncodingGuess(utf16, 0.9, False)
    try:
        data.decode("utf-8")
        utf8 = True
    except UnicodeDecodeError as exc:
        # a file cut inside its last character is still UTF-8
        utf8 = exc.reason == "unexpected end of data" and exc.start >= len(data) - 3
    if utf8:
        return EncodingGuess("utf-8", 1.0 if sample.isascii() else 0.99, False)
    if _mostly_utf8(data):
        return EncodingGuess("utf-8", 0.6, False)
    thai = _thai_cp874_confidence(sample)
    if thai is not None:
        return EncodingGuess("cp874", thai, False)
    guess = _charset_normalizer(sample)
    if guess is not None:
        return guess
    try:
        sample.decode("cp1252")
    except UnicodeDecodeError:
        return EncodingGuess("iso8859-1", 0.05, False)
    return EncodingGuess("cp1252", 0.1, False)


def sniff_binary(data: bytes) -> str | None:
    """Say what kind of binary file ``data`` is, or ``None`` if it looks like text.

    Parameters
    ----------
    data : bytes
        The file's bytes (the first megabyte is enough).

    Returns
    -------
    str or None
        E.g. ``"PNG image"``, ``"ZIP archive, perhaps an Excel .xlsx workbook"`` or
        ``"binary data (it contains NUL bytes)"``.
    """
    if bom_encoding(data) is not None:
        return None
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            if kind == "Windows program" and not data[2:64].count(b"\x00"):
                continue  # "MZ" is also how a text file can start
            return kind
    sample = data[:_SAMPLE]
    if b"\x00" in sample and _utf16_without_bom(sample) is None:
        return "binary data (it contains NUL bytes)"
    return None
