"""Stored views (services.stored_views): a report view-model is built once per state of what it is
built from and read back by the next caller, equal to a fresh build; a change it depends on
builds it again, a change it does not depend on does not; a damaged row is built again. The
storage rules (keep the first row of a key, keep the newest KEPT) run on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from services import reports
from services.answers import save_response
from services.content import get_catalog
from services.context import Context
from services.stored_views import forget_stored_views, stored_view
from storage import stored_views
from storage.tables import StoredViewRow
from tests.finalising import finalise
from tests.ui.dashboard_seed import *  # noqa: F403 - the seeded database fixtures
from tests.ui.dashboard_seed import ADMIN, first_question


def _counting(ctx: Context):
    built = []

    def build():
        built.append(1)
        return reports.enterprise_report.enterprise_context(ctx, ADMIN)

    return built, build


def _rows(ctx: Context) -> int:
    with ctx.read() as session:
        return session.scalar(select(func.count()).select_from(StoredViewRow))


def test_the_second_caller_reads_the_view_the_first_built_equal_to_a_fresh_build(seeded):
    ctx, _ = seeded
    built, build = _counting(ctx)
    first = stored_view(ctx, "enterprise", build)
    second = stored_view(ctx, "enterprise", build)
    assert built == [1] and _rows(ctx) == 1
    assert second == first == reports.enterprise_report.enterprise_context(ctx, ADMIN)
    # Another process (a new Context on the same database) reads it too.
    other = Context(ctx.db, ctx.catalog)
    assert reports.enterprise_context(other, ADMIN) == first and _rows(ctx) == 1


def test_an_autosave_to_a_member_builds_again_and_one_to_a_draft_not_shown_does_not(seeded):
    """North's Q3 draft is not rolled up (North's latest final is Q2): its autosave keeps the
    enterprise view; South's answer (a member, final) is a change the view shows."""
    ctx, ids = seeded
    built, build = _counting(ctx)
    question = first_question(get_catalog())
    before = stored_view(ctx, "enterprise", build)
    save_response(ctx, ADMIN, ids.north_q3, question, "OT", {"current": 2}, expected_version=1)
    assert stored_view(ctx, "enterprise", build) == before and built == [1]
    finalise(ctx, ADMIN, ids.north_q3)
    after = stored_view(ctx, "enterprise", build)
    assert built == [1, 1] and after != before
    assert after == reports.enterprise_report.enterprise_context(ctx, ADMIN)


def test_the_site_view_follows_its_own_assessments(seeded):
    ctx, ids = seeded
    north = reports.site_context(ctx, ADMIN, "Plant North")
    assert reports.site_context(ctx, ADMIN, "Plant North") == north
    finalise(ctx, ADMIN, ids.north_q3)
    moved = reports.site_context(ctx, ADMIN, "Plant North")
    assert moved.meta.as_of > north.meta.as_of  # the new final is the site's result now
    assert reports.site_context(ctx, ADMIN, "Plant North", include_draft=True) == moved


def test_a_new_day_builds_again_since_the_report_is_dated(seeded):
    ctx, _ = seeded
    today = datetime(2026, 12, 5, 9, tzinfo=UTC)
    built, _ = _counting(ctx)
    for day in (today, today + timedelta(hours=3), today + timedelta(days=1)):
        dated = Context(ctx.db, ctx.catalog, clock=lambda day=day: day)
        stored_view(dated, "enterprise", lambda dated=dated: built.append(1)
                    or reports.enterprise_report.enterprise_context(dated, ADMIN))
    assert built == [1, 1]


def test_a_damaged_row_is_built_again_and_logged(seeded, caplog):
    ctx, _ = seeded
    built, build = _counting(ctx)
    first = stored_view(ctx, "enterprise", build)
    with ctx.write() as session:
        session.execute(update(StoredViewRow).values(payload=b"not a view"))
    with caplog.at_level(logging.WARNING, logger="services.stored_views"):
        assert stored_view(ctx, "enterprise", build) == first
    assert built == [1, 1] and "does not decode" in caplog.text


def test_forgetting_stored_views_builds_again(seeded):
    ctx, _ = seeded
    built, build = _counting(ctx)
    stored_view(ctx, "enterprise", build)
    assert forget_stored_views(ctx) == 1 and _rows(ctx) == 0
    stored_view(ctx, "enterprise", build)
    assert built == [1, 1]


def test_storage_keeps_the_first_row_of_a_key_and_the_newest_rows(db):
    now = datetime(2026, 12, 5, tzinfo=UTC)
    with db.write() as session:
        stored_views.put(session, "k0", "site", b"first", now)
        stored_views.put(session, "k0", "site", b"second", now + timedelta(seconds=1))
        assert stored_views.get(session, "k0") == b"first"
        for n in range(1, stored_views.KEPT + 3):
            stored_views.put(session, f"k{n}", "enterprise", b"x", now + timedelta(minutes=n))
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(StoredViewRow)) == stored_views.KEPT
        assert stored_views.get(session, "k0") is None and stored_views.get(session, "k1") is None
        assert stored_views.get(session, f"k{stored_views.KEPT + 2}") == b"x"


def test_the_workbook_of_a_view_is_rendered_once_per_state(seeded, monkeypatch):
    """`scorecard report --enterprise --format xlsx` twice renders once; after a change the view
    shows, it renders again. The assessment report (not a site or enterprise view) is not kept."""
    ctx, ids = seeded
    rendered = []
    real = reports.render
    monkeypatch.setattr(reports, "render", lambda *args, **kw: rendered.append(args[2]) or real(*args, **kw))
    first = reports.report(ctx, ADMIN, "xlsx", enterprise=True)
    assert reports.report(ctx, ADMIN, "xlsx", enterprise=True) == first and rendered == ["xlsx"]
    reports.report(ctx, ADMIN, "xlsx", site="Plant North")
    reports.report(ctx, ADMIN, "xlsx", site="Plant North")
    assert rendered == ["xlsx", "xlsx"]
    finalise(ctx, ADMIN, ids.north_q3)
    reports.report(ctx, ADMIN, "xlsx", enterprise=True)
    reports.report(ctx, ADMIN, "xlsx", assessment_id=ids.south_q3)
    reports.report(ctx, ADMIN, "xlsx", assessment_id=ids.south_q3)
    assert rendered == ["xlsx"] * 5
