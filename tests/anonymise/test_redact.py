"""Redaction of case notes: names in every script, phones, e-mails, ID numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from htwork.anonymise import RedactionReport, Redactor, redact_text
from htwork.errors import InputError


@pytest.mark.parametrize(
    "text, names, expected",
    [
        # Thai (no spaces): substring, honorific kept
        ("นายสมชาย ใจดี บอกว่านายจ้างยึดบัตร", ["สมชาย", "ใจดี"],
         "นาย[NAME] บอกว่านายจ้างยึดบัตร"),
        ("สมชายเดินทางมาจากพม่า", ["สมชาย"], "[NAME]เดินทางมาจากพม่า"),
        # Khmer
        ("សុខ ស្រីពៅ បានប្រាប់ថា ស្រីពៅត្រូវបានគេ", ["ស្រីពៅ", "សុខ"],
         "[NAME] បានប្រាប់ថា [NAME]ត្រូវបានគេ"),
        # Myanmar
        ("မောင်အောင်ကျော်သည် ငါးဖမ်းလှေပေါ်တွင် အလုပ်လုပ်ခဲ့သည်။", ["အောင်ကျော်"],
         "မောင်[NAME]သည် ငါးဖမ်းလှေပေါ်တွင် အလုပ်လုပ်ခဲ့သည်။"),
        # Lao
        ("ຄຳແພງ ເຮັດວຽກຢູ່ໂຮງງານ", ["ຄຳແພງ"], "[NAME] ເຮັດວຽກຢູ່ໂຮງງານ"),
        # Latin: whole words, any case
        ("Aung Kyaw met AUNG's cousin Aungsan in Mae Sot", ["Aung", "Kyaw"],
         "[NAME] met [NAME]'s cousin Aungsan in Mae Sot"),
        # Vietnamese: diacritics optional in the note, Thị alone is not a name
        ("Nguyen Thi Mai said Mai left; thị trấn nearby", ["Nguyễn Thị", "Mai"],
         "[NAME] said [NAME] left; thị trấn nearby"),
    ],
)
def test_names_in_every_script(text, names, expected):
    assert redact_text(text, names) == expected


def test_unspaced_names_do_not_cut_syllables():
    # the name ใจดี must not be found across the syllables of ดีใจ (glad)
    assert redact_text("ดีใจที่ได้กลับบ้าน", ["ใจดี"]) == "ดีใจที่ได้กลับบ้าน"
    # Myanmar: name followed by a vowel sign / asat is a different syllable
    assert redact_text("ကျော်ကျော်", ["ကျေ"]) == "ကျော်ကျော်"


def test_glued_titles_are_set_aside():
    assert redact_text("สมชายบอกว่า", ["นายสมชาย"]) == "[NAME]บอกว่า"
    assert redact_text("အောင်ကျော် ပြောသည်", ["မောင်အောင်ကျော်"]) == "[NAME] ပြောသည်"


def test_short_unspaced_names_only_standalone():
    # a two-letter Thai nickname is also an ordinary word: only taken where it stands alone
    assert redact_text("น้องมาบอกว่า มา ไม่ได้", ["มา"]) == "น้องมาบอกว่า [NAME] ไม่ได้"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("call 081 234 5678 today", "call [PHONE] today"),
        ("โทร 081-234-5678", "โทร [PHONE]"),
        ("phone (02) 123 4567.", "phone [PHONE]."),
        ("+66 (0) 81 234 5678", "[PHONE]"),
        ("+855 12 345 678 or 012 345 678", "[PHONE] or [PHONE]"),
        ("ဖုန်း ၀၉၄၅၆၇၈၉၀၁", "ဖုန်း [PHONE]"),
        ("ໂທ 020 5555 1234", "ໂທ [PHONE]"),
        ("0066 81 234 5678", "[PHONE]"),
        ("WA +62 812-3456-7890", "WA [PHONE]"),
        ("mail somchai.j@gmail.com now", "mail [EMAIL] now"),
        ("Thai ID 1-1037-00012-34-6", "Thai ID [ID]"),
        ("NIK 3201234567890001", "NIK [ID]"),
        ("CCCD 001089012345", "CCCD [ID]"),
        ("NRC 12/OUKAMA(N)123456 taken", "NRC [ID] taken"),
        ("မှတ်ပုံတင် ၁၂/ဥကမ(နိုင်)၁၂၃၄၅၆", "မှတ်ပုံတင် [ID]"),
        ("passport AA1234567 kept", "passport [ID] kept"),
        ("MyKad 900101-14-5678", "MyKad [ID]"),
    ],
)
def test_phones_emails_ids(text, expected):
    assert redact_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Worked 2019-2021 for 12,000 baht a month on boat no. 7, aged 17.",
        "Registered on 12/05/2023 at 14:30; 3 children; case type ForcedLabour.",
        "เดินทางเมื่อปี 2565 ทำงานวันละ 16 ชั่วโมง",
    ],
)
def test_unrelated_words_and_numbers_kept(text):
    assert redact_text(text, ["Somchai"]) == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Worked for Khun Malee in Bang Khen", "Worked for Khun [NAME] in Bang Khen"),
        ("dimarahi majikan Ibu Yuliani.", "dimarahi majikan Ibu [NAME]."),
        ("employed by Madam Tan Mei Ling since May", "employed by Madam [NAME] since May"),
        ("met Daw Aye Aye and Mr. Lee", "met Daw [NAME] and Mr. [NAME]"),
        ("stayed on Ko Samui, then U Thong", "stayed on Ko Samui, then U Thong"),
    ],
)
def test_names_after_titles(text, expected):
    assert redact_text(text) == expected


def test_phone_without_trunk_zero_only_after_a_phone_word():
    assert redact_text("Tel. 94064145 Referred") == "Tel. [PHONE] Referred"
    assert redact_text("reached on 9-158-2253.") == "reached on [PHONE]."
    assert redact_text("paid 9-158-2253 and 94064145 kip") == "paid 9-158-2253 and 94064145 kip"
    assert redact_text("identified on 30-01-2018, tel 30-01-2018") == (
        "identified on 30-01-2018, tel 30-01-2018"
    )


def test_border_pass_but_not_currency():
    assert redact_text("Border pass TCL 591288; wage THB 150000") == (
        "Border pass [ID]; wage THB 150000"
    )


def test_a_name_that_is_also_a_title():
    assert redact_text("Nang อายุ 19 ปี", ["Nang"]) == "[NAME] อายุ 19 ปี"
    assert redact_text("Nang Kham said", ["Nang Kham"]) == "[NAME] said"
    assert redact_text("Nang Rong district", ["Nang Kham"]) == "Nang Rong district"


def test_name_inside_email_is_one_email():
    assert redact_text("write to somchai.j@gmail.com", ["Somchai"]) == "write to [EMAIL]"


def test_custom_tokens_and_pattern_choice():
    text = "Mai 081 234 5678 mai@x.com"
    assert redact_text(text, ["Mai"], tokens={"name": "<N>"}) == "<N> [PHONE] [EMAIL]"
    assert redact_text(text, [], patterns=("email",)) == "Mai 081 234 5678 [EMAIL]"


def test_redactor_on_the_case_table(cases):
    before = cases.copy()
    red = Redactor().fit(cases)
    assert red.text_columns_ == ["cas_Notes"]
    assert red.name_columns_ == ["prs_FirstName", "prs_SecondName", "prs_Aliases"]
    out, report = red.transform(cases, return_report=True)
    notes = out["cas_Notes"]
    for i, row in cases.iterrows():
        note = notes[i]
        if row["cas_Notes"] is None:
            assert note is None
            continue
        for field in ("prs_FirstName", "prs_SecondName"):
            name = row[field]
            if name and name not in ("Nguyễn Thị",):
                assert name not in note, (name, note)
        for field in ("prs_MobilePhone", "prs_Email"):
            if row[field]:
                assert row[field] not in note
    assert "12/OUKAMA(N)123456" not in notes[3]
    assert "fishing boat" in notes[3] and "domestic worker" in notes[7]
    assert notes[2] == (
        "[NAME]เดินทางมาจากบ้านเกิด นายจ้างยึดบัตร โทร [PHONE]"
    )
    assert isinstance(report, RedactionReport)
    assert report.totals["name"] >= 10 and report.totals["phone"] >= 5
    assert report.totals["email"] == 1 and report.totals["id"] == 2  # NRC, CCCD
    assert report.n_texts == {"cas_Notes": 9}
    assert set(report.to_frame().columns) >= {"column", "texts", "changed", "name", "phone"}
    assert "texts changed" in report.summary()
    assert report.to_dict()["totals"] == report.totals
    pd.testing.assert_frame_equal(cases, before)


def test_global_names_reach_other_rows_notes():
    df = pd.DataFrame(
        {"first": ["Somchai", "Malee"], "notes": ["Somchai travelled with Malee.", "Alone."]}
    )
    local = Redactor(text_columns="notes", name_columns="first").fit_transform(df)
    assert local["notes"][0] == "[NAME] travelled with Malee."
    glob = Redactor(text_columns="notes", name_columns="first", global_names=True).fit(df)
    assert glob.global_names_ == 2
    assert glob.transform(df)["notes"][0] == "[NAME] travelled with [NAME]."
    # other people's names: capitalised, and not the short ones that are also words
    df2 = pd.DataFrame({"first": ["On", "Malee", "Lan"],
                        "notes": ["On Monday malee met On.", "Lan left", "x"]})
    out = Redactor(text_columns="notes", name_columns="first", global_names=True).fit_transform(df2)
    assert out["notes"].tolist() == ["[NAME] Monday malee met [NAME].", "Lan left", "x"]
    extra = Redactor(text_columns="notes", name_columns="first", extra_names=["Alone"])
    assert extra.fit_transform(df)["notes"][1] == "[NAME]."


def test_redactor_errors(cases):
    with pytest.raises(InputError, match="no such text column"):
        Redactor(text_columns="nope").fit(cases)
    with pytest.raises(InputError, match="unknown pattern"):
        Redactor(patterns=("phone", "dna")).fit(cases)
    with pytest.raises(InputError, match="unknown token"):
        Redactor(tokens={"nmae": "x"}).fit(cases)


@pytest.mark.slow
def test_speed_twenty_thousand_notes():
    """Guards against slow paths: 20,000 notes well within seconds (100,000 take ~10 s)."""
    import time

    first = ["Somchai", "สมชาย", "ស្រីពៅ", "အောင်ကျော်", "Nguyễn Thị", "ຄຳແພງ"]
    rows = []
    for i in range(20_000):
        name = first[i % len(first)]
        rows.append((name, f"Lek{i % 97}", f"{name} was recruited in 2023 and worked on a boat. "
                     f"Phone 08{10000000 + i}; passport AA{1000000 + i}; e-mail x{i}@mail.com. "
                     "เขาเดินทางมาจากพม่า ทำงานบนเรือประมง"))
    df = pd.DataFrame(rows, columns=["prs_FirstName", "prs_Aliases", "cas_Notes"])
    start = time.perf_counter()
    out, report = Redactor().fit(df).transform(df, return_report=True)
    elapsed = time.perf_counter() - start
    assert report.totals == {"name": 20_000, "phone": 20_000, "email": 20_000, "id": 20_000}
    assert elapsed < 30, f"{elapsed:.1f} s for 20,000 notes"


def test_row_identifier_values_redacted_verbatim():
    df = pd.DataFrame(
        {
            "prs_FirstName": ["Dara"],
            "prs_IdentityDocumentNumber": ["KH/2019/00042"],
            "prs_MobilePhone": ["+855 12 345 679"],
            "cas_Notes": ["Dara showed letter kh/2019/00042 to the police."],
        }
    )
    red = Redactor().fit(df)
    assert red.identifier_columns_ == {
        "prs_IdentityDocumentNumber": "id", "prs_MobilePhone": "phone"
    }
    assert red.transform(df)["cas_Notes"][0] == "[NAME] showed letter [ID] to the police."
    off = Redactor(identifier_columns={}).fit(df)
    assert "kh/2019/00042" in off.transform(df)["cas_Notes"][0]
