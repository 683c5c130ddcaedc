"""Khmer script to the Latin spelling of Cambodian personal names.

``anyascii`` spells Khmer letter by letter with the first-series value of every vowel
(``ពិន`` -> ``pen``, ``សុគន្ធ`` -> ``sogndh``), while Cambodian names are spelled by sound
(``Pin``, ``Sokun``): a vowel sign is read one way after a first-series consonant and another
way after a second-series one, the inherent vowel is read or not depending on the syllable,
and the letters Pali and Sanskrit spellings keep but Khmer does not pronounce are left out.
This module reads a word syllable by syllable and spells it as names are spelled. It is a
normaliser for matching, not a scholarly transliteration.

Sources of the rules:

* **Consonants and their series**, initial and final values: the UNGEGN romanisation of Khmer
  (BGN/PCGN 1972, adopted by the United Nations in 1972, resolution II/10) and the Documentation
  Center of Cambodia's table for spelling names of persons and places (DC-Cam, 1998): ``ក`` k,
  ``ខ`` kh, ``ច`` ch, ``ឆ`` chh, ``ញ`` nh, ``ប`` b (p with a subscript, with ``៉`` and as a
  final), ``ផ`` ph, ``ស`` s...; first series ``ក ខ ច ឆ ដ ឋ ណ ត ថ ប ផ ស ហ ឡ អ``, second series
  ``គ ឃ ង ជ ឈ ញ ឌ ឍ ទ ធ ន ព ភ ម យ រ ល វ``.
* **Series shifters**: ``៉`` (musĕkâtônd) makes a second-series consonant first series, ``៊``
  (treisâp) a first-series one second series. **Clusters** take the series of the first
  consonant unless the subscript is a second-series consonant that is not a sonorant
  (``ង ញ ន ម យ រ ល វ``), which gives the cluster its own series (Huffman, *Cambodian System of
  Writing and Beginning Reader*, 1970): ``ស្រី`` srei (first), ``ព្រំ`` prum (second).
* **Vowels by series** (first / second): DC-Cam's name spellings where it gives them (``ា``
  a/ea, ``ិ`` e/i, ``ី`` ei/i, ``ឹ`` oe/i, ``ឺ`` eu, ``ុ`` o/u, ``ួ`` uo, ``ើ`` ae/eu, ``ឿ``
  oeu, ``ៀ`` ie, ``េ`` e, ``ែ`` e, ``ៃ`` ai/ey, ``ៅ`` au/ov), UNGEGN otherwise (``ូ`` o/ou,
  ``ោ`` ao/o, ``ុំ`` om/um, ``ំ`` am/um, ``ាំ`` am/oam, ``ះ`` ah/eah, ``័`` a/o); ``ៈ`` (a
  glottal stop) is spelled with k in names (Vannak, Vireak), ``ាំង`` is ang/eang.
* **The inherent vowel** (no vowel sign): a in the first series and o in the second in a closed
  syllable, ea in the second series before a final k (``ភក្តី`` Pheakdey, ``លក្ខិណា``
  Leakhena); in an open syllable before another one it is the reduced vowel of Khmer
  presyllables and Pali words, spelled a (``រតនា`` Ratana, ``មករា`` Makara) (Huffman 1970).
* **Syllables**: a bare consonant after a syllable with a vowel sign closes it (``គីមហុង``
  Kim-hong, ``វាសនា`` Veas-na), one after a syllable without a vowel starts a syllable of its
  own (``រតនា`` Ra-ta-na); in a stacked cluster inside a word the upper consonant closes the
  syllable before it and the subscript starts the next (``សម្បត្តិ`` Sam-bat); letters that
  Khmer leaves unpronounced are left out: subscripts at the end of a word (``ពេជ្រ`` Pich,
  ``វង្ស`` Vong, ``ទិត្យ`` Tith), a final ``ិ``/``ុ`` of a Pali word (``សុជាតិ`` Socheat), and a
  letter under ``៍`` (toandakhiat).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["romanise_khmer", "KHMER_RE"]

#: Any character of the Khmer blocks.
KHMER_RE = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]")

_FIRST = set("កខចឆដឋណតថបផសហឡអឝឞ")
_SECOND = set("គឃងជឈញឌឍទធនពភមយរលវ")
_SONORANT = set("ងញនមយរលវ")
_INITIAL = {
    "ក": "k", "ខ": "kh", "គ": "k", "ឃ": "kh", "ង": "ng", "ច": "ch", "ឆ": "chh", "ជ": "ch",
    "ឈ": "chh", "ញ": "nh", "ដ": "d", "ឋ": "th", "ឌ": "d", "ឍ": "th", "ណ": "n", "ត": "t",
    "ថ": "th", "ទ": "t", "ធ": "th", "ន": "n", "ប": "b", "ផ": "ph", "ព": "p", "ភ": "ph",
    "ម": "m", "យ": "y", "រ": "r", "ល": "l", "វ": "v", "ឝ": "s", "ឞ": "s", "ស": "s", "ហ": "h",
    "ឡ": "l", "អ": "",
}
_FINAL = {
    "ក": "k", "ខ": "k", "គ": "k", "ឃ": "k", "ង": "ng", "ច": "ch", "ឆ": "ch", "ជ": "ch",
    "ឈ": "ch", "ញ": "nh", "ដ": "t", "ឋ": "t", "ឌ": "t", "ឍ": "t", "ណ": "n", "ត": "t",
    "ថ": "t", "ទ": "t", "ធ": "t", "ន": "n", "ប": "p", "ផ": "p", "ព": "p", "ភ": "p", "ម": "m",
    "យ": "y", "រ": "r", "ល": "l", "វ": "v", "ឝ": "s", "ឞ": "s", "ស": "s", "ហ": "h", "ឡ": "l",
    "អ": "",
}
_VELAR = set("កខគឃ")
_CONSONANTS = set(_INITIAL)
#: Independent vowels (they carry their own sound and no series).
_INDEPENDENT = {
    "ឣ": "a", "ឤ": "a", "ឥ": "e", "ឦ": "ei", "ឧ": "u", "ឨ": "u", "ឩ": "ou", "ឪ": "ov",
    "ឫ": "ri", "ឬ": "rue", "ឭ": "li", "ឮ": "lue", "ឯ": "e", "ឰ": "ai", "ឱ": "ao", "ឲ": "ao",
    "ឳ": "au",
}
#: Dependent vowels: (after a first-series, after a second-series consonant).
_VOWELS = {
    "ា": ("a", "ea"), "ិ": ("e", "i"), "ី": ("ei", "i"), "ឹ": ("oe", "i"), "ឺ": ("eu", "eu"),
    "ុ": ("o", "u"), "ូ": ("o", "ou"), "ួ": ("uo", "uo"), "ើ": ("ae", "eu"),
    "ឿ": ("oeu", "oeu"), "ៀ": ("ie", "ie"), "េ": ("e", "e"), "ែ": ("e", "e"),
    "ៃ": ("ai", "ey"), "ោ": ("ao", "o"), "ៅ": ("au", "ov"), "ុំ": ("om", "um"),
    "ំ": ("am", "um"), "ាំ": ("am", "oam"), "ះ": ("ah", "eah"), "ៈ": ("ak", "eak"),
    "័": ("a", "o"),
}
_VOWEL_SIGNS = set("ាិីឹឺុូួើឿៀេែៃោៅំះៈ័")
COENG = "\u17d2"
MUSEKATOAN = "\u17c9"   # ៉ -> first series
TRIISAP = "\u17ca"      # ៊ -> second series
TOANDAKHIAT = "\u17cd"  # ៍ the letter under it is silent


@dataclass
class _Unit:
    """A consonant with its subscripts and signs, as written (or an independent vowel)."""

    cons: list[str] = field(default_factory=list)
    indep: str = ""
    vowels: str = ""
    shift: int = 0
    silent: bool = False


@dataclass
class _Syllable:
    onset: list[str]
    series: int
    vowel: str = ""
    indep: str = ""
    final: str | None = None
    onset_b_p: bool = False


def _units(word: str) -> list[_Unit]:
    out: list[_Unit] = []
    after_coeng = False
    for ch in word:
        if ch in _CONSONANTS:
            if after_coeng and out:
                out[-1].cons.append(ch)
            else:
                out.append(_Unit(cons=[ch]))
            after_coeng = False
        elif ch in _INDEPENDENT:
            out.append(_Unit(indep=_INDEPENDENT[ch]))
            after_coeng = False
        elif ch == COENG:
            after_coeng = True
        elif not out:
            continue
        elif ch == MUSEKATOAN:
            out[-1].shift = 1
        elif ch == TRIISAP:
            out[-1].shift = 2
        elif ch == TOANDAKHIAT:
            out[-1].silent = True
        elif ch in _VOWEL_SIGNS:
            out[-1].vowels += ch
    return [u for u in out if not u.silent]


def _series(cons: list[str], shift: int) -> int:
    if shift:
        return shift
    if not cons:
        return 1
    s = 1 if cons[0] in _FIRST else 2
    if len(cons) > 1 and cons[1] in _SECOND and cons[1] not in _SONORANT:
        s = 2
    return s


def _syllables(units: list[_Unit]) -> list[_Syllable]:
    out: list[_Syllable] = []
    i = 0
    n = len(units)
    while i < n:
        u = units[i]
        last = i == n - 1
        has_v = bool(u.vowels)
        if u.indep:
            out.append(_Syllable([], 1, u.vowels, u.indep))
            i += 1
            continue
        prev = out[-1] if out else None
        open_prev = prev is not None and prev.final is None
        if prev is None or not open_prev:
            if not has_v and last and prev is not None:
                # a final after a closed syllable: a syllable of its own (rare)
                out.append(_Syllable(u.cons[:1], _series(u.cons[:1], u.shift)))
            else:
                out.append(_Syllable(u.cons, _series(u.cons, u.shift), u.vowels,
                                     onset_b_p=u.shift == 1))
            i += 1
            continue
        assert prev is not None
        if len(u.cons) > 1:
            if has_v and len(u.cons) == 2 and u.cons[1] == "រ" and (prev.vowel or prev.indep):
                # an r-cluster after a vowel starts the next syllable whole (ស្រី-ស្រ..)
                out.append(_Syllable(u.cons, _series(u.cons, u.shift), u.vowels))
                i += 1
                continue
            prev.final = u.cons[0]
            rest = u.cons[1:]
            if has_v:
                out.append(_Syllable(rest, _series(rest, u.shift), u.vowels))
            elif last:
                pass  # subscripts at the end of a word are not pronounced
            else:
                nxt = units[i + 1]
                if not nxt.vowels and not nxt.indep and len(nxt.cons) == 1 and i + 1 == n - 1:
                    # ឧត្តម: the subscript takes the inherent vowel, the last letter closes it
                    out.append(_Syllable(rest, _series(rest, 0), "", final=nxt.cons[0]))
                    i += 2
                    continue
                if len(nxt.cons) > 1 and not nxt.indep:
                    # សម្បត្តិ: the subscript starts a syllable the next cluster closes
                    out.append(_Syllable(rest, _series(rest, 0)))
                # otherwise (ចន្ទរ៉ា) the subscript is not pronounced
            i += 1
            continue
        if not has_v:
            nxt_final = (i + 1 == n - 1 and not units[i + 1].vowels
                         and not units[i + 1].indep)
            if nxt_final:
                # two bare letters end the word: a syllable closed by the last (កុសល Ko-sal)
                out.append(_Syllable(u.cons, _series(u.cons, u.shift),
                                     final=units[i + 1].cons[0], onset_b_p=u.shift == 1))
                i += 2
                continue
            if last or prev.vowel or prev.indep:
                prev.final = u.cons[0]
            else:
                out.append(_Syllable(u.cons, _series(u.cons, u.shift), onset_b_p=u.shift == 1))
            i += 1
            continue
        out.append(_Syllable(u.cons, _series(u.cons, u.shift), u.vowels,
                             onset_b_p=u.shift == 1))
        i += 1
    # the final short vowel of a Pali or Sanskrit word is not pronounced (សុជាតិ, សម្បត្តិ)
    if len(out) >= 2:
        tail, before = out[-1], out[-2]
        if tail.vowel in ("ិ", "ុ") and tail.final is None and len(tail.onset) == 1:
            if before.final is None:
                before.final = tail.onset[0]
            out.pop()
    return out


def _spell(s: _Syllable, is_last: bool) -> str:
    if s.indep:
        onset = ""
        vowel = s.indep
        if s.vowel:
            vowel += "".join(_VOWELS.get(v, ("", ""))[0] for v in s.vowel)
    else:
        parts = []
        for c in s.onset:
            if c == "ប" and (len(s.onset) > 1 or s.onset_b_p):
                parts.append("p")
            else:
                parts.append(_INITIAL[c])
        onset = "".join(parts)
        idx = 0 if s.series == 1 else 1
        v = s.vowel
        if not v:
            if s.final is not None:
                vowel = "ea" if idx == 1 and s.final in _VELAR else ("a", "o")[idx]
            else:
                vowel = "a" if not is_last else ("a", "o")[idx]
        elif v in _VOWELS:
            vowel = _VOWELS[v][idx]
        else:
            # a vowel with a sign after it: ុះ េះ ោះ ាំ ុំ ...
            if v in ("ុំ", "ាំ"):
                vowel = _VOWELS[v][idx]
            elif v.endswith("ំ"):
                vowel = _VOWELS.get(v[:-1], ("", ""))[idx] + "m"
            elif v.endswith("ះ"):
                vowel = _VOWELS.get(v[:-1], ("a", "ea"))[idx] + "h"
            elif v.endswith("ៈ"):
                vowel = _VOWELS.get(v[:-1], ("a", "ea"))[idx] + "k"
            else:
                vowel = "".join(_VOWELS.get(c, ("", ""))[idx] for c in v)
        if s.final == "ង" and vowel.endswith("m") and "ំ" in v:
            # ាំង, ំង: the nasal of ំ merges with the final ng (តាំង tang, សាំង sang)
            vowel = vowel[:-1]
            if vowel == "oa":
                vowel = "ea"
    final = _FINAL.get(s.final, "") if s.final is not None else ""
    return onset + vowel + final


def romanise_khmer(text: str) -> str:
    """Romanise Khmer script as Cambodian names are spelled in Latin letters.

    Each written word becomes one Latin word (``"សុខា"`` -> ``"sokha"``, ``"ពិសិដ្ឋ"`` ->
    ``"piset"``); non-Khmer characters pass through.

    Parameters
    ----------
    text : str
        A name in Khmer script (Unicode).

    Returns
    -------
    str
        Lower-case Latin letters, words separated as in ``text``.
    """
    out = []
    for chunk in re.split(r"(\s+)", text):
        if not KHMER_RE.search(chunk):
            out.append(chunk)
            continue
        sylls = _syllables(_units(chunk))
        out.append("".join(_spell(s, k == len(sylls) - 1) for k, s in enumerate(sylls)))
    return "".join(out).strip()
