"""The first workshop day as a trainee lives it: learner copies in JupyterLab, in Chromium.

Lessons 1, 6 and 7 (learner copies) are opened in a real JupyterLab, run with *Run → Run All
Cells*, and read back from the page: no error and nothing on the red ``stderr`` background
(progress bars included), every unanswered exercise showing its "not answered yet" hint. In
lesson 1 one right and one wrong answer are typed into exercise cells; in lessons 6 and 7
earlier cells are run again after Run All (checks, the release cell); lesson 6's what-if
widget is used; lesson 7's chart must be an image. Screenshots go to each test's temporary
folder (``screenshots/``).
"""

from __future__ import annotations

import re
import time

import nbformat
import pytest

from htwork.tutor.learner import SOLUTION_HEADER

pytestmark = [pytest.mark.browser, pytest.mark.slow]

STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
RUN_ALL_TIMEOUT = 600


def open_lesson(browser, lab, path: str):
    """Open ``path`` alone (a fresh workspace); wait until every cell is on the page and the
    kernel is idle."""
    page = browser.page
    cells = len(nbformat.read(lab.root / path, as_version=4).cells)
    page.goto(lab.tree(path).replace("?token=", "?reset&token="))
    _wait(page, f"() => document.querySelectorAll('.jp-Notebook .jp-Cell').length === {cells}",
          120, f"the {cells} cells of {path}")
    _wait(page, "() => /Python 3.*\\|\\s*Idle/.test("
                "document.getElementById('jp-main-statusbar')?.textContent ?? '')",
          180, "the kernel to start")
    return page


def _wait(page, js: str, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not page.evaluate(js):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.5)


def _prompts(page) -> list[str]:
    return page.evaluate("() => [...document.querySelectorAll("
                         "'.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')]"
                         ".map(e => e.textContent.trim())")


def run_all(page) -> None:
    """*Run → Run All Cells*, as a trainee does, and wait until every code cell has run."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    deadline = time.monotonic() + RUN_ALL_TIMEOUT
    while True:
        prompts = _prompts(page)
        if prompts and all(re.fullmatch(r"\[\d+\]:", p) for p in prompts):
            break
        if time.monotonic() > deadline:
            raise AssertionError(f"Run All did not finish: prompts {prompts}")
        time.sleep(1)
    _wait(page, "() => document.querySelector('.jp-Notebook-ExecutionIndicator')"
                "?.getAttribute('data-status') === 'idle'", 60, "the kernel to be idle")


def code_cell(page, source_part: str):
    """The code cell whose source contains ``source_part`` (exactly one), by its place in the
    notebook, so that it stays the same cell when its source is edited."""
    found = page.evaluate(
        "part => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')]"
        ".map((c, i) => [i, c.querySelector('.cm-content')?.textContent ?? ''])"
        ".filter(([i, text]) => text.includes(part)).map(([i]) => i)", source_part)
    assert len(found) == 1, f"{len(found)} code cells contain {source_part!r}"
    return page.locator(".jp-Notebook .jp-CodeCell").nth(found[0])


def run_cell(page, cell, new_source: str | None = None) -> str:
    """Run one cell again (after replacing its source); return its output text."""
    editor = cell.locator(".cm-content")
    editor.click()
    if new_source is not None:
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.insert_text(new_source)
    before = cell.locator(".jp-InputArea-prompt").text_content()
    page.keyboard.press("Shift+Enter")
    deadline = time.monotonic() + 180
    while True:
        prompt = cell.locator(".jp-InputArea-prompt").text_content().strip()
        if re.fullmatch(r"\[\d+\]:", prompt) and prompt != before.strip():
            break
        if time.monotonic() > deadline:
            raise AssertionError(f"the cell did not run again (prompt {prompt})")
        time.sleep(0.3)
    return cell.locator(".jp-OutputArea").inner_text()


def no_error_output(page) -> None:
    """Nothing on the red stderr background: no traceback, no warning, no text progress bar."""
    shown = page.locator(STDERR).all_inner_texts()
    assert not shown, f"{len(shown)} red output(s): " + " | ".join(t[:300] for t in shown)
    errors = page.locator(".jp-Notebook .jp-OutputArea-output").filter(
        has_text=re.compile(r"Traceback \(most recent call last\)")).count()
    assert errors == 0


def hints(page) -> int:
    return page.locator(".jp-OutputArea-output", has_text="not answered yet").count()


def shoot(page, tmp_path, name: str, cell=None) -> None:
    folder = tmp_path / "screenshots"
    folder.mkdir(exist_ok=True)
    if cell is not None:
        cell.scroll_into_view_if_needed()
        time.sleep(0.5)
    page.screenshot(path=str(folder / f"{name}.png"))


def test_lesson1_run_all_then_answers(lab, browser, tmp_path):
    page = open_lesson(browser, lab, "tutorials/learner/01-first-steps.ipynb")
    shoot(page, tmp_path, "01-opened")
    run_all(page)
    no_error_output(page)
    assert hints(page) >= 5, "every unanswered exercise (4 and the questionnaire) shows a hint"
    # the solution stays hidden, and its collapsed line gives nothing away
    hidden = page.locator(".jp-Cell .jp-InputPlaceholder .jp-PlaceholderText").all_inner_texts()
    assert len(hidden) >= 5 and all(t.startswith("# Stuck?") for t in hidden), hidden
    # a right answer to exercise 1
    run_cell(page, code_cell(page, "n_records = ..."), "n_records = len(df)")
    check = code_cell(page, "checks.rows(n_records)")
    said = run_cell(page, check)
    assert "right" in said and "Well done" in said, said
    shoot(page, tmp_path, "01-right-answer", check)
    # a wrong answer to exercise 2: a lower-case code
    run_cell(page, code_cell(page, "n_women = ..."),
             'n_women = (df["prs_Gender"] == "female").sum()')
    check = code_cell(page, "checks.women(n_women)")
    said = run_cell(page, check)
    assert "not quite" in said and "capital F" in said, said
    shoot(page, tmp_path, "01-wrong-answer", check)
    no_error_output(page)
    assert not browser.blocked, f"the page tried to leave 127.0.0.1: {browser.blocked}"


def test_lesson6_run_all_what_if_and_rerun(lab, browser, tmp_path):
    page = open_lesson(browser, lab, "tutorials/learner/06-who-could-recognise-this-person.ipynb")
    run_all(page)
    no_error_output(page)
    assert hints(page) >= 7  # exercises 1-5 (4 has two parts) and the questionnaire
    # the what-if is a live widget: a slider for k, a list of age details, key boxes
    what_if = code_cell(page, "lesson06.what_if(d)")
    what_if.locator(".widget-slider").first.wait_for()
    table = what_if.locator(".widget-html table")
    assert "global risk" in table.inner_text()
    before = table.inner_text()
    shoot(page, tmp_path, "06-what-if", what_if)
    what_if.locator(".widget-dropdown select").select_option("child or adult")
    deadline = time.monotonic() + 60
    while table.inner_text() == before:
        assert time.monotonic() < deadline, "the what-if did not update"
        time.sleep(0.3)
    shoot(page, tmp_path, "06-what-if-child-or-adult", what_if)
    # after Run All, the checks of earlier exercises still answer
    said = run_cell(page, code_cell(page, "checks.direct(direct)"))
    assert "not answered yet" in said, said
    said = run_cell(page, code_cell(page, "checks.violations(n_violating)"))
    assert "not answered yet" in said, said
    no_error_output(page)
    assert not browser.blocked, f"the page tried to leave 127.0.0.1: {browser.blocked}"


def test_lesson7_run_all_chart_and_rerun(lab, browser, tmp_path):
    page = open_lesson(browser, lab, "tutorials/learner/07-sharing-safely.ipynb")
    run_all(page)
    no_error_output(page)  # the release's progress bar is a widget, not red text
    assert hints(page) >= 6
    release = code_cell(page, "release(extract")
    assert release.locator(".widget-hprogress").count() >= 1, "no progress widget"
    chart = code_cell(page, "compare.plot.bar")
    image = chart.locator(".jp-OutputArea-output img")
    assert image.count() >= 1, "lesson 7's chart did not render"
    assert image.first.evaluate("img => img.naturalWidth") > 100
    shoot(page, tmp_path, "07-chart", chart)
    # run earlier cells again after Run All: a check, then the release itself
    said = run_cell(page, code_cell(page, "folder_checks.risk(risk_pct)"))
    assert "not answered yet" in said, said
    said = run_cell(page, release)
    assert "release written to" in said, said
    said = run_cell(page, code_cell(page, "folder_checks.suppressed(n_suppressed)"))
    assert "not answered yet" in said, said
    shoot(page, tmp_path, "07-rerun", release)
    no_error_output(page)
    assert (lab.root / "out" / "lesson07" / "release" / "DATASHEET.md").exists()
    assert not browser.blocked, f"the page tried to leave 127.0.0.1: {browser.blocked}"


def test_trainer_copy_reveals_nothing_when_projected(lab, browser, tmp_path):
    """The trainer's copy, run on a projector: solutions stay collapsed behind a line that
    gives nothing away, and the checks confirm answers without showing them."""
    page = open_lesson(browser, lab, "tutorials/01-first-steps.ipynb")
    run_all(page)
    no_error_output(page)
    hidden = page.locator(".jp-Cell .jp-InputPlaceholder .jp-PlaceholderText").all_inner_texts()
    assert len(hidden) == 5 and set(hidden) == {SOLUTION_HEADER}, hidden
    shown = page.locator(".jp-Notebook").inner_text()
    for solution in ("n_records = len(df)", '"prs_Gender"] == "Female"', 'answers = {1: "b"'):
        assert solution not in shown, f"a solution is on the screen: {solution}"
    said = code_cell(page, "checks.rows(n_records)").locator(".jp-OutputArea").inner_text()
    assert "right" in said and "5000" not in said and "5,000" not in said, said
    shoot(page, tmp_path, "01-trainer-copy", code_cell(page, "checks.rows(n_records)"))
    assert not browser.blocked, f"the page tried to leave 127.0.0.1: {browser.blocked}"
