"""Burmese script to the popular Latin spelling of Myanmar personal names.

No maintained Python library romanises Burmese the way Myanmar passports and agencies write
names (``ကျော်`` -> ``Kyaw``, ``အောင်`` -> ``Aung``): ``anyascii`` spells it letter by letter
(``kyeav``) and ICU's ``Myanmar-Latin`` follows MLCTS (``kyau``), and neither is spelled the
way a name in the Latin alphabet is. This module reads a name syllable by syllable (onset
consonant, medials, vowel, final consonant, tone) and spells each with the conventions of
personal names. It is a normaliser for matching, not a scholarly transliteration: the aim is
that the romanised Burmese form and the Latin form an agency wrote share most of their letters.
"""

from __future__ import annotations

import re

__all__ = ["romanise_myanmar", "MYANMAR_RE"]

#: Any character of the Myanmar block.
MYANMAR_RE = re.compile(r"[\u1000-\u109f]")

_ONSET = {
    "က": "k", "ခ": "kh", "ဂ": "g", "ဃ": "g", "င": "ng", "စ": "s", "ဆ": "hs", "ဇ": "z",
    "ဈ": "z", "ည": "ny", "ဉ": "ny", "ဋ": "t", "ဌ": "ht", "ဍ": "d", "ဎ": "d", "ဏ": "n",
    "တ": "t", "ထ": "ht", "ဒ": "d", "ဓ": "d", "န": "n", "ပ": "p", "ဖ": "ph", "ဗ": "b",
    "ဘ": "b", "မ": "m", "ယ": "y", "ရ": "y", "လ": "l", "ဝ": "w", "သ": "th", "ဟ": "h",
    "ဠ": "l", "အ": "",
}
_INDEPENDENT = {"ဣ": "i", "ဤ": "i", "ဥ": "u", "ဦ": "u", "ဧ": "e", "ဩ": "aw", "ဪ": "aw"}
_CONSONANTS = set(_ONSET)
ASAT = "\u103a"      # ်  kills the inherent vowel: the consonant is a final
VIRAMA = "\u1039"    # ္  stacks the next consonant: this one closes the syllable
MEDIAL_Y = ("\u103b", "\u103c")  # ျ ြ
MEDIAL_W = "\u103d"  # ွ
MEDIAL_H = "\u103e"  # ှ
TONES = ("\u1037", "\u1038")     # ့ း
_VOWEL_SIGNS = set("\u102b\u102c\u102d\u102e\u102f\u1030\u1031\u1032\u1036")
_SKIP = set("\u1037\u1038\u104a\u104b\u200b\u200c\u200d")

# final consonant (with asat) -> its sound, by the vowel written before it
_FINAL = {
    "က": {"": "et", "o": "auk", "i": "eik", "u": "ok", "w": "wet", "ai": "aik"},
    "င": {"": "in", "o": "aung", "i": "ein", "u": "on", "w": "win", "ai": "aing"},
    "စ": {"": "it", "i": "it", "u": "ut"},
    "ည": {"": "i", "i": "i"},
    "ဉ": {"": "in", "i": "eint"},
    "တ": {"": "at", "i": "eik", "u": "ok", "w": "ut"},
    "န": {"": "an", "i": "ein", "u": "on", "w": "un"},
    "ပ": {"": "at", "i": "eik", "u": "ok", "w": "ut"},
    "မ": {"": "an", "i": "ein", "u": "on", "w": "un"},
    "ယ": {"": "e"},
    "ဏ": {"": "an", "i": "ein", "u": "on", "w": "un"},
}
#: Name syllables whose usual Latin spelling is not the regular reading of their letters:
#: ``ည်`` is read i, e or ae depending on the word, and ပြည့် is spelled Pyae in names (Pyae
#: Phyo, Pyae Sone); စိုင်း is the Shan men's prefix, spelled Sai after its Shan form.
_IRREGULAR = {"ပြည့်": "pyae", "စိုင်း": "sai"}
#: Voicing of an initial after a nasal inside a word (Okell 1969: သန္တာ Thandar).
_VOICED = {"k": "g", "ky": "gy", "kh": "g", "ch": "gy", "s": "z", "hs": "z", "t": "d",
           "ht": "d", "p": "b", "ph": "b", "py": "by", "phy": "by"}
_ONSET_Y = {"k": "ky", "kh": "ch", "g": "gy", "p": "py", "ph": "phy", "b": "by", "m": "my",
            "l": "ly", "h": "hy", "y": "y", "": "y"}
_ONSET_H = {"y": "sh", "l": "hl", "m": "hm", "n": "hn", "ng": "hng", "ny": "hny", "w": "hw"}


def _split(text: str) -> list[str]:
    """Split Burmese text into syllables (a consonant followed by asat or virama closes the one
    before it instead of starting a new one)."""
    out: list[str] = []
    cur = ""
    n = len(text)
    for i, ch in enumerate(text):
        starts = (ch in _CONSONANTS or ch in _INDEPENDENT)
        if starts:
            nxt = text[i + 1] if i + 1 < n else ""
            closing = nxt in (ASAT, VIRAMA) or (nxt in TONES and i + 2 < n
                                                  and text[i + 2] == ASAT)
            if closing and cur:
                cur += ch
                continue
            if cur:
                out.append(cur)
            cur = ch
        else:
            cur += ch
    if cur:
        out.append(cur)
    return out


def _syllable(s: str) -> str:
    first = s[0]
    if first in _INDEPENDENT:
        base = _INDEPENDENT[first]
        rest = s[1:]
        final = next((c for c in rest if c in _CONSONANTS), None)
        if final:
            # ဥ and ဣ closed by a final read as the vowels ု and ိ do (ဥမ္မာ Ohnmar)
            table = _FINAL.get(final, {})
            kind = {"u": "u", "i": "i"}.get(base)
            if kind is not None and kind in table:
                return table[kind]
            return base + table.get("", "")
        return base
    if s in _IRREGULAR:
        return _IRREGULAR[s]
    onset = _ONSET.get(first, "")
    body = s[1:]
    if any(m in body for m in MEDIAL_Y):
        onset = _ONSET_Y.get(onset, onset + "y")
    if MEDIAL_H in body:
        onset = _ONSET_H.get(onset, "h" + onset)
    w = MEDIAL_W in body
    final = None
    for i, ch in enumerate(body):
        if ch in _CONSONANTS and (i + 1 < len(body) and body[i + 1] in (ASAT, VIRAMA)
                                  or i + 2 < len(body) and body[i + 2] == ASAT):
            final = ch
            break
    vowels = "".join(c for c in body if c in _VOWEL_SIGNS)
    creaky = TONES[0] in body
    if "\u1031" in vowels and ("\u102c" in vowels or "\u102b" in vowels):
        kind, bare = "o", "aw"                     # ော
    elif "\u102d" in vowels and "\u102f" in vowels:
        kind, bare = "ai", "o"                     # ို
    elif "\u102d" in vowels or "\u102e" in vowels:
        kind, bare = "i", ("ei" if first == "အ" and not final else "i")
    elif "\u102f" in vowels or "\u1030" in vowels:
        kind, bare = "u", "u"
    elif "\u1031" in vowels:
        kind, bare = "", ("e" if w else "ay")      # ဆွေ Swe, but ဝေ Way, နေ Nay
        if first == "အ" and not w:
            bare = "aye"                           # အေး Aye
    elif "\u1032" in vowels:
        kind, bare = "", "e"
    elif "\u1036" in vowels:
        kind, bare = "", "an"
    elif "\u102c" in vowels or "\u102b" in vowels:
        kind, bare = "", "ar"                      # open long a: Arkar, Sandar, Zayar
    else:
        kind, bare = ("w" if w else ""), ("wa" if w else "a")
    table = _FINAL.get(final, {"": "a"}) if final is not None else {}
    if w and kind == "w" and "w" in table:
        w = False  # the w is spelled by the rhyme itself (ွန် -> un), not by ွယ် (Nwe)
    # the consonant ဝ closed by a final reads as the medial ွ does: ဝန် wun, ဝင် win
    wa_onset = first == "ဝ" and not w and not vowels and "w" in table
    if final is not None and wa_onset:
        rhyme = table["w"]
        rhyme = rhyme[1:] if rhyme.startswith("w") else rhyme
        if creaky and final in ("န", "င", "မ"):
            rhyme += "t"
    elif final is not None:
        rhyme = table.get(kind, table[""])
        if kind == "w" and rhyme.startswith("w"):
            rhyme = rhyme[1:]
            onset += "w"
        if creaky and final in ("န", "င", "မ"):
            rhyme += "t"
    else:
        rhyme = bare
        if kind == "w":
            onset += "w"
            rhyme = "a"
    if w:
        onset += "w"
    return onset + rhyme


def romanise_myanmar(text: str) -> str:
    """Romanise Burmese script as Myanmar names are spelled in Latin letters.

    Each syllable becomes one word, so ``"ဇင်ကောင်း"`` (written without spaces) becomes
    ``"zin kaung"``; non-Burmese characters pass through.

    Parameters
    ----------
    text : str
        A name in Burmese script (Unicode, not Zawgyi).

    Returns
    -------
    str
        Lower-case Latin letters, syllables separated by spaces.
    """
    words = []
    for chunk in re.split(r"(\s+)", text):
        if not MYANMAR_RE.search(chunk):
            words.append(chunk)
            continue
        chunk = "".join(c for c in chunk if c not in _SKIP or c in TONES)
        sylls = _split(chunk)
        parts: list[str] = []
        joined = False
        for syl in sylls:
            spelled = _syllable(syl)
            if joined and parts and spelled:
                # a stacked consonant (virama) joins two syllables of one Pali word:
                # ဝဏ္ဏ Wunna, စန္ဒာ Sandar; the second initial is voiced after a nasal
                if parts[-1][-1:] in ("n", "m", "g"):
                    for plain in sorted(_VOICED, key=len, reverse=True):
                        if spelled.startswith(plain):
                            spelled = _VOICED[plain] + spelled[len(plain):]
                            break
                parts[-1] += spelled
            elif spelled:
                parts.append(spelled)
            joined = VIRAMA in syl
        words.append(" ".join(parts))
    return "".join(words).strip()
