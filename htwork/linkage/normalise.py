"""Bring names, birth dates and sex written by different agencies to one form before encoding.

Names arrive in Latin letters (with or without Vietnamese diacritics), Thai, Lao, Khmer or
Burmese script, with titles (``นาย``, ``Mr``, ``U``, ``Daw``), nicknames in brackets, family name
first or last. Each name becomes a tuple of *folded tokens*: lower-case Latin letters from which
the spelling differences of transliteration are removed, so that ``"นายสมชาย ใจดี"``,
``"Somchay Jaidee"`` and ``"JAIDEE, Somchai (Nok)"`` give the same tokens.

Transliteration uses maintained libraries where they serve: PyThaiNLP's Royal Institute
romanisation for Thai, laonlp's Lao-to-Thai letter map followed by the same romanisation for Lao,
anyascii for Vietnamese and everything else; Burmese uses :mod:`._myanmar` and Khmer
:mod:`._khmer` (no library spells them the way Myanmar and Cambodian names are written in Latin
letters; anyascii reads every Khmer vowel by its first-series value).

Folding then removes what transliteration schemes disagree on: doubled letters, the ``h`` of
aspirated consonants (``ph``/``p``, ``th``/``t``, ``kh``/``k``, ``ht``/``t``, Khmer
``chh``/``ch``), ``v``/``w``,
``x``/``s``, ``y``/``i``, ``ou``/``oo``/``u``, ``ee``/``i``, ``j``/``ch``. It is done on every
token from every script alike, so it never makes two spellings of one name differ.

A name written as one word (``LayWin``, ``HLAINGNAING``: Burmese names have no family name and
are often run together in Latin letters) is cut apart first (:func:`split_joined`).

A nickname used *instead of* the given name (``"Nok"`` for ``"Somchai"``) cannot be resolved by
normalisation (Thai nicknames bear no relation to the given name); the linkage model then relies
on the family name and the date of birth.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from htwork.linkage._khmer import romanise_khmer
from htwork.linkage._myanmar import MYANMAR_RE, romanise_myanmar

__all__ = [
    "NORMALISATION_VERSION",
    "detect_script",
    "transliterate",
    "fold_token",
    "split_joined",
    "normalise_name",
    "normalise_names",
    "normalise_dob",
    "normalise_sex",
    "CONNECTOR_TOKENS",
    "key_tokens",
]

#: Changes whenever a change here would give different tokens for the same name: encodings made
#: with different versions do not compare, and :func:`htwork.linkage.link` refuses to mix them.
NORMALISATION_VERSION = "3"

_THAI = re.compile(r"[\u0e00-\u0e7f]")
_LAO = re.compile(r"[\u0e80-\u0eff]")
_KHMER = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]")

#: Titles written before a name, as the agencies write them (native scripts: as prefixes,
#: possibly without a space; Latin: whole tokens, case and trailing dot ignored).
_NATIVE_TITLES = sorted([
    # Thai
    "นางสาว", "นาง", "นาย", "น.ส.", "ด.ช.", "ด.ญ.", "เด็กชาย", "เด็กหญิง", "ร.ต.อ.",
    # Lao
    "ທ້າວ", "ນາງ", "ທ່ານ",
    # Khmer
    "លោកស្រី", "លោក", "កញ្ញា", "អ្នកស្រី", "អ្នក",
    # Burmese (U, Daw)
    "ဦး", "ဒေါ်",
], key=len, reverse=True)
_LATIN_TITLES = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "madam", "mdm", "sir",
    "nai", "nang", "nangsao", "nangsaw", "ns",          # Thai in Latin letters
    "thao", "tao",                                       # Lao
    "lok", "loksrey", "neak", "neaksrey", "kanha",      # Khmer
    "u", "oo", "daw",                                    # Burmese (ဦး is spelled U or Oo)
    "bapak", "pak", "ibu", "bu", "sdr", "sdri",          # Indonesian
    "g", "gng", "bb",                                    # Filipino
    "encik", "cik", "puan",                              # Malay
}
#: Tokens that join names rather than name anyone (kept out of encodings).
_DROP = {"bin", "binti", "bte", "bt", "al", "ap", "a/l", "a/p", "s/o", "d/o"}
#: Very common particles (Vietnamese middle names Thi/Van, "de", "dela"): kept in the name's
#: Bloom filter but not used alone as a blocking key (they would put half a list in one block).
CONNECTOR_TOKENS = frozenset({"ti", "tii", "wan", "de", "dela", "del", "delos", "da", "dos",
                              "nguien", "nguyen"})


def key_tokens(tokens: Iterable[str]) -> list[str]:
    """The tokens of a normalised name that key it alone (blocking keys, the keyed tokens), once
    each in order: not the very common particles (:data:`CONNECTOR_TOKENS`) nor single letters."""
    return [t for t in dict.fromkeys(tokens) if t not in CONNECTOR_TOKENS and len(t) > 1]


#: First characters of the native titles (a name starting otherwise has none to strip).
_TITLE_STARTS = frozenset(t[0] for t in _NATIVE_TITLES)
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}|\"[^\"]*\"|“[^”]*”|«[^»]*»|'[^']*'")
#: Characters that open a bracket or quote (a name without any has nothing for _BRACKETS).
_BRACKET_STARTS = frozenset("([{\"“«'")
_ALIAS = re.compile(r"(?i)(?:\ba\.?k\.?a\.?|\balias\b|\bnickname\b|ชื่อเล่น|@).*$")
_SPLIT = re.compile(r"[\s,;/\\|.\-_:]+")
#: A lower-case letter followed by a capital inside a word: ``LayWin``, ``NyiMoePhyo``.
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
#: Joined words shorter than this are left whole (``Linda``, ``Ratha``: cut into Burmese
#: syllables, short names of other peoples would too often fall apart).
_JOINED_MIN = 6


def detect_script(text: str) -> str:
    """The script a name is written in: ``latin``, ``thai``, ``lao``, ``khmer``, ``myanmar``
    or ``other`` (first non-Latin script found wins)."""
    if _THAI.search(text):
        return "thai"
    if _LAO.search(text):
        return "lao"
    if _KHMER.search(text):
        return "khmer"
    if MYANMAR_RE.search(text):
        return "myanmar"
    if any(ch.isalpha() and ord(ch) > 0x24f and not 0x1e00 <= ord(ch) <= 0x1eff for ch in text):
        return "other"
    return "latin"


@lru_cache(maxsize=1)
def _thai_romaniser():
    from pythainlp.transliterate import romanize

    return romanize


_THAI_SILENT = re.compile("(?:[\u0e17\u0e15\u0e14\u0e2a]\u0e23|[\u0e01-\u0e2e])"
                          "[\u0e34\u0e38]?\u0e4c")


@lru_cache(maxsize=65536)
def _romanise_thai(word: str) -> str:
    # a consonant (and its vowel) under the thanthakhat is silent: ศักดิ์ -> sak, จันทร์ -> chan
    word = _THAI_SILENT.sub("", word)
    try:
        return _thai_romaniser()(word, engine="royin")
    except Exception:  # a word royin cannot read (rare symbols): spell it letter by letter
        from anyascii import anyascii

        return anyascii(word)


@lru_cache(maxsize=65536)
def _romanise_lao(word: str) -> str:
    from laonlp.transliterate import lao2thai_script

    # Lao ຊ is an s (Xaysana, Saysana), while the Thai letter laonlp maps it to is read "ch"
    return _romanise_thai(lao2thai_script(word.replace("\u0e8a", "\u0eaa")))


def transliterate(text: str) -> str:
    """Spell a name in lower-case Latin letters (diacritics dropped, words kept apart).

    Parameters
    ----------
    text : str
        A name in any of the supported scripts.

    Returns
    -------
    str
        Latin letters, digits and spaces.
    """
    from anyascii import anyascii

    out = []
    for word in text.split():
        script = detect_script(word)
        if script == "thai":
            word = _romanise_thai(word)
        elif script == "lao":
            word = _romanise_lao(word)
        elif script == "khmer":
            word = romanise_khmer(word)
        elif script == "myanmar":
            word = romanise_myanmar(word)
        else:
            word = anyascii(unicodedata.normalize("NFC", word))
        out.append(word)
    return " ".join(out).casefold()


_FOLDS = [
    (re.compile(r"([bcdfgjklmnpqrstvwxz])h+"), r"\1"),  # ph th kh ch chh sh -> p t k c c s
    (re.compile(r"h(?=[bcdfgjklmnpqrstvwxz])"), ""),   # ht hl hm hn -> t l m n
    (re.compile(r"j"), "c"),
    (re.compile(r"x"), "s"),
    (re.compile(r"v"), "w"),
    (re.compile(r"q"), "k"),
    (re.compile(r"oo|ou|uu"), "u"),
    (re.compile(r"ee|ie$"), "i"),
    (re.compile(r"oe$|oh$"), "o"),
    (re.compile(r"(?<=[aeiou]n)e$"), ""),             # French-style Lao: Somphone, Vilaphone
    (re.compile(r"aw$"), "au"),
    (re.compile(r"ay"), "ai"),
    (re.compile(r"y"), "i"),
    (re.compile(r"(.)\1+"), r"\1"),
]


#: Usual Latin spellings of one Burmese syllable that folding leaves apart, written as the
#: spelling the script reader gives (ခိုင် Khaing or Khine, ရွှေ Shwe, Shway or Shwae, နွယ်
#: Nwe, Nway or Nue, ဝေ Wai, Way or Wei): whole words only (normalisation version 3).
_BURMESE_SPELLINGS = {"khine": "khaing", "shway": "shwe", "shwae": "shwe", "nway": "nwe",
                      "nue": "nwe", "wei": "wai"}


@lru_cache(maxsize=262144)
def fold_token(token: str) -> str:
    """Fold one Latin token so that spellings of one sound agree (``"Htoo"`` -> ``"tu"``,
    ``"Phommachanh"`` -> ``"pomacan"``). Non-letters are dropped."""
    t = re.sub(r"[^a-z]", "", token.casefold())
    for pattern, repl in _FOLDS:
        t = pattern.sub(repl, t)
    return t


def _strip_native_title(text: str) -> str:
    """Remove titles written in a native script at the start (with or without a space), as
    long as a name of at least two characters remains."""
    if not text or text[0] not in _TITLE_STARTS:
        return text
    changed = True
    while changed:
        changed = False
        for title in _NATIVE_TITLES:
            rest = text[len(title):].lstrip(" .")
            if text.startswith(title) and len(rest) >= 2:
                text, changed = rest, True
                break
    return text


@lru_cache(maxsize=1)
def _burmese_syllables() -> frozenset[str]:
    """Latin spellings of Burmese name syllables, in lower case: every word of the shipped
    Burmese given names and nicknames and of their variant spellings (``aung``, ``kyaw``,
    ``hlaing``, ``soe``...)."""
    from htwork.simulate.identity import name_tables

    out: set[str] = set()
    for table in name_tables("MM").values():
        for latin, variants in zip(table.latin, table.variants, strict=True):
            for name in (latin, *(variants or ())):
                # variants written as one word (SanKhine) give their syllables, not the word
                out.update(w for w in _CAMEL.sub(" ", str(name)).casefold().split()
                           if len(w) >= 2 and w.isalpha() and w.isascii())
    return frozenset(out)


def _segment(word: str, syllables: frozenset[str]) -> list[str] | None:
    """Cut a lower-case word into the fewest known syllables (``hlaingnaing`` ->
    ``hlaing naing``), or ``None`` when it cannot be cut entirely into them."""
    longest = max(map(len, syllables), default=0)
    best: list[list[str] | None] = [[]] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - longest), end - 1):
            head, have = best[start], best[end]
            if head is not None and word[start:end] in syllables and (
                    have is None or len(head) + 1 < len(have)):
                best[end] = [*head, word[start:end]]
    return best[-1]


@lru_cache(maxsize=262144)
def split_joined(word: str) -> tuple[str, ...]:
    """The words of a name written as one word.

    A Latin word with capitals inside (``LayWin``, ``NyiMoePhyo``) is cut before each capital
    that follows a small letter. Any other word (``HLAINGNAING``, ``kyawsoemoe``, ``Kyawsoemoe``) of
    at least six letters that is not itself a known Burmese syllable is cut into the fewest
    Burmese name syllables (:func:`_burmese_syllables`) when it is made of them entirely;
    anything else is left whole. The same word is always cut the same way, so two records
    that write a name alike still agree.

    Parameters
    ----------
    word : str
        One written word (no spaces).

    Returns
    -------
    tuple of str
        The word's parts (the word alone when it is not cut).
    """
    if not word.isascii() or not word.isalpha():
        return (word,)
    if not word.isupper() and not word.islower():
        parts = _CAMEL.sub(" ", word).split()
        if len(parts) > 1:
            return tuple(parts)
    low = word.casefold()
    if len(low) < _JOINED_MIN:
        return (word,)
    syllables = _burmese_syllables()
    if low in syllables:
        return (word,)
    cut = _segment(low, syllables)
    return tuple(cut) if cut and len(cut) > 1 else (word,)


@lru_cache(maxsize=262144)
def _word_tokens(word: str) -> tuple[str, ...]:
    """Folded tokens of one written word (transliterated, then folded); cached, as a list
    repeats its words far more often than its names."""
    if word.casefold() in _DROP:
        return ()
    out = []
    for part in transliterate(word).split():
        folded = fold_token(_BURMESE_SPELLINGS.get(part, part))
        if folded and folded not in _DROP:
            out.append(folded)
    return tuple(out)


@lru_cache(maxsize=262144)
def normalise_name(text: Any) -> tuple[str, ...]:
    """Folded tokens of a full name, sorted; empty for a missing name.

    Brackets and quotes (nicknames), ``aka``/``alias`` parts, titles before the name and
    joining words (``bin``, ``binti``) are removed; each word is transliterated
    (:func:`transliterate`) and folded (:func:`fold_token`). Sorting makes the result the same
    whichever name is written first.

    Parameters
    ----------
    text : str or None
        The name as the agency wrote it (given and family names in one cell, any order).

    Returns
    -------
    tuple of str
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return ()
    text = str(text)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = text.strip()
    if not text:
        return ()
    if _BRACKET_STARTS.intersection(text):
        text = _BRACKETS.sub(" ", text)
    text = _ALIAS.sub(" ", text).strip()
    text = _strip_native_title(text)
    words = [p for w in _SPLIT.split(text) if w for p in split_joined(w)]
    if not words:
        return ()
    # Latin titles: leading tokens, as long as a name remains after them
    while len(words) > 1 and words[0].casefold().rstrip(".") in _LATIN_TITLES:
        words = words[1:]
    tokens: list[str] = []
    for w in words:
        tokens.extend(_word_tokens(w))
    return tuple(sorted(tokens))


def normalise_names(values: Iterable[Any]) -> list[tuple[str, ...]]:
    """:func:`normalise_name` of every value (cached: repeated names cost nothing)."""
    return [normalise_name(v if isinstance(v, str) or v is None else
                           (None if pd.isna(v) else str(v))) for v in values]


BE_OFFSET = 543


def _year(y: int) -> int | None:
    if y >= 2400:            # Buddhist Era
        y -= BE_OFFSET
    return y if 1900 <= y <= 2100 else None


def normalise_dob(values: Iterable[Any], *, dayfirst: bool = True) -> pd.DataFrame:
    """Read birth dates as year, month and day (each may be missing: partial dates).

    Accepts ISO dates, day-first dates (``17/05/1990``), Buddhist-Era years (``17/05/2533``,
    any year from 2400 is read as BE), Thai and English month names, Thai digits, a year alone
    (``2533`` or ``1990``) and month/year.

    Parameters
    ----------
    values : iterable
        Raw values (text, dates or datetimes).
    dayfirst : bool, default True
        Read ``05/06/1990`` as 5 June (as ASEAN agencies write it).

    Returns
    -------
    DataFrame
        Columns ``year``, ``month``, ``day`` (nullable integers), one row per value, and
        ``problem`` (True where a non-empty value could not be read: treated as missing).
    """
    raw = pd.Series(list(values), dtype=object)
    # each distinct value is read once (a list repeats its years and dates)
    codes, uniq = pd.factorize(raw, use_na_sentinel=True)
    read = _normalise_dob(list(uniq) + [None], dayfirst=dayfirst)
    return read.iloc[np.where(codes < 0, len(uniq), codes)].reset_index(drop=True)


def _normalise_dob(values: list[Any], *, dayfirst: bool) -> pd.DataFrame:
    """:func:`normalise_dob` of every value (the work, on distinct values)."""
    from htwork.io.dates import parse_dates
    from htwork.io.thai import to_ascii_digits

    raw = pd.Series(list(values), dtype=object)
    n = len(raw)
    year = np.full(n, -1, dtype=np.int64)
    month = np.full(n, -1, dtype=np.int64)
    day = np.full(n, -1, dtype=np.int64)
    problem = np.zeros(n, dtype=bool)
    is_date = raw.map(lambda v: hasattr(v, "year") and not isinstance(v, str)).to_numpy(bool)
    for i in np.flatnonzero(is_date):
        v = raw.iloc[i]
        if pd.isna(v):
            continue
        y = _year(int(v.year))
        if y is None:
            problem[i] = True
        else:
            year[i], month[i], day[i] = y, int(v.month), int(v.day)
    text = raw.where(~is_date & raw.notna(), None)  # type: ignore[call-overload]  # pandas-stubs: None
    text = text.map(lambda v: to_ascii_digits(str(v)).strip() if v is not None else None)
    present = text.notna().to_numpy() & (text.fillna("") != "").to_numpy()
    s = text.fillna("")

    def fix_years(idx, yy):
        yy = np.where(yy >= 2400, yy - BE_OFFSET, yy)
        ok = (yy >= 1900) & (yy <= 2100)
        problem[idx[~ok]] = True
        return idx[ok], yy[ok]

    m1 = s.str.fullmatch(r"\d{4}").to_numpy(bool) & present
    idx = np.flatnonzero(m1)
    if idx.size:
        idx, yy = fix_years(idx, s.iloc[idx].astype(int).to_numpy())
        year[idx] = yy
    rest = present & ~m1
    my = s.str.extract(r"^\s*(\d{1,2})\s*[/\-.]\s*(\d{4})\s*$")
    ym = s.str.extract(r"^\s*(\d{4})\s*[/\-.]\s*(\d{1,2})\s*$")
    for frame, yc, mc in ((my, 1, 0), (ym, 0, 1)):
        hit = frame[0].notna().to_numpy() & rest
        idx = np.flatnonzero(hit)
        if idx.size:
            yy = frame[yc].iloc[idx].astype(int).to_numpy()
            mm = frame[mc].iloc[idx].astype(int).to_numpy()
            bad = (mm < 1) | (mm > 12)
            problem[idx[bad]] = True
            idx, yy, mm = idx[~bad], yy[~bad], mm[~bad]
            keep = (yy >= 1900) & ((yy <= 2100) | (yy >= 2443)) & (yy <= 2643)
            problem[idx[~keep]] = True
            idx, yy, mm = idx[keep], yy[keep], mm[keep]
            year[idx] = np.where(yy >= 2400, yy - BE_OFFSET, yy)
            month[idx] = mm
        rest &= ~hit
    idx = np.flatnonzero(rest)
    if idx.size:
        sub = pd.Series(s.iloc[idx].to_numpy(), dtype=object)
        parsed = pd.Series(parse_dates(sub, calendar="auto", dayfirst=dayfirst).values,
                           dtype=object)
        iso = parsed.where(parsed.map(lambda v: isinstance(v, str)), "")
        ok = iso.str.fullmatch(r"\d{4}-\d{2}-\d{2}").to_numpy(bool)
        problem[idx[~ok]] = True
        good = idx[ok]
        if good.size:
            parts = np.array([(int(v[:4]), int(v[5:7]), int(v[8:10])) for v in iso[ok]],
                             dtype=np.int64).reshape(-1, 3)
            yy = np.where(parts[:, 0] >= 2400, parts[:, 0] - BE_OFFSET, parts[:, 0])
            inrange = (yy >= 1900) & (yy <= 2100)
            problem[good[~inrange]] = True
            good, parts, yy = good[inrange], parts[inrange], yy[inrange]
            year[good], month[good], day[good] = yy, parts[:, 1], parts[:, 2]

    def col(a):
        return pd.array(np.where(a < 0, None, a).tolist(), dtype="Int64")

    return pd.DataFrame({"year": col(year), "month": col(month), "day": col(day),
                         "problem": problem})


_SEX = {
    "m": "m", "male": "m", "man": "m", "boy": "m", "ชาย": "m", "เพศชาย": "m", "ช": "m",
    "nam": "m", "ប្រុស": "m", "ຊາຍ": "m", "ကျား": "m", "laki-laki": "m", "laki": "m", "l": "m",
    "lalaki": "m", "1": "m",
    "f": "f", "female": "f", "woman": "f", "girl": "f", "หญิง": "f", "เพศหญิง": "f", "ญ": "f",
    "nu": "f", "nữ": "f", "ស្រី": "f", "ຍິງ": "f", "မ": "f", "perempuan": "f", "p": "f",
    "w": "f", "wanita": "f", "babae": "f", "2": "f",
}


def normalise_sex(values: Iterable[Any]) -> list[str | None]:
    """``"m"``, ``"f"`` or ``None`` for each value (English, HTCDS codes, Thai, Vietnamese,
    Khmer, Lao, Burmese, Indonesian and Filipino words)."""
    out: list[str | None] = []
    for v in values:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            out.append(None)
            continue
        key = unicodedata.normalize("NFC", str(v)).strip().casefold()
        out.append(_SEX.get(key))
    return out
