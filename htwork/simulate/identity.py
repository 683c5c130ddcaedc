"""Synthetic identities: names, aliases, phones, identity documents, e-mails and addresses.

faker is only used to build pools of a few thousand names and street lines per locale (once
per process, with a fixed seed); every per-person draw is a numpy index into those pools, so a
million identities take seconds. Khmer, Lao and Myanmar names come from
``data/names_<cc>.csv`` (faker has no locale for them); Vietnamese and Filipino pools are
supplemented from the same kind of file.
"""

from __future__ import annotations

import unicodedata
import zlib
from dataclasses import dataclass
from functools import cache

import numpy as np

from htwork.simulate import _tables as T
from htwork.simulate._sampling import digits, digits_to_str, factorize, map_values, str_pool

#: faker locale per country; other countries use the shipped name lists only.
FAKER_LOCALES = {"TH": "th_TH", "ID": "id_ID", "PH": "en_PH", "VN": "vi_VN"}
#: Seed of the faker pools (fixed: the pools are the same in every run; draws vary by seed).
POOL_SEED = 20261125
POOL_SIZE = 1500
STREET_POOL = 1000


def fold_ascii(text: str) -> str:
    """Drop diacritics as agencies abroad do (``"Nguyễn Thị"`` -> ``"Nguyen Thi"``)."""
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


@cache
def faker_pool(locale: str, method: str, size: int = POOL_SIZE) -> tuple[str, ...]:
    """Distinct values of ``Faker(locale).<method>()`` over ``size`` seeded calls."""
    from faker import Faker

    fake = Faker(locale)
    fake.seed_instance(POOL_SEED + zlib.crc32(f"{locale}.{method}".encode()))
    fn = getattr(fake, method)
    return tuple(dict.fromkeys(str(fn()).replace("\n", ", ") for _ in range(size)))


@dataclass(frozen=True)
class NameTable:
    """Names of one kind (given male, given female, family, nickname) of one country.

    ``latin`` is the romanised form agencies abroad write (Thai script for Thailand, where only
    Thai agencies register Thai nationals), ``native`` the national-script form or ``""``,
    ``variants`` alternative spellings (tuples), ``p`` sampling probabilities.
    """

    latin: np.ndarray
    native: np.ndarray
    variants: np.ndarray
    p: np.ndarray

    def __len__(self) -> int:
        return len(self.latin)


def _table(latin, native, variants, weights) -> NameTable:
    w = np.asarray(weights, dtype=float)
    var = np.empty(len(latin), dtype=object)
    var[:] = [tuple(v) for v in variants]
    return NameTable(np.asarray(latin, dtype=object), np.asarray(native, dtype=object), var,
                     w / w.sum())


def _merge(*parts: tuple[list, list, list, list]) -> NameTable:
    seen: dict[str, int] = {}
    latin: list = []
    native: list = []
    variants: list = []
    weights: list = []
    for la, na, va, we in parts:
        for a, b, c, d in zip(la, na, va, we, strict=True):
            if a in seen:
                continue
            seen[a] = len(latin)
            latin.append(a)
            native.append(b)
            variants.append(c)
            weights.append(d)
    return _table(latin, native, variants, weights)


def _csv_part(country: str, kind: str) -> tuple[list, list, list, list]:
    df = T.names(country)
    df = df[df["kind"] == kind]
    return (df["latin"].tolist(), df["native"].tolist(),
            [tuple(v for v in s.split("|") if v) for s in df["variants"]],
            df["weight"].tolist())


def _faker_part(country: str, method: str, *, weight: float = 1.0
                ) -> tuple[list, list, list, list]:
    vals = list(faker_pool(FAKER_LOCALES[country], method))
    if country == "VN":
        latin = [fold_ascii(v) for v in vals]
        return latin, vals, [()] * len(vals), [weight] * len(vals)
    native = vals if country == "TH" else [""] * len(vals)
    return vals, native, [()] * len(vals), [weight] * len(vals)


def _vn_given(sex: str) -> NameTable:
    extra = _faker_part("VN", "middle_name", weight=0.3) if sex == "male" else ([], [], [], [])
    mid = _merge(_csv_part("VN", f"middle_{sex}"), extra)
    given = _merge(_csv_part("VN", f"given_{sex}"), _faker_part("VN", f"first_name_{sex}"))
    la, na, va, we = [], [], [], []
    for i in range(len(mid)):
        if sex == "male" and mid.native[i] == "Thị":
            continue
        for j in range(len(given)):
            la.append(f"{mid.latin[i]} {given.latin[j]}")
            na.append(f"{mid.native[i]} {given.native[j]}")
            va.append(tuple(f"{mid.latin[i]} {v}" for v in given.variants[j]))
            we.append(mid.p[i] * given.p[j])
    return _table(la, na, va, we)


@cache
def name_tables(country: str) -> dict[str, NameTable]:
    """Name tables of a country: ``given_male``, ``given_female``, ``family``, ``nickname``.

    ``family`` is absent for Myanmar (people have one name, no family name).
    """
    out: dict[str, NameTable] = {}
    if country == "TH":
        out["given_male"] = _merge(_faker_part("TH", "first_name_male"))
        out["given_female"] = _merge(_faker_part("TH", "first_name_female"))
        out["family"] = _merge(_faker_part("TH", "last_name"))
    elif country == "ID":
        out["given_male"] = _merge(_faker_part("ID", "first_name_male"))
        out["given_female"] = _merge(_faker_part("ID", "first_name_female"),
                                     _csv_part("ID", "given_female"))
        out["family_male"] = _merge(_faker_part("ID", "last_name_male"))
        out["family_female"] = _merge(_faker_part("ID", "last_name_female"))
    elif country == "PH":
        for sex in ("male", "female"):
            out[f"given_{sex}"] = _merge(_csv_part("PH", f"given_{sex}"),
                                         _faker_part("PH", f"first_name_{sex}", weight=0.6))
        out["family"] = _merge(_csv_part("PH", "family"))
    elif country == "VN":
        out["given_male"] = _vn_given("male")
        out["given_female"] = _vn_given("female")
        out["family"] = _merge(_csv_part("VN", "family"))
    else:  # KH, LA, MM: shipped lists
        for kind in ("given_male", "given_female", "family"):
            part = _csv_part(country, kind)
            if part[0]:
                out[kind] = _merge(part)
    nick = _csv_part(country, "nickname")
    if nick[0]:
        out["nickname"] = _merge(nick)
    return out


def _groups(values: np.ndarray):
    """``(value, row indices)`` for each distinct value, in sorted order of the values."""
    codes, uniques = factorize(values)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
    for j in sorted(range(len(uniques)), key=lambda j: str(uniques[j])):
        if uniques[j] is None:
            continue
        yield str(uniques[j]), np.sort(order[bounds[j]:bounds[j + 1]])


#: Share of people with a family name recorded (many Javanese have one name only).
FAMILY_NAME_SHARE = {"ID": 0.65}


@dataclass
class Names:
    """Drawn names (object arrays; ``""`` where none)."""

    first_latin: np.ndarray
    first_native: np.ndarray
    first_variants: np.ndarray
    second_latin: np.ndarray
    second_native: np.ndarray
    second_variants: np.ndarray
    alias_latin: np.ndarray
    alias_native: np.ndarray


def draw_names(rng: np.random.Generator, country: np.ndarray, female: np.ndarray,
               alias_share: float) -> Names:
    """Draw given names, family names and aliases for people of the given countries."""
    n = len(country)
    cols = {k: np.full(n, "", dtype=object) for k in Names.__dataclass_fields__}
    empty = np.empty(1, dtype=object)
    empty[0] = ()
    cols["first_variants"] = np.repeat(empty, n)
    cols["second_variants"] = np.repeat(empty, n)
    for c, rows in _groups(country):
        tabs = name_tables(c)
        for sex, mask in (("female", female[rows]), ("male", ~female[rows])):
            r = rows[mask]
            t = tabs[f"given_{sex}"]
            i = rng.choice(len(t), size=len(r), p=t.p)
            cols["first_latin"][r] = t.latin[i]
            cols["first_native"][r] = t.native[i]
            cols["first_variants"][r] = t.variants[i]
        has = rng.random(len(rows)) < FAMILY_NAME_SHARE.get(c, 1.0)
        for sex, mask in (("female", female[rows]), ("male", ~female[rows])):
            fam = tabs.get(f"family_{sex}", tabs.get("family"))
            if fam is None:
                continue
            r = rows[mask & has]
            i = rng.choice(len(fam), size=len(r), p=fam.p)
            cols["second_latin"][r] = fam.latin[i]
            cols["second_native"][r] = fam.native[i]
            cols["second_variants"][r] = fam.variants[i]
        if "nickname" in tabs:
            t = tabs["nickname"]
            has = rng.random(len(rows)) < alias_share
            r = rows[has]
            i = rng.choice(len(t), size=len(r), p=t.p)
            cols["alias_latin"][r] = t.latin[i]
            cols["alias_native"][r] = t.native[i]
            two = rng.random(len(r)) < 0.1
            j = rng.choice(len(t), size=int(two.sum()), p=t.p)
            cols["alias_latin"][r[two]] = cols["alias_latin"][r[two]] + ";" + t.latin[j]
            cols["alias_native"][r[two]] = np.where(
                (cols["alias_native"][r[two]] != "") & (t.native[j] != ""),
                cols["alias_native"][r[two]] + ";" + t.native[j], cols["alias_native"][r[two]])
    return Names(**cols)


# --- phones -----------------------------------------------------------------------------------


@dataclass
class Phones:
    """Phone numbers in parts: calling code, trunk flag, prefix and two groups of digits."""

    cc: np.ndarray
    trunk: np.ndarray
    prefix: np.ndarray
    rest_a: np.ndarray
    rest_b: np.ndarray

    def format(self, style: np.ndarray, missing: str | None = None) -> np.ndarray:
        """Write each number in a style: 0 ``e164`` (+66812345678), 1 ``international``
        (+66 81 234 5678), 2 ``local`` (0812345678) or 3 ``local_dashed`` (081-234-5678)."""
        plus = map_values(self.cc, lambda c: f"+{c}" if c else "")
        zero = np.where(self.trunk, "0", "").astype(object)
        out = np.full(len(self.cc), missing, dtype=object)
        for st in range(4):
            rows = np.flatnonzero((style == st) & (self.cc != ""))
            pre, a, b = self.prefix[rows], self.rest_a[rows], self.rest_b[rows]
            if st == 0:
                out[rows] = plus[rows] + pre + a + b
            elif st == 1:
                out[rows] = plus[rows] + " " + pre + " " + a + " " + b
            elif st == 2:
                out[rows] = zero[rows] + pre + a + b
            else:
                out[rows] = zero[rows] + pre + "-" + a + "-" + b
        return out


def draw_phones(rng: np.random.Generator, country: np.ndarray) -> Phones:
    """National mobile numbers of the given countries (``params.yaml`` phone plans)."""
    plans = T.params()["phones"]
    n = len(country)
    cc = np.full(n, "", dtype=object)
    trunk = np.zeros(n, dtype=bool)
    prefix = np.full(n, "", dtype=object)
    rest_a = np.full(n, "", dtype=object)
    rest_b = np.full(n, "", dtype=object)
    for c, rows in _groups(country):
        plan = plans.get(c)
        if plan is None:
            continue
        pre = np.asarray(plan["prefixes"], dtype=object)
        cc[rows] = plan["cc"]
        trunk[rows] = bool(plan["trunk"])
        prefix[rows] = pre[rng.integers(0, len(pre), len(rows))]
        k = int(plan["digits"])
        a = rng.integers(100, 1000, len(rows))
        b = rng.integers(0, 10 ** (k - 3), len(rows))
        rest_a[rows] = str_pool(a, str)
        rest_b[rows] = str_pool(b, lambda v, k=k: f"{v:0{k - 3}d}")
    return Phones(cc, trunk, prefix, rest_a, rest_b)


# --- identity documents -----------------------------------------------------------------------

_MM_NRC_STATE = {"MM-11": 1, "MM-12": 2, "MM-13": 3, "MM-14": 4, "MM-01": 5, "MM-05": 6,
                 "MM-02": 7, "MM-03": 8, "MM-04": 9, "MM-18": 9, "MM-15": 10, "MM-16": 11,
                 "MM-06": 12, "MM-17": 13, "MM-07": 14}
_MM_NRC_TOWNSHIP = {
    1: ["MAKANA", "BAMANA", "WAMANA", "PHAKANA"], 2: ["LAKANA", "DAMASA"],
    3: ["BAAHNA", "MAWATA", "KAKAYA", "LABANA"], 4: ["HAKHANA", "PALAWA"],
    5: ["MAYANA", "SAKANA", "KALANA", "SHABANA"], 6: ["DAWANA", "MAAHTA", "KATHANA", "BAPANA"],
    7: ["PAKANA", "TANGANA", "PAMANA", "NYALAPA"], 8: ["MAKANA", "PAKAKA", "MABANA", "THAYANA"],
    9: ["MAHAMA", "AHMAYA", "KAPATA", "MAHTALA"], 10: ["MALAMA", "THAPAYA", "YAMANA", "MADANA"],
    11: ["SATANA", "KAPHANA", "BUTHANA"], 12: ["OUKAMA", "KAMAYA", "BAHANA", "DAGANA",
                                               "MAYAKA", "LAMANA", "THAGAKA", "OUKATA"],
    13: ["TAKANA", "LASHANA", "TAKALA", "MASANA", "KATANA"],
    14: ["PATHANA", "HATHATA", "LAPATA", "MAMANA", "MYAMANA"]}
#: Indonesian province codes (BPS) used in the NIK, by ISO 3166-2 code.
_ID_BPS = {"ID-AC": 11, "ID-SU": 12, "ID-SB": 13, "ID-RI": 14, "ID-JA": 15, "ID-SS": 16,
           "ID-BE": 17, "ID-LA": 18, "ID-BB": 19, "ID-KR": 21, "ID-JK": 31, "ID-JB": 32,
           "ID-JT": 33, "ID-YO": 34, "ID-JI": 35, "ID-BT": 36, "ID-BA": 51, "ID-NB": 52,
           "ID-NT": 53, "ID-KB": 61, "ID-KT": 62, "ID-KS": 63, "ID-KI": 64, "ID-KU": 65,
           "ID-SA": 71, "ID-ST": 72, "ID-SN": 73, "ID-SG": 74, "ID-GO": 75, "ID-SR": 76,
           "ID-MA": 81, "ID-MU": 82, "ID-PB": 91, "ID-PA": 94}
#: Vietnamese citizen-ID province codes, by ISO 3166-2 code (others draw a plausible code).
_VN_CCCD = {"VN-HN": 1, "VN-03": 2, "VN-04": 4, "VN-02": 10, "VN-09": 20, "VN-13": 22,
            "VN-01": 12, "VN-05": 14, "VN-71": 11, "VN-21": 38, "VN-22": 40, "VN-23": 42,
            "VN-24": 44, "VN-HP": 31, "VN-DN": 48, "VN-37": 72, "VN-SG": 79, "VN-44": 89,
            "VN-47": 91, "VN-45": 87, "VN-CT": 92, "VN-59": 96, "VN-52": 94, "VN-57": 74}
_FIN_LETTERS = "XWUTRQPNMLK"
_LETTERS = np.array(list("ABCDEFGHJKLMNPRSTUVWXYZ"), dtype=object)


def thai_check_digit(d12: np.ndarray) -> np.ndarray:
    """Check digit of Thai 13-digit identification numbers (rows of 12 digits)."""
    w = np.arange(13, 1, -1)
    return (11 - (d12.astype(np.int64) * w).sum(axis=1) % 11) % 10


def _thai_id(rng, n, first, province, dashed) -> np.ndarray:
    d = digits(rng, n, 13)
    d[:, 0] = first
    d[:, 1] = province // 10
    d[:, 2] = province % 10
    d[:, 3] = 0
    d[:, 4] = rng.integers(1, 10, n)
    d[:, 12] = thai_check_digit(d[:, :12])
    s = digits_to_str(d)
    out = s.copy()
    idx = np.flatnonzero(dashed)
    out[idx] = [f"{x[0]}-{x[1:5]}-{x[5:10]}-{x[10:12]}-{x[12]}" for x in s[idx].tolist()]
    return out


def _prefix_digits(rng, n, letters: str, k: int) -> np.ndarray:
    lt = np.array(list(letters), dtype=object)
    return lt[rng.integers(0, len(lt), n)] + digits_to_str(digits(rng, n, k))


def _sg_fin(rng, n) -> np.ndarray:
    d = digits(rng, n, 7)
    first = np.where(rng.random(n) < 0.5, "G", "F")
    w = np.array([2, 7, 6, 5, 4, 3, 2])
    total = (d.astype(np.int64) * w).sum(axis=1) + np.where(first == "G", 4, 0)
    check = np.array(list(_FIN_LETTERS), dtype=object)[total % 11]
    return first.astype(object) + digits_to_str(d) + check


def draw_documents(rng: np.random.Generator, country: np.ndarray, doc: np.ndarray,
                   destination: np.ndarray, region: np.ndarray, birth: np.ndarray,
                   female: np.ndarray) -> np.ndarray:
    """Identity document numbers in national patterns.

    Parameters
    ----------
    country, doc, destination, region : object arrays
        Citizenship, document type code, country of exploitation, home ISO 3166-2 region.
    birth : datetime64[D] array
    female : bool array

    Returns
    -------
    object array
        The number, or ``None`` for ``None``/``Unknown`` document types.
    """
    n = len(country)
    out = np.full(n, None, dtype=object)
    ident = T.params()["identity"]
    year = birth.astype("datetime64[Y]").astype(int) + 1970
    month = birth.astype("datetime64[M]").astype(int) % 12 + 1
    day = (birth - birth.astype("datetime64[M]")).astype(int) + 1
    for key, rows in _groups(country.astype(object) + "|" + doc.astype(object)):
        c, t = key.split("|")
        m = len(rows)
        if t in ("None", "Unknown") or not m:
            continue
        if t == "WorkPermit":
            dest = destination[rows]
            val = np.empty(m, dtype=object)
            th = dest == "TH"
            val[th] = _thai_id(rng, int(th.sum()), 0, rng.integers(0, 10, int(th.sum())),
                               rng.random(int(th.sum())) < ident["thai_id_dashed"])
            sg = dest == "SG"
            val[sg] = _sg_fin(rng, int(sg.sum()))
            other = ~(th | sg)
            val[other] = "PLKS-" + digits_to_str(digits(rng, int(other.sum()), 7))
            out[rows] = val
            continue
        if t == "Passport":
            if c == "MM":
                out[rows] = "M" + _prefix_digits(rng, m, "ABCD", 6)
            elif c == "TH":
                out[rows] = "A" + _prefix_digits(rng, m, "ABC", 7)
            elif c == "PH":
                out[rows] = "P" + digits_to_str(digits(rng, m, 7)) + _LETTERS[
                    rng.integers(0, len(_LETTERS), m)]
            else:
                letters = {"KH": "N", "LA": "P", "VN": "CNP", "ID": "ABCEX"}.get(c, "E")
                out[rows] = _prefix_digits(rng, m, letters, 7)
            continue
        if t == "BorderPass":
            if c == "MM":
                town = np.array(["MWD", "KTG", "TCL"], dtype=object)[rng.integers(0, 3, m)]
                out[rows] = town + " " + digits_to_str(digits(rng, m, 6))
            elif c == "LA":
                out[rows] = "LBP-" + digits_to_str(digits(rng, m, 6))
            else:
                out[rows] = "BP" + digits_to_str(digits(rng, m, 7))
            continue
        # NationalID
        reg = region[rows]
        if c == "TH":
            prov = np.array([int(r[3:]) if r[3:].isdigit() else 20 for r in reg.tolist()])
            first = np.where(year[rows] >= 1984, 1, 3)
            out[rows] = _thai_id(rng, m, first, prov, rng.random(m) < ident["thai_id_dashed"])
        elif c == "MM":
            state = np.array([_MM_NRC_STATE.get(r, 12) for r in reg.tolist()])
            pick = rng.integers(0, 100, m)
            out[rows] = [f"{s}/{_MM_NRC_TOWNSHIP[s][p % len(_MM_NRC_TOWNSHIP[s])]}(N){x}"
                         for s, p, x in zip(state.tolist(), pick.tolist(),
                                            digits_to_str(digits(rng, m, 6)).tolist(),
                                            strict=True)]
        elif c == "ID":
            prov = np.array([_ID_BPS.get(r, 35) for r in reg.tolist()])
            regency = rng.integers(1, 25, m)
            district = rng.integers(1, 30, m)
            dd = day[rows] + np.where(female[rows], 40, 0)
            serial = rng.integers(1, 300, m)
            out[rows] = [f"{p:02d}{r:02d}{di:02d}{d:02d}{mo:02d}{y % 100:02d}{s:04d}"
                         for p, r, di, d, mo, y, s in zip(
                             prov.tolist(), regency.tolist(), district.tolist(), dd.tolist(),
                             month[rows].tolist(), year[rows].tolist(), serial.tolist(),
                             strict=True)]
        elif c == "VN":
            prov = np.array([_VN_CCCD.get(r, 0) for r in reg.tolist()])
            prov = np.where(prov == 0, rng.integers(1, 96, m), prov)
            century = (year[rows] >= 2000).astype(int) * 2 + female[rows].astype(int)
            out[rows] = [f"{p:03d}{cs}{y % 100:02d}{x}" for p, cs, y, x in zip(
                prov.tolist(), century.tolist(), year[rows].tolist(),
                digits_to_str(digits(rng, m, 6)).tolist(), strict=True)]
        elif c == "PH":
            s = digits_to_str(digits(rng, m, 16))
            out[rows] = [f"{x[:4]}-{x[4:8]}-{x[8:12]}-{x[12:]}" for x in s.tolist()]
        elif c == "KH":
            d = digits(rng, m, 9)
            d[:, 0] = rng.integers(0, 2, m)
            d[:, 1] = rng.integers(1, 10, m)
            out[rows] = digits_to_str(d)
        else:  # LA and others: 10 digits with a leading province-like pair
            d = digits(rng, m, 10)
            d[:, 0] = rng.integers(0, 2, m)
            out[rows] = digits_to_str(d)
    return out


# --- e-mail and address -----------------------------------------------------------------------


@cache
def _handle(text: str) -> str:
    text = fold_ascii(text).lower()
    return "".join(ch for ch in text if ch.isascii() and ch.isalnum())


def draw_emails(rng: np.random.Generator, names: Names, country: np.ndarray,
                birth_year: np.ndarray, share: float) -> np.ndarray:
    """E-mail addresses built from the person's romanised name (``None`` for most people)."""
    n = len(country)
    out = np.full(n, None, dtype=object)
    has = np.flatnonzero(rng.random(n) < share)
    m = len(has)
    domains = np.array(["@" + d for d in T.params()["identity"]["email_domains"]], dtype=object)
    dom = domains[rng.integers(0, len(domains), m)]
    style = rng.integers(0, 4, m)
    num = rng.integers(1, 999, m)
    a = map_values(names.first_latin[has], lambda x: _handle(x.split(" ")[0]))
    b = map_values(names.second_latin[has], _handle)
    th = country[has] == "TH"
    if th.any():
        nick = name_tables("TH")["nickname"].latin
        a[th] = map_values(nick[num[th] % len(nick)], _handle)
        b[th] = ""
    yy = str_pool(birth_year[has] % 100, lambda v: f"{v:02d}")
    nn = str_pool(num, str)
    has_b = b != ""
    local = a + nn
    local = np.where((style == 0) & has_b, a + "." + b, local)
    local = np.where(style == 1, a + yy, local)
    local = np.where((style == 2) & has_b, a + "_" + b + nn, local)
    local = np.where(local == "", "user" + nn, local)
    out[has] = local + dom
    return out


def draw_homes(rng: np.random.Generator, country: np.ndarray) -> np.ndarray:
    """Index into ``places()`` of each person's home town (by the home weights)."""
    pl = T.places()
    out = np.full(len(country), -1, dtype=np.int64)
    for c, rows in _groups(country):
        cand = np.flatnonzero((pl["country"] == c).to_numpy() & (pl["home_weight"] > 0).to_numpy())
        if not len(cand):
            continue
        w = pl["home_weight"].to_numpy()[cand]
        out[rows] = cand[rng.choice(len(cand), size=len(rows), p=w / w.sum())]
    return out


@cache
def street_pool(country: str) -> tuple[np.ndarray, np.ndarray]:
    """Street lines of a country: ``(latin, native)`` arrays (native ``""`` where none).

    Built once per process: from faker for its locales, else from ``params.yaml`` ``streets``
    templates with a fixed seed.
    """
    if country in FAKER_LOCALES:
        pool = list(faker_pool(FAKER_LOCALES[country], "street_address", STREET_POOL))
        if country == "VN":
            return (np.array([fold_ascii(x) for x in pool], dtype=object),
                    np.array(pool, dtype=object))
        native = pool if country == "TH" else [""] * len(pool)
        return np.array(pool, dtype=object), np.array(native, dtype=object)
    spec = T.params()["streets"].get(country)
    if spec is None:
        return np.array([""], dtype=object), np.array([""], dtype=object)
    rng = np.random.default_rng(POOL_SEED + zlib.crc32(country.encode()))
    tpl = spec["templates"]
    pools = {k: v for k, v in spec.items() if k != "templates"}
    out = []
    for _ in range(STREET_POOL):
        args = {k: v[int(rng.integers(0, len(v)))] for k, v in pools.items()}
        args.update(n=int(rng.integers(1, 300)), w=int(rng.integers(1, 20)),
                    h=int(rng.integers(1, 200)))
        args.setdefault("st", int(rng.integers(1, 600)))
        out.append(tpl[int(rng.integers(0, len(tpl)))].format(**args))
    out = list(dict.fromkeys(out))
    return np.array(out, dtype=object), np.array([""] * len(out), dtype=object)


def draw_streets(rng: np.random.Generator, country: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Street lines: ``(latin, native)``; native is the local-script line or ``""``."""
    n = len(country)
    latin = np.full(n, None, dtype=object)
    native = np.full(n, "", dtype=object)
    for c, rows in _groups(country):
        la, na = street_pool(c)
        i = rng.integers(0, len(la), len(rows))
        latin[rows] = la[i]
        native[rows] = na[i]
    return latin, native
