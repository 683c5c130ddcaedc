"""Property tests (issue 17): for any extract, no output of ``release``, ``synth``,
``anonymise`` or ``report`` holds an identifier value of the input, and no command changes its
input.

Hypothesis writes the identifiers: names in Thai, Lao, Khmer and Myanmar script and in
Vietnamese with its accents, phone numbers in several layouts, document numbers, e-mails,
aliases, streets and case notes that mention them, over a simulated 150-record extract (the
other columns stay realistic so that the extract validates). Each output is checked twice: by
the leak scan (:func:`htwork.release.scan`) and by a plain substring search of everything a
person could read in it (text, PNG text chunks). Few examples each, so the file stays fast;
the release, the slowest, is marked ``slow``.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from htwork.cli import main
from htwork.release import scan

from .test_names_never_leak import texts_of

THAI = "กขคงจฉชซญดตถทธนบปผพฟภมยรลวศสหอฮ"
LAO = "ກຂຄງຈສຊຍດຕຖທນບປຜຝພຟມຢຣລວຫອຮ"
KHMER = "កខគឃងចឆជឈញដឋឌឍណតថទធនបផពភមយរលវសហឡអ"
MYANMAR = "ကခဂဃငစဆဇဈညဋဌဍဎဏတထဒဓနပဖဗဘမယရလဝသဟဠအ"
VIET_ACCENTS = "ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
LATIN = "abcdeghiklmnopqrstuvxy"


def _viet(draw) -> str:
    body = draw(st.text(alphabet=LATIN + VIET_ACCENTS, min_size=3, max_size=7))
    return (draw(st.sampled_from(VIET_ACCENTS)) + body).capitalize()


@st.composite
def names(draw) -> str:
    """A name of 4 to 8 letters in one of the region's scripts (never an English word)."""
    script = draw(st.sampled_from(["th", "lo", "km", "my", "vi"]))
    if script == "vi":
        return _viet(draw)
    alphabet = {"th": THAI, "lo": LAO, "km": KHMER, "my": MYANMAR}[script]
    return draw(st.text(alphabet=alphabet, min_size=4, max_size=8))


@st.composite
def phones(draw) -> str:
    digits = "0" + draw(st.sampled_from("689")) + "".join(
        draw(st.lists(st.sampled_from("0123456789"), min_size=8, max_size=8)))
    layout = draw(st.sampled_from(["plain", "dash", "space", "intl"]))
    if layout == "dash":
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    if layout == "space":
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    if layout == "intl":
        return "+66" + digits[1:]
    return digits


@dataclass
class People:
    first: list[str]
    last: list[str]
    phones: list[str]
    docs: list[str]

    def values(self) -> list[str]:
        """What must never be found in an output (phones as their digits)."""
        return [*self.first, *self.last, *self.docs,
                *(re.sub(r"\D", "", p)[-9:] for p in self.phones)]


people = st.builds(
    People,
    first=st.lists(names(), min_size=6, max_size=6, unique=True),
    last=st.lists(names(), min_size=6, max_size=6, unique=True),
    phones=st.lists(phones(), min_size=6, max_size=6, unique_by=lambda p: p[-8:]),
    docs=st.lists(st.from_regex(r"[A-Z]{2}[0-9]{7}", fullmatch=True), min_size=6, max_size=6,
                  unique=True),
)


@cache
def base() -> pd.DataFrame:
    from htwork.simulate import simulate

    return simulate(150, seed=31337).astype(object)


def write_extract(p: People, folder: Path) -> Path:
    """The simulated extract with every identifier replaced by the drawn ones."""
    df = base().copy()
    n = len(df)
    k = len(p.first)
    pick = [i % k for i in range(n)]
    df["prs_FirstName"] = [p.first[j] for j in pick]
    df["prs_SecondName"] = [p.last[(j + 1) % k] for j in pick]
    df["prs_Aliases"] = [p.last[j] for j in pick]
    df["prs_MobilePhone"] = [p.phones[j] for j in pick]
    df["prs_IdentityDocumentNumber"] = [p.docs[j] for j in pick]
    df["prs_Email"] = [f"person{i}@example.org" for i in range(n)]
    df["prs_MailingStreet"] = [f"{i + 1} {p.last[j]} Road" for i, j in enumerate(pick)]
    df["cas_Notes"] = [f"Met {p.first[j]} {p.last[(j + 1) % k]}; phone {p.phones[j]}, "
                       f"document {p.docs[j]}." for j in pick]
    path = folder / "extract.csv"
    from htwork.simulate import write_standard_csv

    write_standard_csv(df, path)
    return path


def assert_clean(out: Path, src: Path, p: People) -> None:
    files = [out] if out.is_file() else sorted(q for q in out.rglob("*") if q.is_file())
    assert files
    for f in files:
        text = texts_of(f)
        digits = re.sub(r"\D", "", text)
        for v in p.values():
            haystack = digits if v.isdigit() else text
            assert v not in haystack, (f.name, v)
    folder = out if out.is_dir() else out.parent
    result = scan(folder, src)
    assert result.ok, result.summary()


def run(argv: list[str], src: Path) -> None:
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    assert main(argv) == 0
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before  # the input is unchanged


FAST = settings(max_examples=3, deadline=None, derandomize=True, phases=[Phase.generate],
                suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(p=people)
def test_anonymise_output_holds_no_identifier(p: People) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = write_extract(p, Path(tmp))
        out = Path(tmp) / "out" / "anon.csv"
        out.parent.mkdir()
        run(["anonymise", str(src), "--quasi", "prs_Gender,prs_Citizenship", "--k", "2",
             "--out", str(out)], src)
        assert_clean(out, src, p)


@FAST
@given(p=people)
def test_synth_output_holds_no_identifier(p: People) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = write_extract(p, Path(tmp))
        out = Path(tmp) / "out" / "syn.csv"
        out.parent.mkdir()
        run(["synth", str(src), "--seed", "1", "--method", "independent", "--out", str(out)],
            src)
        assert_clean(out, src, p)


@settings(max_examples=2, deadline=None, derandomize=True, phases=[Phase.generate],
          suppress_health_check=[HealthCheck.too_slow])
@given(p=people)
def test_report_holds_no_identifier(p: People) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = write_extract(p, Path(tmp))
        out = Path(tmp) / "report"
        # no linking (the drawn document numbers repeat): every registration is a person
        run(["report", str(src), "--quarter", "2024Q3", "--match", "", "--out", str(out)],
            src)
        assert_clean(out, src, p)


@pytest.mark.slow
@settings(max_examples=2, deadline=None, derandomize=True, phases=[Phase.generate],
          suppress_health_check=[HealthCheck.too_slow])
@given(p=people, policy=st.sampled_from(["ctdc_k11", "sds_resolution10"]))
def test_release_holds_no_identifier(p: People, policy: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = write_extract(p, Path(tmp))
        out = Path(tmp) / "release"
        run(["release", str(src), "--policy", policy, "--quiet", "--out", str(out)], src)
        assert_clean(out, src, p)
