"""Issue 11 item 1 against a real server: local mode only where nobody else can ask.

`streamlit run app.py` is started the ways a deployment can go wrong — on every interface, behind a
proxy, under a host name of a rebinding web page, from another working directory whose secrets
file has a typo — and the page in Chromium must be the refusal, naming the real address, header,
host or file line; on IPv6 loopback local mode is served and the banner says where.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.ui.browser.helpers import wait_idle
from tests.ui.browser.server import SCORECARD, app_env, free_port, run_cli, running_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]
REFUSED = "Resilience Scorecard is not available"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An empty database at the head schema; HOME without secrets of its own."""
    tmp = tmp_path_factory.mktemp("exposure")
    values = app_env(f"sqlite:///{tmp / 'scorecard.db'}", HOME=str(tmp))
    run_cli([str(SCORECARD), "db", "upgrade"], values)
    return values


@pytest.fixture(scope="module")
def local_app(env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on 127.0.0.1 (its port in the URL), shared by the tests that change only how a
    request reaches it (each one is refused on its own; nothing is written)."""
    with running_app(env, tmp_path_factory.mktemp("local-app") / "log") as url:
        yield url


@pytest.fixture
def browser_page(chromium) -> Iterator[object]:
    context = chromium.new_context()
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


def _refusal_text(page) -> str:
    """The refusal page's text, once its details (where, what to do) are drawn."""
    page.get_by_text(REFUSED).wait_for()
    page.get_by_text("Details (").wait_for()
    # The expander opens after its summary is drawn: its text counts only once visible.
    page.locator("[data-testid='stExpanderDetails']").first.wait_for(state="visible")
    page.wait_for_function("() => !document.querySelector(\"[data-testid='stStatusWidget']\")")
    return page.locator("[data-testid='stMain']").inner_text()


def test_every_interface_without_sign_in_is_refused(env, browser_page, tmp_path: Path) -> None:
    port = free_port()
    with running_app(env, tmp_path / "log", address="0.0.0.0", port=port) as url:
        browser_page.goto(url)
        text = _refusal_text(browser_page)
    assert REFUSED in text and f"listens on 0.0.0.0:{port} (every network interface)" in text
    assert "Local mode" not in browser_page.inner_text("body")


def test_ipv6_loopback_is_served_and_the_banner_says_where(env, browser_page, tmp_path: Path) -> None:
    port = free_port("::1")
    with running_app(env, tmp_path / "log", address="::1", port=port) as url:
        browser_page.goto(url)
        wait_idle(browser_page)
        banner = browser_page.locator("[data-testid='stSidebar']").inner_text()
    assert f"the server listens only on [::1]:{port}" in banner


def test_a_request_through_a_proxy_is_refused(local_app, chromium) -> None:
    context = chromium.new_context(extra_http_headers={"X-Forwarded-For": "10.20.30.40"})
    try:
        page = context.new_page()
        page.goto(local_app)
        text = _refusal_text(page)
    finally:
        context.close()
    assert REFUSED in text and "came through a proxy (it carries X-Forwarded-For)" in text


def test_a_rebinding_host_name_is_refused(local_app, chromium) -> None:
    """A web page whose host name its DNS now answers with 127.0.0.1 (here: a resolver rule)."""
    browser = chromium.browser_type.launch(executable_path=CHROMIUM, headless=True,
                                           args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP rebound.example 127.0.0.1"])
    try:
        page = browser.new_page()
        page.goto(f"http://rebound.example:{urlparse(local_app).port}")
        text = _refusal_text(page)
    finally:
        browser.close()
    assert REFUSED in text and "addressed to 'rebound.example:" in text


def test_a_typo_in_the_working_directory_secrets_refuses_service(env, browser_page, tmp_path: Path) -> None:
    elsewhere = tmp_path / "service-home"
    secrets = elsewhere / ".streamlit" / "secrets.toml"
    secrets.parent.mkdir(parents=True)
    secrets.write_text('[auth]\nredirect_uri = "https://scorecard.example.com/oauth2callback\ncookie_secret = "x"\n',
                       encoding="utf-8")  # a dropped quote on line 2
    with running_app(env, tmp_path / "log", cwd=elsewhere) as url:
        browser_page.goto(url)
        text = _refusal_text(browser_page)
    assert REFUSED in text and f"{secrets}, line 2, column" in text
