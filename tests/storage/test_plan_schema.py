"""Revision 0005: findings stored before it keep their data and read as actions that promise
nothing yet; assessments have no target due date until one is set; saved plans go with a deleted
assessment."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import inspect, text

from storage import assessments, findings, plan_scenarios
from storage.engine import Database
from storage.schema import current_revision, head_revision, upgrade

NOW = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


def test_upgrade_from_0003_keeps_findings(empty_url: str) -> None:
    db = Database(empty_url)
    upgrade(db, "0003")
    assert "plan_scenarios" not in inspect(db.engine).get_table_names()
    with db.engine.begin() as connection:
        connection.execute(text("INSERT INTO organisations (id, name, created_at) VALUES (1, 'Acme', :t)"), {"t": NOW})
        connection.execute(text(
            "INSERT INTO assessments (id, uid, organisation_id, site_id, title, scope, as_of, assessor, questionnaire_id,"
            " questionnaire_version, framework_versions, status, created_by, created_at)"
            " VALUES (1, 'u-1', 1, NULL, 'Q1', 'IT', :d, 'ana', 'q', '1', '{}', 'draft', 'ana', :t)"),
            {"d": date(2026, 3, 31), "t": NOW})
        connection.execute(text(
            "INSERT INTO findings (id, assessment_id, question_id, environment, title, owner, due_date, status, notes,"
            " carried, version, updated_by, updated_at)"
            " VALUES (1, 1, 'GOV-01', 'IT', 'Owners', 'ops', :d, 'open', '', :f, 1, 'ana', :t)"),
            {"d": date(2026, 6, 30), "t": NOW, "f": False})
    upgrade(db)
    assert current_revision(db) == head_revision()  # through 0005 (plans) and on
    with db.read() as session:
        (finding,) = findings.list_for(session, 1)
        assert (finding.title, finding.promises, finding.evidence_metric, finding.cost, finding.effort_days) == (
            "Owners", (), None, None, None)
        assert assessments.get(session, 1).target_due_date is None
    with db.write() as session:
        assessments.set_target_due(session, 1, date(2027, 6, 30), "ana", NOW)
        plan_scenarios.save(session, 1, "Budget", [1], 1000.0, "", user="ana", now=NOW)
        assessments.delete(session, 1, "ana", NOW, "test")
    with db.read() as session:
        assert plan_scenarios.list_for(session, 1) == []
    db.dispose()
