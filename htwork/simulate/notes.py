"""Free-text case notes built from sentence templates, vectorised.

A note is up to four sentences: an introduction naming the person (full name, first name only,
or an alias) with age, nationality, home town and registration date; the exploitation story
(boat, company, scam compound, employer, platform, amounts, places); a contact sentence with
the phone number and sometimes the document number; and a closing remark. Templates live in
``data/notes.csv`` (English, Thai, Khmer, Bahasa Indonesia); the language follows the
identifying agency (``organisations.csv`` ``notes_lang``). These are exactly the details that
redaction must later remove.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from htwork.simulate import _tables as T
from htwork.simulate._sampling import factorize, grouped_choice, lookup, map_values, str_pool

LANGS = ("en", "th", "km", "id")
_CHUNK = 1 << 18
#: Countries whose people write the family name first in a full name.
FAMILY_FIRST = {"KH", "VN"}


@dataclass
class NoteInputs:
    """Per-row inputs of :func:`build_notes` (numpy arrays of equal length)."""

    lang: np.ndarray  # object: en / th / km / id
    story: np.ndarray  # object: story kind of the stream
    origin: np.ndarray  # object: citizenship (ISO alpha-2)
    destination: np.ndarray  # object: country of exploitation
    first: np.ndarray  # object: given name as recorded
    second: np.ndarray  # object: family name as recorded ("" if none)
    first_native: np.ndarray  # object: national-script given name or ""
    second_native: np.ndarray  # object: national-script family name or ""
    alias: np.ndarray  # object: first alias or ""
    age: np.ndarray  # int: age at registration
    day: np.ndarray  # datetime64[D]: registration date
    home: np.ndarray  # int: places() index of the home town (-1 none)
    place: np.ndarray  # int: places() index of the place of exploitation (-1 none)
    phone: Callable[[np.ndarray], np.ndarray]  # rows -> phone numbers as written in notes
    doc: np.ndarray  # object: document type code
    idno: np.ndarray  # object: document number or None
    platform: np.ndarray  # object: first recruitment platform code or ""
    token: np.ndarray  # int: event token (same boat / company for a group)
    months: np.ndarray  # int: months of exploitation


def _choose(rng, lang: tuple[np.ndarray, np.ndarray], story: tuple[np.ndarray, np.ndarray],
            part: str) -> tuple[np.ndarray, list]:
    """Template index (into the returned list) per row for one part of the note.

    ``lang`` and ``story`` are ``(codes, distinct values)`` pairs; templates fall back from the
    story to ``*`` (any) and ``generic``, then to English.
    """
    tpl = T.note_templates()
    tpl = tpl[tpl["part"] == part]
    texts: list[str] = tpl["template"].tolist()
    (lc, lu), (sc, su) = lang, story
    inv, keys = factorize(lc * len(su) + sc)
    cands, probs = [], []
    for k in keys.tolist():
        lg, st = lu[k // len(su)], su[k % len(su)]
        for lg_try, st_try in ((lg, st), (lg, "*"), (lg, "generic"), ("en", st), ("en", "*"),
                               ("en", "generic")):
            m = ((tpl["lang"] == lg_try) & (tpl["story"] == st_try)).to_numpy()
            if m.any():
                break
        idx = np.flatnonzero(m)
        cands.append(idx)
        probs.append(tpl["weight"].to_numpy()[idx])
    return lookup(inv, cands, grouped_choice(rng, inv, probs)), texts


def _cat(*parts) -> np.ndarray:
    """Concatenate object arrays and literal strings element-wise."""
    n = next(len(p) for p in parts if not isinstance(p, str))
    acc = np.full(n, "", dtype=object)
    for p in parts:
        acc = acc + p
    return acc


class _Slots:
    """Values of the template fields, computed only for the rows whose template uses them."""

    def __init__(self, rng: np.random.Generator, inp: NoteInputs) -> None:
        par = T.params()
        self.inp = inp
        self.n = len(inp.lang)
        self.lang = np.array([LANGS.index(x) for x in LANGS], dtype=np.int64)
        self.lang_code = np.zeros(self.n, dtype=np.int64)
        for i, lg in enumerate(LANGS):
            self.lang_code[inp.lang == lg] = i
        self.origin_code, origins = factorize(inp.origin)
        nat = par["nationality_words"]
        self.nat = np.array([[nat[lg].get(c, c) for c in origins.tolist()] for lg in LANGS],
                            dtype=object)
        self.doc_code, docs = factorize(inp.doc)
        dw = par["notes"]["doc_words"]
        self.docw = np.array([[dw[lg].get(d, "") for d in docs.tolist()] for lg in LANGS],
                             dtype=object)
        self.towns = _town_table()
        self.rng = rng
        self.amount_u = rng.random(self.n)
        self.fixed = {
            "age": str_pool(inp.age, str),
            "months": str_pool(np.maximum(inp.months, 1), str),
            "hours": str_pool(rng.integers(12, 21, self.n), str),
            "name": _name_refs(rng, inp),
            "date": _dates(inp.day, inp.lang),
            "idno": np.where(pd.isna(inp.idno), "", inp.idno).astype(object),
        }
        pw = par["note_words"]["platform_words"]
        self.fixed["platform"] = map_values(inp.platform, lambda p: pw.get(p, "Facebook"))

    def prepare(self, needed: dict[str, np.ndarray]) -> None:
        """Compute, once and vectorised, the fields the chosen templates use, for the rows
        (boolean masks) that use them."""
        inp = self.inp
        for name, mask in needed.items():
            if name in self.fixed:
                continue
            rows = np.flatnonzero(mask)
            lc = self.lang_code[rows]
            full = np.full(self.n, "", dtype=object)
            if name == "phone":
                full[rows] = inp.phone(rows)
            elif name == "nat":
                full[rows] = self.nat[lc, self.origin_code[rows]]
            elif name == "doc_word":
                full[rows] = self.docw[lc, self.doc_code[rows]]
            elif name in ("home", "place"):
                idx = (inp.home if name == "home" else inp.place)[rows]
                full[rows] = self.towns[lc, np.where(idx < 0, self.towns.shape[1] - 1, idx)]
            elif name == "amount":
                full[rows] = _amounts(self.amount_u[rows], inp.destination[rows],
                                      inp.lang[rows])
            else:
                full[rows] = _event_word(name, inp.token[rows], inp.story[rows],
                                         inp.destination[rows], lc)
            self.fixed[name] = full


def _fill(template: str, values: dict[str, np.ndarray], a: int, b: int) -> list[str]:
    """The template filled for rows ``a:b`` of ``values`` (one ``str.format`` per row)."""
    fields, pieces = [], []
    for literal, field, _, _ in string.Formatter().parse(template):
        pieces.append(literal.replace("{", "{{").replace("}", "}}"))
        if field:
            fields.append(values[field][a:b].tolist())
            pieces.append("{}")
    fmt = "".join(pieces)
    if not fields:
        return [fmt.format()] * (b - a)
    return list(map(fmt.format, *fields))


def _town_table() -> np.ndarray:
    """Town names by note language (rows) and places() index (columns; last = unknown)."""
    pl = T.places()
    city = np.r_[pl["city"].to_numpy(dtype=object), np.array(["an unknown place"], dtype=object)]
    local = np.r_[pl["city_local"].to_numpy(dtype=object), np.array([""], dtype=object)]
    country = np.r_[pl["country"].to_numpy(dtype=object), np.array([""], dtype=object)]
    th = np.where(country == "TH", local, city)
    km = np.where(country == "KH", local, city)
    return np.array([city, th, km, city], dtype=object)


def _dates(day: np.ndarray, lang: np.ndarray) -> np.ndarray:
    fmts = T.params()["notes"]["date_format"]
    key = day.astype("datetime64[D]").astype(np.int64) * 8 + np.select(
        [lang == lg for lg in LANGS], list(range(len(LANGS))), 0)
    codes, uniq = factorize(key)
    text = []
    for k in uniq.tolist():
        t = pd.Timestamp(np.datetime64(int(k) // 8, "D"))
        lg = LANGS[int(k) % 8]
        text.append(t.strftime(fmts[lg]).replace("{be}", str(t.year + 543)))
    return np.asarray(text, dtype=object)[codes]


def _pick(arr: list, token: np.ndarray, div: int = 1) -> np.ndarray:
    a = np.empty(len(arr), dtype=object)
    a[:] = [x if isinstance(x, str) else tuple(x) for x in arr]
    return a[(token // div) % len(arr)]


_COMPANY_KINDS = {"seafood": [0, 1, 2, 3], "construction": [4, 5], "agriculture": [6, 7],
                  "manufacturing": [8, 9]}
_SUFFIX = {"TH": 0, "MY": 2, "SG": 3}


def _event_word(name: str, t: np.ndarray, story: np.ndarray, dest: np.ndarray,
                lang_code: np.ndarray) -> np.ndarray:
    """Boat, company, scam compound or employer named by the event's token."""
    w = T.params()["note_words"]
    if name == "boat":
        pre = np.array(w["boat_prefix"], dtype=object)[t % len(w["boat_prefix"])]
        word = np.array(w["boat_word"], dtype=object)[t // 7 % len(w["boat_word"])]
        num = str_pool(t // 97 % 60 + 1, str)
        th = lang_code == LANGS.index("th")
        return np.where(th, _cat(pre[:, 1], word[:, 1], " ", num),
                        _cat(pre[:, 0], " ", word[:, 0], " ", num))
    if name == "company":
        b_all = np.asarray(w["company_b"], dtype=object)
        b = np.empty(len(t), dtype=object)
        for st in pd.unique(story).tolist():
            rows = story == st
            kinds = _COMPANY_KINDS.get(st, list(range(len(b_all))))
            b[rows] = b_all[np.asarray(kinds)[t[rows] // 13 % len(kinds)]]
        suffix = np.asarray(w["company_c"], dtype=object)
        suf = map_values(dest, lambda d: suffix[_SUFFIX.get(d, 4)])
        return _cat(_pick(w["company_a"], t, 3), " ", b, " ", suf)
    if name == "compound":
        return _cat(_pick(w["compound_a"], t, 5), " ", _pick(w["compound_a"], t, 101), " ",
                    _pick(w["compound_b"], t, 11))
    if name == "employer":
        emp = T.params()["notes"]["employers"]
        out = np.empty(len(t), dtype=object)
        for d in pd.unique(dest).tolist():
            rows = dest == d
            lst = emp.get(d, emp["default"])
            pick = np.array(lst, dtype=object)[t[rows] // 17 % len(lst)]
            out[rows] = np.where(lang_code[rows] == LANGS.index("th"), pick[:, 1], pick[:, 0])
        return out
    raise KeyError(f"notes.csv uses an unknown field {{{name}}}")


def _amounts(u: np.ndarray, dest: np.ndarray, lang: np.ndarray) -> np.ndarray:
    cur = T.params()["currencies"]
    out = np.empty(len(u), dtype=object)
    inv, uniq = factorize(dest.astype(object) + "|" + lang.astype(object))
    for j, k in enumerate(uniq.tolist()):
        d, lg = k.split("|")
        rows = np.flatnonzero(inv == j)
        spec = cur.get(d, cur["TH"])
        lo, hi = int(spec["low"]), int(spec["high"])
        step = max(10 ** (len(str(lo)) - 2), 1) * 5
        amt = (lo // step + np.floor(u[rows] * (hi // step - lo // step + 1))).astype(
            np.int64) * step
        out[rows] = str_pool(amt, lambda a, s=spec[lg]: s.format(amount=int(a)))
    return out


def _name_refs(rng, inp: NoteInputs) -> np.ndarray:
    form = T.params()["notes"]["name_form"]
    n = len(inp.lang)
    use_native = ((inp.lang == "km") & (inp.origin == "KH") & (inp.first_native != "")) | (
        (inp.lang == "th") & (inp.origin == "TH"))
    first = np.where(use_native & (inp.first_native != ""), inp.first_native, inp.first)
    second = np.where(use_native & (inp.second_native != ""), inp.second_native, inp.second)
    fam_first = np.isin(inp.origin, list(FAMILY_FIRST))
    sep = np.where(second == "", "", " ").astype(object)
    full = np.where(fam_first, _cat(second, sep, first), _cat(first, sep, second))
    khmer = use_native & (inp.origin == "KH")
    full[khmer] = _cat(second[khmer], first[khmer])  # Khmer script: no space
    u = rng.random(n)
    p_full, p_first = form["full"], form["full"] + form["first"]
    ref = np.where(u < p_first, np.where(u < p_full, full, first), full)
    alias_rows = np.flatnonzero((u >= p_first) & (inp.alias != ""))
    en = inp.lang[alias_rows] == "en"
    ref[alias_rows] = np.where(en, _cat(full[alias_rows], " alias ", inp.alias[alias_rows]),
                               _cat(full[alias_rows], " (", inp.alias[alias_rows], ")"))
    return ref


def build_notes(rng: np.random.Generator, inp: NoteInputs) -> np.ndarray:
    """Case notes, one string per row."""
    par = T.params()["notes"]
    n = len(inp.lang)
    lang = inp.lang
    slots = _Slots(rng, inp)
    lang_f = factorize(lang)
    story_f = factorize(inp.story)
    star = (np.zeros(n, dtype=np.int64), np.array(["*"], dtype=object))
    parts = []
    idx, texts = _choose(rng, lang_f, star, "intro")
    parts.append((idx, texts, np.ones(n, dtype=bool)))
    idx, texts = _choose(rng, lang_f, story_f, "story")
    parts.append((idx, texts, rng.random(n) < par["story"]))
    cp = par["contact"]
    u = rng.random(n)
    has_doc = slots.fixed["idno"] != ""
    want_doc = (u >= cp["none"] + cp["phone"]) & has_doc
    want_phone = (u >= cp["none"]) & ~want_doc
    idx, texts = _choose(rng, lang_f, star, "contact")
    parts.append((idx, texts, want_phone))
    idx, texts = _choose(rng, lang_f, star, "contact_doc")
    parts.append((idx, texts, want_doc))
    migrant = factorize(np.where(inp.origin != inp.destination, "migrant", "*").astype(object))
    idx, texts = _choose(rng, lang_f, migrant, "closing")
    parts.append((idx, texts, np.ones(n, dtype=bool)))

    # one template per row: the chosen sentences joined; filled with one str.format per row
    key = np.zeros(n, dtype=np.int64)
    for idx, texts, active in parts:
        key = key * (len(texts) + 1) + np.where(active & _nonempty(texts)[idx], idx + 1, 0)
    combo, uniq = factorize(key)
    combined = []
    for k in uniq.tolist():
        pieces = []
        for idx_texts in reversed(parts):
            size = len(idx_texts[1]) + 1
            k, t = divmod(k, size)
            if t:
                pieces.append(idx_texts[1][t - 1])
        combined.append(" ".join(reversed(pieces)))
    needed: dict[str, np.ndarray] = {}
    for j, text in enumerate(combined):
        for _, fld, _, _ in string.Formatter().parse(text):
            if fld:
                needed.setdefault(fld, np.zeros(len(uniq), dtype=bool))[j] = True
    slots.prepare({f: m[combo] for f, m in needed.items()})
    out = np.empty(n, dtype=object)
    order = np.argsort(combo, kind="stable")
    bounds = np.searchsorted(combo[order], np.arange(len(uniq) + 1))
    for lo in range(0, n, _CHUNK):  # fields sorted by template, a chunk at a time
        hi = min(lo + _CHUNK, n)
        rows = order[lo:hi]
        values = {f: slots.fixed[f][rows] for f in needed}
        for j in np.unique(combo[rows]).tolist():
            a, b = max(bounds[j], lo) - lo, min(bounds[j + 1], hi) - lo
            out[rows[a:b]] = _fill(combined[j], values, a, b)
    return out


def _nonempty(texts: list[str]) -> np.ndarray:
    return np.array([bool(t) for t in texts], dtype=bool)
