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
from tests.services.helpers import ADMIN, ASSESSOR, CATALOG, VIEWER, plant_with_assessment

PLAN = {"promises": "ACC-01 OT → 4; GOV-01 4", "evidence_metric": "governed_access_pct", "evidence_value": "95",
        "cost": "40,000", "effort_days": 12}


def answered(db):
    a = plant_with_assessment(db)
    for question, env, level in (("GOV-01", "IT", 2), ("GOV-01", "OT", 2), ("ACC-01", "IT", 3), ("ACC-01", "OT", 1)):
        answers.save_response(ADMIN, a.id, question, env, {"current": level}, expected_version=0, catalog=CATALOG, db=db)
    return a


def test_an_action_promises_levels_and_evidence(db) -> None:
    a = answered(db)
    action = answers.add_finding(ASSESSOR, a.id, question_id="ACC-01", environment="OT", title="Jump host for vendors",
                                 owner="OT lead", due_date=date(2026, 9, 30), plan=PLAN, catalog=CATALOG, db=db)
    assert [(p.question_id, p.environment, p.level) for p in action.promises] == [("ACC-01", "OT", 4), ("GOV-01", None, 4)]
    assert (action.evidence_metric, action.evidence_value, action.cost, action.effort_days) == (
        "governed_access_pct", 95.0, 40000.0, 12.0)
    changed = answers.update_finding(ADMIN, a.id, action.id, {"cost": 35000, "status": "In progress"},
                                     expected_version=1, catalog=CATALOG, db=db)
    assert (changed.cost, changed.status, changed.version, changed.promises) == (35000.0, "in_progress", 2, action.promises)
    assert [e.action for e in list_audit(ADMIN, assessment_id=a.id, db=db) if e.entity == "finding"] == ["create", "update"]


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
def test_every_bad_value_is_refused_and_nothing_saved(db, plan, message) -> None:
    a = answered(db)
    with pytest.raises(ScorecardError) as raised:
        answers.add_finding(ADMIN, a.id, question_id="ACC-01", environment="OT", title="t", owner="o", plan=plan,
                            catalog=CATALOG, db=db)
    assert message in str(raised.value)
    assert load_assessment(ADMIN, a.id, db=db).findings == ()


def test_an_action_environment_must_be_in_scope(db) -> None:
    a = plant_with_assessment(db, scope="IT")
    with pytest.raises(ScorecardError, match="not in the assessment's scope IT"):
        answers.add_finding(ADMIN, a.id, question_id="GOV-01", environment="OT", title="t", owner="o", catalog=CATALOG,
                            db=db)


def test_target_due_date_is_audited_carried_forward_and_refused_when_final(db) -> None:
    a = answered(db)
    set_ = plan_edits.set_target_due(ASSESSOR, a.id, date(2027, 6, 30), db=db)
    assert set_.target_due_date == date(2027, 6, 30)
    entry = [e for e in list_audit(ADMIN, assessment_id=a.id, db=db) if e.entity == "target"][-1]
    assert (entry.action, entry.new_value) == ("due date", {"due_date": "2027-06-30"})
    answers.add_finding(ADMIN, a.id, question_id="ACC-01", environment="OT", title="Jump host", owner="o",
                        due_date=date(2026, 9, 30), plan=PLAN, catalog=CATALOG, db=db)
    with pytest.raises(PermissionDeniedError):
        plan_edits.set_target_due(VIEWER, a.id, None, db=db)
    finalize_assessment(ADMIN, a.id, catalog=CATALOG, db=db)
    with pytest.raises(ReadOnlyError):
        plan_edits.set_target_due(ADMIN, a.id, None, db=db)
    copy = copy_assessment(ADMIN, a.id, as_of=date(2026, 6, 30), catalog=CATALOG, db=db)
    assert copy.target_due_date == date(2027, 6, 30)
    (carried,) = load_assessment(ADMIN, copy.id, db=db).findings
    assert (carried.promises, carried.cost, carried.evidence_metric, carried.carried) == (
        load_assessment(ADMIN, a.id, db=db).findings[0].promises, 40000.0, "governed_access_pct", True)


def test_the_stored_plan_projects_through_the_engine(db) -> None:
    a = answered(db)
    plan_edits.set_target_due(ADMIN, a.id, date(2026, 12, 31), db=db)
    answers.add_finding(ADMIN, a.id, question_id="ACC-01", environment="OT", title="Jump host", owner="o",
                        due_date=date(2026, 9, 30), plan={"promises": "ACC-01 OT 4"}, catalog=CATALOG, db=db)
    answers.add_finding(ADMIN, a.id, question_id="GOV-01", environment=None, title="Register", owner="o",
                        due_date=date(2026, 2, 28), plan={"promises": "GOV-01 4", "status": "in_progress"},
                        catalog=CATALOG, db=db)
    projection = plans.project(ADMIN, a.id, catalog=CATALOG, db=db)
    assert projection.today == date(2026, 3, 31)
    assert [(x.state, x.counts_on) for x in projection.actions] == [
        ("scheduled", date(2026, 9, 30)), ("slipped", date(2026, 5, 1))]  # 31 days late: counted 31 days after today
    assert [p.label for p in projection.points] == ["today", "2026 Q2", "2026 Q3"]
    today = reports.assessment_context(ADMIN, a.id, catalog=CATALOG, db=db)
    assert projection.points[0].verified == today.headline.overall.verified
    assert projection.points[-1].verified > projection.points[0].verified
    (overall,) = projection.targets
    assert (overall.due, overall.status) == (date(2026, 12, 31), "off_track")
    assert today.plan.headline.due == today.headline.target_due == date(2026, 12, 31)
    assert {r.target_due for r in today.responses} == {date(2026, 12, 31)}


def test_saved_plans_replace_by_name_and_need_write_rights(db) -> None:
    a = answered(db)
    first = plan_edits.save_scenario(ASSESSOR, a.id, "  Budget   2027 ", [3, 1], budget=50000, db=db)
    assert isinstance(first, PlanScenario) and (first.name, first.actions, first.budget) == ("Budget 2027", (1, 3), 50000)
    plan_edits.save_scenario(ASSESSOR, a.id, "Budget 2027", [2], db=db)
    plan_edits.save_scenario(ASSESSOR, a.id, "Everything", [1, 2, 3], db=db)
    assert [(s.name, s.actions) for s in plan_edits.list_scenarios(VIEWER, a.id, db=db)] == [
        ("Budget 2027", (2,)), ("Everything", (1, 2, 3))]
    with pytest.raises(PermissionDeniedError):
        plan_edits.save_scenario(VIEWER, a.id, "Mine", [1], db=db)
    with pytest.raises(PermissionDeniedError, match="enterprise"):
        plan_edits.save_scenario(ASSESSOR, None, "Group", [1], db=db)
    with pytest.raises(ScorecardError, match="not saved"):
        plan_edits.save_scenario(ADMIN, a.id, "   ", [1], db=db)
    plan_edits.save_scenario(ADMIN, None, "Group", [1], db=db)
    assert [s.subject for s in plan_edits.list_scenarios(ADMIN, None, db=db)] == ["enterprise"]
    plan_edits.delete_scenario(ASSESSOR, a.id, "Everything", db=db)
    assert [s.name for s in plan_edits.list_scenarios(ADMIN, a.id, db=db)] == ["Budget 2027"]
    finalize_assessment(ADMIN, a.id, catalog=CATALOG, db=db)
    plan_edits.save_scenario(ASSESSOR, a.id, "After finalising", [1], db=db)  # analysis, not content
    assert [e.action for e in list_audit(ADMIN, assessment_id=a.id, db=db) if e.entity == "plan"] == [
        "create", "update", "create", "delete", "create"]
