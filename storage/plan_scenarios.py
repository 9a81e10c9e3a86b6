"""Saved what-if plans (named scenarios): which actions a plan includes and its budget ceiling.

A scenario belongs to a subject, "assessment:<id>" or "enterprise", and is found by its name there;
saving under an existing name replaces it. Saving and deleting are audited. A scenario is analysis,
not assessment content: it may be saved for a final assessment too.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from errors import NotFoundError, Problem
from storage import audit
from storage.records import PlanScenario
from storage.tables import PlanScenarioRow

ENTERPRISE = "enterprise"


def subject_of(assessment_id: int | None) -> str:
    """The subject key of an assessment's plans (None: the enterprise's)."""
    return ENTERPRISE if assessment_id is None else f"assessment:{assessment_id}"


def save(session: Session, assessment_id: int | None, name: str, actions: list[int], budget: float | None,
         notes: str, *, user: str, now: datetime) -> PlanScenario:
    subject = subject_of(assessment_id)
    row = session.scalars(select(PlanScenarioRow).where(PlanScenarioRow.subject == subject,
                                                        PlanScenarioRow.name == name)).first()
    old = None if row is None else _values(row)
    if row is None:
        row = PlanScenarioRow(subject=subject, assessment_id=assessment_id, name=name)
        session.add(row)
    row.actions, row.budget, row.notes, row.saved_by, row.saved_at = sorted(actions), budget, notes, user, now
    session.flush()
    audit.record(session, user, now, assessment_id, "plan", f"{subject}/{name}", "create" if old is None else "update",
                 old, _values(row))
    return to_scenario(row)


def list_for(session: Session, assessment_id: int | None) -> list[PlanScenario]:
    rows = session.scalars(select(PlanScenarioRow).where(PlanScenarioRow.subject == subject_of(assessment_id))
                           .order_by(PlanScenarioRow.name))
    return [to_scenario(r) for r in rows]


def remove(session: Session, assessment_id: int | None, name: str, *, user: str, now: datetime) -> None:
    subject = subject_of(assessment_id)
    row = session.scalars(select(PlanScenarioRow).where(PlanScenarioRow.subject == subject,
                                                        PlanScenarioRow.name == name)).first()
    if row is None:
        raise NotFoundError(f"no saved plan '{name}'", [Problem("name", name, "choose one of the saved plans")])
    old = _values(row)
    session.execute(delete(PlanScenarioRow).where(PlanScenarioRow.id == row.id))
    audit.record(session, user, now, assessment_id, "plan", f"{subject}/{name}", "delete", old, None)


def _values(row: PlanScenarioRow) -> dict:
    return {"actions": list(row.actions), "budget": row.budget, "notes": row.notes}


def to_scenario(row: PlanScenarioRow) -> PlanScenario:
    return PlanScenario.model_validate(row)
