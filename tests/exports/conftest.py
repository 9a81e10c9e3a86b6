"""Renders shared by the export tests: each PDF is made once per session (Chromium + weasyprint)."""

from __future__ import annotations

import pytest

from exports.pdf import render_report
from tests.exports import fixtures


@pytest.fixture(scope="session")
def site_report():
    return render_report(fixtures.context("site", "draft"), "a4")


@pytest.fixture(scope="session")
def letter_final_report():
    return render_report(fixtures.context("site", "final"), "letter")


@pytest.fixture(scope="session")
def enterprise_report():
    return render_report(fixtures.context("enterprise", "in_review"), "a4")


from tests.services.fixtures import *  # noqa: E402, F403  (`ctx`: that database with the mini content)
from tests.storage.fixtures import *  # noqa: E402, F403  (the `db` fixture for the service tests)


@pytest.fixture(scope="session")
def demo_reports(tmp_path_factory):
    """The demo organisation (scale 0.05) in a SQLite file: its URL, and the report contexts of the
    enterprise and of one plant (Lakeside Components), built once for the deck, OSCAL and
    consistency tests (which only read them)."""
    from demo.loader import load_demo
    from services import reports
    from services.access import Actor
    from services.context import Context, get_catalog
    from storage.engine import Database
    from storage.schema import upgrade

    admin, catalog = Actor(user="ada", role="admin", all_sites=True), get_catalog()
    url = f"sqlite:///{tmp_path_factory.mktemp('demo-reports') / 'demo.db'}"
    db = Database(url)
    upgrade(db)
    ctx = Context(db, catalog)
    load_demo(ctx, admin, scale=0.05)
    contexts = {"enterprise": reports.enterprise_context(ctx, admin),
                "plant": reports.site_context(ctx, admin, "Lakeside Components")}
    yield url, contexts
    db.dispose()
