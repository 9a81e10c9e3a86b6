"""What the enterprise view keeps per process: each member's parts (services.member_parts) and the
trend (services.kept_trend). After one member's autosave the enterprise view-model is rebuilt from
the other members' kept parts and that member's new ones, and equals a build from nothing; a change
to a member's actions reaches the plan; a changed snapshot reaches the trend."""

from __future__ import annotations

from datetime import date

from scoring.projection import Projector
from services import enterprise_report, kept_trend, member_parts, plans
from services.answers import add_finding, save_response
from services.assessments import create_assessment, reopen_assessment
from services.content import get_catalog
from services.context import Context
from services.enterprise_members import choose_members
from services.sites import add_site
from tests.finalising import finalise
from tests.ui.dashboard_seed import *  # noqa: F403 - the seeded database fixtures
from tests.ui.dashboard_seed import ADMIN, Q3, first_question


def _parts(ctx: Context) -> dict[str, member_parts.MemberParts]:
    with ctx.read() as session:
        members, _, _ = choose_members(session)
        return member_parts.parts_of(session, members, ctx.catalog)


def _cold(ctx: Context):
    member_parts.forget_member_parts()
    return enterprise_report.enterprise_context(ctx, ADMIN)


def _east_draft(ctx, environment: str) -> tuple[int, str]:
    """A new site, Plant East, whose only assessment is a draft with its first question answered
    (level 1) in `environment`: (the draft's id, that question)."""
    add_site(ctx, ADMIN, "Plant East", country="PL", criticality="high")
    east = create_assessment(ctx, ADMIN, site="Plant East", scope="IT+OT", as_of=Q3).id
    question = first_question(get_catalog())
    save_response(ctx, ADMIN, east, question, environment, {"current": 1}, expected_version=0)
    return east, question


def test_after_a_members_autosave_only_that_member_is_built_again_and_the_view_equals_a_cold_build(seeded):
    """Plant East has only a draft, so the draft is its member: each autosave to it is a change
    the enterprise view shows."""
    ctx, _ = seeded
    east, question = _east_draft(ctx, "IT")
    before = enterprise_report.enterprise_context(ctx, ADMIN)
    kept = _parts(ctx)

    save_response(ctx, ADMIN, east, question, "IT", {"current": 4}, expected_version=1)
    after = enterprise_report.enterprise_context(ctx, ADMIN)
    now = _parts(ctx)
    assert now["Plant East"] is not kept["Plant East"]
    assert all(now[label] is part for label, part in kept.items() if label != "Plant East")
    east_site = next(s for s in after.sites if s.name == "Plant East")
    assert east_site.overall.claimed != next(s for s in before.sites if s.name == "Plant East").overall.claimed
    assert after == _cold(ctx)


def test_a_new_action_on_a_member_reaches_the_enterprise_plan(seeded):
    ctx, _ = seeded
    east, question = _east_draft(ctx, "OT")
    before = enterprise_report.enterprise_context(ctx, ADMIN)
    add_finding(ctx, ADMIN, east, question_id=question, environment="OT", title="Segment the OT network",
                owner="East lead", due_date=date(2026, 12, 31),
                plan={"promises": f"{question} OT 3"})
    after = enterprise_report.enterprise_context(ctx, ADMIN)
    titles = {a.title for a in after.plan.actions}
    assert "Segment the OT network" in titles and "Segment the OT network" not in {a.title for a in before.plan.actions}
    assert after == _cold(ctx)


def test_the_kept_trend_follows_every_snapshot_even_one_finalised_again_after_a_reopen(seeded):
    """The trend's snapshots are kept while none changes (services.kept_trend). The enterprise-wide
    Q2 assessment (not a member: Q3 is) reopened, changed and finalised again has the same id, site,
    status and date but a new snapshot: the Q2 point of the trend moves, the members do not."""
    ctx, ids = seeded
    question = first_question(get_catalog())
    before = enterprise_report.enterprise_context(ctx, ADMIN)
    reopen_assessment(ctx, ADMIN, ids.enterprise_q2, reason="wrong level")
    save_response(ctx, ADMIN, ids.enterprise_q2, question, "IT", {"current": 0}, expected_version=1)
    finalise(ctx, ADMIN, ids.enterprise_q2)
    after = enterprise_report.enterprise_context(ctx, ADMIN)
    assert after.trend[0] != before.trend[0] and after.trend[-1] == before.trend[-1]
    kept_trend.forget_kept_trends()
    assert after == _cold(ctx)


def test_the_enterprise_plan_page_scores_with_the_members_kept_variants(seeded):
    """plans.projector (the plan page's what-if) uses the Variants the enterprise report keeps and
    projects as a Projector that scores every member afresh."""
    ctx, _ = seeded
    enterprise_report.enterprise_context(ctx, ADMIN)
    plan = plans.projector(ctx, ADMIN, enterprise=True)
    assert all(plan.variants(label) is part.variants for label, part in _parts(ctx).items())
    fresh = Projector(list(plan.subjects.values()), plan.actions, today=plan.today, enterprise=True)
    assert plan.values() == fresh.values()
