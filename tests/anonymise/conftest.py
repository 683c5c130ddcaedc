"""Small hand-built case tables in the input standard (until the simulated extract lands)."""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.fixture
def cases() -> pd.DataFrame:
    """Ten people, standard column names, index = spreadsheet row (header on row 1)."""
    rows = [
        # names, aliases, phone, email, document, street, gender, birth, nationality, region, notes
        ("สมชาย", "ใจดี", "ชาย", "081 234 5678", "somchai@example.com", "1103700012346",
         "99/1 ซอยสุขุมวิท 11", "Male", "1990-04-12", "TH", "TH-10",
         "สมชายเดินทางมาจากบ้านเกิด นายจ้างยึดบัตร โทร 081-234-5678"),
        ("Aung", "Kyaw", "Ko Aung", "+95 9 4567 8901", None, "12/OUKAMA(N)123456",
         "No. 5, Bogyoke Road", "Male", "1988-11-02", "MM", "TH-74",
         "Aung Kyaw worked on a fishing boat for two years; his NRC 12/OUKAMA(N)123456 was taken."),
        ("အောင်ကျော်", "", "", "09-4567-8901", None, "MA123456", "", "Male", "1995-01-20",
         "MM", "TH-74", "အောင်ကျော်သည် ငါးဖမ်းလှေပေါ်တွင် အလုပ်လုပ်ခဲ့သည်။ ဖုန်း ၀၉၄၅၆၇၈၉၀၁"),
        ("ស្រីពៅ", "សុខ", "", "012 345 678", "sreypov.sok@mail.com", "N01234567", "ផ្លូវ 271",
         "Female", "2001-07-30", "KH", "TH-20",
         "សុខ ស្រីពៅ បានប្រាប់ថា មេការយកលិខិតឆ្លងដែន។ លេខ 012 345 678"),
        ("Nguyễn Thị", "Mai", "", "+84 912 345 678", "mai.nguyen@example.vn", "001089012345",
         "12 Đường Lê Lợi", "Female", "1999-03-03", "VN", "KH-12",
         "Nguyen Thi Mai was recruited online; Mai's CCCD 001089012345, phone +84 912 345 678."),
        ("Siti", "Rahayu", "Yayuk", "0812-3456-7890", "siti.r@example.co.id", "3201234567890001",
         "Jl. Merdeka No. 7", "Female", "1985-09-15", "ID", "MY-10",
         "Siti (Yayuk) worked as a domestic worker; e-mail siti.r@example.co.id"),
        ("Maria", "Santos", "", "0917 123 4567", None, "P1234567A", "Purok 3, Barangay San Roque",
         "Female", "1993-12-01", "PH", "MY-14", "Maria Santos asked for help at the embassy."),
        ("ຄຳແພງ", "", "", "020 5555 1234", None, "", "ບ້ານ ໂພນສະອາດ", "Female", "2005-06-06",
         "LA", "TH-10", "ຄຳແພງ ເຮັດວຽກຢູ່ໂຮງງານ ໂທ 020 5555 1234"),
        ("Dara", "Chan", "", "+855 12 345 679", None, "", "", "Male", "2008-02-14", "KH",
         "TH-20", "Dara Chan, a minor, was found at the border."),
        ("Nimmi", "", "", "", None, "", "", "Unknown", "", "MM", "", None),
    ]
    cols = [
        "prs_FirstName", "prs_SecondName", "prs_Aliases", "prs_MobilePhone", "prs_Email",
        "prs_IdentityDocumentNumber", "prs_MailingStreet", "prs_Gender", "prs_Birthdate",
        "prs_Citizenship", "vic_LocationOfExploitation", "cas_Notes",
    ]
    df = pd.DataFrame(rows, columns=cols, index=range(2, 2 + len(rows)))
    df.insert(0, "cas_CaseId", [f"C-{i:04d}" for i in range(len(rows))])
    df["vic_AgeWhenTrafficked"] = ["33", "35", "29", "22", "24", "38", "30", "17", "15", ""]
    df.attrs["htwork"] = {"file": "cases.csv", "columns": {}, "read_problems": []}
    return df
