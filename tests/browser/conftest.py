"""A JupyterLab on 127.0.0.1 and Debian's Chromium driven by Playwright, for the browser test.

The server runs on a copy of the course (``tutorials/``, ``datasets/``, ``synthetic/``) in a
temporary folder, with the course's JupyterLab settings (``tools/jupyterlab/``), a random free
port and a random token. Chromium starts with an empty profile, no background services, and a
host resolver that knows only 127.0.0.1; every request the page makes to another host is
refused and recorded, so a test can assert there was none. Playwright never downloads a
browser: it drives ``/usr/bin/chromium`` (``.ci/run`` installs it with apt).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Lab:
    """A running JupyterLab: where it is, and the folder it serves."""

    url: str
    token: str
    root: Path
    log: Path

    def tree(self, path: str) -> str:
        """The address that opens ``path`` (relative to the root) in JupyterLab."""
        return f"{self.url}/lab/tree/{path}?token={self.token}"


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Lab:
    """JupyterLab serving a copy of the course, on 127.0.0.1 only."""
    base = tmp_path_factory.mktemp("lab")
    root = base / "htwork"
    for folder in ("tutorials", "datasets", "synthetic"):
        shutil.copytree(REPO / folder, root / folder)
    settings = base / "user-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # every cell in the page (no virtual scrolling), so that the test can read every output
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ)
    for name in ("MPLBACKEND", "HTWORK_NO_PROGRESS", "TQDM_DISABLE"):
        env.pop(name, None)  # as on a trainee's laptop: inline charts, progress widgets
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    for name, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                      ("JUPYTER_DATA_DIR", "data")):
        env[name] = str(base / sub)
    args = [sys.executable, str(Path(__file__).with_name("_serve.py")), "--no-browser",
            "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
            f"--LabApp.app_settings_dir={REPO / 'tools' / 'jupyterlab'}",
            f"--LabApp.user_settings_dir={base / 'user-settings'}",
            f"--LabApp.workspaces_dir={base / 'workspaces'}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")
    log = base / "jupyterlab.log"
    with open(log, "w") as out:
        server = subprocess.Popen(args, env=env, cwd=root, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("JupyterLab did not start:\n" + log.read_text()) from None
                time.sleep(0.5)
        yield Lab(url, token, root, log)
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()


@dataclass
class Browser:
    """A Chromium page, and the requests it tried to send off the machine."""

    page: object
    blocked: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser(lab, tmp_path_factory):
    """Chromium (Debian's) through Playwright, with an empty profile, talking to 127.0.0.1 only."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), (
        "the browser test needs Debian's Chromium at /usr/bin/chromium: apt-get install "
        "chromium (.ci/run does it)")
    profile = tmp_path_factory.mktemp("chromium-profile")  # empty user-data-dir
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 900}, service_workers="block")
        seen = Browser(page=None)

        def only_loopback(route) -> None:
            url = route.request.url
            host = urlparse(url).hostname
            if url.startswith(("data:", "blob:")) or host == "127.0.0.1":
                route.continue_()
            else:
                seen.blocked.append(url)
                route.abort()

        context.route("**/*", only_loopback)
        seen.page = context.pages[0] if context.pages else context.new_page()
        seen.page.set_default_timeout(60_000)
        try:
            yield seen
        finally:
            context.close()
