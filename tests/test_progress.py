"""Progress bars: a widget in Jupyter, text on a terminal, nothing anywhere else."""

from __future__ import annotations

import io

import pytest

from htwork import progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def no_env(monkeypatch):
    monkeypatch.delenv("HTWORK_NO_PROGRESS", raising=False)
    monkeypatch.delenv("TQDM_DISABLE", raising=False)
    monkeypatch.setattr(progress, "in_notebook", lambda: False)


def _run(bar) -> None:
    for _ in range(3):
        bar.update()
    bar.close()


def test_quiet_when_stderr_is_not_a_terminal(no_env, monkeypatch):
    err = io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    for wanted in (None, True):
        bar = progress.progress_bar(3, desc="step", progress=wanted)
        assert bar.disable
        _run(bar)
    assert err.getvalue() == ""


def test_text_bar_on_a_terminal(no_env, monkeypatch):
    err = _Terminal()
    monkeypatch.setattr("sys.stderr", err)
    bar = progress.progress_bar(3, desc="release", unit="step")
    assert not bar.disable
    _run(bar)
    assert "release" in err.getvalue() and "3/3" in err.getvalue()


def test_false_and_the_environment_turn_it_off(no_env, monkeypatch):
    err = _Terminal()
    monkeypatch.setattr("sys.stderr", err)
    assert progress.progress_bar(3, progress=False).disable
    monkeypatch.setenv("HTWORK_NO_PROGRESS", "1")
    assert progress.progress_bar(3).disable            # the default follows the variable
    assert not progress.progress_bar(3, progress=True).disable  # asked for explicitly
    _run(progress.progress_bar(3))
    assert err.getvalue().count("3/3") == 0


def test_a_widget_in_a_notebook(no_env, monkeypatch):
    from tqdm.notebook import tqdm_notebook

    monkeypatch.setattr(progress, "in_notebook", lambda: True)
    bar = progress.progress_bar(3, desc="release")
    assert isinstance(bar, tqdm_notebook)  # ipywidgets, not text on stderr
    _run(bar)


def test_not_a_notebook_outside_a_kernel():
    assert progress.in_notebook() is False
