"""Real-browser fixtures: one prepared database and one `streamlit run app.py` per test session,
driven by Playwright on Debian's Chromium headless shell (never a downloaded browser).

- `browser_db_url`: a temp SQLite file, `scorecard db upgrade`, then `scorecard demo load` (the
  demo organisation: sites, quarterly assessments, evidence), prepared once per session.
- `app_url`: the app started headless on a free port against that database; stopped at the end.
- `page`: a fresh 1440×900 browser page per test, in one browser context per session (one
  Chromium per session, tests/conftest.py).

Tests that need rows of their own add them through the services with `browser_ctx` (the same
database the app reads), so journeys never depend on which demo rows exist.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from services.context import Context, get_catalog
from storage.engine import Database
from tests.conftest import browser_context, fresh_page
from tests.ui.browser.server import SCORECARD, app_env, run_cli, running_app

# `chromium` and `page` are in tests/conftest.py: one Playwright per test session, shared with
# tests/security (a second sync Playwright cannot start while the first runs).


@pytest.fixture(scope="session")
def browser_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database at the head schema with the demo organisation loaded."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser-db') / 'scorecard.db'}"
    env = app_env(url)
    run_cli([str(SCORECARD), "db", "upgrade"], env)
    run_cli([str(SCORECARD), "demo", "load"], env)
    return url


@pytest.fixture(scope="session")
def browser_ctx(browser_db_url: str) -> Iterator[Context]:
    """The services context of that database (the shipped content, as the app uses)."""
    database = Database(browser_db_url)
    yield Context(database, get_catalog())
    database.dispose()


@pytest.fixture(scope="session")
def app_url(browser_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    with running_app(app_env(browser_db_url), log) as url:
        yield url


@pytest.fixture(scope="session")
def shared_context(chromium) -> Iterator[object]:
    """One browser context for every page of these tests. Its pages share one HTTP cache, so the
    app's scripts are fetched and compiled once, not once per test (about a quarter of a page
    load's browser time). A fresh page is a fresh app session (Streamlit keeps a session per page
    connection, server-side); cookies are cleared before each test all the same."""
    with browser_context(chromium) as context:
        yield context


@pytest.fixture
def page(shared_context) -> Iterator[object]:
    """A fresh 1440×900 page per test, in the shared context (overrides tests/conftest.py's page,
    which gives each test a context of its own)."""
    with fresh_page(shared_context) as page:
        yield page
