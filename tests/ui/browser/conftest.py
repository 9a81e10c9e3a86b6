"""Real-browser fixtures: one prepared database and one `streamlit run app.py` per test session,
driven by Playwright on the system Chromium (never a downloaded browser).

- `browser_db_url`: a temp SQLite file, `scorecard db upgrade`, then `scorecard demo load` (the
  demo organisation: sites, quarterly assessments, evidence), prepared once per session.
- `app_url`: the app started headless on a free port against that database; stopped at the end.
- `page`: a fresh 1440×900 browser page per test (one Chromium per session).

Tests that need rows of their own add them through the services with `browser_ctx` (the same
database the app reads), so journeys never depend on which demo rows exist.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.context import Context, get_catalog
from storage.engine import Database

ROOT = Path(__file__).resolve().parents[3]
SCORECARD = Path(sys.executable).with_name("scorecard")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORT = {"width": 1440, "height": 900}
START_TIMEOUT_S = 60


def _env(db_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["SCORECARD_DB_URL"] = db_url
    env.pop("SCORECARD_CONTENT_DIR", None)
    return env


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


@pytest.fixture(scope="session")
def browser_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database at the head schema with the demo organisation loaded."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser-db') / 'scorecard.db'}"
    env = _env(url)
    _run([str(SCORECARD), "db", "upgrade"], env)
    _run([str(SCORECARD), "demo", "load"], env)
    return url


@pytest.fixture(scope="session")
def browser_ctx(browser_db_url: str) -> Iterator[Context]:
    """The services context of that database (the shipped content, as the app uses)."""
    database = Database(browser_db_url)
    yield Context(database, get_catalog())
    database.dispose()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:  # noqa: S310 - local URL
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit did not answer within {START_TIMEOUT_S} s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def app_url(browser_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
               "--server.address", "127.0.0.1", "--server.port", str(port),
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=_env(browser_db_url), stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, tmp_path: Path) -> Iterator[object]:
    context = chromium.new_context(viewport=VIEWPORT, accept_downloads=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    context.close()
