"""Action plans through the services: actions that promise a level, the target's due date, saved
what-if plans, copy-forward, and the projection of a stored assessment (mini content)."""

from __future__ import annotations

from datetime import date

import pytest

from errors import PermissionDeniedError, ReadOnlyError, ScorecardError
from services import answers, plan_edits, plans, reports
from services.assessments import copy_assessment, finalize_assessment, load_assessment
from services.audit_log import list_audit
from storage.records import PlanScenario
from tests.services.helpers import ADMIN, ASSESSOR, VIEWER, plant_with_assessment

PLAN = {"promises": "ACC-01 OT → 4; GOV-01 4", "evidence_metric": "governed_access_pct", "evidence_value": "95",
        "cost": "40,000", "effort_days": 12}


def answered(db, ctx):
    a = plant_with_assessment(ctx)
    for question, env, level in (("GOV-01", "IT", 2), ("GOV-01", "OT", 2), ("ACC-01", "IT", 3), ("ACC-01", "OT", 1)):
        answers.save_response(ctx, ADMIN, a.id, question, env, {"current": level}, expected_version=0)
    return a


def test_an_action_promises_levels_and_evidence(db, ctx) -> None:
    a = answered(db, ctx)
    action = answers.add_finding(ctx, ASSESSOR, a.id, question_id="ACC-01", environment="OT", title="Jump host for vendors",
                                 owner="OT lead", due_date=date(2026, 9, 30), plan=PLAN)
    assert [(p.question_id, p.environment, p.level) for p in action.promises] == [("ACC-01", "OT", 4), ("GOV-01", None, 4)]
    assert (action.evidence_metric, action.evidence_value, action.cost, action.effort_days) == (
        "governed_access_pct", 95.0, 40000.0, 12.0)
    changed = answers.update_finding(ctx, ADMIN, a.id, action.id, {"cost": 35000, "status": "In progress"},
                                     expected_version=1)
    assert (changed.cost, changed.status, changed.version, changed.promises) == (35000.0, "in_progress", 2, action.promises)
    assert [e.action for e in list_audit(ctx, ADMIN, assessment_id=a.id) if e.entity == "finding"] == ["create", "update"]


@pytest.mark.parametrize(("plan", "message"), [
    ({"promises": "ACC-02 IT 4"}, "does not apply to IT"),
    ({"promises": "NOPE-1 4"}, "unknown question 'NOPE-1'"),
    ({"promises": "GOV-01 IT 6"}, "'GOV-01 IT 6' is not a promise"),
    ({"promises": "GOV-01 4; GOV-01 IT 3"}, "promised twice"),
    ({"evidence_metric": "governed_access_pct"}, "needs the value it will reach"),
    ({"evidence_value": 80}, "a promised value needs its metric"),
    ({"evidence_metric": "governed_access_pct", "evidence_value": 120}, "more than 100 %"),
    ({"evidence_metric": "unicorns", "evidence_value": 1}, "'unicorns' is not a metric"),
    ({"cost": "-5"}, "'-5' is not a number of 0 or more"),
    ({"cost": "lots"}, "'lots' is not a number"),
    ({"status": "later"}, "'later' is not a status"),
    ({"due_date": "31/12/2026"}, "'31/12/2026' is not a date"),
    ({"colour": "red"}, "not a field of an action"),
])
def test_every_bad_value_is_refused_and_nothing_saved(db, ctx, plan, message) -> None:
    a = answered(db, ctx)
    with pytest.raises(ScorecardError) as raised:
        answers.add_finding(ctx, ADMIN, a.id, question_id="ACC-01", environment="OT", title="t", owner="o", plan=plan)
    assert message in str(raised.value)
    assert load_assessment(ctx, ADMIN, a.id).findings == ()


def test_an_action_environment_must_be_in_scope(db, ctx) -> None:
    a = plant_with_assessment(ctx, scope="IT")
    with pytest.raises(ScorecardError, match="not in the assessment's scope IT"):
        answers.add_finding(ctx, ADMIN, a.id, question_id="GOV-01", environment="OT", title="t", owner="o")


def test_target_due_date_is_audited_carried_forward_and_refused_when_final(db, ctx) -> None:
    a = answered(db, ctx)
    set_ = plan_edits.set_target_due(ctx, ASSESSOR, a.id, date(2027, 6, 30))
    assert set_.target_due_date == date(2027, 6, 30)
    entry = [e for e in list_audit(ctx, ADMIN, assessment_id=a.id) if e.entity == "target"][-1]
    assert (entry.action, entry.new_value) == ("due date", {"due_date": "2027-06-30"})
    answers.add_finding(ctx, ADMIN, a.id, question_id="ACC-01", environment="OT", title="Jump host", owner="o",
                        due_date=date(2026, 9, 30), plan=PLAN)
    with pytest.raises(PermissionDeniedError):
        plan_edits.set_target_due(ctx, VIEWER, a.id, None)
    finalize_assessment(ctx, ADMIN, a.id)
    with pytest.raises(ReadOnlyError):
        plan_edits.set_target_due(ctx, ADMIN, a.id, None)
    copy = copy_assessment(ctx, ADMIN, a.id, as_of=date(2026, 6, 30))
    assert copy.target_due_date == date(2027, 6, 30)
    (carried,) = load_assessment(ctx, ADMIN, copy.id).findings
    assert (carried.promises, carried.cost, carried.evidence_metric, carried.carried) == (
        load_assessment(ctx, ADMIN, a.id).findings[0].promises, 40000.0, "governed_access_pct", True)


def test_the_stored_plan_projects_through_the_engine(db, ctx) -> None:
    a = answered(db, ctx)
    plan_edits.set_target_due(ctx, ADMIN, a.id, date(2026, 12, 31))
    answers.add_finding(ctx, ADMIN, a.id, question_id="ACC-01", environment="OT", title="Jump host", owner="o",
                        due_date=date(2026, 9, 30), plan={"promises": "ACC-01 OT 4"})
    answers.add_finding(ctx, ADMIN, a.id, question_id="GOV-01", environment=None, title="Register", owner="o",
                        due_date=date(2026, 2, 28), plan={"promises": "GOV-01 4", "status": "in_progress"})
    projection = plans.project(ctx, ADMIN, a.id)
    assert projection.today == date(2026, 3, 31)
    assert [(x.state, x.counts_on) for x in projection.actions] == [
        ("scheduled", date(2026, 9, 30)), ("slipped", date(2026, 5, 1))]  # 31 days late: counted 31 days after today
    assert [p.label for p in projection.points] == ["today", "2026 Q2", "2026 Q3"]
    today = reports.assessment_context(ctx, ADMIN, a.id)
    assert projection.points[0].verified == today.headline.overall.verified
    assert projection.points[-1].verified > projection.points[0].verified
    (overall,) = projection.targets
    assert (overall.due, overall.status) == (date(2026, 12, 31), "off_track")
    assert today.plan.headline.due == today.headline.target_due == date(2026, 12, 31)
    assert {r.target_due for r in today.responses} == {date(2026, 12, 31)}


def test_saved_plans_replace_by_name_and_need_write_rights(db, ctx) -> None:
    a = answered(db, ctx)
    first = plan_edits.save_scenario(ctx, ASSESSOR, a.id, "  Budget   2027 ", [3, 1], budget=50000)
    assert isinstance(first, PlanScenario) and (first.name, first.actions, first.budget) == ("Budget 2027", (1, 3), 50000)
    plan_edits.save_scenario(ctx, ASSESSOR, a.id, "Budget 2027", [2])
    plan_edits.save_scenario(ctx, ASSESSOR, a.id, "Everything", [1, 2, 3])
    assert [(s.name, s.actions) for s in plan_edits.list_scenarios(ctx, VIEWER, a.id)] == [
        ("Budget 2027", (2,)), ("Everything", (1, 2, 3))]
    with pytest.raises(PermissionDeniedError):
        plan_edits.save_scenario(ctx, VIEWER, a.id, "Mine", [1])
    with pytest.raises(PermissionDeniedError, match="enterprise"):
        plan_edits.save_scenario(ctx, ASSESSOR, None, "Group", [1])
    with pytest.raises(ScorecardError, match="not saved"):
        plan_edits.save_scenario(ctx, ADMIN, a.id, "   ", [1])
    plan_edits.save_scenario(ctx, ADMIN, None, "Group", [1])
    assert [s.subject for s in plan_edits.list_scenarios(ctx, ADMIN, None)] == ["enterprise"]
    plan_edits.delete_scenario(ctx, ASSESSOR, a.id, "Everything")
    assert [s.name for s in plan_edits.list_scenarios(ctx, ADMIN, a.id)] == ["Budget 2027"]
    finalize_assessment(ctx, ADMIN, a.id)
    plan_edits.save_scenario(ctx, ASSESSOR, a.id, "After finalising", [1])  # analysis, not content
    assert [e.action for e in list_audit(ctx, ADMIN, assessment_id=a.id) if e.entity == "plan"] == [
        "create", "update", "create", "delete", "create"]
