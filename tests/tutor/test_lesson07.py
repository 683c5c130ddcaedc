"""Lesson 7's checks: a release folder's risk report and data, denominators, synthetic data."""

from __future__ import annotations

import json

import pytest

from htwork import tutor
from htwork.io import read_table
from htwork.release import release
from htwork.synth import evaluate, make_synthesizer
from htwork.tutor import Check, Quiz, lesson07
from tests.tutor.conftest import accepts, rejects

# slow: every test shares a protected release and a synthetic table
pytestmark = pytest.mark.slow

MINORS = list(lesson07.MINOR_BANDS)


@pytest.fixture(scope="module")
def folder(repo_root, tmp_path_factory):
    out = tmp_path_factory.mktemp("lesson07") / "release"
    return release(repo_root / "datasets" / "demo" / "cases.csv", "ctdc_k11", out=out, seed=0,
                   progress=False).folder


@pytest.fixture(scope="module")
def report(folder):
    return json.loads((folder / "risk_report.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def released(folder):
    return read_table(folder / "data.csv")


@pytest.fixture(scope="module")
def before(cases):
    return lesson07.before_protection(cases)


@pytest.fixture(scope="module")
def ex(folder, before):
    return lesson07.release_checks(folder, before)


@pytest.fixture(scope="module")
def halves(before):
    train = before.sample(frac=0.5, random_state=1)
    holdout = before.drop(train.index)
    fake = make_synthesizer("default").fit(train).sample(len(train), seed=1)
    return train, holdout, fake


@pytest.fixture(scope="module")
def syn(halves, released):
    return lesson07.synthetic_checks(*halves, released)


def test_before_protection_has_no_identifiers(before, cases, released):
    assert list(before.columns) == list(released.columns)
    assert len(before) == len(cases) == len(released)
    assert not {"prs_FirstName", "prs_MobilePhone", "cas_Notes"} & set(before.columns)
    assert "suppressed" not in before.to_numpy()


def test_global_risk(ex, report):
    after = report["risk_after"]
    accepts(ex.risk, after["global_risk"] * 100)
    accepts(ex.risk, round(after["global_risk"] * 100, 2))
    rejects(ex.risk, report["risk_before"]["global_risk"] * 100, "risk_before")
    rejects(ex.risk, after["max_individual_risk"] * 100, "riskiest single record")
    rejects(ex.risk, after["global_risk"], "proportion")


def test_suppressed_cells(ex, released, report):
    marks = released == "suppressed"
    accepts(ex.suppressed, marks.sum().sum())
    accepts(ex.suppressed, report["utility"]["cells_suppressed"])  # data and report agree
    rejects(ex.suppressed, marks.any(axis=1).sum(), "you counted records")
    rejects(ex.suppressed, marks["ageBroad"].sum(), "one column")
    rejects(ex.suppressed, released.isna().sum().sum(), "empty cells")


def test_minors_among_known_age_bands(ex, released, before):
    age = released["ageBroad"]
    known = age.notna() & (age != "suppressed")
    accepts(ex.minors, age.isin(MINORS).sum() / known.sum() * 100)
    rejects(ex.minors, age.isin(MINORS).mean() * 100, "divided by all records")
    rejects(ex.minors, age.isin(MINORS).sum() / age.notna().sum() * 100,
            "'suppressed' is not a known age band")
    rejects(ex.minors, (age == "9--17").sum() / known.sum() * 100, "0 to 8")
    rejects(ex.minors, age.isin(MINORS).sum(), "number of minors")
    # the lesson's point: the release counts fewer minors than the extract
    assert age.isin(MINORS).sum() < before["ageBroad"].isin(MINORS).sum()


def test_women_sexually_exploited_in_synthetic_table(syn, halves, released):
    train, _, fake = halves

    def pct(table, gender):
        rows = table[(table["gender"] == gender) & table["isSexualExploit"].notna()]
        return (rows["isSexualExploit"] == "1").mean() * 100

    accepts(syn.exploitation, pct(fake, "Female"))
    rejects(syn.exploitation, pct(train, "Female"), "the real table")
    rejects(syn.exploitation, pct(released, "Female"), "anonymised release")
    rejects(syn.exploitation, pct(fake, "Male"), "that is men")
    rejects(syn.exploitation, pct(fake, "Female") / 100, "proportion")


def test_exact_copies(syn, halves):
    train, holdout, fake = halves
    copies = evaluate(train, fake, holdout, parts=["copies"], seed=1).to_frame().loc[
        "exact_copy_share"]
    accepts(syn.copies, copies["synthetic"] * 100)
    rejects(syn.copies, copies["holdout"] * 100, "holdout")
    rejects(syn.copies, copies["synthetic"], "proportion")
    rejects(syn.copies, round(copies["synthetic"] * len(fake)), "number of rows")


def test_quiz(syn):
    accepts(syn.quiz, {1: "b", 2: "a", 3: "c", 4: "b"})
    rejects(syn.quiz, {1: "b", 2: "a", 3: "a", 4: "b"}, "fresh sample")
    rejects(syn.quiz, {1: "b", 2: "b", 3: "c", 4: "b"}, "records_published")


def test_unanswered_shows_a_hint_and_never_raises(ex, syn):
    tutor.mode("learner")
    for check in (*vars(ex).values(), *vars(syn).values()):
        r = check(...)
        assert r.status == "unanswered" and r.hint


def test_every_check_knows_typical_wrong_answers(ex, syn):
    for name, obj in {**vars(ex), **vars(syn)}.items():
        if isinstance(obj, Quiz):
            for q in obj.questions:
                assert set(q.options) - {q.answer} <= set(q.why), name
            continue
        assert isinstance(obj, Check)
        assert len(obj.wrong) >= 2 and all(w.hint for w in obj.wrong) and obj.hint, name


def test_section_and_shared_release(folder):
    sheet = (folder / "DATASHEET.md").read_text(encoding="utf-8")
    part = lesson07.section(sheet, "5. Personal and sensitive information")
    assert part.startswith("## 5. Personal") and "leak scan" in part
    assert "![" not in lesson07.section(sheet, "Disclosure risk, in plain words")
    assert lesson07.section(sheet, "no such heading") == ""
    assert (lesson07.shared_release() / "risk_report.json").is_file()


def _htwork_folder(tmp_path):
    (tmp_path / "datasets" / "demo").mkdir(parents=True)
    return tmp_path


def test_fresh_folder_removes_only_a_release_the_lesson_made(tmp_path):
    root = _htwork_folder(tmp_path)
    work = lesson07.work_folder(start=root)
    assert work == root / "out" / "lesson07" and work.is_dir()
    made = work / "release"
    made.mkdir()
    (made / "recipe.yaml").write_text("kind: htwork-release-recipe\n")
    assert lesson07.fresh_folder(made, start=root) == made and not made.exists()
    assert lesson07.fresh_folder(made, start=root) == made  # nothing there: nothing to do
    other = work / "notes"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    with pytest.raises(ValueError, match="not a release folder"):
        lesson07.fresh_folder(other, start=root)
    assert (other / "keep.txt").exists()
    outside = root / "datasets"
    with pytest.raises(ValueError, match="not a folder inside"):
        lesson07.fresh_folder(outside, start=root)
    with pytest.raises(ValueError, match="not a folder inside"):
        lesson07.fresh_folder(work, start=root)
    assert outside.exists() and work.exists()
