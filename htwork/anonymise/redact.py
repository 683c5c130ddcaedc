"""Redact case notes: the person's own names and aliases, phone numbers, e-mails and ID numbers.

Names come from the structured fields of the *same row* (first name, family name, aliases),
so "Somchai said his boss kept his passport" loses "Somchai" in Somchai's own note. Optionally
every name in the table (``global_names=True``) is redacted from every note, for notes that
mention other people on the list.

How names are found depends on the script:

- scripts that put spaces between words (Latin, Vietnamese, Bahasa, Filipino): whole words,
  ignoring case and Vietnamese/Latin diacritics ("Nguyen" finds "Nguyễn");
- Thai, Lao, Khmer, Myanmar (and Chinese) have no spaces between words: the name is found as
  a substring, except where it would end inside a syllable (the next character is a vowel
  sign, tone mark, asat, coeng...) or start after a Thai/Lao leading vowel. Names shorter than
  ``min_unspaced_length`` characters are only taken where they stand alone, because short
  Thai nicknames are often ordinary words.

Honorifics (นาย, นางสาว, ဦး, ဒေါ်, លោក, Mr, Daw, ...) and the Vietnamese middle names Thị and
Văn are not redacted on their own, only as part of a full name.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any, Literal, overload

import pandas as pd

from htwork.anonymise._base import BaseTransformer, as_list, check_columns, check_frame, copy_attrs
from htwork.core.results import Result
from htwork.errors import InputError
from htwork.standards import patterns as P
from htwork.standards.table_roles import SchemaLike

__all__ = ["DEFAULT_TOKENS", "RedactionReport", "Redactor", "redact_text"]

#: replacement of each kind of identifier
DEFAULT_TOKENS = {"name": "[NAME]", "phone": "[PHONE]", "email": "[EMAIL]", "id": "[ID]"}
_PATTERN_KINDS = ("email", "phone", "id")

_UNSPACED_RANGES = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0xA9E0, 0xA9FF),  # Myanmar extended-B
    (0xAA60, 0xAA7F),  # Myanmar extended-A
    (0x1780, 0x17FF),  # Khmer
    (0x19E0, 0x19FF),  # Khmer symbols
    (0x3040, 0x30FF),  # Japanese kana
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK
)
_LEADING_VOWELS = frozenset("เแโใไເແໂໃໄ")

_HONORIFICS = {
    P.fold(w)
    for w in (
        "mr mrs ms miss mx dr md ma mg maung daw u ko nai nang bin binti bte bt anak thi van "
        "de la del dela "
        "นาย นาง นางสาว น.ส. ด.ช. ด.ญ. เด็กชาย เด็กหญิง "
        "លោក លោកស្រី កញ្ញា អ្នក "
        "ဦး ဒေါ် မောင် မ ကို မမ "
        "ທ້າວ ນາງ ທ່ານ "
        "Thị Văn"
    ).split()
}
# honorifics written glued to the name in unspaced scripts, longest first
_GLUED_TITLES = tuple(
    sorted(
        "นางสาว นาย นาง เด็กชาย เด็กหญิง ด.ช. ด.ญ. น.ส. ဦး ဒေါ် မောင် ကို "
        "លោកស្រី លោក កញ្ញា ທ້າວ ນາງ".split(),
        key=len,
        reverse=True,
    )
)
_SPLIT_ALIASES = re.compile(r"[;,|/\n]+")
_SPACES = re.compile(r"\s+")
_HAS_LETTER = re.compile(r"[^\W\d_]")


_UNSPACED_RE = re.compile(
    "[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _UNSPACED_RANGES) + "]"
)


@lru_cache(maxsize=65536)
def _is_unspaced(text: str) -> bool:
    return _UNSPACED_RE.search(text) is not None


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Mc")


def name_variants(
    values: Iterable[object], *, min_length: int = 2, min_unspaced_length: int = 3
) -> list[str]:
    """The strings to look for, from one person's name fields (folded, longest first).

    Every field value (aliases split at ``; , | /``), each of its words that is not an
    honorific, first + family name in both orders, and, for unspaced scripts, the full name
    without its spaces.
    """
    items: list[str] = []
    for v in values:
        if v is None or (isinstance(v, float) and v != v):
            continue
        text = unicodedata.normalize("NFC", str(v))
        for part in _SPLIT_ALIASES.split(text):
            part = _SPACES.sub(" ", part).strip()
            if part:
                items.append(part)
    whole: set[str] = set(items)
    if len(items) >= 2:
        whole.add(f"{items[0]} {items[1]}")
        whole.add(f"{items[1]} {items[0]}")
    out = set(whole)
    for item in items:
        if " " in item:
            out.update(item.split(" "))
    result = set()
    for v in out:
        f = P.fold(v)
        if len(f) < min_length or not _HAS_LETTER.search(f):
            continue
        if f in _HONORIFICS and v not in whole:  # "Daw" of "Daw Aye Aye", not a name "Nang"
            continue
        result.add(f)
        if " " in f and _is_unspaced(f):
            result.add(f.replace(" ", ""))
        for title in _GLUED_TITLES:  # "นายสมชาย" in the name field, "สมชาย" in the note
            if f.startswith(title) and len(f) - len(title) >= min_unspaced_length:
                result.add(f[len(title):].strip())
                break
    return sorted(result, key=lambda s: (-len(s), s))


def _standalone(folded: str, i: int, j: int) -> bool:
    before = folded[i - 1] if i > 0 else " "
    after = folded[j] if j < len(folded) else " "
    return not P.is_word_char(before) and not P.is_word_char(after)


def _inside_syllable_ok(folded: str, i: int, j: int) -> bool:
    after = folded[j] if j < len(folded) else " "
    before = folded[i - 1] if i > 0 else " "
    return not _is_mark(after) and before not in _LEADING_VOWELS


def _find_names(folded: str, variants: Sequence[str], min_unspaced: int) -> list[tuple[int, int]]:
    spans = []
    for v in variants:
        n = len(v)
        unspaced = _is_unspaced(v)
        substring = unspaced and n >= min_unspaced
        start = folded.find(v)
        while start >= 0:
            end = start + n
            ok = _inside_syllable_ok(folded, start, end) if substring else _standalone(
                folded, start, end
            )
            if ok:
                spans.append((start, end))
            start = folded.find(v, start + 1)
    return spans


def _trie_regex(words: Iterable[str]) -> str:
    """A regular expression matching any of ``words``, longest first at each position."""
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            return f"(?:{body})?"
        return body

    return build(trie)


class _GlobalNames:
    """Every name of the table, matched with two precompiled regular expressions."""

    def __init__(self, names: Iterable[str], min_unspaced: int) -> None:
        spaced: set[str] = set()
        unspaced_long: set[str] = set()
        unspaced_short: set[str] = set()
        for n in names:
            if _is_unspaced(n):
                (unspaced_long if len(n) >= min_unspaced else unspaced_short).add(n)
            else:
                spaced.add(n)
        self.n_names = len(spaced) + len(unspaced_long) + len(unspaced_short)
        marks = "".join(
            chr(cp)
            for lo, hi in _UNSPACED_RANGES[:6]
            for cp in range(lo, hi + 1)
            if _is_mark(chr(cp))
        )
        mark_class = "[" + re.escape(marks) + "]"
        lead = "[" + re.escape("".join(sorted(_LEADING_VOWELS))) + "]"
        word = r"(?:[^\W_]|" + mark_class + ")"
        # the regular expressions start with a plain alternation of letters, which the regex
        # engine scans for quickly; what must not come before a match is checked afterwards
        self.regexes: list[tuple[re.Pattern[str], bool]] = []
        if spaced | unspaced_short:
            rx = re.compile(rf"(?:{_trie_regex(spaced | unspaced_short)})(?!{word})")
            self.regexes.append((rx, True))
        if unspaced_long:
            rx = re.compile(rf"(?:{_trie_regex(unspaced_long)})(?!{mark_class})")
            self.regexes.append((rx, False))
        del lead

    def find(self, folded: str, text: str) -> list[tuple[int, int]]:
        """Spans in ``text`` (``folded`` is its folded form); cased names must be capitalised."""
        spans = []
        for rx, whole_word in self.regexes:
            for m in rx.finditer(folded):
                a, b = m.span()
                before = folded[a - 1] if a else " "
                if b <= a:
                    continue
                if whole_word:
                    first = text[a]
                    if P.is_word_char(before) or (first.lower() != first.upper()
                                                  and not first.isupper()):
                        continue
                elif before in _LEADING_VOWELS:
                    continue
                spans.append((a, b))
        return spans


def _pattern_spans(text: str, kinds: Sequence[str]) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    if "email" in kinds and "@" in text:
        spans.extend((a, b, "email") for a, b in P.find_emails(text))
    if not ("phone" in kinds or "id" in kinds):
        return spans
    for m in P.TEXT_PATTERN.finditer(text):
        a, b = m.span()
        if any(a < y and b > x for x, y, _ in spans):
            continue  # inside an e-mail address
        group = m.lastgroup
        value = m.group(0)
        if group in ("phone_intl", "phone_national", "phone_local"):
            if P.looks_like_date(value):
                continue
            n_digits = sum(ch.isdigit() for ch in P.ascii_digits(value, myanmar_wa=True))
            if group != "phone_local" and P.is_phone(value):
                kind = "phone"
            elif group == "phone_local" and 7 <= n_digits <= 11 and P.phone_context(text, a):
                kind = "phone"
            elif n_digits >= 9:
                kind = "id"
            else:
                continue
        elif group == "number" and P.phone_context(text, a):
            kind = "phone"
        else:
            kind = "id"
        if kind in kinds:
            spans.append((a, b, kind))
    return spans


# titles that introduce a name in Latin-script notes ("Khun Malee", "Ibu Yuliani", "Daw Aye").
# Titles that also begin place names are left out: Ko (Ko Samui), U (U Thong), Pak (Pak Kret),
# Nang (Nang Rong), Sai (Sai Yok), Nai (Nai Harn), Mang (Mang Yang).
_TITLES = (
    "Mr|Mrs|Ms|Miss|Madam|Madame|Mdm|Sir|Dr|Khun|Ibu|Bapak|Encik|Cik|Puan|Tuan|Daw|Maung|Mg|"
    "Ma|Anh|Chị|Ông|Bà|Kak|Mbak|Ate|Kuya|Aling"
)
_TITLED_RE = re.compile(
    rf"(?<![^\W\d_])(?:{_TITLES})\.?[ \t]+([^\W\d_][\w'’\-]*(?:[ \t]+[^\W\d_][\w'’\-]*){{0,2}})"
)
_WORD_RE = re.compile(r"[^\W\d_][\w'’\-]*")


def _titled_spans(text: str) -> list[tuple[int, int]]:
    """Names written after a title: the capitalised words (up to three) that follow it."""
    spans = []
    for m in _TITLED_RE.finditer(text):
        start = end = m.start(1)
        for w in _WORD_RE.finditer(text, m.start(1), m.end(1)):
            if not w.group(0)[0].isupper():
                break
            end = w.end()
        if end > start:
            spans.append((start, end))
    return spans


def _literal_spans(
    folded: str, values: Sequence[object], kinds: Sequence[str]
) -> list[tuple[int, int, str]]:
    """Where the row's own identifier values appear verbatim (ignoring case)."""
    spans = []
    for value, kind in zip(values, kinds, strict=True):
        if not isinstance(value, str) or len(value.strip()) < 5:
            continue
        v = P.fold(unicodedata.normalize("NFC", value.strip()))
        start = folded.find(v)
        while start >= 0:
            spans.append((start, start + len(v), kind))
            start = folded.find(v, start + len(v))
    return spans


def _apply(
    text: str, name_spans: list[tuple[int, int]], pattern_spans: list[tuple[int, int, str]],
    tokens: Mapping[str, str],
) -> tuple[str, Counter]:
    """Replace the spans; overlapping spans become one (a pattern's kind wins over a name)."""
    if not name_spans and not pattern_spans:
        return text, Counter()
    spans = [(a, b, k, 0) for a, b, k in pattern_spans]
    spans.extend((a, b, "name", 1) for a, b in name_spans)
    spans.sort(key=lambda s: (s[0], s[3], s[0] - s[1]))
    merged: list[list[Any]] = []
    for a, b, k, prio in spans:
        if merged:
            last = merged[-1]
            if a < last[1]:  # overlap: one span covering both
                last[1] = max(last[1], b)
                if prio < last[3]:
                    last[2], last[3] = k, prio
                continue
            # one [NAME] for names separated only by spaces ("Nguyen  Thi Mai" word by word)
            if k == "name" and last[2] == "name" and not text[last[1]:a].strip():
                last[1] = b
                continue
        merged.append([a, b, k, prio])
    counts: Counter = Counter()
    parts, pos = [], 0
    for a, b, k, _ in merged:
        parts.append(text[pos:a])
        parts.append(tokens[k])
        counts[k] += 1
        pos = b
    parts.append(text[pos:])
    return "".join(parts), counts


def redact_text(
    text: str,
    names: Iterable[str] = (),
    *,
    patterns: Sequence[str] = _PATTERN_KINDS,
    tokens: Mapping[str, str] | None = None,
    min_unspaced_length: int = 3,
    titled_names: bool = True,
) -> str:
    """Redact one text.

    Parameters
    ----------
    text : str
        The note.
    names : iterable of str
        The person's names and aliases (several words each allowed).
    patterns : sequence of {"email", "phone", "id"}
        Which identifier patterns to redact.
    tokens : mapping, optional
        Replacement per kind (``name``, ``phone``, ``email``, ``id``); defaults to
        :data:`DEFAULT_TOKENS`.
    min_unspaced_length : int
        Names in Thai, Lao, Khmer or Myanmar script shorter than this are only redacted where
        they stand alone.
    titled_names : bool
        Also redact capitalised words after a title in Latin script ("Khun Malee",
        "Ibu Yuliani", "Mr Tan"): employers and other people the row's fields do not name.

    Examples
    --------
    >>> redact_text("Somchai (081 234 5678) said...", ["Somchai"])
    '[NAME] ([PHONE]) said...'
    """
    toks = {**DEFAULT_TOKENS, **(tokens or {})}
    norm = unicodedata.normalize("NFC", text)
    variants = name_variants(names, min_unspaced_length=min_unspaced_length)
    spans = _find_names(P.fold(norm), variants, min_unspaced_length)
    if titled_names:
        spans.extend(_titled_spans(norm))
    out, _ = _apply(norm, spans, _pattern_spans(norm, patterns), toks)
    return out


class RedactionReport(Result):
    """What :class:`Redactor` replaced.

    Attributes
    ----------
    counts : dict
        ``{column: {kind: number of replacements}}``.
    texts_changed : dict
        ``{column: number of texts with at least one replacement}``.
    n_texts : dict
        ``{column: number of non-missing texts}``.
    """

    def __init__(
        self, counts: dict[str, dict[str, int]], texts_changed: dict[str, int],
        n_texts: dict[str, int],
    ) -> None:
        self.counts = counts
        self.texts_changed = texts_changed
        self.n_texts = n_texts

    @property
    def totals(self) -> dict[str, int]:
        """Replacements per kind over all columns."""
        out: Counter = Counter()
        for c in self.counts.values():
            out.update(c)
        return {k: int(out.get(k, 0)) for k in DEFAULT_TOKENS}

    def to_frame(self) -> pd.DataFrame:
        """One row per text column: texts, texts changed, replacements per kind."""
        rows = []
        for col in self.counts:
            row = {"column": col, "texts": self.n_texts[col], "changed": self.texts_changed[col]}
            row |= {k: int(self.counts[col].get(k, 0)) for k in DEFAULT_TOKENS}
            rows.append(row)
        return pd.DataFrame(rows, columns=["column", "texts", "changed", *DEFAULT_TOKENS])

    def _data(self) -> dict[str, Any]:
        """Totals per kind, and counts, texts changed and texts per column."""
        return {
            "totals": self.totals,
            "counts": {c: dict(v) for c, v in self.counts.items()},
            "texts_changed": dict(self.texts_changed),
            "n_texts": dict(self.n_texts),
        }

    def summary(self) -> str:
        """One line per column."""
        lines = []
        for col, c in self.counts.items():
            kinds = ", ".join(f"{c.get(k, 0)} {k}" for k in DEFAULT_TOKENS)
            lines.append(
                f"{col}: {self.texts_changed[col]} of {self.n_texts[col]} texts changed "
                f"({kinds} replaced)"
            )
        return "\n".join(lines) or "no text columns"

    def __repr__(self) -> str:
        return f"RedactionReport(totals={self.totals})"

    def _repr_html_(self) -> str:
        return self.to_frame().to_html(index=False, escape=True) if self.counts else html.escape(
            self.summary()
        )


class Redactor(BaseTransformer):
    """Redact free-text columns: the row's own names, optionally all names, phones, e-mails, IDs.

    Parameters
    ----------
    text_columns : str or list of str, optional
        The notes to redact. Default: the free-text columns that
        :func:`~htwork.anonymise.detect_identifiers` finds (``cas_Notes`` in the standard).
    name_columns : str or list of str, optional
        The structured fields holding the person's names and aliases. Default: the detected
        identifier columns of kind ``name`` (``prs_FirstName``, ``prs_SecondName``,
        ``prs_Aliases`` in the standard). The first two are also combined as full names.
    patterns : sequence of {"email", "phone", "id"}
        Identifier patterns to redact besides names (all three by default).
    global_names : bool
        Also redact every name of every row from every note. Slower, redacts more ordinary
        words (a name such as "Hope" or "ใจดี" is also a word), and the fitted object then
        holds the table's names: do not publish or pickle it with the release.
    extra_names : iterable of str, optional
        More names to redact everywhere (staff, traffickers, places of work...).
    tokens : mapping, optional
        Replacements per kind, merged over :data:`DEFAULT_TOKENS`.
    min_name_length : int
        Shorter names (after honorifics are set aside) are never redacted on their own.
    min_unspaced_length : int
        Names in Thai, Lao, Khmer or Myanmar script shorter than this are only redacted where
        they stand alone (see the module notes).
    titled_names : bool
        Also redact capitalised words after a title in Latin script ("Khun Malee", "Ibu
        Yuliani", "Madam Lim"): employers, recruiters and relatives the fields do not name.
    identifier_columns : dict, optional
        ``{column: kind}`` (kind ``"phone"``, ``"email"`` or ``"id"``): the row's own values
        of these columns are redacted from its notes verbatim, whatever their format (a
        border pass "LBP-975834" that no pattern knows). Default: the detected identifier
        columns of kind phone, email, id_number and passport.
    min_global_length : int
        With ``global_names``, other people's names shorter than this are not searched for
        (short names such as "On", "In", "An" are also everyday words). Other people's names
        in Latin script are only taken where the note capitalises them.
    schema : dict, str, Path, bool or None
        Passed to ``detect_identifiers`` when columns are not given.

    Attributes
    ----------
    text_columns_, name_columns_ : list of str
        The columns used.
    global_names_ : int
        How many distinct names the global matcher holds (0 when ``global_names`` is off).

    Notes
    -----
    Texts come back in Unicode NFC. Missing notes stay missing. ``transform(df,
    return_report=True)`` also returns a :class:`RedactionReport`.
    """

    def __init__(
        self,
        text_columns: str | Sequence[str] | None = None,
        name_columns: str | Sequence[str] | None = None,
        patterns: Sequence[str] = _PATTERN_KINDS,
        global_names: bool = False,
        extra_names: Iterable[str] | None = None,
        tokens: Mapping[str, str] | None = None,
        min_name_length: int = 2,
        min_unspaced_length: int = 3,
        titled_names: bool = True,
        identifier_columns: Mapping[str, str] | None = None,
        min_global_length: int = 4,
        schema: SchemaLike = None,
    ) -> None:
        self.text_columns = text_columns
        self.name_columns = name_columns
        self.patterns = patterns
        self.global_names = global_names
        self.extra_names = extra_names
        self.tokens = tokens
        self.min_name_length = min_name_length
        self.min_unspaced_length = min_unspaced_length
        self.titled_names = titled_names
        self.identifier_columns = identifier_columns
        self.min_global_length = min_global_length
        self.schema = schema

    def fit(self, df: pd.DataFrame) -> Redactor:
        """Choose the columns; with ``global_names``, collect every name of the table."""
        check_frame(df)
        bad = [p for p in self.patterns if p not in _PATTERN_KINDS]
        if bad:
            raise InputError(
                f"unknown pattern(s) {bad!r}.", hint=f"choose among {', '.join(_PATTERN_KINDS)}"
            )
        unknown_tokens = set(self.tokens or {}) - set(DEFAULT_TOKENS)
        if unknown_tokens:
            raise InputError(
                f"unknown token kind(s) {sorted(unknown_tokens)!r}.",
                hint=f"tokens can be given for {', '.join(DEFAULT_TOKENS)}",
            )
        text_cols, name_cols = as_list(self.text_columns), as_list(self.name_columns)
        id_cols = None if self.identifier_columns is None else dict(self.identifier_columns)
        if text_cols is None or name_cols is None or id_cols is None:
            from htwork.anonymise.identifiers import detect_identifiers

            report = detect_identifiers(df, schema=self.schema)
            text_cols = report.free_text if text_cols is None else text_cols
            name_cols = report.of_kind("name") if name_cols is None else name_cols
            if id_cols is None:
                kinds = {"phone": "phone", "email": "email", "id_number": "id", "passport": "id"}
                id_cols = {f.column: kinds[f.kind] for f in report.findings
                           if f.detected and f.kind in kinds}
        self.text_columns_ = check_columns(df, text_cols, what="text column")
        self.name_columns_ = check_columns(df, name_cols, what="name column")
        check_columns(df, list(id_cols), what="identifier column")
        bad_kinds = {k for k in id_cols.values() if k not in _PATTERN_KINDS}
        if bad_kinds:
            raise InputError(
                f"unknown identifier kind(s) {sorted(bad_kinds)!r}.",
                hint=f"give each identifier column one of {', '.join(_PATTERN_KINDS)}",
            )
        self.identifier_columns_ = id_cols
        self.tokens_ = {**DEFAULT_TOKENS, **(self.tokens or {})}
        names: set[str] = set()
        if self.extra_names:
            names |= set(name_variants(self.extra_names, min_length=self.min_name_length))
        if self.global_names and self.name_columns_:
            for row in df[self.name_columns_].itertuples(index=False, name=None):
                names |= set(
                    name_variants(
                        row,
                        min_length=self.min_global_length,
                        min_unspaced_length=self.min_unspaced_length,
                    )
                )
        self._matcher = _GlobalNames(names, self.min_unspaced_length) if names else None
        self.global_names_ = len(names) if self.global_names else 0
        return self

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_matcher", None)  # compiled; rebuilt only by fit
        return state

    @overload
    def transform(self, df: pd.DataFrame, *, return_report: Literal[False] = ...
                  ) -> pd.DataFrame: ...
    @overload
    def transform(self, df: pd.DataFrame, *, return_report: Literal[True]
                  ) -> tuple[pd.DataFrame, RedactionReport]: ...
    @overload
    def transform(self, df: pd.DataFrame, *, return_report: bool = ...
                  ) -> pd.DataFrame | tuple[pd.DataFrame, RedactionReport]: ...

    def transform(
        self, df: pd.DataFrame, *, return_report: bool = False
    ) -> pd.DataFrame | tuple[pd.DataFrame, RedactionReport]:
        """A copy of ``df`` with the text columns redacted.

        Parameters
        ----------
        df : pandas.DataFrame
            The table (same columns as at ``fit``).
        return_report : bool
            Also return a :class:`RedactionReport`.
        """
        self._check_fitted("text_columns_")
        check_frame(df)
        check_columns(df, self.text_columns_, what="text column")
        check_columns(df, self.name_columns_, what="name column")
        check_columns(df, list(self.identifier_columns_), what="identifier column")
        matcher = getattr(self, "_matcher", None)
        if matcher is None and (self.global_names or self.extra_names):
            raise InputError(
                "this Redactor lost its name list (it was unpickled).",
                hint="fit it again on the table before transform",
            )
        out = df.copy()
        counts: dict[str, dict[str, int]] = {}
        changed: dict[str, int] = {}
        n_texts: dict[str, int] = {}
        name_rows = (
            df[self.name_columns_].to_numpy(dtype=object).tolist()
            if self.name_columns_
            else [[] for _ in range(len(df))]
        )
        variant_cache: dict[tuple, list[str]] = {}
        id_kinds = list(self.identifier_columns_.values())
        id_rows = (
            df[list(self.identifier_columns_)].to_numpy(dtype=object).tolist()
            if id_kinds
            else [[] for _ in range(len(df))]
        )
        for col in self.text_columns_:
            total: Counter = Counter()
            n_changed = n_seen = 0
            values = df[col].to_numpy(dtype=object)
            new = values.copy()
            for i, text in enumerate(values):
                if not isinstance(text, str) or not text:
                    continue
                n_seen += 1
                key = tuple(name_rows[i])
                variants = variant_cache.get(key)
                if variants is None:
                    variants = name_variants(
                        key,
                        min_length=self.min_name_length,
                        min_unspaced_length=self.min_unspaced_length,
                    )
                    variant_cache[key] = variants
                norm = unicodedata.normalize("NFC", text)
                folded = P.fold(norm)
                spans = _find_names(folded, variants, self.min_unspaced_length)
                if matcher is not None:
                    spans.extend(matcher.find(folded, norm))
                if self.titled_names:
                    spans.extend(_titled_spans(norm))
                pattern_spans = _pattern_spans(norm, self.patterns)
                pattern_spans.extend(_literal_spans(folded, id_rows[i], id_kinds))
                red, c = _apply(norm, spans, pattern_spans, self.tokens_)
                if c:
                    n_changed += 1
                    total.update(c)
                new[i] = red
            out[col] = pd.Series(new, index=df.index, dtype=object)
            counts[col] = {k: int(total.get(k, 0)) for k in DEFAULT_TOKENS}
            changed[col] = n_changed
            n_texts[col] = n_seen
        out = copy_attrs(df, out)
        if return_report:
            return out, RedactionReport(counts, changed, n_texts)
        return out
