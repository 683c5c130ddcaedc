"""Normalising text the way the leak scan compares it: what a person would read as the same.

* Unicode NFKC (full-width letters and digits, ligatures), then every decimal digit of any
  script (Thai ``๐-๙``, Lao ``໐-໙``, Myanmar ``၀-၉``, Khmer ``០-៩``, ...) as ASCII;
* accents of Latin letters stripped (``Thị Đào`` and ``Thi Dao`` are one name), case folded;
* tokens: runs of letters, marks and digits, cut where the script changes (Thai text glued to a
  phone number is two tokens) and at underscores; spaces and punctuation between tokens are
  ignored when a value is compared (``Tint Zeya Thein``, ``TintZeyaThein`` and
  ``Tint-Zeya-Thein`` match);
* personal titles (``htwork/standards/data/personal_titles.csv``: Mr, นาย, ທ້າວ, លោក, ဦး, Ông,
  Daw, ...) glued to a name are split off (``MrSomchai``, ``ນາງແສງດາວ``);
* digit runs: digits joined across the separators people put in phone and ID numbers (spaces,
  hyphens, en- and em-dashes, underscores, dots, slashes, brackets), never across a line end;
* Thai: word boundaries from PyThaiNLP's ``newmm`` segmenter (its bundled dictionary; nothing is
  downloaded) and Thai character clusters, so that a name inside unspaced Thai prose is found
  while a short name inside a longer word is not.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

__all__ = [
    "normalise",
    "tokens",
    "squeeze",
    "digit_runs",
    "titles",
    "strip_title",
    "title_splits",
    "script_of",
    "UNSPACED",
    "thai_boundaries",
    "cluster_aligned",
]

#: Scripts written without spaces between words: a name is searched inside their runs.
UNSPACED = ("thai", "lao", "myanmar", "khmer")

_RANGES = {
    "thai": ("\u0e00", "\u0e7f"),
    "lao": ("\u0e80", "\u0eff"),
    "myanmar": ("\u1000", "\u109f"),
    "khmer": ("\u1780", "\u17ff"),
}
# punctuation inside those blocks that separates words (ฯ ๏ ๚ ๛, ຯ, ၊ ။, ។ ៕ ៖ ៗ ៘ ៙ ៚)
_SEA_PUNCT = "\u0e2f\u0e4f\u0e5a\u0e5b\u0eaf\u104a\u104b\u17d4\u17d5\u17d6\u17d8\u17d9\u17da"
_SEA = "".join(f"{a}-{b}" for a, b in _RANGES.values())
_TOKEN = re.compile(
    "|".join([f"[{a}-{b}]+" for a, b in _RANGES.values()]  # one token per script run
             + [rf"[^\W_{_SEA}]+"])                        # letters and digits of other scripts
)
_SCRIPT_PATTERNS = {name: re.compile(f"[{a}-{b}]") for name, (a, b) in _RANGES.items()}
_LATIN_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_LETTERS = str.maketrans({"đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l",
                          "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ð": "d", "Ð": "d",
                          "þ": "th", "Þ": "th", "ı": "i", "ħ": "h", "Ħ": "h"})
_DIGIT_SEPARATORS = re.compile(
    r"(?<=\d)[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000\-\u2010-\u2015\u2212_.,:()/+\\]+(?=\d)"
)
_RUN = re.compile(r"\d+")


@lru_cache(maxsize=1)
def _digit_table() -> dict[int, str]:
    """Every decimal digit of the Basic Multilingual Plane that is not ASCII, to ASCII."""
    table: dict[int, str] = {}
    for code in range(0x80, 0x10000):
        ch = chr(code)
        if unicodedata.category(ch) == "Nd":
            table[code] = str(unicodedata.decimal(ch))
    return table


def normalise(text: str) -> str:
    """NFKC, digits of every script as ASCII, Latin accents stripped, case folded.

    Examples
    --------
    >>> normalise("Thị ĐÀO ๐๘๑")
    'thi dao 081'
    """
    text = unicodedata.normalize("NFKC", text).translate(_digit_table())
    if "\u0e4d" in text or "\u0ecd" in text:  # NFKC splits Thai/Lao SARA AM; put it back
        text = text.replace("\u0e4d\u0e32", "\u0e33").replace("\u0ecd\u0eb2", "\u0eb3")
    if not text.isascii():
        text = _LATIN_MARKS.sub("", unicodedata.normalize("NFD", text.translate(_LETTERS)))
        text = unicodedata.normalize("NFC", text)
    return text.casefold()


def tokens(normalised: str) -> list[str]:
    """Word tokens of normalised text: runs of one script, underscores and punctuation cut."""
    return _TOKEN.findall(normalised)


def squeeze(normalised: str) -> str:
    """The tokens of normalised text joined without spaces: how a value is compared."""
    return "".join(tokens(normalised))


def digit_runs(normalised: str, minimum: int) -> set[str]:
    """Runs of at least ``minimum`` digits, joined across separators but not across lines.

    Examples
    --------
    >>> sorted(digit_runs("call 081–234_5678 or (02) 123 4567\\n2019", 7))
    ['021234567', '0812345678']
    """
    out: set[str] = set()
    for line in normalised.splitlines():
        if sum(c.isdigit() for c in line) < minimum:
            continue
        joined = _DIGIT_SEPARATORS.sub("", line)
        out.update(r for r in _RUN.findall(joined) if len(r) >= minimum)
    return out


@lru_cache(maxsize=1)
def titles() -> tuple[str, ...]:
    """Personal titles (normalised, squeezed), longest first."""
    text = resources.files("htwork.standards").joinpath("data", "personal_titles.csv") \
        .read_text(encoding="utf-8")
    found = {squeeze(normalise(line.split(",")[0])) for line in text.splitlines()[1:] if line}
    return tuple(sorted((t for t in found if t), key=lambda t: (-len(t), t)))


def strip_title(squeezed_tokens: list[str]) -> list[str]:
    """Tokens of a value without a leading title (a token that is a title, or glued to one)."""
    if not squeezed_tokens:
        return squeezed_tokens
    first = squeezed_tokens[0]
    if first in titles() and len(squeezed_tokens) > 1:
        return squeezed_tokens[1:]
    return squeezed_tokens


@lru_cache(maxsize=1)
def _titles_by_initial() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for t in titles():
        out.setdefault(t[0], []).append(t)
    return {k: tuple(v) for k, v in out.items()}


def title_splits(token: str) -> list[str]:
    """What remains of ``token`` after each title it starts with (at least 3 characters)."""
    if not token:
        return []
    return [token[len(t):] for t in _titles_by_initial().get(token[0], ())
            if token.startswith(t) and len(token) - len(t) >= 3]


def script_of(text: str) -> str | None:
    """``"thai"``, ``"lao"``, ``"myanmar"`` or ``"khmer"`` if ``text`` holds that script."""
    if text.isascii():
        return None
    for name, pattern in _SCRIPT_PATTERNS.items():
        if pattern.search(text):
            return name
    return None


def is_sea_punctuation(ch: str) -> bool:
    return ch in _SEA_PUNCT


@lru_cache(maxsize=256)
def thai_boundaries(run: str) -> frozenset[int]:
    """Word boundaries of a Thai run (offsets), from PyThaiNLP's ``newmm`` segmenter."""
    from pythainlp.tokenize import word_tokenize

    pos, out = 0, {0}
    for word in word_tokenize(run, engine="newmm", keep_whitespace=False):
        at = run.find(word, pos)
        if at < 0:
            continue
        pos = at + len(word)
        out.update((at, pos))
    return frozenset(out)


@lru_cache(maxsize=256)
def _thai_clusters(run: str) -> frozenset[int]:
    from pythainlp.tokenize.tcc import tcc_pos

    return frozenset(tcc_pos(run)) | {0, len(run)}


def cluster_aligned(run: str, start: int, end: int) -> bool:
    """Whether ``run[start:end]`` neither starts nor ends inside a written character (a mark
    never begins a match, and the match is not followed by a mark of its last letter)."""
    if unicodedata.category(run[start])[0] == "M":
        return False
    return end >= len(run) or unicodedata.category(run[end])[0] != "M"


def thai_match(run: str, value: str, *, long: int = 5) -> bool:
    """Whether the Thai ``value`` appears in ``run`` as words: between ``newmm`` word
    boundaries, or (``long`` characters or more) between Thai character clusters."""
    start = run.find(value)
    while start >= 0:
        end = start + len(value)
        words = thai_boundaries(run)
        if start in words and end in words:
            return True
        if len(value) >= long:
            clusters = _thai_clusters(run)
            if start in clusters and end in clusters:
                return True
        start = run.find(value, start + 1)
    return False
