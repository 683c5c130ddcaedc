"""Write the code lists shipped under ``htwork/standards/data/`` (a developer tool, run by hand).

Needs ``pycountry`` at development time only (``pip install --target /tmp/devtools pycountry``;
``PYTHONPATH=/tmp/devtools python tools/build_codelists.py``). The package never imports it:
the CSVs it writes are the source of truth at run time. Sources are described in
``htwork/standards/data/SOURCES.md``.
"""

import csv
import gettext
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parents[1] / "htwork" / "standards" / "data"

# UN M49 (Standard country or area codes for statistical use), region -> sub-region -> members.
# Sub-regions are M49's own (Africa: Northern / Sub-Saharan; Americas: Latin America and the
# Caribbean / Northern America), not its "intermediate regions". Taiwan, which M49 does not list
# separately, is placed in Eastern Asia. Antarctica (AQ) has no M49 region.
M49 = {
    "Africa": {
        "Northern Africa": "DZ EG LY MA SD TN EH",
        "Sub-Saharan Africa": (
            "IO BI KM DJ ER ET TF KE MG MW MU YT MZ RE RW SC SO SS UG TZ ZM ZW "  # Eastern
            "AO CM CF TD CG CD GQ GA ST "  # Middle
            "BW SZ LS NA ZA "  # Southern
            "BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG"  # Western
        ),
    },
    "Americas": {
        "Latin America and the Caribbean": (
            "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI "
            "BZ CR SV GT HN MX NI PA "
            "AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE"
        ),
        "Northern America": "BM CA GL PM US",
    },
    "Asia": {
        "Central Asia": "KZ KG TJ TM UZ",
        "Eastern Asia": "CN HK MO KP JP MN KR TW",
        "South-eastern Asia": "BN KH ID LA MY MM PH SG TH TL VN",
        "Southern Asia": "AF BD BT IN IR MV NP PK LK",
        "Western Asia": "AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE",
    },
    "Europe": {
        "Eastern Europe": "BY BG CZ HU PL MD RO RU SK UA",
        "Northern Europe": "AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB",
        "Southern Europe": "AL AD BA HR GI GR VA IT MT ME MK PT SM RS SI ES",
        "Western Europe": "AT BE FR DE LI LU MC NL CH",
    },
    "Oceania": {
        "Australia and New Zealand": "AU CX CC HM NZ NF",
        "Melanesia": "FJ NC PG SB VU",
        "Micronesia": "GU KI MH FM NR MP PW UM",
        "Polynesia": "AS CK PF NU PN WS TK TO TV WF",
    },
}

# ASEAN members; Timor-Leste joined in October 2025.
ASEAN = ("BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN", "TL")

# Names in the local non-Latin script. Thai and Lao come from the iso-codes translations that
# pycountry ships, completed where they lack an entry; Khmer and Burmese are written here.
LOCAL_LANG = {"TH": "th", "LA": "lo"}
LOCAL_EXTRA = {
    "TH-10": "กรุงเทพมหานคร",
    "TH-38": "บึงกาฬ",
    "LA-VT": "ນະຄອນຫຼວງວຽງຈັນ",
    "KH-1": "បន្ទាយមានជ័យ",
    "KH-2": "បាត់ដំបង",
    "KH-3": "កំពង់ចាម",
    "KH-4": "កំពង់ឆ្នាំង",
    "KH-5": "កំពង់ស្ពឺ",
    "KH-6": "កំពង់ធំ",
    "KH-7": "កំពត",
    "KH-8": "កណ្ដាល",
    "KH-9": "កោះកុង",
    "KH-10": "ក្រចេះ",
    "KH-11": "មណ្ឌលគិរី",
    "KH-12": "ភ្នំពេញ",
    "KH-13": "ព្រះវិហារ",
    "KH-14": "ព្រៃវែង",
    "KH-15": "ពោធិ៍សាត់",
    "KH-16": "រតនគិរី",
    "KH-17": "សៀមរាប",
    "KH-18": "ព្រះសីហនុ",
    "KH-19": "ស្ទឹងត្រែង",
    "KH-20": "ស្វាយរៀង",
    "KH-21": "តាកែវ",
    "KH-22": "ឧត្ដរមានជ័យ",
    "KH-23": "កែប",
    "KH-24": "ប៉ៃលិន",
    "KH-25": "ត្បូងឃ្មុំ",
    "MM-01": "စစ်ကိုင်း",
    "MM-02": "ပဲခူး",
    "MM-03": "မကွေး",
    "MM-04": "မန္တလေး",
    "MM-05": "တနင်္သာရီ",
    "MM-06": "ရန်ကုန်",
    "MM-07": "ဧရာဝတီ",
    "MM-11": "ကချင်",
    "MM-12": "ကယား",
    "MM-13": "ကရင်",
    "MM-14": "ချင်း",
    "MM-15": "မွန်",
    "MM-16": "ရခိုင်",
    "MM-17": "ရှမ်း",
    "MM-18": "နေပြည်တော်",
}
# Corrections to names as pycountry 26.2.16 spells them.
NAME_FIX = {"VN-47": "Kiên Giang"}


def _sort_key(code):
    cc, _, sub = code.partition("-")
    return (cc, (0, int(sub), "") if sub.isdigit() else (1, 0, sub))


def build_countries():
    where = {}
    for region, subs in M49.items():
        for sub, members in subs.items():
            for a2 in members.split():
                assert a2 not in where, a2
                where[a2] = (region, sub)
    rows = []
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        region, sub = where.pop(c.alpha_2, ("", ""))
        if not region:
            assert c.alpha_2 == "AQ", c.alpha_2
        rows.append({
            "alpha2": c.alpha_2, "alpha3": c.alpha_3, "numeric": c.numeric, "name": c.name,
            "region": region, "subregion": sub, "asean": int(c.alpha_2 in ASEAN),
        })
    assert not where, where
    assert len(rows) == 249
    return rows


def build_regions():
    rows = []
    for cc in ASEAN:
        subs = list(pycountry.subdivisions.get(country_code=cc))
        if cc == "ID":
            # pycountry's top level for Indonesia is seven "geographical units" (ID-JW, ...)
            # with no administration; the provinces below them are the first-level regions.
            top = [s for s in subs if s.parent_code is not None]
        else:
            top = [s for s in subs if s.parent_code is None]
        tr = None
        if cc in LOCAL_LANG:
            tr = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[LOCAL_LANG[cc]])
        for s in top:
            local = LOCAL_EXTRA.get(s.code, "")
            if not local and tr is not None:
                t = tr.gettext(s.name)
                local = t if t != s.name else ""
            rows.append({
                "code": s.code, "country": cc, "name": NAME_FIX.get(s.code, s.name),
                "name_local": local, "type": s.type,
            })
    rows.sort(key=lambda r: _sort_key(r["code"]))
    missing = [r["code"] for r in rows if r["country"] in ("TH", "KH", "LA", "MM")
               and not r["name_local"]]
    assert not missing, missing
    return rows


def write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(path, len(rows), "rows")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    write(OUT / "iso3166.csv", build_countries())
    write(OUT / "asean_regions.csv", build_regions())
