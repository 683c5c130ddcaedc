"""Name normalisation per script: pairs a reader would call the same name, and pairs not.

Every pair was checked by hand: the same person's name as two agencies would write it (native
script and passport spelling, title or not, family name first or last, nickname in brackets),
and different names that must stay apart. "Same" is a Dice similarity of the names' q-grams of
at least 0.75 (what the linkage's name levels see); "apart" is below 0.5.
"""

from __future__ import annotations

import pytest

from htwork.linkage.encode import Encoder
from htwork.linkage.normalise import (
    detect_script,
    fold_token,
    normalise_dob,
    normalise_name,
    normalise_sex,
)

_ENC = Encoder(b"\x07" * 32)


def similarity(a: str, b: str) -> float:
    ga, gb = set(_ENC.grams(normalise_name(a))), set(_ENC.grams(normalise_name(b)))
    return 2 * len(ga & gb) / (len(ga) + len(gb))


SAME = {
    "latin": [
        ("Maria Dela Cruz", "MARIA DELA CRUZ"),
        ("Dela Cruz, Maria", "Maria Dela Cruz"),
        ("Mr. John Reyes", "John Reyes"),
        ("Ahmad bin Ismail", "Ahmad Ismail"),
        ("Siti Nurhaliza binti Tarudin", "Siti Nurhaliza Tarudin"),
        ("Budi  Santoso", "budi santoso"),
        ("Jose Rizal (Pepe)", "Jose Rizal"),
        ('Jose "Pepe" Rizal', "Jose Rizal"),
        ("Dewi Sartika", "Dewie Sartika"),
        ("Muhammad Yusuf", "Muhamad Yusuf"),
        ("Ibu Sri Wahyuni", "Sri Wahyuni"),
    ],
    "thai": [
        ("นายสมชาย ใจดี", "Somchai Jaidee"),
        ("สมชาย ใจดี", "JAIDEE, Somchai"),
        ("นางสาวมาลี ศรีสุข", "Malee Srisuk"),
        ("สมศรี ทองดี", "Somsri Thongdee"),
        ("วิชัย บุญมี", "Wichai Boonmee"),
        ("สมชาย ใจดี (นก)", "สมชาย ใจดี"),
        ("ด.ญ. มาลี ศรีสุข", "มาลี ศรีสุข"),
        ("นางสมศรี ทองดี", "สมศรี ทองดี"),
        ("ทองดี สมศรี", "Somsri Thongdee"),
        ("นาย สมศักดิ์ รักไทย", "Somsak Rakthai"),
        ("ประยุทธ์ จันทร์", "Prayut Chan"),
    ],
    "khmer": [
        ("ចាន់ សុខ", "Chan Sok"),
        ("សុខ ចាន់", "Chan Sok"),
        ("លោក ចាន់ សុខ", "Chan Sok"),
        ("ហេង សុភា", "Heng Sophea"),
        ("ហេង ដារ៉ា", "Heng Dara"),
        ("សុភាព មាស", "Sopheap Meas"),
        ("គីម ហេង", "Kim Heng"),
        ("ជា សុខា", "Chea Sokha"),
        ("ដារា ហេង", "HENG DARA"),
        ("សុខា ចាន់ (ស្រីលក្ខណ៍)", "Chan Sokha"),
    ],
    "lao": [
        ("ສົມພອນ ພົມມະຈັນ", "Somphone Phommachanh"),
        ("ບຸນມີ ສີສຸກ", "Bounmy Sisouk"),
        ("ແກ້ວມະນີ ວົງສາ", "Keomany Vongsa"),
        ("ທ້າວ ບຸນມີ ສີສຸກ", "Bounmy Sisouk"),
        ("ສີສຸກ ບຸນມີ", "Bounmy Sisouk"),
        ("ສົມສັກ ວົງສາ", "Somsak Vongsa"),
        ("ຄໍາພອນ ສີສຸກ", "Khamphone Sisouk"),
        ("ນາງ ແກ້ວມະນີ ວົງສາ", "Keomany Vongsa"),
        ("ພອນສະຫວັນ", "Phonsavanh"),
        ("ບຸນມີ ພົມມະຈັນ", "PHOMMACHANH, Bounmy"),
    ],
    "myanmar": [
        ("ဇင်ကောင်း", "Zin Kaung"),
        ("ကျော်ထူး", "Kyaw Htoo"),
        ("လင်းဖြိုး", "Linn Phyo"),
        ("ဟိန်းနိုင်", "Hein Naing"),
        ("ခင်ခင်", "Khin Khin"),
        ("သက်ဇော်", "Thet Zaw"),
        ("ထွန်းထွန်း", "Htun Htun"),
        ("မြင့်လင်းကျော်", "Myint Linn Kyaw"),
        ("ဦးကျော်ထူး", "U Kyaw Htoo"),
        ("ဒေါ်ခင်ခင်", "Daw Khin Khin"),
        ("ZinKaung", "Zin Kaung"),
        ("Kyawe Htoo", "Kyaw Htoo"),
    ],
    "vietnamese": [
        ("Nguyễn Thị Hương", "Nguyen Thi Huong"),
        ("NGUYỄN THỊ HƯƠNG", "Huong Thi Nguyen"),
        ("Trần Văn Đức", "Tran Van Duc"),
        ("Phạm Minh Tuấn", "Pham Minh Tuan"),
        ("Lê Thị Lan", "LE THI LAN"),
        ("Võ Văn Kiệt", "Vo Van Kiet"),
        ("Đặng Thu Thảo", "Dang Thu Thao"),
        ("Bùi Xuân Phát", "Bui Xuan Phat"),
        ("Hoàng Anh", "Hoang Anh"),
        ("Ngô Quang Hải", "Ngo Quang Hai"),
    ],
}

APART = {
    "latin": [
        ("Maria Santos", "Jose Reyes"),
        ("Budi Santoso", "Dewi Lestari"),
        ("Ahmad Ismail", "Siti Aminah"),
        ("Mark Anthony Garcia", "John Paul Mendoza"),
        ("Rizal Pratama", "Agus Salim"),
        ("Juan Cruz", "Pedro Bautista"),
        ("Nurul Huda", "Rina Wati"),
        ("Ana Lopez", "Grace Tan"),
        ("Eko Prasetyo", "Yanti Susanti"),
        ("Cristina Ramos", "Benjamin Aquino"),
    ],
    "thai": [
        ("สมชาย ใจดี", "สมศรี ทองดี"),
        ("มาลี ศรีสุข", "วิชัย บุญมี"),
        ("ประเสริฐ สุขใจ", "Somsri Thongdee"),
        ("สมศักดิ์ รักไทย", "มาลี ศรีสุข"),
        ("วิชัย บุญมี", "Prasert Sukjai"),
        ("ทองดี สมศรี", "Wichai Rakthai"),
        ("นายสมชาย ใจดี", "Malee Srisuk"),
        ("กมล แก้วมณี", "สุภาพร วงศ์ใหญ่"),
        ("อรุณ เพชรสุข", "ชไมพร ทองคำ"),
        ("นิภา จันทร์เพ็ญ", "Wichai Boonmee"),
    ],
    "khmer": [
        ("ចាន់ សុខ", "Kim Heng"),
        ("ដារា ហេង", "Chea Sokha"),
        ("សុភាព មាស", "Chan Theary"),
        ("គីម ហេង", "Sok Dara"),
        ("ជា សុខា", "Meas Sopheap"),
        ("ហេង ដារ៉ា", "Keo Bopha"),
        ("ចាន់ សុខ", "គីម ហេង"),
        ("សុខា ជា", "ដារា ហេង"),
        ("Chan Sok", "Lim Vuthy"),
        ("Meas Sophal", "Touch Rithy"),
    ],
    "lao": [
        ("ສົມພອນ ພົມມະຈັນ", "Bounmy Sisouk"),
        ("ບຸນມີ ສີສຸກ", "Keomany Vongsa"),
        ("ແກ້ວມະນີ ວົງສາ", "Somsak Inthavong"),
        ("ສົມສັກ ວົງສາ", "Khamphone Sisouk"),
        ("ພອນສະຫວັນ", "Bounmy"),
        ("ສີສຸກ ບຸນມີ", "ສົມພອນ ພົມມະຈັນ"),
        ("Vilay Phommachanh", "Noy Sayavong"),
        ("Souksavanh Keo", "Bounthanh Latsavong"),
        ("ຄໍາພອນ ສີສຸກ", "Vongsa Phonsavanh"),
        ("Manivanh Douangchay", "Thongchanh Sihalath"),
    ],
    "myanmar": [
        ("ဇင်ကောင်း", "Kyaw Htoo"),
        ("ခင်ခင်", "Hein Naing"),
        ("လင်းဖြိုး", "Thet Zaw"),
        ("Aung Aung", "Khin Khin"),
        ("Myint Myint", "Soe Soe"),
        ("ထွန်းထွန်း", "Zin Kaung"),
        ("Htun Htun", "Mya Mya"),
        ("သက်ဇော်", "Linn Phyo"),
        ("Ye Htut", "Win Naing"),
        ("ကျော်ထူး", "Khin Khin"),
    ],
    "vietnamese": [
        ("Nguyễn Thị Hương", "Trần Văn Đức"),
        ("Phạm Minh Tuấn", "Lê Thị Lan"),
        ("Võ Văn Kiệt", "Đặng Thu Thảo"),
        ("Bùi Xuân Phát", "Hoàng Anh"),
        ("Ngô Quang Hải", "Trịnh Công Sơn"),
        ("Đỗ Mỹ Linh", "Phan Văn Khải"),
        ("Lý Thu Hà", "Nguyễn Văn Bình"),
        ("Dương Quốc Cường", "Hồ Thị Mai"),
        ("Trương Gia Bảo", "Lâm Thanh Tâm"),
        ("Huỳnh Ngọc Ánh", "Cao Xuân Dũng"),
    ],
}


@pytest.mark.parametrize("script", sorted(SAME))
def test_same_names_match(script):
    assert len(SAME[script]) >= 10
    for a, b in SAME[script]:
        assert similarity(a, b) >= 0.75, (a, b, normalise_name(a), normalise_name(b))


@pytest.mark.parametrize("script", sorted(APART))
def test_different_names_stay_apart(script):
    assert len(APART[script]) >= 10
    for a, b in APART[script]:
        assert normalise_name(a) != normalise_name(b)
        assert similarity(a, b) < 0.5, (a, b, normalise_name(a), normalise_name(b))


def test_native_script_is_really_transliterated():
    # the native side of each script's pairs is detected as that script
    for script in ("thai", "khmer", "lao", "myanmar"):
        natives = [a for a, _ in SAME[script] if detect_script(a) != "latin"]
        assert len(natives) >= 8
        assert all(detect_script(a) == script for a in natives)
        assert all(t.isascii() for a in natives for t in normalise_name(a))


def test_exact_equalities_of_layout():
    # order, title, case, brackets and diacritics give exactly the same tokens
    assert normalise_name("NGUYỄN Thị Hương") == normalise_name("Huong Thi Nguyen")
    assert normalise_name("นายสมชาย ใจดี") == normalise_name("ใจดี สมชาย")
    assert normalise_name("U Kyaw Htoo") == normalise_name("ဦးကျော်ထူး")
    assert normalise_name("Somchai (Nok) Jaidee") == normalise_name("Jaidee Somchai")
    assert normalise_name("") == () and normalise_name(None) == ()


def test_fold_token():
    assert fold_token("Htoo") == fold_token("tu")
    assert fold_token("Phommachanh") == "pomacan"
    assert fold_token("Linn") == fold_token("Lin")


def test_dates_partial_and_buddhist_era():
    d = normalise_dob(["17/05/2533", "1990-05-17", "2533", "05/1990", "๑๗/๐๕/๒๕๓๓",
                       "17 พ.ค. 2533", None, "", "not a date", "31/02/1990"])
    assert d["year"].tolist()[:6] == [1990] * 6
    assert d["month"].tolist()[:2] == [5, 5] and d["month"].isna()[2]
    assert d["day"].tolist()[:2] == [17, 17] and d["day"].isna()[3]
    assert d["year"][6:].isna().all()
    assert d["problem"].tolist() == [False] * 8 + [True, True]


def test_sex_words():
    assert normalise_sex(["M", "หญิง", "nữ", "ស្រី", "ຊາຍ", "female", "x", None]) == [
        "m", "f", "f", "f", "m", "f", None, None]
