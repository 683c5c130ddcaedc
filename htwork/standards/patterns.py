"""Patterns for direct identifiers: column headers (many languages) and values (ASEAN formats).

Everything here is a plain function or a compiled regular expression, shared by
:mod:`htwork.anonymise.identifiers` (which columns hold identifiers) and
:mod:`htwork.anonymise.redact` (where identifiers sit inside free text).

Python's ``\\d`` matches every Unicode decimal digit, so Thai (๐-๙), Lao (໐-໙), Khmer (០-៩)
and Myanmar (၀-၉) digits are found too; :func:`ascii_digits` turns them into 0-9 before
counting or checking them. In Myanmar text the letter WA (ဝ) is often typed for the digit
zero (၀); inside a run of digits it is read as zero.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "HEADER_KINDS",
    "IDENTIFIER_KINDS",
    "ascii_digits",
    "fold",
    "header_kind",
    "is_address",
    "is_email",
    "is_id_number",
    "is_nrc",
    "is_passport_like",
    "is_phone",
    "is_thai_id",
    "is_word_char",
    "looks_like_date",
    "phone_context",
    "thai_id_check_digit",
    "find_emails",
    "TEXT_PATTERN",
]

# --------------------------------------------------------------------------------------------
# characters

_MYANMAR_WA = "\u101d"  # ဝ, typed for ၀ (zero)


def _digit_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0x20000):
        ch = chr(cp)
        if unicodedata.category(ch) == "Nd" and not ("0" <= ch <= "9"):
            table[cp] = str(unicodedata.digit(ch))
    return table


@lru_cache(maxsize=1)
def _digits() -> dict[int, str]:
    return _digit_table()


_NON_ASCII_DIGIT = re.compile(r"(?![0-9])\d")


def ascii_digits(text: str, *, myanmar_wa: bool = False) -> str:
    """Replace every Unicode decimal digit by its ASCII digit (``"๐๘๑"`` → ``"081"``).

    With ``myanmar_wa=True`` the Myanmar letter WA (ဝ) also becomes ``"0"``.
    """
    if text.isascii():
        return text
    out = _NON_ASCII_DIGIT.sub(lambda m: _digits()[ord(m.group(0))], text)
    return out.replace(_MYANMAR_WA, "0") if myanmar_wa else out


def _fold_table() -> dict[int, str]:
    """One character in, one character out: lower case, Latin diacritics removed."""
    table: dict[int, str] = {}
    ranges = [(0x41, 0x5A), (0xC0, 0x24F), (0x1E00, 0x1EFF)]
    for lo, hi in ranges:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            base = unicodedata.normalize("NFD", ch)[0].lower()
            if len(base) == 1 and base != ch:
                table[cp] = base
    for src, dst in {"đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "ı": "i"}.items():
        table[ord(src)] = dst
    # Greek/Cyrillic/other capitals: lower case when that keeps one character
    for cp in list(range(0x370, 0x530)):
        ch = chr(cp)
        low = ch.lower()
        if len(low) == 1 and low != ch:
            table[cp] = low
    return table


_FOLD = _fold_table()
_FOLD_RE = re.compile("[" + "".join(chr(c) for c in sorted(_FOLD)) + "]")
_DIACRITIC_RE = re.compile("[" + "".join(chr(c) for c in sorted(_FOLD) if c > 0x7F) + "]")


def fold(text: str) -> str:
    """Lower-case and strip Latin diacritics, keeping the length (``"Nguyễn"`` → ``"nguyen"``).

    Each character maps to exactly one character, so positions in the folded text are
    positions in the original: a match found in ``fold(text)`` can be cut out of ``text``.
    Thai, Lao, Khmer, Myanmar and other scripts pass through unchanged.
    """
    low = text.lower()
    if len(low) != len(text):  # a character whose lower case is longer (e.g. "İ")
        return _FOLD_RE.sub(lambda m: _FOLD[ord(m.group(0))], text)
    if low.isascii():
        return low
    return _DIACRITIC_RE.sub(lambda m: _FOLD[ord(m.group(0))], low)


def is_word_char(ch: str) -> bool:
    """A letter, digit, combining mark (vowel signs, tone marks) or underscore."""
    return ch.isalnum() or ch == "_" or unicodedata.category(ch) in ("Mn", "Mc")


# --------------------------------------------------------------------------------------------
# values

_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_PHONE_CHARS_RE = re.compile(r"[+\d\s().\-\u101d]+")
_SEP_RE = re.compile(r"[\s().\-]")

#: country calling codes of the ASEAN member states
ASEAN_CALLING_CODES = ("673", "855", "62", "856", "60", "95", "63", "65", "66", "84", "670")
#: calling codes accepted after the ``00`` international prefix: ASEAN, East Asia, the Gulf
#: (a bare ``00`` would also take Vietnamese ID numbers such as ``001089012345``)
INTERNATIONAL_CALLING_CODES = ASEAN_CALLING_CODES + (
    "86", "852", "853", "886", "81", "82", "971", "966", "974", "965", "968", "973", "61", "44",
)


def is_email(value: str) -> bool:
    """Whether the whole value is an e-mail address."""
    return _EMAIL_RE.fullmatch(value.strip()) is not None


def is_phone(value: str, *, lenient: bool = False) -> bool:
    """Whether the whole value is a telephone number in an ASEAN national or E.164 format.

    Accepted: ``+`` or ``00`` followed by 8-15 digits (an optional ``(0)`` trunk allowed);
    national numbers with the trunk ``0`` and 9-11 digits (13 for Indonesian ``08`` mobiles);
    Singapore's 8 digits starting 3/6/8/9, Brunei's 7 digits and Timor-Leste's ``7`` + 7 digits
    when written with a separator. With ``lenient=True`` (whole columns), numbers that lost
    their leading ``0`` in a spreadsheet (9-10 digits only, starting 6-9) count too.
    """
    raw = value.strip()
    if not raw or _PHONE_CHARS_RE.fullmatch(raw) is None:
        return False
    text = ascii_digits(raw, myanmar_wa=True)
    text = text.replace("(0)", "")
    has_sep = _SEP_RE.search(text) is not None
    digits = _SEP_RE.sub("", text)
    if "+" in digits[1:] or not digits:
        return False
    if digits.startswith("+"):
        return digits[1:].isdigit() and 8 <= len(digits) - 1 <= 15
    if not digits.isdigit():
        return False
    if digits.startswith("00"):
        rest = digits[2:]
        return 8 <= len(rest) <= 15 and rest.startswith(INTERNATIONAL_CALLING_CODES)
    if digits.startswith("0"):
        if digits[1:2] == "0":
            return False
        limit = 13 if digits.startswith("08") else 11
        return 9 <= len(digits) <= limit
    n = len(digits)
    if has_sep and (
        (n == 8 and digits[0] in "3689") or (n == 7 and digits[0] in "2345678")
        or (n == 8 and digits[0] == "7")
    ):
        return True
    # a number whose leading 0 a spreadsheet dropped: digits only, no decimal point
    return lenient and raw.isdigit() and 9 <= n <= 10 and digits[0] in "6789"


def thai_id_check_digit(first12: str) -> int:
    """The check digit of a Thai national ID from its first twelve digits."""
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return (11 - total % 11) % 10


def is_thai_id(value: str) -> bool:
    """Whether the value is a 13-digit Thai national ID with a valid check digit.

    Separators (spaces, hyphens) are ignored: ``"1-1037-00012-34-5"``.
    """
    digits = _SEP_RE.sub("", ascii_digits(value.strip()))
    if len(digits) != 13 or not digits.isdigit():
        return False
    return digits[0] != "0" and thai_id_check_digit(digits[:12]) == int(digits[12])


_NRC_BODY = (
    r"(?:1[0-4]|0?[1-9]|[၁-၉][၀-၄]?)\s?/\s?"  # state/region number 1-14
    r"[A-Za-z\u1000-\u103F]{2,15}\s?"  # township code (Latin or Burmese)
    r"\(\s?[A-Za-z\u1000-\u104F]{1,8}\s?\)\s?"  # (N), (Naing), (နိုင်), (E), (P) ...
    r"[\d\u101d]{5,6}"
)
_NRC_RE = re.compile(_NRC_BODY)


def is_nrc(value: str) -> bool:
    """Whether the value is a Myanmar NRC number (``12/OUKAMA(N)123456``, ``၁၂/ဥကမ(နိုင်)၁၂၃၄၅၆``)."""
    return _NRC_RE.fullmatch(value.strip()) is not None


_PASSPORT_RE = re.compile(r"[A-Z]{1,2}\d{6,8}[A-Z]?")


def is_passport_like(value: str) -> bool:
    """One or two capital letters, 6-8 digits, an optional letter (passports, NRIC, FIN)."""
    return _PASSPORT_RE.fullmatch(ascii_digits(value.strip())) is not None


_ID_RE = re.compile(r"[A-Za-z]{0,3}[\d\s\-/.]{8,}[A-Za-z]?")
_DECIMAL_RE = re.compile(r"[+-]?\d+\.\d+")


def is_id_number(value: str) -> bool:
    """A document-like number: at least 9 digits, few letters (NIK, CCCD, MyKad, CMND, ...)."""
    text = ascii_digits(value.strip())
    if not _ID_RE.fullmatch(text) or _DECIMAL_RE.fullmatch(text):
        return False
    return sum(ch.isdigit() for ch in text) >= 9


_ADDRESS_WORDS_LATIN = (
    "soi moo road rd street st jalan jln jl lorong lrg taman kampung kg desa rt rw kelurahan "
    "kecamatan barangay brgy purok sitio duong pho phuong quan huyen xa thon ap ngo hem "
    "village house no unit blk block floor lane avenue ave sangkat khan phum krong ban "
    "township ward building apt"
).split()
_ADDRESS_WORDS_LOCAL = (
    "ถนน", "ถ.", "ซอย", "ซ.", "หมู่", "ม.", "ตำบล", "ต.", "อำเภอ", "อ.", "บ้านเลขที่", "เลขที่",
    "ផ្លូវ", "ភូមិ", "ឃុំ", "សង្កាត់", "ស្រុក", "ខណ្ឌ", "ផ្ទះលេខ",
    "လမ်း", "ရပ်ကွက်", "မြို့နယ်", "ကျေးရွာ", "အမှတ်", "အိမ်",
    "ບ້ານ", "ເມືອງ", "ຖະໜົນ", "ໜ່ວຍ", "ຮ່ອມ",
)
_ADDR_LATIN_RE = re.compile(r"(?<![a-z])(?:" + "|".join(_ADDRESS_WORDS_LATIN) + r")(?![a-z])")


def is_address(value: str) -> bool:
    """A street address: a number and an address word (soi, jalan, đường, ถนน, ផ្លូវ, လမ်း, ...)."""
    text = value.strip()
    if len(text) < 6:
        return False
    has_digit = any(ch.isdigit() for ch in text)
    folded = fold(text)
    words = len(_ADDR_LATIN_RE.findall(folded)) + sum(w in text for w in _ADDRESS_WORDS_LOCAL)
    return (has_digit and words >= 1) or words >= 2


# --------------------------------------------------------------------------------------------
# identifiers inside free text

_D = r"[\d\u101d]"
_ZERO = "[0\u0e50\u0ed0\u1040\u17e0\u101d]"  # 0 in Latin, Thai, Lao, Myanmar, Khmer; Myanmar WA
_NB = r"(?<![0-9A-Za-z\d])"  # not glued to a Latin letter or a digit before
_NA = r"(?![0-9A-Za-z\d])"  # ... or after

_LOCAL_PART = re.compile(r"[A-Za-z0-9._%+\-]+$")
_DOMAIN_PART = re.compile(r"[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")


def find_emails(text: str) -> list[tuple[int, int]]:
    """Spans of the e-mail addresses in ``text`` (found from each ``@``, not by scanning)."""
    spans = []
    at = text.find("@")
    while at > 0:
        local = _LOCAL_PART.search(text, max(0, at - 64), at)
        domain = _DOMAIN_PART.match(text, at + 1)
        if local and domain:
            spans.append((local.start(), domain.end()))
        at = text.find("@", at + 1)
    return spans

_CURRENCY = (
    "(?:THB|USD|US|MYR|RM|IDR|RP|VND|KHR|LAK|MMK|PHP|SGD|BND|EUR|CNY|RMB|HKD|TWD|KRW|JPY|"
    "AED|SAR|QAR|KWD)"
)
_DATE_SHAPE = re.compile(r"\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{4}[-./]\d{1,2}[-./]\d{1,2}")
_PHONE_WORDS = re.compile(
    r"(?:tel|phone|call|mobile|cell|hp|wa|whatsapp|line|viber|contact|reached|telp|telepon|"
    r"kontak|hubungi|nomor|sdt|dien thoai|so dt|lien he|โทร|เบอร์|ဖုန်း|ទូរស័ព្ទ|ទូរសព្ទ|ໂທ|ເບີ)",
)


def looks_like_date(value: str) -> bool:
    """``13-01-2018``, ``2018.01.13``: a date, whatever its digits."""
    return _DATE_SHAPE.fullmatch(ascii_digits(value.strip())) is not None


def phone_context(text: str, start: int, width: int = 30) -> bool:
    """Whether a phone word (Tel, phone, HP, โทร, ဖုန်း, ...) comes just before ``start``."""
    return _PHONE_WORDS.search(fold(text[max(0, start - width) : start])) is not None


#: one pass over a text finds every other identifier; the first alternative that matches wins
TEXT_PATTERN = re.compile(
    r"(?=[\d+(A-Z\u101d])(?:"
    + "|".join(
        [
            rf"(?P<nrc>{_NB}{_NRC_BODY}{_NA})",
            rf"(?P<mykad>{_NB}\d{{6}}-\d{{2}}-\d{{4}}{_NA})",
            # AA1234567, N01234567, P1234567A, border passes TCL 591288, LBP-975834; not THB 150000
            rf"(?P<passport>{_NB}(?!{_CURRENCY}[\s\-]?\d)[A-Z]{{1,3}}[\s\-]?\d{{6,8}}[A-Z]?{_NA})",
            # +66 (0) 81 234 5678, 0066-81-234-5678
            rf"(?P<phone_intl>(?<![0-9A-Za-z\d+])(?:\+|00)\s?\(?\d{{1,3}}\)?"
            rf"(?:[\s.\-]?\(0\))?(?:[\s.\-]?{_D}{{1,4}}){{2,6}}{_NA})",
            # 081 234 5678, (02) 123-4567, 09-4567-8901
            rf"(?P<phone_national>{_NB}(?:\({_ZERO}{_D}{{1,3}}\)|{_ZERO}{_D}{{1,3}})"
            rf"(?:[\s.\-]?{_D}{{2,4}}){{2,4}}{_NA})",
            # 1-2345-67890-12-3, 3201234567890001, 079 123 456 789
            rf"(?P<number>{_NB}\d(?:[\s\-]?\d){{8,18}}{_NA})",
            # 9-158-2253, 9406 4145: a phone only after a word such as "Tel." (checked later)
            rf"(?P<phone_local>{_NB}[1-9\u0e51-\u0e59\u1041-\u1049\u17e1-\u17e9]{_D}{{0,3}}"
            rf"(?:[\s.\-]?{_D}{{2,4}}){{1,3}}{_NA})",
        ]
    )
    + ")"
)


# --------------------------------------------------------------------------------------------
# column headers

#: kinds of direct identifier a column can hold
IDENTIFIER_KINDS = ("email", "phone", "passport", "id_number", "online_account", "address", "name")


def _latin(*words: str) -> list[str]:
    return [rf"(?<![a-z]){w}(?![a-z])" for w in words]


#: header keywords by kind, in priority order: (kind, latin regexes, local-script substrings)
HEADER_KINDS: list[tuple[str, list[str], list[str]]] = [
    (
        "email",
        _latin(r"e[ -]?mail", "mail", "surel", r"thu dien tu", "correo"),
        ["อีเมล", "อีเมล์", "អ៊ីមែល", "អ៊ីម៉ែល", "အီးမေးလ်", "ອີເມວ", "ອີເມລ", "thư điện tử"],
    ),
    (
        "phone",
        _latin(
            r"(?:tele?|cell|mobile|smart|hand)?phones?", "tel", "telp", "mobile", "cell", "hp",
            "whatsapp", "viber", "msisdn", "telepon", "telefon", "telepono",
            r"contact (?:no|number)",
            "sdt", r"dien thoai", r"no hp",
        ),
        ["โทร", "เบอร์", "มือถือ", "ទូរស័ព្ទ", "ဖုန်း", "ໂທລະສັບ", "ເບີໂທ", "điện thoại", "sđt"],
    ),
    (
        "passport",
        _latin("passports?", "paspor", "pasaporte", r"ho chieu", r"travel doc(?:ument)?s?"),
        ["หนังสือเดินทาง", "พาสปอร์ต", "លិខិតឆ្លងដែន", "ပတ်စ်ပို့", "နိုင်ငံကူးလက်မှတ်",
         "ໜັງສືຜ່ານແດນ", "hộ chiếu"],
    ),
    (
        "id_number",
        _latin(
            "ids?", "idno", "nid", "nic", "nik", "ktp", "nric", "ic", "mykad", "cmnd", "cccd",
            "ssn", "nrc", "identity", "identification", r"card (?:no|number)",
            r"doc(?:ument)? (?:no|number)", r"reg(?:istration)? (?:no|number)",
            r"record (?:no|number)", r"case (?:no|number)", r"file (?:no|number)",
            r"can cuoc", r"chung minh",
        ),
        ["บัตรประชาชน", "เลขประจำตัว", "เลขบัตร", "អត្តសញ្ញាណ", "មុខសញ្ញាប័ណ្ណ", "မှတ်ပုံတင်",
         "နိုင်ငံသားစိစစ်ရေး", "ບັດປະຈຳຕົວ", "căn cước", "chứng minh"],
    ),
    (
        "online_account",
        _latin("facebook", "fb", r"line ?id", "wechat", "telegram", "instagram", "tiktok",
               "zalo", "username", r"user ?id", r"social media", "handle"),
        ["เฟซบุ๊ก", "ไลน์"],
    ),
    (
        "address",
        _latin("address(?:es)?", "addr", "street", r"house (?:no|number)", "alamat", r"dia chi",
               "tirahan", "direccion"),
        ["ที่อยู่", "អាសយដ្ឋាន", "လိပ်စာ", "ທີ່ຢູ່", "địa chỉ"],
    ),
    (
        "name",
        _latin(
            r"(?:first|given|last|family|sur|full|middle|maiden|nick|second|other|father'?s?|"
            r"mother'?s?|spouse'?s?)? ?names?", "alias(?:es)?", "aka", "nama", "pangalan",
            "apelyido", "nombre", "ho ten", r"ho va ten",
        ),
        ["ชื่อ", "นามสกุล", "ឈ្មោះ", "នាមត្រកូល", "អមည", "အမည်", "နာမည်", "ຊື່", "ນາມສະກຸນ",
         "tên", "họ tên"],
    ),
    (
        "free_text",
        _latin("notes?", "remarks?", "comments?", "descriptions?", "narratives?", "story",
               "details", "observations?", "catatan", "keterangan", r"ghi chu", r"mo ta", "tala"),
        ["หมายเหตุ", "บันทึก", "รายละเอียด", "កំណត់ចំណាំ", "កំណត់សម្គាល់", "မှတ်ချက်", "ໝາຍເຫດ",
         "ບັນທຶກ", "ghi chú", "mô tả"],
    ),
]

# words that make a header about something else (an organisation, a place, a type, a date)
_EXCLUDE_LATIN = _latin(
    "org", "orgs", "organi[sz]ations?", "agency", "agencies", "company", "employer", "file ?name",
    "place", "city", "town", "province", "state", "district", "village", "country", "school",
    "hospital", "vessel", "boat", "ship", "shelter", "type", "kind", "category", "status",
    "date", "expiry", "expiration", "issued?", "has", "flag", "nationality", "language",
    "verified", "available", "count", "group", "household", "perusahaan", "organisasi", "desa",
    "kota", "provinsi", "negara", "kapal", "jenis", "tanggal", "cong ty", "to chuc", "tinh",
    "thanh pho", "quoc gia", "tau", "loai", "ngay",
)
_EXCLUDE_LOCAL = (
    "หน่วยงาน", "องค์กร", "บริษัท", "จังหวัด", "อำเภอ", "หมู่บ้าน", "ประเทศ", "สถานที่", "เรือ",
    "โรงเรียน", "ประเภท", "วันที่", "สถานะ", "អង្គការ", "ក្រុមហ៊ុន", "ខេត្ត", "ប្រទេស", "ប្រភេទ",
    "កាលបរិច្ឆេទ", "အဖွဲ့", "ကုမ္ပဏီ", "နိုင်ငံသား", "အမျိုးအစား", "ရက်စွဲ", "ອົງການ", "ບໍລິສັດ",
    "ແຂວງ", "ປະເທດ", "ປະເພດ", "ວັນທີ",
)

_HEADER_RES = [
    (kind, re.compile("|".join(latin)), tuple(local)) for kind, latin, local in HEADER_KINDS
]
_EXCLUDE_RE = re.compile("|".join(_EXCLUDE_LATIN))
_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_PREFIX_RE = re.compile(r"^(?:prs|cas|vic|org)\s+")


def normalise_header(header: str) -> str:
    """``"prs_FirstName"`` → ``"first name"``; local scripts kept, Latin folded."""
    text = unicodedata.normalize("NFC", str(header))
    text = _CAMEL_RE.sub(" ", text)
    text = re.sub(r"[_\-./():#,;]+", " ", text)
    text = re.sub(r"\s+", " ", fold(text).lower()).strip()
    return _PREFIX_RE.sub("", text)


def header_kind(header: str) -> tuple[str | None, str | None, bool]:
    """What a column header says the column holds.

    Returns
    -------
    (kind, keyword, excluded)
        ``kind`` is one of :data:`IDENTIFIER_KINDS` or ``"free_text"`` (``None`` when nothing
        matches); ``keyword`` the text that matched; ``excluded`` whether the header also names
        an organisation, place, type or date (then it is not about the person).
    """
    raw = unicodedata.normalize("NFC", str(header)).lower()
    norm = normalise_header(header)
    excluded = bool(_EXCLUDE_RE.search(norm)) or any(w in raw for w in _EXCLUDE_LOCAL)
    for kind, latin_re, local in _HEADER_RES:
        m = latin_re.search(norm)
        if m:
            return kind, m.group(0), excluded
        for word in local:
            if word in raw:
                return kind, word, excluded
    return None, None, excluded
