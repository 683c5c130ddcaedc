"""Suite-wide set-up for tests and notebooks: no network but loopback, headless plots, markers."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests import netblock

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("HTWORK_NO_PROGRESS", "1")
os.environ.setdefault("TQDM_DISABLE", "1")

# Notebook kernels are separate processes: give them an IPython profile whose start-up file
# installs the same block. nbval starts kernels with this environment.
_ipython_dir = Path(tempfile.mkdtemp(prefix="htwork-ipython-"))
_startup = _ipython_dir / "profile_default" / "startup"
_startup.mkdir(parents=True)
shutil.copy(Path(__file__).parent / "tests" / "netblock.py", _startup / "00-htwork-netblock.py")
os.environ["IPYTHONDIR"] = str(_ipython_dir)

netblock.install()

REPO = Path(__file__).resolve().parent


_LESSON = re.compile(r"^(?:tutorials/(?:learner/)?|tests/tutor/test_rerun\.py::.*\[)(\d\d)-")


def _scope(nodeid: str) -> str:
    """Which tests run in one process, one after the other, when the suite runs on several
    (``make test``: ``pytest -n auto``): a lesson's teacher copy, its learner copy and the
    re-run test of that copy, since all write the lesson's ``out/lessonNN`` folder; otherwise
    each file (a notebook's cells share one kernel; a test file its module fixtures)."""
    lesson = _LESSON.match(nodeid)
    return f"lesson{lesson.group(1)}" if lesson else nodeid.split("::", 1)[0]


@pytest.hookimpl(optionalhook=True)  # plain pytest runs without pytest-xdist too
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """pytest-xdist's scheduler by scope (as ``--dist loadfile``), with the scopes of
    :func:`_scope`; ``--dist each`` or ``worksteal`` keep their own."""
    from xdist.scheduler import LoadScopeScheduling

    if config.getvalue("dist") not in ("load", "loadfile", "loadscope"):
        return None

    class ByFileAndLesson(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _scope(nodeid)

    return ByFileAndLesson(config, log)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every notebook cell (nbval items) ``notebook``: ``-m "not notebook"`` leaves them."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.notebook)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives Debian's Chromium against a local JupyterLab (Playwright)")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's root folder."""
    return REPO
