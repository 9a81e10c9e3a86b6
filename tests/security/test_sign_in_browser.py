"""Issue 11 item 2: real sign-in, end to end, in Chromium.

A small OpenID Connect provider (tests/security/oidc_provider.py) runs on 127.0.0.1; the app is
`streamlit run app.py` in shared mode with ``[auth]`` pointing at it and ``[roles]`` naming a
viewer, an assessor of one plant and an admin. Each test signs in through `st.login` as a real
user would (sign-in button → the provider's form → back to the app with a code that the server
exchanges for a signed ID token), then checks that the user sees and can do what the role says
and nothing more, in the page and in the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest

from services.access import local_admin
from services.assessments import create_assessment, load_assessment
from services.audit_log import list_audit
from services.context import Context, get_catalog
from services.sites import add_site, list_sites
from storage.engine import Database
from tests.conftest import browser_context, fresh_page
from tests.security.oidc_provider import OidcProvider
from tests.ui.browser.helpers import wait_idle
from tests.ui.browser.server import SCORECARD, app_env, free_port, run_cli, running_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SETUP = local_admin("setup")
CLIENT_ID, CLIENT_SECRET = "scorecard", "test-client-secret-0f3a"
VIEWER, ASSESSOR, ADMIN = "vera.viewer@example.com", "sam.assessor@example.com", "ada.admin@example.com"
ROLES = f"""
[roles.users."{VIEWER}"]
role = "viewer"
[roles.users."{ASSESSOR}"]
role = "assessor"
sites = ["Plant North"]
[roles.users."{ADMIN}"]
role = "admin"
"""


@dataclass(frozen=True)
class SharedApp:
    url: str
    idp: OidcProvider
    db: Database
    north: int
    south: int


@pytest.fixture(scope="module")
def shared_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SharedApp]:
    """Two plants with a draft each, the provider, and the app signed in through it."""
    tmp = tmp_path_factory.mktemp("sign-in")
    db_url = f"sqlite:///{tmp / 'scorecard.db'}"
    env = app_env(db_url, HOME=str(tmp))  # no ~/.streamlit secrets of the machine
    run_cli([str(SCORECARD), "db", "upgrade"], env)
    db = Database(db_url)
    drafts = {}
    for site in ("Plant North", "Plant South"):
        add_site(Context(db, get_catalog()), SETUP, site, country="DE", criticality="high")
        drafts[site] = create_assessment(Context(db, get_catalog()), SETUP, site=site, scope="IT+OT", as_of=date(2026, 9, 30)).id
    port = free_port()
    redirect = f"http://127.0.0.1:{port}/oauth2callback"
    with OidcProvider(CLIENT_ID, CLIENT_SECRET, [redirect]) as idp:
        secrets = tmp / "secrets.toml"
        secrets.write_text(f"""
[auth]
redirect_uri = "{redirect}"
cookie_secret = "cookie-secret-for-the-sign-in-test-0123456789"
client_id = "{CLIENT_ID}"
client_secret = "{CLIENT_SECRET}"
server_metadata_url = "{idp.issuer}/.well-known/openid-configuration"
{ROLES}""", encoding="utf-8")
        with running_app(env, tmp / "streamlit.log", port=port, options=["--secrets.files", str(secrets)]) as url:
            yield SharedApp(url, idp, db, drafts["Plant North"], drafts["Plant South"])
    db.dispose()


def sign_in(page, app: SharedApp, email: str) -> None:
    """Sign in as `email` through the provider's form, as a person would."""
    page.goto(app.url)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{app.idp.issuer}/authorize*")
    page.fill("input[name=email]", email)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{app.url}/")  # after /oauth2callback: the code was exchanged
    # The provider issued a code for this user and the app's server exchanged it for a token.
    assert app.idp.events[-2:] == [("code", email), ("token", email)], app.idp.events[-3:]


def signed_in(page, app: SharedApp, email: str, role: str) -> None:
    sign_in(page, app, email)
    wait_idle(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text(f"Signed in as {email} · {role}").wait_for()
    assert "Local mode" not in sidebar.inner_text()


@pytest.fixture(scope="module")
def signing_context(chromium) -> Iterator[object]:
    """One browser context for this module's pages: they share its HTTP cache (the app's scripts
    are compiled once)."""
    with browser_context(chromium) as context:
        yield context


@pytest.fixture
def page(signing_context) -> Iterator[object]:
    """A fresh page, signed out: no cookie of the app or of the identity provider."""
    with fresh_page(signing_context) as page:
        yield page


def open_view(page, app: SharedApp, view: str, assessment_id: int) -> None:
    page.goto(f"{app.url}/{view}?assessment={assessment_id}")
    wait_idle(page)


def level_buttons(page):
    """The first question's IT level picker (Current level 0–5, N/A)."""
    return page.locator("[data-testid='stButtonGroup']").first.get_by_role("radio")


def audit_users(app: SharedApp) -> set[str]:
    return {entry.user for entry in list_audit(Context(app.db, get_catalog()), SETUP)}


def test_a_viewer_reads_everything_and_changes_nothing(shared_app, page) -> None:
    signed_in(page, shared_app, VIEWER, "viewer")
    main = page.locator("[data-testid='stMain']")
    assert page.get_by_role("button", name="Create assessment").is_disabled()
    assert main.get_by_text("Add a site (admin)").count() == 0
    open_view(page, shared_app, "questionnaire", shared_app.north)
    page.get_by_text("(viewer) can read this assessment but not change it").wait_for()
    assert all(button.is_disabled() for button in level_buttons(page).all())
    open_view(page, shared_app, "admin", shared_app.north)
    assert page.get_by_role("button", name="Finalise").is_disabled()
    assert page.get_by_role("button", name="Submit for review").is_disabled()
    assert VIEWER not in audit_users(shared_app)


def test_an_assessor_answers_for_the_assigned_plant_only(shared_app, page) -> None:
    signed_in(page, shared_app, ASSESSOR, "assessor")
    open_view(page, shared_app, "questionnaire", shared_app.south)
    page.get_by_text("(assessor) can read this assessment but not change it").wait_for()
    assert all(button.is_disabled() for button in level_buttons(page).all())
    open_view(page, shared_app, "questionnaire", shared_app.north)
    page.get_by_text("0 of ").first.wait_for()
    assert page.get_by_text("can read this assessment but not change it").count() == 0
    level_buttons(page).filter(has_text="2").first.click()
    page.get_by_text("Saved GOV-01 · IT").wait_for()
    saved = {(r.question_id, r.environment): r for r in load_assessment(Context(shared_app.db, get_catalog()), SETUP, shared_app.north).responses}
    assert saved[("GOV-01", "IT")].current == 2 and saved[("GOV-01", "IT")].updated_by == ASSESSOR
    assert not load_assessment(Context(shared_app.db, get_catalog()), SETUP, shared_app.south).responses
    open_view(page, shared_app, "admin", shared_app.north)
    assert page.get_by_role("button", name="Finalise").is_disabled()  # admins only
    assert page.get_by_role("button", name="Submit for review").is_enabled()  # own plant
    page.goto(shared_app.url)
    wait_idle(page)
    assert page.locator("[data-testid='stMain']").get_by_text("Add a site (admin)").count() == 0


def test_an_admin_adds_a_site(shared_app, page) -> None:
    signed_in(page, shared_app, ADMIN, "admin")
    page.get_by_text("Add a site (admin)").click()
    page.get_by_label("Name").fill("Plant East")
    page.get_by_label("Country").fill("PL")
    page.get_by_role("button", name="Add site").click()
    page.get_by_text("Site Plant East added.").wait_for()
    assert "Plant East" in {s.name for s in list_sites(Context(shared_app.db, get_catalog()), SETUP)}
    open_view(page, shared_app, "admin", shared_app.north)
    assert page.get_by_role("checkbox", name="I have reviewed the answers and the evidence").is_enabled()


def test_sign_out_ends_the_session_here_and_at_the_provider(shared_app, page) -> None:
    signed_in(page, shared_app, ADMIN, "admin")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Sign in").wait_for()
    assert shared_app.idp.events[-1][0] == "logout"  # RP-initiated logout at the provider
    page.reload()  # the sign-in cookie is gone, not just this tab's session
    page.get_by_role("button", name="Sign in").wait_for()
    assert page.get_by_text("Signed in as").count() == 0


def test_an_unknown_email_is_refused_clearly(shared_app, page) -> None:
    users_before = audit_users(shared_app)
    sign_in(page, shared_app, "eve@example.com")
    page.get_by_text("eve@example.com has no role in this deployment").wait_for()
    page.get_by_text("ask an admin to add you to the roles configuration").wait_for()
    assert page.get_by_role("link", name="Questionnaire").count() == 0  # no navigation, no data
    assert page.get_by_role("button", name="Sign out").is_visible()  # free to try another account
    assert audit_users(shared_app) == users_before
