"""services.dashboard and services.trend_comparisons against a real seeded SQLite database
(tests/ui/dashboard_seed.py: uniform answer levels, so every expected score is known by hand)."""

from __future__ import annotations

from datetime import date

import pytest

from errors import ScorecardError
from services import dashboard, trend_comparisons, view_versions
from services.answers import save_response
from services.content import get_catalog
from tests.exports import fixtures
from tests.finalising import finalise
from tests.ui.dashboard_seed import *  # noqa: F403 - the seeded database fixtures
from tests.ui.dashboard_seed import ADMIN, FINDING_OWNER, first_question


def test_data_version_moves_with_every_write(seeded):
    ctx, ids = seeded
    before = dashboard.data_version(ctx)
    save_response(ctx, ADMIN, ids.north_q3, first_question(get_catalog()), "OT", {"current": 2}, expected_version=1)
    after_answer = dashboard.data_version(ctx)
    assert after_answer[0] > before[0]
    finalise(ctx, ADMIN, ids.north_q3)
    after_final = dashboard.data_version(ctx)
    assert after_final[0] > after_answer[0] and after_final[1] == before[1] + 1
    assert dashboard.data_version(ctx) == after_final  # reading changes nothing


def test_view_version_moves_only_with_what_the_view_is_built_from(seeded):
    """The dashboard's cache key: an autosave to North's Q3 draft (not rolled up: North's latest
    final is Q2) keeps the enterprise and South keys; it moves the North site view (built from
    North's assessments) and, once the draft is final and rolled up, the enterprise key."""
    ctx, ids = seeded
    question = first_question(get_catalog())
    enterprise = view_versions.view_version(ctx, "enterprise")
    south = view_versions.view_version(ctx, "assessment", assessment_id=ids.south_q3)
    north = view_versions.view_version(ctx, "site", site="Plant North")
    save_response(ctx, ADMIN, ids.north_q3, question, "OT", {"current": 2}, expected_version=1)
    assert view_versions.view_version(ctx, "enterprise") == enterprise
    assert view_versions.view_version(ctx, "assessment", assessment_id=ids.south_q3) == south
    assert view_versions.view_version(ctx, "site", site="Plant North") != north
    finalise(ctx, ADMIN, ids.north_q3)
    assert view_versions.view_version(ctx, "enterprise") != enterprise
    assert view_versions.view_version(ctx, "assessment", assessment_id=ids.south_q3) != south  # an assessment listing changed


def test_enterprise_view_rolls_up_every_site_by_criticality(seeded):
    ctx, _ = seeded
    context = dashboard.dashboard_context(ctx, ADMIN, "enterprise")
    assert context.meta.kind == "enterprise" and context.environments == ("IT", "OT")
    # Q3: enterprise-wide 4.0 (weight 4), North's finalised Q2 2.0 (critical, 4), South 1.0 (medium, 2);
    # North's Q3 is a draft and not rolled up.
    assert context.headline.overall.verified == pytest.approx((4.0 * 4 + 2.0 * 4 + 1.0 * 2) / 10)
    # Q2 of the enterprise trend: enterprise-wide 3.0 and North 2.0 (South had no assessment yet).
    assert context.headline.previous_verified == pytest.approx((3.0 * 4 + 2.0 * 4) / 8)
    assert context.headline.by_environment["OT"].verified == pytest.approx((2.0 * 4 + 1.0 * 2) / 6)
    assert [s.name for s in context.sites] == ["Enterprise-wide (shared IT)", "Plant North", "Plant South"]
    assert "Plant North 2026-09-30 (draft)" in context.meta.basis
    # Gaps name their site; the plants' OT gaps are in the enterprise list.
    assert {g.site for g in context.roadmap} == {"Plant North", "Plant South"}  # shared IT at 4 meets its targets
    assert context.roadmap[0].site == "Plant South"  # level 1: the largest gaps


def test_site_view_is_the_latest_final_assessment_never_a_newer_draft(seeded):
    ctx, ids = seeded
    # North's Q3 is a 8 %-complete draft: the site's result stays its finalised Q2.
    context = dashboard.dashboard_context(ctx, ADMIN, "site", site="Plant North")
    assert context.meta.assessment_id == str(ids.north_q2) and context.meta.status == "final"
    assert not any(t.provisional for t in context.trend)
    assert not context.answer.startswith("Provisional")


def test_a_selected_draft_is_drawn_and_labelled_provisional_and_says_it_is_not_a_result(seeded):
    ctx, ids = seeded
    context = dashboard.dashboard_context(ctx, ADMIN, "assessment", assessment_id=ids.north_q3)
    assert context.meta.status == "draft"
    assert [t.provisional for t in context.trend] == [False, True]
    assert context.answer.startswith("Provisional (draft, 8 % complete): verified 1.00, down 1.00 since 2026 Q2")
    verdict = dashboard.verdict(context)
    assert verdict.level == "incomplete"
    assert any("draft" in r for r in verdict.reasons) and any("applicable answers" in r for r in verdict.reasons)


def test_site_view_without_a_site_is_the_latest_enterprise_wide_assessment(seeded):
    ctx, ids = seeded
    context = dashboard.dashboard_context(ctx, ADMIN, "site", site=None)
    assert context.meta.assessment_id == str(ids.enterprise_q3)


def test_final_complete_assessment_without_evidence_is_provisional(seeded):
    ctx, ids = seeded
    context = dashboard.dashboard_context(ctx, ADMIN, "assessment", assessment_id=ids.south_q3)
    verdict = dashboard.verdict(context)
    assert verdict.level == "provisional"
    assert verdict.reasons == ("only 0 % of answers are checked against evidence",)


def test_environment_filter_keeps_only_that_environment(seeded):
    ctx, ids = seeded
    context = dashboard.dashboard_context(ctx, ADMIN, "assessment", assessment_id=ids.north_q3)
    ot = dashboard.for_environment(context, "OT")
    assert ot.environments == ("OT",)
    assert ot.roadmap and {r.environment for r in ot.roadmap} == {"OT"}
    assert {r.environment for r in ot.responses} == {"OT"}
    assert ot.headline.overall == context.headline.by_environment["OT"]
    # The trend and the change since Q2 are the OT figures, not IT + OT combined.
    assert [t.overall for t in ot.trend] == [t.by_environment["OT"] for t in context.trend]
    assert ot.headline.delta_verified == pytest.approx(
        context.headline.by_environment["OT"].verified - context.trend[0].by_environment["OT"].verified)
    assert dashboard.for_environment(context, None) is context


def test_environment_outside_the_scope_is_refused(seeded):
    ctx, ids = seeded
    context = dashboard.dashboard_context(ctx, ADMIN, "assessment", assessment_id=ids.enterprise_q3)
    with pytest.raises(ScorecardError, match="OT is not in this assessment's scope"):
        dashboard.for_environment(context, "OT")


def test_unknown_view_and_missing_assessment_are_clear_errors(seeded):
    ctx, _ = seeded
    with pytest.raises(ScorecardError, match="unknown dashboard view"):
        dashboard.dashboard_context(ctx, ADMIN, "galaxy")
    with pytest.raises(ScorecardError, match="no assessment selected"):
        dashboard.dashboard_context(ctx, ADMIN, "assessment")


def test_gap_table_names_the_owner_from_the_finding(seeded):
    ctx, ids = seeded
    context = dashboard.dashboard_context(ctx, ADMIN, "assessment", assessment_id=ids.north_q3)
    rows = dashboard.gap_table(context, limit=200)
    first = first_question(get_catalog())
    owned = [r for r in rows if r["Practice"].startswith(f"{first} · ")]
    assert owned and all(r["Owner"] == FINDING_OWNER for r in owned)
    assert all(r["Owner"] == "— no owner —" for r in rows if not r["Practice"].startswith(f"{first} · "))
    # What a CIO acts on comes first: owner, due date, status.
    assert list(rows[0])[:4] == ["Rank", "Owner", "Due", "Status"]
    assert [r["Rank"] for r in rows] == sorted(r["Rank"] for r in rows)


def test_tiles_show_units_status_and_change():
    context = fixtures.context("site", "draft")
    tiles = {t.name: t for t in dashboard.tiles(context)}
    rows = {m.name: m for m in context.metrics}
    assert set(tiles) == set(rows)
    for name, tile in tiles.items():
        m = rows[name]
        assert tile.status == m.status and tile.rule == m.rule
        if m.value is not None and m.previous is not None and abs(m.value - m.previous) >= 0.05:
            unit = " pts" if m.unit == "pct" else ""
            assert tile.change.endswith(unit) and tile.change[0] in "+-"
        if m.value is not None:
            assert tile.history[-1] == m.value


def test_series_of_a_site_the_enterprise_and_the_rollup(seeded):
    ctx, _ = seeded
    enterprise = trend_comparisons.series(ctx, ADMIN, trend_comparisons.ENTERPRISE)
    assert [r.label for r in enterprise.rows] == ["2026 Q2", "2026 Q3"]
    assert [r.overall.verified for r in enterprise.rows] == pytest.approx([3.0, 4.0])
    north = trend_comparisons.series(ctx, ADMIN, "Plant North")
    assert [r.as_of for r in north.rows] == [date(2026, 6, 30)]  # the Q3 draft is not a trend point
    rollup = trend_comparisons.series(ctx, ADMIN, trend_comparisons.ROLLUP)
    # Q3: enterprise-wide 4.0 (weight 4), North's Q2 2.0 (critical, 4), South 1.0 (medium, 2).
    assert rollup.rows[-1].overall.verified == pytest.approx((4 * 4.0 + 4 * 2.0 + 2 * 1.0) / 10)


def test_sites_side_by_side_most_critical_first(seeded):
    ctx, _ = seeded
    rows = trend_comparisons.side_by_side(ctx, ADMIN)
    assert [r.name for r in rows] == ["Enterprise-wide", "Plant North", "Plant South"]
    assert [r.overall.verified for r in rows] == pytest.approx([4.0, 2.0, 1.0])
    assert rows[0].delta_verified == pytest.approx(1.0) and rows[1].delta_verified is None


def test_what_changed_between_two_final_quarters(seeded):
    ctx, ids = seeded
    changes = trend_comparisons.changes_since_previous(ctx, ADMIN, ids.enterprise_q3)
    assert changes.previous_label.startswith("2026 Q2")
    verified = next(c for c in changes.summary if c.item == "Verified maturity")
    assert (verified.before, verified.after, verified.better) == ("3.00", "4.00", True)
    assert changes.responses and all(c.after == "claimed 4, verified 4" and c.better for c in changes.responses)


def test_what_changed_in_a_draft_shows_regressions_and_missing_answers(seeded):
    ctx, ids = seeded
    changes = trend_comparisons.changes_since_previous(ctx, ADMIN, ids.north_q3)
    worse = [c for c in changes.responses if c.better is False]
    missing = [c for c in changes.responses if c.after == "unanswered"]
    assert worse and all(c.before == "claimed 2, verified 2" and c.after == "claimed 1, verified 1" for c in worse)
    assert missing and all(c.better is None for c in missing)


def test_nothing_to_compare_with_for_a_first_assessment(seeded):
    ctx, ids = seeded
    changes = trend_comparisons.changes_since_previous(ctx, ADMIN, ids.south_q3)
    assert changes.previous_label == "" and changes.responses == ()
