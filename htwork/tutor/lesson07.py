"""Lesson 7, sharing safely: a release folder (data, datapackage, datasheet, risk report, recipe),
suppressed cells and denominators, synthetic data and the yardstick it is measured against."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd

from htwork.io import read_table
from htwork.release.package import SUPPRESSED
from htwork.release.protect import as_strings
from htwork.standards import to_release
from htwork.synth.evaluation.privacy import exact_copy_share
from htwork.tutor.core import Check, Question, Quiz, Wrong, _is_number, _scalar
from htwork.tutor.data import data_path, output_folder

#: The age bands of minors (under 18) in the release standard.
MINOR_BANDS = ("0--8", "9--17")

#: The release folder committed under ``synthetic/`` that section 7 reads.
SHARED_RELEASE = "htwork-cases-10000-ctdc_k11"


def before_protection(df: pd.DataFrame) -> pd.DataFrame:
    """The extract in the release standard, before any protection, every cell as text.

    Names, phone numbers, ID numbers, case notes and exact dates are gone (the release standard
    has no column for them); nothing is suppressed yet. It is the table the release pipeline
    protects, and the one a synthesizer learns from.

    Parameters
    ----------
    df : pandas.DataFrame
        The extract, in the input standard (as read by :func:`htwork.io.read_table`).

    Returns
    -------
    pandas.DataFrame
        One row per record, the release standard's columns, values as text (``"1"``,
        ``"2019"``, ``"MMR"``), missing cells as ``None``.
    """
    return as_strings(to_release(df))


def section(markdown: str, heading: str) -> str:
    """One section of a Markdown text (a datasheet), from its heading to the next one.

    Image lines (``![...](fk.png)``) are left out: the pictures sit beside the datasheet, not
    beside the lesson.

    Parameters
    ----------
    markdown : str
        The whole text, e.g. ``DATASHEET.md``.
    heading : str
        The heading's text without the ``#`` marks, e.g. ``"Disclosure risk, in plain words"``.

    Returns
    -------
    str
        The section, heading included; empty if there is no such heading.
    """
    out: list[str] = []
    inside = False
    for line in markdown.splitlines():
        if line.startswith("#"):
            if inside:
                break
            inside = line.lstrip("#").strip() == heading
        if inside and not line.lstrip().startswith("!["):
            out.append(line)
    return "\n".join(out).strip()


def work_folder(start: str | Path | None = None) -> Path:
    """``out/lesson07`` in the htwork folder: where the lesson writes its release folder, so
    that trainees can open it in JupyterLab's file browser afterwards (``out/`` is never
    shared or committed). ``start``: where to look for the htwork folder (default: here)."""
    folder = output_folder("lesson07", start)
    folder.mkdir(exist_ok=True)
    return folder


def fresh_folder(path: str | Path, start: str | Path | None = None) -> Path:
    """``path``, emptied of the release folder an earlier run of the lesson made there.

    htwork never writes a release over an existing folder. So that the lesson's release cell
    can be run again, this removes ``path`` first, but only a release folder (it holds
    ``recipe.yaml``) inside ``out/lesson07``: never anything else.

    Raises
    ------
    ValueError
        If ``path`` is not inside ``out/lesson07``, or exists and is not a release folder.
    """
    path = Path(path)
    home = work_folder(start).resolve()
    if not path.resolve().is_relative_to(home) or path.resolve() == home:
        raise ValueError(f"{path} is not a folder inside {home}")
    if path.exists():
        if not (path / "recipe.yaml").is_file():
            raise ValueError(f"{path} exists and is not a release folder made by the lesson")
        shutil.rmtree(path)
    return path


def shared_release() -> Path:
    """The folder ``synthetic/htwork-cases-10000-ctdc_k11`` of the htwork repository."""
    return data_path("demo").parents[1] / "synthetic" / SHARED_RELEASE


def _percent(part: float, whole: float) -> float:
    return 100 * part / whole if whole else float("nan")


def _proportion_of(expected: float) -> Wrong:
    """A proportion (0.05) given for a percentage (5 %)."""
    def test(a: Any) -> bool:
        a = _scalar(a)
        return _is_number(a) and 0 < abs(a) <= 1 and abs(a * 100 - expected) <= 0.5

    return Wrong(test, "you gave a proportion (between 0 and 1); multiply by 100 for a "
                       "percentage.")


def release_checks(folder: str | Path, before: pd.DataFrame) -> SimpleNamespace:
    """The checks of exercises 1 to 3, computed from the release folder's own files.

    Parameters
    ----------
    folder : str or Path
        The release folder made in the lesson (``risk_report.json`` and ``data.csv`` are read).
    before : pandas.DataFrame
        :func:`before_protection` of the extract.

    Returns
    -------
    types.SimpleNamespace
        ``risk`` (global risk as released, %), ``suppressed`` (cells suppressed in
        ``data.csv``) and ``minors`` (% minors among the records whose age band is known).
    """
    folder = Path(folder)
    report = json.loads((folder / "risk_report.json").read_text(encoding="utf-8"))
    released = read_table(folder / "data.csv")

    after, prior = report["risk_after"], report["risk_before"]
    risk = 100 * after["global_risk"]

    marks = released == SUPPRESSED
    n_cells = int(marks.to_numpy().sum())
    quasi = list(after["quasi_identifiers"])

    age = released["ageBroad"]
    known = age.notna() & (age != SUPPRESSED)
    minors = int(age.isin(MINOR_BANDS).sum())
    share = _percent(minors, int(known.sum()))
    before_age = before["ageBroad"]
    return SimpleNamespace(
        risk=Check(
            "Exercise 1: global risk as released", risk, tolerance=0.05,
            wrong=[Wrong(100 * prior["global_risk"],
                         "that is the risk before protection (risk_before). The question "
                         "asks about the data as released: risk_after."),
                   Wrong(100 * after["max_individual_risk"],
                         "that is the riskiest single record (max_individual_risk). The "
                         "global risk is the average over all records."),
                   Wrong(after["expected_reidentifications"],
                         "that is a number of people (expected_reidentifications). The "
                         "question asks for a percentage."),
                   _proportion_of(risk)],
            hint="report['risk_after']['global_risk'] is a proportion: multiply it by 100."),
        suppressed=Check(
            "Exercise 2: cells suppressed in data.csv", n_cells,
            wrong=[Wrong(int(marks.any(axis=1).sum()),
                         "you counted records. Some records have more than one cell "
                         "suppressed: count cells (sum over the columns too)."),
                   Wrong(int(marks["ageBroad"].sum()),
                         "that is one column (ageBroad). Add up every column."),
                   Wrong(int(released.isna().to_numpy().sum()),
                         "you counted the empty cells. An empty cell was never recorded; a "
                         "suppressed cell reads 'suppressed'."),
                   Wrong(int((released[quasi].isna() | marks[quasi]).any(axis=1).sum()),
                         "that is the records with an empty or suppressed key "
                         "(records_with_missing_key). Count only the cells that read "
                         "'suppressed'."),
                   Wrong(100 * n_cells / (len(released) * len(quasi)),
                         "that is a percentage of cells. The question asks how many cells.")],
            hint="(released == 'suppressed') marks every suppressed cell; .sum().sum() "
                 "counts them."),
        minors=Check(
            "Exercise 3: minors among the records with a known age band", share,
            tolerance=0.05,
            wrong=[Wrong(_percent(minors, len(released)),
                         "you divided by all records. People whose age band is empty or "
                         "suppressed are not known to be minors or adults: divide by the "
                         "records with a known age band."),
                   Wrong(_percent(minors, int(age.notna().sum())),
                         "'suppressed' is not a known age band: leave those records out of "
                         "the denominator too, like the empty ones."),
                   Wrong(_percent(int((age == MINOR_BANDS[1]).sum()), int(known.sum())),
                         "children aged 0 to 8 are minors too: count both age bands, '0--8' "
                         "and '9--17' (the question is about ageBroad, not "
                         "majorityStatus)."),
                   Wrong(_percent(int(before_age.isin(MINOR_BANDS).sum()),
                                  int(before_age.notna().sum())),
                         "that is the table before protection. The question asks about the "
                         "release (released)."),
                   Wrong(minors, "that is the number of minors. The question asks for a "
                                 "percentage."),
                   _proportion_of(share)],
            hint="minors: ageBroad '0--8' or '9--17'. Known: neither empty nor "
                 "'suppressed'. Minors / known × 100."),
    )


def _exploited(table: pd.DataFrame, gender: str, *, recorded: bool = True) -> float:
    """% of ``gender`` with ``isSexualExploit`` 1, among those with it recorded (or all)."""
    rows = table[table["gender"] == gender]
    if recorded:
        rows = rows[rows["isSexualExploit"].notna()]
    return _percent(int((rows["isSexualExploit"] == "1").sum()), len(rows))


def synthetic_checks(train: pd.DataFrame, holdout: pd.DataFrame, fake: pd.DataFrame,
                     released: pd.DataFrame | None = None) -> SimpleNamespace:
    """The checks of exercises 4 and 5, and the questionnaire.

    Parameters
    ----------
    train : pandas.DataFrame
        The real rows the synthesizer learnt from (half of :func:`before_protection`).
    holdout : pandas.DataFrame
        The other half: real rows it never saw.
    fake : pandas.DataFrame
        The synthetic rows.
    released : pandas.DataFrame, optional
        The anonymised release (``data.csv``), for one more typical wrong answer.

    Returns
    -------
    types.SimpleNamespace
        ``exploitation`` (% of women sexually exploited in ``fake``), ``copies`` (% of
        ``fake``'s rows identical to a training row) and ``quiz``.
    """
    women = _exploited(fake, "Female")
    wrong = [Wrong(_exploited(train, "Female"),
                   "that is the real table the synthesizer learnt from (train). The question "
                   "asks about the synthetic table, fake."),
             Wrong(_exploited(fake, "Male"), "that is men. The question asks about women "
                                             "(gender 'Female')."),
             Wrong(_exploited(fake, "Female", recorded=False),
                   "you divided by all women. Some have no type of exploitation recorded: "
                   "divide by the women whose isSexualExploit is recorded (not empty)."),
             Wrong(int(((fake["gender"] == "Female") & (fake["isSexualExploit"] == "1")).sum()),
                   "that is a number of women. The question asks for a percentage."),
             _proportion_of(women)]
    if released is not None:
        wrong.insert(1, Wrong(_exploited(released, "Female"),
                              "that is the anonymised release. The question asks about the "
                              "synthetic table, fake."))

    copies = 100 * exact_copy_share(train, fake)
    yardstick = 100 * exact_copy_share(train, holdout)
    return SimpleNamespace(
        exploitation=Check(
            "Exercise 4: women sexually exploited, in the synthetic table", women,
            tolerance=0.05, wrong=wrong,
            hint="in fake: the women (gender == 'Female') whose isSexualExploit is not "
                 "empty; the share with '1', × 100."),
        copies=Check(
            "Exercise 5: synthetic rows that copy a real row", copies, tolerance=0.05,
            wrong=[Wrong(yardstick,
                         "that is the holdout's figure: real people the synthesizer never "
                         "saw, our yardstick. The question asks about the synthetic rows."),
                   Wrong(abs(yardstick - copies),
                         "that is the difference between the two. Give the synthetic "
                         "table's own percentage."),
                   Wrong(round(copies / 100 * len(fake)),
                         "that is a number of rows. The question asks for a percentage."),
                   _proportion_of(copies)],
            hint="read the row exact_copy_share of ev.to_frame(), column 'synthetic', and "
                 "multiply by 100."),
        quiz=Quiz("Questionnaire", [
            Question("What is the difference between anonymised and synthetic data?",
                     {"a": "there is none: both are the real records",
                      "b": "anonymised: the real records, with identifiers dropped and a few "
                           "details blanked or made coarser; synthetic: made-up records "
                           "drawn from a model of the real ones",
                      "c": "synthetic data are the real records with the names replaced"},
                     "b",
                     {"a": "only anonymised data are the real records; synthetic records "
                           "are made up by a model.",
                      "c": "replacing names is pseudonymisation (lesson 10). Synthetic "
                           "records are made up whole, every column."}),
            Question("An extract has 573 minors; its release counts only 560 in ageBroad. "
                     "Why?",
                     {"a": "some minors' age bands were suppressed: a count from a release "
                           "is a lower bound, so give shares among the known values and say "
                           "how many are suppressed",
                      "b": "the release dropped 13 records",
                      "c": "anonymisation changed some children's ages"}, "a",
                     {"b": "every record is published (records_published in the risk "
                           "report); some cells are blanked.",
                      "c": "local suppression blanks cells; it never changes a value."}),
            Question("3 % of the synthetic rows are identical to a real row. Is that a leak?",
                     {"a": "yes: any copy is a leak",
                      "b": "no: synthetic data never leak",
                      "c": "compare with the holdout: if a fresh sample of real people "
                           "copies as often, the copies come from people being alike, not "
                           "from the synthesizer remembering them"}, "c",
                     {"a": "in a table of a few coarse columns, many real people look the "
                           "same: a fresh sample of real people has copies too.",
                      "b": "a synthesizer can memorise rare people; that is why we compare "
                           "with the holdout."}),
            Question("You added a file of notes to a release folder before sending it. "
                     "What do you do?",
                     {"a": "send it: htwork checked the folder when it made it",
                      "b": "scan the folder again against the extract (htwork scan), and "
                           "remove anything it finds",
                      "c": "rename the file"}, "b",
                     {"a": "the check ran before you added the file: it has never seen "
                           "your notes.",
                      "c": "a new name does not change what the file says."}),
        ]),
    )
