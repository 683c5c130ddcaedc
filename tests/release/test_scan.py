"""The leak scan finds planted identifiers; the demo release contains none."""

from __future__ import annotations

import re
import shutil

import pytest

from htwork.io import read_table
from htwork.release import release, scan
from htwork.release.scan import identifier_values, public_vocabulary

from .conftest import DEMO

# slow: every test makes a release folder to scan (the release tests cover the scan inside
# release() in the fast tier)
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def clean(extract, tmp_path_factory):
    out = tmp_path_factory.mktemp("scan") / "rel"
    return release(extract, "ctdc_k11", out=out, seed=1, progress=False).folder


@pytest.fixture(scope="module")
def values(extract):
    return identifier_values(read_table(extract))


@pytest.fixture(scope="module")
def people(extract):
    df = read_table(extract)
    row = df.dropna(subset=["prs_FirstName", "prs_SecondName", "prs_MobilePhone",
                            "prs_IdentityDocumentNumber", "prs_Email",
                            "prs_MailingStreet"]).iloc[0]
    return row


def _plant(folder, tmp_path, name, text):
    copy = tmp_path / "planted"
    shutil.copytree(folder, copy)
    target = copy / name
    with open(target, "a", encoding="utf-8") as fh:
        fh.write(text)
    return copy


def test_clean_release_passes(clean, extract):
    result = scan(clean, extract)
    assert result.ok, result.summary()
    assert result.n_values > 1000


@pytest.mark.parametrize("field,file,form", [
    ("prs_FirstName", "DATASHEET.md", lambda v: f"\nA note about {v.upper()} here.\n"),
    ("prs_SecondName", "data.csv", lambda v: f"{v},,\n"),
    ("prs_MobilePhone", "datasheet.html",
     lambda v: "<p>call " + re.sub(r"(\d{3})(?=\d)", r"\1 ", v.lstrip("+")) + "</p>"),
    ("prs_MobilePhone", "notes.txt",
     lambda v: "phone 0" + "".join(re.findall(r"\d", v))[-9:] + " please"),
    ("prs_IdentityDocumentNumber", "risk_report.json", lambda v: f'\n"id": "{v.lower()}"\n'),
    ("prs_Email", "recipe.yaml", lambda v: f"\n# contact: {v}\n"),
    ("prs_MailingStreet", "DATASHEET.md", lambda v: f"\nLives at {v}.\n"),
    ("cas_CaseId", "datapackage.json", lambda v: f" {v} "),
])
def test_planted_identifiers_are_found(clean, extract, values, people, tmp_path, field, file,
                                      form):
    value = str(people[field])
    planted = _plant(clean, tmp_path, file, form(value))
    result = scan(planted, extract, values=values)
    assert not result.ok
    assert any(leak.column == field and leak.file == file for leak in result.leaks), \
        result.summary()
    assert value not in result.summary()          # the report masks the values


def test_planted_key_is_found(clean, extract, values, tmp_path):
    key = bytes(range(32))
    planted = _plant(clean, tmp_path, "notes.txt", f"key={key.hex()}\n")
    result = scan(planted, extract, keys=[key], values=values)
    assert any(leak.kind == "pseudonymisation key" for leak in result.leaks)


def test_pseudonyms_publish_no_key(extract, tmp_path):
    key = bytes(range(7, 39))
    pol = {"name": "with_groups", "pseudonymise": {"cas_CaseId": "caseKey"},
           "suppress_k": 3, "thresholds": {"k": 3}}
    folder = release(extract, pol, out=tmp_path / "r", key=key, progress=False).folder
    header = (folder / "data.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "caseKey" in header
    assert scan(folder, extract, keys=[key]).ok
    recipe = (folder / "recipe.yaml").read_text(encoding="utf-8")
    assert key.hex() not in recipe


def test_demo_release_contains_no_names_phones_or_ids(tmp_path):
    folder = release(DEMO, "ctdc_k11", out=tmp_path / "demo", progress=False).folder
    df = read_table(DEMO)
    everything = "\n".join(p.read_text(encoding="utf-8", errors="replace").casefold()
                           for p in folder.iterdir() if p.suffix != ".png")
    digits = re.sub(r"(?<=\d)[\s\-().+]+(?=\d)", "", everything)
    names = set(df["prs_FirstName"].dropna()) | set(df["prs_SecondName"].dropna())
    public = public_vocabulary()       # country labels of the standard ("Jordan", "Vincent")
    tokens = re.findall(r"\w+", everything)
    words, joined = set(tokens), " " + " ".join(tokens) + " "
    for name in sorted(names):
        toks = re.findall(r"\w+", name.casefold())
        if len(name) < 4 or " ".join(toks) in public:
            continue
        if len(toks) == 1:
            assert toks[0] not in words, name
        else:
            assert f" {' '.join(toks)} " not in joined, name
    runs = set(re.findall(r"\d{8,}", digits))
    tails = {r[-8:] for r in runs}
    for phone in df["prs_MobilePhone"].dropna():
        assert "".join(re.findall(r"\d", phone))[-8:] not in tails, phone
    for ident in df["prs_IdentityDocumentNumber"].dropna():
        assert ident.casefold() not in everything, ident
    assert scan(folder, DEMO).ok


def test_a_schema_names_identifier_columns_the_scan_would_not_guess(tmp_path):
    """A column the user's schema marks as a direct identifier is searched, although neither
    its name nor its values look like one; without the schema it is not."""
    import copy

    import pandas as pd

    from htwork.cli import main
    from htwork.io import write_csv
    from htwork.standards import load_standard, profile

    handles = [f"kx{i:03d}zeta{i * 7 % 13}q" for i in range(40)]
    df = pd.DataFrame({"ref": handles, "region": ["North", "South"] * 20})
    src = tmp_path / "in.csv"
    write_csv(df, src)
    schema = profile(df)
    assert "ref" not in schema.direct_identifiers
    descriptor = copy.deepcopy(schema.descriptor)
    for f in descriptor["fields"]:
        if f["name"] == "ref":
            f["htwork:role"] = "direct_identifier"
    own = load_standard(descriptor)
    assert own.direct_identifiers == ["ref"]
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "notes.txt").write_text(f"see {handles[17]} for details\n", encoding="utf-8")
    assert "ref" not in identifier_values(df)
    assert scan(folder, df).ok
    found = scan(folder, df, schema=own)
    assert not found.ok and [leak.column for leak in found.leaks] == ["ref"]
    yaml_path = tmp_path / "schema.yaml"
    own.save(yaml_path)
    assert main(["scan", str(folder), "--against", str(src)]) == 0
    assert main(["scan", str(folder), "--against", str(src), "--schema", str(yaml_path)]) == 1
