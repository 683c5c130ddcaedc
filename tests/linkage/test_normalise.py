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


# Script against the Latin spelling agencies and passports use: each Latin spelling is the one
# the shipped simulated name pools give for the script form (htwork/simulate/data/names_kh.csv
# and names_mm.csv: simulated pools, no real person), checked by hand against the rule that
# reads it (the rules and their sources are in htwork/linkage/_khmer.py and _myanmar.py).
# Under normalisation version 1 (anyascii for Khmer) all but one (Sandar Pwint, 0.89) were
# below 0.88; Khmer 0.31-0.84, Burmese 0.60-0.89.
SCRIPT_LATIN_SAME = {
    "khmer": [
        ("ពិន", "Pin"),              # family; ិ after the second-series ព is i (anyascii: pen)
        ("ឈឹម", "Chhim"),            # family; ឹ after the second-series ឈ is i
        ("ជា", "Chea"),              # family; ា after the second-series ជ is ea
        ("មាស", "Meas"),             # family; ា after ម is ea, final ស is spelled s
        ("សម្បត្តិ", "Sambath"),      # given_male; stacked ម្ប and ត្ត, final ិ not spoken
        ("ពិសិដ្ឋ", "Piseth"),         # given_male; ិ is i after ព, e after ស; ឋ not spoken
        ("សុជាតិ", "Socheat"),        # given_male; the final ិ of a Pali word is not spoken
        ("វុទ្ធី", "Vuthy"),           # given_male; ុ after the second-series វ is u
        ("ធារិទ្ធ", "Thearith"),       # given_male; ា after ធ is ea, ិ after រ is i
        ("ទិត្យ", "Tith"),            # family; the subscript យ at the end is not spoken
        ("វង្ស", "Vong"),             # family; the subscript ស at the end is not spoken
        ("កុសល", "Kosal"),           # given_male; two bare letters at the end: Ko-sal
        ("លក្ខិណា", "Leakhena"),      # given_male; inherent vowel of ល before final k is ea
        ("ចន្ទ្រា", "Chantrea"),       # given_female; ន closes Chan, ទ្រា starts trea
        ("ប៊ុនធឿន", "Bunthoeun"),     # given_male; ៊ makes ប second series: ុ is u
        ("សុភា ចាន់", "Chan Sophea"),  # given_female Sophea and family Chan, order swapped
    ],
    "myanmar": [
        ("မိုးပြည့်", "Moe Pyae"),        # given_male; ပြည့် is spelled Pyae in names
        ("ညီပြည့်", "Nyi Pyae"),          # given_male
        ("ဟိန်းပြည့်", "Hein Pyae"),      # given_male
        ("နွယ်လွင်", "Nwe Lwin"),         # given_female; ွယ် keeps its w: Nwe (was "ne")
        ("ခင်နွယ်", "Khin Nwe"),          # given_female
        ("အေးမြတ်စု", "Aye Myat Su"),     # given_female; အေး is spelled Aye
        ("ကြည်အေး", "Kyi Aye"),           # given_female
        ("စိုင်းဝင်းလွင်", "Sai Win Lwin"),  # given_male; စိုင်း is the Shan prefix Sai
        ("ဝဏ္ဏကောင်း", "Wunna Kaung"),     # given_male; stacked ဏ္ဏ joins Wun-na, ဝန် is wun
        ("စန္ဒာပွင့်", "Sandar Pwint"),     # given_female; stacked န္ဒ joins San-dar
        ("သန္တာစုနွယ်", "Thandar Su Nwe"),  # given_female; တ voiced to d after the nasal
        ("ယုဥမ္မာ", "Yu Ohnmar"),          # given_female; ဥ closed by မ reads ohn
        ("ဦးဇော်", "Oo Zaw"),             # given_male Oo Zaw: ဦး, U or Oo, is a title
    ],
}
# Different names, native script against Latin: no shared name at all (below 0.5), and names
# one letter or vowel apart that the first-series reading of every Khmer vowel, or Pyi for
# ပြည့်, used to make look alike (below the lowest name level, 0.70). Spellings from the
# same pools.
SCRIPT_LATIN_APART = {
    "khmer": [
        ("ចាន់", "Chea"), ("គីម", "Keo"), ("វុទ្ធី", "Vichet"), ("មាស", "Mao"),
        ("សុជាតិ", "Sokha"), ("កុសល", "Kolab"), ("ជា", "Chan"), ("ឈឹម", "Chhun"),
        ("ស្រីពៅ", "Dara"), ("ធារិទ្ធ", "Bopha"),
    ],
    "myanmar": [
        ("ဦးဇော်", "Oo Zin"), ("ကြည်အေး", "Zaw Htet"), ("နွယ်လွင်", "Aung Kyaw"),
        ("စန္ဒာပွင့်", "Thiri Myat"), ("ဝဏ္ဏကောင်း", "Pyae Swe"), ("ယုဥမ္မာ", "Khin Lay"),
        ("အေးမြတ်စု", "Zin Kaung"), ("ဟိန်းပြည့်", "Thu Thu"), ("ခင်နွယ်", "Moe Zayar"),
        ("သန္တာစုနွယ်", "Hla Myint"),
    ],
}
NEAR_NAMES_APART = [
    ("ពិន", "Pen"),          # family Pin against family Pen (ប៉ែន): 1.0 under version 1
    ("ជា", "Chan"),          # Chea against Chan
    ("គីម", "Kem"),          # Kim against Kem (a variant of Khem, ខែម)
    ("ញឹម", "Nhem Chea"),    # one of two names
    ("ស្រីពៅ", "Sreymom"),   # given_female Sreypov against Sreymom (ស្រីមុំ)
    ("ညီပြည့်", "Nyi Pyo"),    # Nyi Pyae against Nyi Pyo (ဖြိုး): 0.83 under version 1
]


@pytest.mark.parametrize("script", sorted(SCRIPT_LATIN_SAME))
def test_script_against_latin_spelling(script):
    assert len(SCRIPT_LATIN_SAME[script]) >= 10
    for a, b in SCRIPT_LATIN_SAME[script]:
        assert detect_script(a) == script
        assert similarity(a, b) >= 0.88, (a, b, normalise_name(a), normalise_name(b))


@pytest.mark.parametrize("script", sorted(SCRIPT_LATIN_APART))
def test_script_against_other_latin_names(script):
    assert len(SCRIPT_LATIN_APART[script]) >= 10
    for a, b in SCRIPT_LATIN_APART[script]:
        assert similarity(a, b) < 0.5, (a, b, normalise_name(a), normalise_name(b))


def test_near_names_stay_below_the_lowest_name_level():
    from htwork.linkage.link import NAME_LEVELS

    for a, b in NEAR_NAMES_APART:
        assert similarity(a, b) < min(NAME_LEVELS), (a, b, normalise_name(a),
                                                     normalise_name(b))


def test_khmer_series_and_syllables():
    from htwork.linkage._khmer import romanise_khmer

    # the same vowel sign after a first- and a second-series consonant
    assert romanise_khmer("ពិន") == "pin" and romanise_khmer("ខិន") == "khen"
    assert romanise_khmer("ជា") == "chea" and romanise_khmer("កា") == "ka"
    # shifters: ៉ makes ម first series, ៊ makes ស second series
    assert romanise_khmer("ម៉ា") == "ma" and romanise_khmer("ស៊ី") == "si"
    # a cluster with a non-sonorant second-series subscript is second series
    assert romanise_khmer("ស្ពា") == "spea" and romanise_khmer("ស្រី") == "srei"
    # a syllable closed by a bare letter after a vowel, and Ra-ta-na
    assert romanise_khmer("គីមហុង") == "kimhong"
    assert romanise_khmer("រតនា") == "ratanea"
    # toandakhiat silences its letter; words stay apart, other text passes through
    assert romanise_khmer("លក្ខណ៍") == "leak"
    assert romanise_khmer("ចាន់ សុខ 12") == "chan sok 12"


def test_myanmar_conventions():
    from htwork.linkage._myanmar import romanise_myanmar

    assert romanise_myanmar("နွယ်") == "nwe" and romanise_myanmar("နွေး") == "nwe"
    assert romanise_myanmar("ဝင်း") == "win" and romanise_myanmar("ဝန်") == "wun"
    assert romanise_myanmar("ဝေ") == "way" and romanise_myanmar("အေး") == "aye"
    # stacked consonants join a Pali word; ordinary syllables stay apart
    assert romanise_myanmar("ဝဏ္ဏကောင်း") == "wunna kaung"
    assert romanise_myanmar("ဇင်ကောင်း") == "zin kaung"
    # the version was raised with these changes (2), and with names written as one word (3)
    from htwork.linkage.normalise import NORMALISATION_VERSION

    assert NORMALISATION_VERSION == "3"


@pytest.mark.parametrize(("joined", "apart"), [
    ("LayWin", "Lay Win"), ("NyiMoePhyo", "NYI MOE PHYO"), ("KYAWSOEMOE", "Kyaw Soe Moe"),
    ("HLAINGNAING", "Hlaing Naing"), ("KhaingThuThu", "Khaing Thu Thu"),
    ("Ms. MarTin", "Mar Tin"), ("DawHlaNwe", "Daw Hla Nwe"), ("aungmin", "AUNG MIN"),
    ("SANKHINE", "San Khine"), ("HSUNWAY", "Hsu Nwe"),
])
def test_names_written_as_one_word(joined, apart):
    assert normalise_name(joined) == normalise_name(apart)


@pytest.mark.parametrize("word", [
    # not Burmese syllables throughout, short, a syllable itself, or not plain Latin letters
    "SOMCHAI", "Panganiban", "PHOMMACHANH", "SOPHEAKTRA", "Linda", "Ratha", "AUNG", "Thida",
    "Nguyễn", "O'Brien",
])
def test_words_left_whole(word):
    from htwork.linkage.normalise import split_joined

    assert split_joined(word) == (word,)


@pytest.mark.parametrize(("one", "other"), [
    ("Khine May", "Khaing May"), ("ခိုင်မေ", "Khine May"), ("Shway Kyi", "Shwe Kyi"),
    ("Thu Shwae", "Thu Shwe"), ("Su Nway", "Su Nwe"), ("Su Nue", "စုနွယ်"), ("Lin Wei", "Lin Way"),
    ("Lin Way", "လင်းဝေ"),
])
def test_usual_spellings_of_one_burmese_syllable(one, other):
    assert normalise_name(one) == normalise_name(other)


def test_burmese_spellings_keep_other_syllables_apart():
    # Khin (ခင်) is another syllable than Khine / Khaing (ခိုင်)
    assert normalise_name("Khin Nwe") != normalise_name("Khine Nwe")
    assert normalise_name("ခင်နွယ်") == normalise_name("Khin Nway")


def test_joined_words_do_not_make_different_names_alike():
    # cutting a word never joins what differs: other syllables stay other tokens
    assert normalise_name("KYAWSOEMOE") != normalise_name("Kyaw Soe Min")
    assert normalise_name("HlaWin") != normalise_name("Hla Win Htun")
