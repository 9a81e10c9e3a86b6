"""The view-model computes every number the reports show (deltas, ages, owners, summary lists)."""

from __future__ import annotations

from datetime import date

import pytest

from exports.builder import age_band, build_context, finding_for, period_label
from exports.context import Finding
from tests.exports import fixtures


@pytest.fixture(scope="module")
def ctx():
    return fixtures.context("enterprise")


def test_headline_delta_against_latest_earlier_snapshot(ctx):
    assert ctx.headline.previous_label == "2026 Q2"
    assert ctx.headline.previous_verified == 2.1
    assert ctx.headline.delta_verified == pytest.approx(0.31)
    assert ctx.headline.cpg_by_environment == {"IT": 100.0, "OT": 0.0}


def test_trend_ends_with_the_current_scorecard(ctx):
    assert [t.label for t in ctx.trend] == ["2026 Q1", "2026 Q2", "2026 Q3"]
    assert ctx.trend[-1].overall.verified == 2.41
    assert ctx.trend[-1].functions == {"GV": 3.0, "PR": 2.25, "RC": 2.0}


def test_exception_ages_use_the_as_of_date_and_skip_closed(ctx):
    assert [(e.exception_id, e.age_days, e.age_band) for e in ctx.exceptions] == [
        ("EX-1", 425, "over 1 year"), ("EX-2", 152, "91–180 days"), ("EX-3", 29, "0–30 days")]
    assert ctx.exceptions[0].overdue_review and not ctx.exceptions[1].overdue_review


@pytest.mark.parametrize(("days", "band"), [(0, "0–30 days"), (30, "0–30 days"), (31, "31–90 days"),
                                            (90, "31–90 days"), (91, "91–180 days"), (365, "181–365 days"),
                                            (366, "over 1 year")])
def test_age_bands(days, band):
    assert age_band(days) == band


def test_roadmap_takes_owner_from_linked_finding(ctx):
    first, second = ctx.roadmap[0], ctx.roadmap[1]
    assert (first.question_id, first.environment, first.owner, first.due) == ("IAM-01", "OT", "M. Durand", date(2026, 12, 15))
    assert first.cap_reasons and "72.5" in first.cap_reasons[0]
    assert first.consequence == "An attacker walks into the line through a vendor VPN."
    assert (second.question_id, second.owner, second.status) == ("REC-01", "", "open")  # env-less finding covers IT
    assert ctx.roadmap[2].status == "no action yet"


def test_finding_for_prefers_open_findings():
    closed = Finding("1", "old", "Q", "OT", status="closed")
    open_ = Finding("2", "new", "Q", "", status="open")
    assert finding_for((closed, open_), "Q", "OT") is open_
    assert finding_for((closed,), "Q", "OT") is closed
    assert finding_for((closed,), "Q", "IT") is None


def test_metric_rows_carry_rule_previous_and_trend(ctx):
    rows = {m.name: m for m in ctx.metrics}
    access = rows["governed_access_pct"]
    assert (access.value, access.previous, access.trend, access.status) == (72.5, 61.0, "better", "red")
    assert access.rule == "green ≥ 95 %, amber ≥ 80 %"
    assert rows["critical_asset_documentation_pct"].trend == "worse"      # 91 → 88, higher is better
    assert rows["open_high_risk_exceptions"].trend == "better"            # 9 → 7, lower is better
    assert rows["restore_success_pct"].trend == "missing"
    assert access.history == (50.0, 61.0)


def test_executive_summary_lists(ctx):
    assert [i.title for i in ctx.improvements] == [
        "CISA CPG goals implemented up 17 points", "Govern (GV) up 0.50",
        "Remote and privileged access paths fully governed: 61.0 % → 72.5 %"]
    assert [i.title.split(" · ")[0] for i in ctx.risks] == ["IAM-01", "REC-01", "DAT-01"]
    assert "OT verified 2 of target 4; IT verified 3 of target 4" in ctx.risks[0].detail
    assert [d.title for d in ctx.decisions] == [
        "Confirm funding for M. Durand's plan on IAM-01 by 2026-12-15",
        "Assign an owner and budget to close REC-01",
        "Re-accept or retire 2 high-risk exception(s) open over 90 days"]


def test_without_history_strengths_replace_improvements():
    from exports.builder import build_context

    ctx = build_context(fixtures.scorecard(), fixtures.questionnaire(), fixtures.metric_definitions(),
                        fixtures.meta(), metrics=fixtures.metrics())
    assert ctx.headline.delta_verified is None
    assert [i.title for i in ctx.improvements][0] == "Strength: Govern (GV) at 3.00"
    assert len(ctx.trend) == 1


def test_period_label():
    assert period_label(date(2026, 9, 30)) == "2026 Q3"
    assert period_label(date(2026, 1, 1)) == "2026 Q1"


def test_site_rows_delta(ctx):
    assert [(s.name, round(s.delta_verified, 2)) for s in ctx.sites] == [(fixtures.SITE, 0.31), ("Porto Assembly", -0.15)]


def test_rows_follow_framework_document_order_not_dict_order():
    from exports.builder import build_context

    card = fixtures.scorecard()
    shuffled = card.model_copy(update={"functions": dict(reversed(list(card.functions.items())))})
    ctx = build_context(shuffled, fixtures.questionnaire(), fixtures.metric_definitions(), fixtures.meta(),
                        node_order=["GV", "PR", "RC"])
    assert [r.id for r in ctx.functions] == ["GV", "PR", "RC"]
    unordered = build_context(shuffled, fixtures.questionnaire(), fixtures.metric_definitions(), fixtures.meta(),
                              node_order=["RC"])
    assert [r.id for r in unordered.functions] == ["RC", "GV", "PR"]  # unnamed nodes follow, by id


def test_subcategories_titled_by_id_get_their_outcome_text():
    from exports.builder import build_context

    card = fixtures.scorecard()
    node = card.subcategories["GV.OC-01"].model_copy(update={"title": "GV.OC-01"})
    card = card.model_copy(update={"subcategories": {**card.subcategories, "GV.OC-01": node}})
    ctx = build_context(card, fixtures.questionnaire(), fixtures.metric_definitions(), fixtures.meta(),
                        node_text={"GV.OC-01": "The organizational mission is understood", "PR.AA-01": "unused"})
    titles = {r.id: r.title for r in ctx.subcategories}
    assert titles["GV.OC-01"] == "The organizational mission is understood"
    assert titles["PR.AA-01"] == "Identities managed"  # a real title is kept


def test_metric_history_stops_at_the_report_date():
    """An older assessment's report never shows quarters after its own as-of date."""
    later = fixtures.HistoryPoint("2026 Q4", date(2026, 12, 31), fixtures.Score3(3.0, 3.0, 3.5), {}, 50.0,
                                  {"governed_access_pct": 99.0})
    ctx = build_context(fixtures.scorecard(), fixtures.questionnaire(), fixtures.metric_definitions(),
                        fixtures.meta(), metrics=fixtures.metrics(), history=(*fixtures.history(), later))
    access = {m.name: m for m in ctx.metrics}["governed_access_pct"]
    assert access.history == (50.0, 61.0) and access.previous == 61.0
    assert [t.label for t in ctx.trend] == ["2026 Q1", "2026 Q2", "2026 Q3"]


def test_enterprise_rows_name_their_site():
    """Gaps, risks, decisions and owners of a rolled-up scorecard carry the site they belong to."""
    card = fixtures.scorecard()
    gaps = tuple(g.model_copy(update={"site": "Lyon"}) for g in card.gaps)
    card = card.model_copy(update={"gaps": gaps})
    owned = Finding("F-9", "Jump host", gaps[0].question_id, gaps[0].environment, "R. Roy", site="Lyon")
    elsewhere = Finding("F-8", "Other plant", gaps[0].question_id, gaps[0].environment, "X. Other", site="Porto")
    ctx = build_context(card, fixtures.questionnaire(), fixtures.metric_definitions(), fixtures.meta("enterprise"),
                        findings=(elsewhere, owned), site_goals={"Lyon": {"2.0:3.F": "not_implemented"}})
    assert ctx.roadmap[0].site == "Lyon" and ctx.roadmap[0].owner == "R. Roy"  # not the Porto finding
    assert ctx.risks[0].title.startswith(f"Lyon: {gaps[0].question_id} · ")
    assert any(" at Lyon" in d.title for d in ctx.decisions)
    assert all(g.sites == (("Lyon", "not_implemented" if g.id == "2.0:3.F" else "not_assessed"),) for g in ctx.goals)


def test_note_groups_hold_every_note_once_per_question(ctx):
    """Appendix D rows: one group per question in questionnaire order, one line per noted response."""
    groups = {g.question_id: g for g in ctx.note_groups}
    assert [g.question_id for g in ctx.note_groups] == ["GOV-01", "IAM-01", "DAT-01", "REC-01"]
    gov = groups["GOV-01"]
    assert gov.text == "Is OT cyber risk owned by a named executive?"
    assert [(n.environment, n.notes) for n in gov.lines] == [
        ("IT", fixtures.HTML_PAYLOAD), ("OT", fixtures.FORMULA_PAYLOADS[0])]
    assert [(n.environment, n.na_reason) for n in groups["DAT-01"].lines] == [
        ("IT", "Backups are run by the group data centre")]
    noted = [r for r in ctx.responses if r.notes or r.na_reason]
    assert sum(len(g.lines) for g in ctx.note_groups) == len(noted)


def test_finding_for_prefers_actions_still_to_do():
    done = Finding("1", "old", "Q", "OT", status="done")
    doing = Finding("2", "new", "Q", "", status="in_progress")
    assert finding_for((done, doing), "Q", "OT") is doing
    assert finding_for((done,), "Q", "OT") is done


def test_a_due_date_before_the_as_of_date_reads_overdue():
    """On a report dated 2026-09-30, an action due 2026-09-29 is overdue by a day, not 'by 2026-09-29'."""
    late = Finding("F-1", "Jump host", "IAM-01", "OT", "M. Durand", date(2026, 9, 29), "in_progress")
    done = Finding("F-9", "Done long ago", "DAT-01", "", "A. B", date(2026, 1, 1), "done")
    ctx = build_context(fixtures.scorecard(), fixtures.questionnaire(), fixtures.metric_definitions(),
                        fixtures.meta(), metrics=fixtures.metrics(), findings=(late, done))
    assert ctx.meta.as_of == date(2026, 9, 30)
    assert ctx.roadmap[0].question_id == "IAM-01" and ctx.roadmap[0].overdue_days == 1
    assert [f.overdue_days for f in ctx.findings] == [1, None]  # a done action is not overdue
    assert ctx.decisions[0].title == "Confirm funding for M. Durand's plan on IAM-01 overdue by 1 day (due 2026-09-29)"
    assert not any("by 2026-09-29" in d.title.replace("(due 2026-09-29)", "") for d in ctx.decisions)
    on_time = build_context(fixtures.scorecard(), fixtures.questionnaire(), fixtures.metric_definitions(),
                            fixtures.meta(), metrics=fixtures.metrics(),
                            findings=(Finding("F-1", "Jump host", "IAM-01", "OT", "M. Durand", date(2026, 9, 30)),))
    assert on_time.roadmap[0].overdue_days is None  # due on the as-of date itself: not yet late
    assert on_time.decisions[0].title.endswith("IAM-01 by 2026-09-30")


def test_exception_review_dates_read_against_the_as_of_date_of_their_assessment(ctx):
    first = ctx.exceptions[0]
    assert (first.review_date, first.as_of, first.review_overdue_days) == (date(2026, 8, 1), date(2026, 9, 30), 60)
    assert [e.high_risk for e in ctx.exceptions] == [True, True, False]
    assert ctx.decisions[-1].detail == "The oldest has been open 425 days; accepted risk should be re-decided."


def test_the_verdict_is_one_rule_for_pdf_and_dashboard(ctx):
    from exports.verdict import judge
    from services.dashboard import for_environment, verdict

    assert ctx.verdict == judge(ctx.headline, ctx.meta.status) == verdict(ctx)
    assert ctx.verdict.level == "provisional"
    assert ctx.verdict.reasons == ("only 88 % of the 8 applicable answers are in (6 answered, 1 not applicable)",
                                   "the assessment is a draft and may still change")
    ot = for_environment(ctx, "OT")  # narrowed figures, judged by the same rule
    assert ot.verdict == judge(ot.headline, "draft")
