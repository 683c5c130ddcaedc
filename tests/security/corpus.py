"""A planted-leak corpus: one identifier of a simulated extract planted in one file of a copy of
a clean release, in one format and one way of writing it.

Formats: CSV (cell, last column before a newline, header), Parquet (data, column name, schema
metadata), JSON (``\\u`` escapes, numbers), HTML (entities), Markdown, YAML (comment, escaped
string), PNG text chunks (tEXt, zTXt, iTXt), XLSX (cell, header, htwork's own writer), gzip,
UTF-16 (with and without a byte-order mark), and file names. Ways of writing: Thai, Lao, Khmer
and Myanmar script with titles (``นาย``, ``ທ້າວ``, ``លោក``, ``ဦး``) glued to the name or inside
unspaced prose; Thai, Lao, Khmer and Myanmar digits; Vietnamese without its accents; names with
the spaces removed; Latin titles (Mr, Ms, Ông, Bà, U, Daw, Ko, Ma); phones split by en-dashes,
underscores, or in the last CSV column; full-width forms.

Every value comes from the extract (``htwork.simulate`` with a fixed seed); the simulator writes
Lao names in Latin letters only, so a few Lao-script names (fictional) are given to Lao records
of the extract before it is written.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import shutil
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from htwork.simulate import simulate, write_standard_csv

SEED = 31337
N_RECORDS = 800

#: Fictional Lao-script given names and surnames for Lao records of the extract.
LAO_NAMES = [("ສົມສັກ", "ວົງສະຫວັນ"), ("ບຸນມີ", "ພົມມະຈັນ"), ("ຄຳພອນ", "ແສງສຸລິຍາ"),
             ("ແສງດາວ", "ອິນທະວົງ"), ("ພອນສະຫວັນ", "ສີສຸວັນ"), ("ວັນນະສອນ", "ບົວລະພາ")]


@dataclass(frozen=True)
class Plant:
    """One planted leak: which file holds it, the input column and value it comes from."""

    id: str
    file: str
    column: str
    value: str
    fmt: str
    variant: str


# ---------------------------------------------------------------- the extract

def make_extract(path: Path, seed: int = SEED, n: int = N_RECORDS) -> pd.DataFrame:
    """Simulate an extract, give Lao-script names to a few Lao records, write it as CSV."""
    df = simulate(n, seed=seed)
    lao = df.index[df["prs_Citizenship"] == "LA"][: len(LAO_NAMES)]
    for (first, last), i in zip(LAO_NAMES, lao, strict=False):
        df.loc[i, ["prs_FirstName", "prs_SecondName"]] = [first, last]
    write_standard_csv(df, path)
    return df


# ---------------------------------------------------------------- ways of writing a value

_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_LAO_DIGITS = str.maketrans("0123456789", "໐໑໒໓໔໕໖໗໘໙")
_MYANMAR_DIGITS = str.maketrans("0123456789", "၀၁၂၃၄၅၆၇၈၉")
_KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")


def strip_accents(text: str) -> str:
    """Vietnamese as typed without its accents (``Thị Đào`` -> ``Thi Dao``)."""
    import unicodedata

    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text)
                   if not unicodedata.combining(c))


def digits_of(value: str) -> str:
    return "".join(re.findall(r"\d", value))


def national_phone(value: str) -> str:
    """A phone as people write it at home: ``0`` and the last nine digits."""
    return "0" + digits_of(value)[-9:]


def grouped(digits: str, sep: str) -> str:
    return sep.join([digits[:3], digits[3:6], digits[6:]])


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def entities(text: str) -> str:
    """Every non-ASCII character (and every other ASCII letter) as an HTML entity."""
    out = []
    for i, c in enumerate(text):
        if ord(c) > 127:
            out.append(f"&#x{ord(c):X};" if i % 2 else f"&#{ord(c)};")
        elif c.isalnum() and i % 2:
            out.append(f"&#{ord(c)};")
        else:
            out.append(html.escape(c))
    return "".join(out)


def json_escaped(text: str) -> str:
    """A JSON string literal with every character as a ``\\u`` escape."""
    return '"' + "".join(f"\\u{ord(c):04x}" for c in text) + '"'


# ---------------------------------------------------------------- formats

def _append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(text)


def _png_with_chunk(src: Path, dst: Path, kind: bytes, payload: bytes) -> None:
    data = src.read_bytes()
    end = data.rindex(b"IEND") - 4
    chunk = struct.pack(">I", len(payload)) + kind + payload
    chunk += struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)
    dst.write_bytes(data[:end] + chunk + data[end:])


def _csv_width(folder: Path) -> int:
    header = (folder / "data.csv").read_text(encoding="utf-8").splitlines()[0]
    return header.count(",") + 1


def write_format(folder: Path, fmt: str, text: str) -> str:
    """Plant ``text`` into ``folder`` in format ``fmt``; return the relative file name."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if fmt == "md":
        _append(folder / "DATASHEET.md", f"\n\nA note from the field: {text}.\n")
        return "DATASHEET.md"
    if fmt == "md-table":
        _append(folder / "DATASHEET.md", f"\n\n| who | where |\n|---|---|\n| {text} | TH |\n")
        return "DATASHEET.md"
    if fmt == "txt":
        (folder / "notes.txt").write_text(f"field notes\n{text}\n", encoding="utf-8")
        return "notes.txt"
    if fmt == "utf16":
        (folder / "notes.txt").write_text(f"field notes\n{text}\n", encoding="utf-16")
        return "notes.txt"
    if fmt == "utf16-nobom":
        (folder / "notes.csv").write_bytes(f"note,year\n{text},2021\n".encode("utf-16-le"))
        return "notes.csv"
    if fmt == "html":
        _append(folder / "datasheet.html", f"<p>Seen: {entities(text)}</p>\n")
        return "datasheet.html"
    if fmt == "json":
        (folder / "extra.json").write_text(json.dumps({"note": text}, ensure_ascii=True),
                                           encoding="utf-8")
        return "extra.json"
    if fmt == "json-escaped":
        (folder / "extra.json").write_text('{"note": ' + json_escaped(text) + "}",
                                           encoding="utf-8")
        return "extra.json"
    if fmt == "json-number":
        (folder / "extra.json").write_text('{"contact": ' + text + "}", encoding="utf-8")
        return "extra.json"
    if fmt == "yaml":
        import yaml

        _append(folder / "recipe.yaml",
                yaml.safe_dump({"note": text}, allow_unicode=False, width=1000))
        return "recipe.yaml"
    if fmt == "yaml-comment":
        _append(folder / "recipe.yaml", f"\n# reviewed with {text}\n")
        return "recipe.yaml"
    if fmt == "csv-cell":
        width = _csv_width(folder)
        _append(folder / "data.csv", ",".join([text] + [""] * (width - 1)) + "\n")
        return "data.csv"
    if fmt == "csv-last":
        width = _csv_width(folder)
        _append(folder / "data.csv", ",".join(["2019"] * (width - 1) + [text]) + "\n"
                + ",".join(["2020"] * width) + "\n")
        return "data.csv"
    if fmt == "csv-header":
        path = folder / "data.csv"
        lines = path.read_text(encoding="utf-8").split("\n")
        cells = lines[0].split(",")
        cells[-1] = text
        lines[0] = ",".join(cells)
        path.write_text("\n".join(lines), encoding="utf-8")
        return "data.csv"
    if fmt == "parquet-data":
        pq.write_table(pa.table({"note": [text, "other"]}), folder / "extra.parquet")
        return "extra.parquet"
    if fmt == "parquet-colname":
        pq.write_table(pa.table({text: ["1", "2"]}), folder / "extra.parquet")
        return "extra.parquet"
    if fmt == "parquet-meta":
        table = pq.read_table(folder / "data.parquet")
        meta = dict(table.schema.metadata or {})
        meta[b"source"] = text.encode("utf-8")
        pq.write_table(table.replace_schema_metadata(meta), folder / "data.parquet")
        return "data.parquet"
    if fmt in ("xlsx", "xlsx-header"):
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        if fmt == "xlsx":
            ws.append(["note", "year"])
            ws.append([text, 2021])
        else:
            ws.append(["year", text])
            ws.append([2021, "x"])
        wb.save(folder / "extra.xlsx")
        return "extra.xlsx"
    if fmt == "xlsx-number":
        from openpyxl import Workbook

        wb = Workbook()
        wb.active.append(["contact"])
        wb.active.append([int(text)])
        wb.save(folder / "extra.xlsx")
        return "extra.xlsx"
    if fmt in ("png-text", "png-ztxt", "png-itxt"):
        png = folder / "fk.png"
        if fmt == "png-text":
            payload = b"Source\x00" + text.encode("latin-1", "replace")
            kind = b"tEXt"
        elif fmt == "png-ztxt":
            payload = b"Comment\x00\x00" + zlib.compress(text.encode("latin-1", "replace"))
            kind = b"zTXt"
        else:
            payload = b"Description\x00\x01\x00th\x00\x00" + zlib.compress(text.encode("utf-8"))
            kind = b"iTXt"
        _png_with_chunk(png, png, kind, payload)
        return "fk.png"
    if fmt == "gzip":
        with gzip.open(folder / "notes.md.gz", "wt", encoding="utf-8") as fh:
            fh.write(f"# notes\n\n{text}\n")
        return "notes.md.gz"
    if fmt == "gzip-csv":
        with gzip.open(folder / "extra.csv.gz", "wt", encoding="utf-8") as fh:
            fh.write(f"note,year\n{text},2021\n")
        return "extra.csv.gz"
    if fmt == "filename":
        name = re.sub(r"[/\\\x00]", "_", text) + ".csv"
        (folder / name).write_text("year,count\n2021,12\n", encoding="utf-8")
        return name
    raise ValueError(fmt)


# ---------------------------------------------------------------- the plants

Writer = Callable[[pd.Series], str]


def _people(df: pd.DataFrame, **conditions: object) -> pd.DataFrame:
    out = df
    for col, cond in conditions.items():
        if cond is True:
            out = out[out[col].notna()]
        elif callable(cond):
            out = out[out[col].map(lambda v, c=cond: bool(v) and bool(c(v)))]
        else:
            out = out[out[col] == cond]
    return out


def _multiword(v: str) -> bool:
    return " " in v.strip()


def _has_accents(v: str) -> bool:
    return strip_accents(v) != v


def _lao_script(v: str) -> bool:
    return any("\u0e80" <= c <= "\u0eff" for c in v)


def _myanmar_script(v: str) -> bool:
    return any("\u1000" <= c <= "\u109f" for c in v)


def _khmer_script(v: str) -> bool:
    return any("\u1780" <= c <= "\u17ff" for c in v)


def _thai_script(v: str) -> bool:
    return any("\u0e00" <= c <= "\u0e7f" for c in v)


def _long_phone(v: str) -> bool:
    return len(digits_of(v)) >= 10


def _digit_id(v: str) -> bool:
    return len(digits_of(v)) >= 9


def _letter_id(v: str) -> bool:
    return bool(re.search(r"[A-Za-z]", v)) and len(re.sub(r"\W", "", v)) >= 7


def _thai_title(row: pd.Series) -> str:
    return "นาย" if row["prs_Gender"] == "Male" else "นางสาว"


def specs() -> list[tuple[str, dict[str, object], str, Writer, list[str]]]:
    """(variant, conditions on the extract, column, how the value is written, formats)."""
    F, S = "prs_FirstName", "prs_SecondName"
    return [
        ("thai-title-glued", {"prs_Citizenship": "TH", F: _thai_script}, F,
         lambda r: f"ผู้เสียหายคือ{_thai_title(r)}{r[F]} ทำงานในเรือประมง",
         ["md", "html", "txt", "json", "xlsx", "png-itxt", "parquet-data"]),
        ("thai-unspaced-prose", {"prs_Citizenship": "TH", F: _thai_script, S: True}, S,
         lambda r: f"วันนี้เจ้าหน้าที่ได้สัมภาษณ์{r[F]}{r[S]}ที่บ้านพักในจังหวัดระยอง",
         ["md", "yaml", "json-escaped", "utf16", "gzip", "html"]),
        ("lao-title-glued", {F: _lao_script}, F,
         lambda r: ("ທ້າວ" if r["prs_Gender"] == "Male" else "ນາງ") + r[F] + "ເຮັດວຽກຢູ່ໂຮງງານ",
         ["md", "txt", "json", "csv-cell", "html", "png-itxt"]),
        ("lao-surname-prose", {F: _lao_script, S: True}, S,
         lambda r: f"ນາງ{r[F]}{r[S]}ມາຈາກແຂວງສະຫວັນນະເຂດ",
         ["md", "xlsx"]),
        ("khmer-title-prose", {F: _khmer_script}, F,
         lambda r: ("លោក" if r["prs_Gender"] == "Male" else "កញ្ញា") + r[F] + "បានធ្វើការនៅថៃ",
         ["md", "csv-cell", "json", "utf16"]),
        ("myanmar-script-title", {F: _myanmar_script}, F,
         lambda r: ("ဦး" if r["prs_Gender"] == "Male" else "ဒေါ်") + r[F] + " ရန်ကုန်",
         ["md", "json", "html"]),
        ("myanmar-latin-title", {"prs_Citizenship": "MM", F: _multiword}, F,
         lambda r: ("U " if r["prs_Gender"] == "Male" else "Daw ") + r[F],
         ["md", "html", "yaml-comment"]),
        ("myanmar-latin-ko-ma", {"prs_Citizenship": "MM", F: _multiword}, F,
         lambda r: ("Ko" if r["prs_Gender"] == "Male" else "Ma") + r[F].replace(" ", ""),
         ["md", "txt"]),
        ("vietnamese-no-accents", {"prs_Citizenship": "VN", F: _has_accents}, F,
         lambda r: ("Ông " if r["prs_Gender"] == "Male" else "Bà ") + strip_accents(r[F]),
         ["md", "csv-cell", "xlsx", "parquet-data", "json", "png-text"]),
        ("vietnamese-entities", {"prs_Citizenship": "VN", S: lambda v: _has_accents(v)
                                 and len(v) >= 4}, S,
         lambda r: f"{r[F]} {r[S]}", ["html", "html"]),
        ("spaces-removed", {F: lambda v: _multiword(v) and v.isascii()}, F,
         lambda r: r[F].replace(" ", ""), ["md", "csv-cell", "json", "filename", "xlsx"]),
        ("latin-title-glued", {F: lambda v: v.isascii() and len(v) >= 5}, F,
         lambda r: ("Mr." if r["prs_Gender"] == "Male" else "Ms") + r[F].replace(" ", ""),
         ["md", "txt"]),
        ("fullwidth", {F: lambda v: v.isascii() and len(v) >= 5}, F,
         lambda r: fullwidth(r[F]), ["txt", "md"]),
        ("upper-escaped", {F: lambda v: v.isascii() and len(v) >= 5}, F,
         lambda r: r[F].upper(), ["json-escaped", "yaml"]),
        ("column-name", {F: lambda v: len(v) >= 5}, F,
         lambda r: r[F], ["csv-header", "parquet-colname", "xlsx-header"]),
        ("metadata", {S: lambda v: len(v) >= 5 and v.isascii()}, S,  # tEXt is Latin-1
         lambda r: f"interview of {r[F]} {r[S]}",
         ["parquet-meta", "png-text", "png-ztxt", "png-itxt"]),
        ("compressed-or-utf16", {S: lambda v: len(v) >= 5}, S,
         lambda r: r[S], ["gzip", "gzip-csv", "utf16", "utf16-nobom"]),
        ("alias", {"prs_Aliases": lambda v: len(v) >= 5 and ";" not in v}, "prs_Aliases",
         lambda r: f"known as {r['prs_Aliases']}", ["yaml-comment", "md", "html"]),
        ("phone-thai-digits", {"prs_Citizenship": "TH", "prs_MobilePhone": _long_phone},
         "prs_MobilePhone",
         lambda r: "โทร" + grouped(national_phone(r["prs_MobilePhone"]), "-").translate(
             _THAI_DIGITS), ["md", "json", "txt"]),
        ("phone-myanmar-digits", {"prs_Citizenship": "MM", "prs_MobilePhone": _long_phone},
         "prs_MobilePhone",
         lambda r: "ဖုန်း " + national_phone(r["prs_MobilePhone"]).translate(_MYANMAR_DIGITS),
         ["md", "txt", "html"]),
        ("phone-khmer-digits", {"prs_Citizenship": "KH", "prs_MobilePhone": _long_phone},
         "prs_MobilePhone",
         lambda r: national_phone(r["prs_MobilePhone"]).translate(_KHMER_DIGITS),
         ["md", "csv-cell"]),
        ("phone-lao-digits", {"prs_MobilePhone": _long_phone}, "prs_MobilePhone",
         lambda r: "ໂທ " + grouped(national_phone(r["prs_MobilePhone"]), " ").translate(
             _LAO_DIGITS), ["md", "txt"]),
        ("phone-en-dash", {"prs_MobilePhone": _long_phone}, "prs_MobilePhone",
         lambda r: grouped(national_phone(r["prs_MobilePhone"]), "\u2013"),
         ["md", "html", "csv-cell", "xlsx"]),
        ("phone-underscore", {"prs_MobilePhone": _long_phone}, "prs_MobilePhone",
         lambda r: "case_" + grouped(national_phone(r["prs_MobilePhone"]), "_"),
         ["filename", "csv-cell", "md"]),
        ("phone-last-column", {"prs_MobilePhone": _long_phone}, "prs_MobilePhone",
         lambda r: national_phone(r["prs_MobilePhone"]), ["csv-last", "csv-last", "csv-last"]),
        ("phone-elsewhere", {"prs_MobilePhone": _long_phone}, "prs_MobilePhone",
         lambda r: r["prs_MobilePhone"],
         ["png-text", "parquet-meta", "gzip", "utf16", "parquet-data", "yaml"]),
        ("phone-number-cell", {"prs_MobilePhone": _long_phone}, "prs_MobilePhone",
         lambda r: digits_of(r["prs_MobilePhone"]), ["json-number", "xlsx-number"]),
        ("phone-fullwidth", {"prs_MobilePhone": _long_phone}, "prs_MobilePhone",
         lambda r: fullwidth(grouped(national_phone(r["prs_MobilePhone"]), "-")),
         ["md", "html"]),
        ("id-thai-digits", {"prs_IdentityDocumentNumber": _digit_id},
         "prs_IdentityDocumentNumber",
         lambda r: digits_of(r["prs_IdentityDocumentNumber"]).translate(_THAI_DIGITS),
         ["md", "json", "csv-cell"]),
        ("id-myanmar-digits", {"prs_IdentityDocumentNumber": _digit_id},
         "prs_IdentityDocumentNumber",
         lambda r: r["prs_IdentityDocumentNumber"].translate(_MYANMAR_DIGITS),
         ["md", "html"]),
        ("id-letters-rewritten", {"prs_IdentityDocumentNumber": _letter_id},
         "prs_IdentityDocumentNumber",
         lambda r: re.sub(r"[\s\-]", "\u2013", r["prs_IdentityDocumentNumber"].lower()),
         ["md", "json-escaped", "xlsx", "parquet-data", "png-text"]),
        ("email", {"prs_Email": True}, "prs_Email",
         lambda r: r["prs_Email"].upper(),
         ["json-escaped", "html", "yaml", "md", "utf16"]),
        ("address", {"prs_MailingStreet": lambda v: len(v) >= 10}, "prs_MailingStreet",
         lambda r: "lives at " + r["prs_MailingStreet"], ["md", "html", "json"]),
        ("case-number", {"cas_CaseId": lambda v: len(re.sub(r"\W", "", v)) >= 8}, "cas_CaseId",
         lambda r: r["cas_CaseId"].lower(), ["md", "json", "csv-cell", "md-table"]),
    ]


def plant_all(base: Path, root: Path, df: pd.DataFrame) -> list[tuple[Plant, Path]]:
    """Copy ``base`` once per plant under ``root`` and plant one leak in each copy."""
    out: list[tuple[Plant, Path]] = []
    used: set[tuple[str, object]] = set()
    for variant, conditions, column, writer, formats in specs():
        people = _people(df, **conditions)
        if people.empty:
            raise AssertionError(f"no record fits the corpus variant {variant}")
        for i, fmt in enumerate(formats):
            row = people.iloc[i % len(people)]
            used.add((column, row[column]))
            pid = f"{len(out):03d}-{variant}-{fmt}"
            folder = root / pid
            shutil.copytree(base, folder)
            text = writer(row)
            name = write_format(folder, fmt, text)
            out.append((Plant(pid, name, column, str(row[column]), fmt, variant), folder))
    out.append(_htwork_xlsx(base, root, df, len(out)))
    return out


def _htwork_xlsx(base: Path, root: Path, df: pd.DataFrame, n: int) -> tuple[Plant, Path]:
    """``htwork anonymise --out x.xlsx`` keeps every name: htwork's own writer must be read."""
    from htwork.io import write_xlsx

    folder = root / f"{n:03d}-htwork-xlsx"
    shutil.copytree(base, folder)
    keep = ["prs_FirstName", "prs_Gender", "prs_Citizenship"]
    write_xlsx(df[keep].head(50).reset_index(drop=True), folder / "anonymised.xlsx")
    value = str(df["prs_FirstName"].dropna().iloc[0])
    return Plant(folder.name, "anonymised.xlsx", "prs_FirstName", value, "xlsx-htwork",
                 "htwork-writer"), folder


def caught(plant: Plant, leaks: list) -> bool:
    """Whether a scan's leaks include the planted value's column in the planted file."""
    return any(leak.file.split("!")[0] == plant.file and leak.column == plant.column
               for leak in leaks)
