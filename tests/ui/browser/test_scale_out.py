"""Scale-out (docs/deployment.md, "Several app processes"): two real app servers — two
`streamlit run app.py` processes, as two units behind the proxy would be — on one PostgreSQL
database. An answer given through one is what the other shows, even though the other had already
drawn (and cached) the same questionnaire page: caches live per process and are keyed by what
the database holds, so no process serves another's stale copy.
"""

from __future__ import annotations

import os
from datetime import date

import pytest

from services.access import local_admin
from services.assessments import create_assessment, load_assessment
from services.context import Context, get_catalog
from services.sites import add_site, ensure_organisation
from storage.engine import Database
from storage.schema import upgrade
from storage.throwaway import fresh_database
from tests.storage.fixtures import DATABASE_PREFIX
from tests.ui.browser.helpers import open_view, wait_idle
from tests.ui.browser.server import app_env, running_app

pytestmark = pytest.mark.browser
ADMIN = local_admin("scale-out-test")


@pytest.fixture
def shared_db_url():
    """An empty PostgreSQL database on the test server, at the head schema, with one plant draft."""
    server = os.environ.get("SCORECARD_TEST_PG_URL")
    if not server:
        pytest.skip("needs the test PostgreSQL server (scripts/test.sh starts one)")
    with fresh_database(server, prefix=DATABASE_PREFIX) as url:
        db = Database(url)
        upgrade(db)
        ctx = Context(db, get_catalog())
        ensure_organisation(ctx, ADMIN, "Two Servers Manufacturing")
        add_site(ctx, ADMIN, "Plant One", country="DE", criticality="high")
        draft = create_assessment(ctx, ADMIN, site="Plant One", scope="IT+OT", as_of=date(2026, 9, 30))
        db.dispose()
        yield url, draft.id


def test_two_app_servers_on_one_database_see_each_others_changes(shared_db_url, page, tmp_path) -> None:
    url, draft = shared_db_url
    env = app_env(url)
    with running_app(env, tmp_path / "first.log") as first, running_app(env, tmp_path / "second.log") as second:
        assert first != second
        open_view(page, second, "questionnaire", draft)  # the second server draws (and caches) it first
        page.get_by_text("0 of 120").first.wait_for()

        open_view(page, first, "questionnaire", draft)
        page.locator("[data-testid='stButtonGroup']").first.get_by_role("radio", name="3", exact=True).click()
        page.get_by_text("IT claims 3").first.wait_for()  # drawn from storage (the "Saved" toast may be gone by now)
        wait_idle(page)
        db = Database(url)
        saved = {(r.question_id, r.environment): r.current
                 for r in load_assessment(Context(db, get_catalog()), ADMIN, draft).responses}
        db.dispose()
        assert saved[("GOV-01", "IT")] == 3

        open_view(page, second, "questionnaire", draft)
        page.get_by_text("1 of 120").first.wait_for()
        page.get_by_text("IT claims 3").wait_for(state="visible")
        chosen = page.locator("[data-testid='stButtonGroup']").first.locator("button[aria-checked='true']")
        assert chosen.inner_text().strip() == "3"
