"""Thai (and other regional) date vocabulary: digits, month names, era markers."""

from __future__ import annotations

import re

__all__ = [
    "THAI_DIGITS",
    "THAI_MONTHS",
    "THAI_MONTHS_ABBR",
    "ENGLISH_MONTHS",
    "to_ascii_digits",
    "to_thai_digits",
    "month_number",
    "month_name",
]

#: Thai digits ๐ to ๙, in order of value.
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"

#: Full Thai month names, January first.
THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)

#: Abbreviated Thai month names as Thai government forms write them, January first.
THAI_MONTHS_ABBR = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)

#: English month names, January first.
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)

_TO_ASCII = str.maketrans(THAI_DIGITS, "0123456789")
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)
_SQUEEZE = re.compile(r"[.\s]+")


def _key(name: str) -> str:
    return _SQUEEZE.sub("", name).casefold()


_MONTHS: dict[str, int] = {}
for _i, (_full, _abbr, _en) in enumerate(
    zip(THAI_MONTHS, THAI_MONTHS_ABBR, ENGLISH_MONTHS, strict=True), start=1
):
    _MONTHS[_key(_full)] = _i
    _MONTHS[_key(_abbr)] = _i
    _MONTHS[_key(_en)] = _i
    _MONTHS[_key(_en[:3])] = _i
_MONTHS["sept"] = 9
# abbreviations sometimes written without the middle dot, or with the full name's stem
_MONTHS.update({_key("กุมภา"): 2, _key("มีนา"): 3, _key("เมษา"): 4, _key("พฤษภา"): 5,
                _key("มิถุนา"): 6, _key("กรกฎา"): 7, _key("สิงหา"): 8, _key("กันยา"): 9,
                _key("ตุลา"): 10, _key("พฤศจิกา"): 11, _key("ธันวา"): 12, _key("มกรา"): 1})


def to_ascii_digits(text: str) -> str:
    """Replace Thai digits ๐-๙ with 0-9."""
    return text.translate(_TO_ASCII)


def to_thai_digits(text: str) -> str:
    """Replace 0-9 with Thai digits ๐-๙."""
    return text.translate(_TO_THAI)


def month_number(name: str) -> int | None:
    """Month number of a Thai or English month name or abbreviation, or ``None``.

    Dots and spaces are ignored, so ``"มี.ค."``, ``"มีค"`` and ``"มีนาคม"`` are all 3.
    """
    return _MONTHS.get(_key(name))


def month_name(month: int, *, language: str = "english", abbreviated: bool = False) -> str:
    """Name of month ``month`` (1-12) in ``"thai"`` or ``"english"``.

    Parameters
    ----------
    month : int
        1 to 12.
    language : {"english", "thai"}, default "english"
    abbreviated : bool, default False
        ``"มี.ค."`` / ``"Mar"`` rather than ``"มีนาคม"`` / ``"March"``.

    Returns
    -------
    str
    """
    if language == "thai":
        return (THAI_MONTHS_ABBR if abbreviated else THAI_MONTHS)[month - 1]
    if language != "english":
        raise ValueError(f"language must be 'english' or 'thai', not {language!r}")
    full = ENGLISH_MONTHS[month - 1]
    return full[:3] if abbreviated else full
