"""Project-wide fixtures. Package-specific fixtures live in each tests/<package>/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.scheduling import SharedSetupScheduling, in_schedule_order

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
CHROMIUM = "/usr/bin/chromium-headless-shell"
"""Debian's headless shell of the chromium package's release (same engine): the browser tests
drive it rather than full Chromium in headless mode, which spends about a third more CPU per page
load of the app. Reports draw their charts with full Chromium (exports/chart_browser.py)."""
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORT = {"width": 1440, "height": 900}


def pytest_xdist_make_scheduler(config: pytest.Config, log) -> SharedSetupScheduling:
    """Work units that keep shared set-ups on one worker, longest first (tests/scheduling.py)."""
    return SharedSetupScheduling(config, log)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest units first, in every process (the workers' order is the one xdist schedules)."""
    items[:] = in_schedule_order(items)


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """Chromium's headless shell (`CHROMIUM`) driven by Playwright, one per test session (browser tests of
    tests/ui/browser and tests/security share it: a second sync Playwright cannot start)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextmanager
def browser_context(chromium) -> Iterator[object]:
    """A 1440×900 browser context (downloads accepted, 20 s for any wait), closed on exit."""
    context = chromium.new_context(viewport=VIEWPORT, accept_downloads=True)
    context.set_default_timeout(20_000)
    yield context
    context.close()


@contextmanager
def fresh_page(context) -> Iterator[object]:
    """A new page of a context shared between tests, with the context's cookies cleared first (so
    signed out at the app and at any identity provider); closed on exit."""
    context.clear_cookies()
    page = context.new_page()
    yield page
    page.close()


@pytest.fixture
def page(chromium) -> Iterator[object]:
    """A fresh 1440×900 page (its own browser context) per test."""
    with browser_context(chromium) as context:
        yield context.new_page()
