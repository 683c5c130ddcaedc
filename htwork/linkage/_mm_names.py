"""Burmese personal names built from syllables, for the agency-list simulator.

A Burmese name is one to four syllables with no family name (``Zin Kaung``, ``Ye Htun Htoo``),
and parents choose the syllables, so a population holds many more distinct names than a list
of whole names does: the 440 whole names shipped in ``names_mm.csv`` gave 8,056 simulated
people of Myanmar 436 distinct names, about 18 people a name, and no linkage method can tell
18 people of the same name and no birth date apart. Here the shipped names are cut into
syllables, each Latin syllable paired with its Burmese-script syllable (names whose Latin words
and script syllables do not pair one to one are left out) and with the spellings the list
gives as variants, and new names are drawn syllable by syllable, as often as the syllables
occur at each position in the shipped names of that sex. Only
:func:`htwork.linkage.simulate_agency_lists` uses them; the case simulator keeps its lists.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache

import numpy as np

__all__ = ["SyllableTable", "syllable_table", "draw_burmese_names"]


@dataclass(frozen=True)
class SyllableTable:
    """Syllables of one sex's names: the Latin form, its script and variant spellings.

    Attributes
    ----------
    lengths : ndarray
        Shares of names of 1, 2, 3, ... syllables.
    latin, native : list of ndarray
        Per position in a name (the last one also for later positions), the syllables.
    variants : list of ndarray
        Per position, each syllable's other Latin spellings (tuples).
    p : list of ndarray
        Per position, each syllable's share.
    """

    lengths: np.ndarray
    latin: list[np.ndarray]
    native: list[np.ndarray]
    variants: list[np.ndarray]
    p: list[np.ndarray]


@cache
def syllable_table(sex: str) -> SyllableTable:
    """The syllables of the shipped Burmese given names of ``sex`` (``"male"``, ``"female"``).
    """
    from htwork.linkage._myanmar import _split
    from htwork.simulate.identity import name_tables

    t = name_tables("MM")[f"given_{sex}"]
    counts: list[Counter] = [Counter() for _ in range(4)]
    script: dict[str, Counter] = defaultdict(Counter)
    spellings: dict[str, set[str]] = defaultdict(set)
    lengths: Counter = Counter()
    for latin, native, variants, w in zip(t.latin, t.native, t.variants, t.p, strict=True):
        words = str(latin).split()
        sylls = _split(str(native)) if native else []
        if not words or len(sylls) != len(words):
            continue
        lengths[len(words)] += w
        for pos, (word, syl) in enumerate(zip(words, sylls, strict=True)):
            counts[min(pos, 3)][word] += w
            script[word][syl] += 1
        for v in variants or ():
            vw = str(v).split()
            if len(vw) == len(words):
                for word, other in zip(words, vw, strict=True):
                    if other != word:
                        spellings[word].add(other)
    most = max(lengths)
    share = np.array([lengths.get(k, 0.0) for k in range(1, most + 1)], dtype=float)
    latin_by, native_by, var_by, p_by = [], [], [], []
    for pos in range(min(most, 4)):
        c = counts[pos] or counts[pos - 1]
        words = sorted(c)
        latin_by.append(np.array(words, dtype=object))
        native_by.append(np.array([script[w].most_common(1)[0][0] for w in words],
                                  dtype=object))
        var = np.empty(len(words), dtype=object)
        var[:] = [tuple(sorted(spellings[w])) for w in words]
        var_by.append(var)
        weights = np.array([c[w] for w in words], dtype=float)
        p_by.append(weights / weights.sum())
    return SyllableTable(share / share.sum(), latin_by, native_by, var_by, p_by)


def draw_burmese_names(rng: np.random.Generator, female: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Names for people of Myanmar built syllable by syllable.

    Parameters
    ----------
    rng : Generator
        The draws.
    female : ndarray of bool
        Each person's sex.

    Returns
    -------
    latin, native, variants : ndarray of object
        The Latin name (syllables separated by spaces), the same name in Burmese script (no
        spaces, as it is written), and other Latin spellings of it (a tuple: the syllables
        written together, and one syllable spelt another way where the shipped list knows
        one).
    """
    n = len(female)
    latin = np.full(n, "", dtype=object)
    native = np.full(n, "", dtype=object)
    variants = np.empty(n, dtype=object)
    variants[:] = [()] * n
    for sex, rows in (("female", np.flatnonzero(female)), ("male", np.flatnonzero(~female))):
        if not len(rows):
            continue
        t = syllable_table(sex)
        size = 1 + rng.choice(len(t.lengths), size=len(rows), p=t.lengths)
        parts_l: list[list[str]] = [[] for _ in rows]
        parts_n: list[list[str]] = [[] for _ in rows]
        parts_v: list[list[tuple[str, ...]]] = [[] for _ in rows]
        for pos in range(int(size.max())):
            at = np.flatnonzero(size > pos)
            k = min(pos, len(t.latin) - 1)
            pick = rng.choice(len(t.latin[k]), size=len(at), p=t.p[k])
            for r, j in zip(at.tolist(), pick.tolist(), strict=True):
                parts_l[r].append(t.latin[k][j])
                parts_n[r].append(t.native[k][j])
                parts_v[r].append(t.variants[k][j])
        other = rng.random(len(rows))
        for r, i in enumerate(rows.tolist()):
            words = parts_l[r]
            latin[i] = " ".join(words)
            native[i] = "".join(parts_n[r])
            found = [(pos, v) for pos, vs in enumerate(parts_v[r]) for v in vs]
            out = ["".join(words)] if len(words) > 1 else []
            if found:
                pos, v = found[int(other[r] * len(found))]
                out.append(" ".join(v if q == pos else w for q, w in enumerate(words)))
            variants[i] = tuple(out)
    return latin, native, variants
