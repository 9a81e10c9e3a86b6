"""Target overrides: an agreed target level per (question, environment) with a due date.

They win over the target typed in a response when scoring. Setting `target=None` removes one.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage import audit
from storage.assessments import lock_writable
from storage.records import TargetOverride
from storage.responses import key
from storage.tables import TargetOverrideRow


def set_target(session: Session, assessment_id: int, question_id: str, environment: str, target: int | None,
               *, due_date: date | None, reason: str, user: str, now: datetime) -> TargetOverride | None:
    lock_writable(session, assessment_id)
    row = session.scalars(select(TargetOverrideRow).where(
        TargetOverrideRow.assessment_id == assessment_id, TargetOverrideRow.question_id == question_id,
        TargetOverrideRow.environment == environment)).first()
    old = None if row is None else _values(row)
    if target is None:
        if row is not None:
            session.execute(delete(TargetOverrideRow).where(TargetOverrideRow.id == row.id))
            audit.record(session, user, now, assessment_id, "target", key(question_id, environment), "delete", old, None)
        return None
    if row is None:
        row = TargetOverrideRow(assessment_id=assessment_id, question_id=question_id, environment=environment)
        session.add(row)
    row.target, row.due_date, row.reason, row.carried, row.set_by, row.set_at = target, due_date, reason, False, user, now
    session.flush()
    new = _values(row)
    if new != old:
        audit.record(session, user, now, assessment_id, "target", key(question_id, environment),
                     "create" if old is None else "update", old, new)
    return to_override(row)


def list_for(session: Session, assessment_id: int) -> list[TargetOverride]:
    return list_for_many(session, [assessment_id])[assessment_id]


def list_for_many(session: Session, assessment_ids: Collection[int]) -> dict[int, list[TargetOverride]]:
    """Each assessment's overrides (by question, environment), read in one query."""
    out: dict[int, list[TargetOverride]] = {i: [] for i in assessment_ids}
    rows = session.scalars(select(TargetOverrideRow).where(TargetOverrideRow.assessment_id.in_(out))
                           .order_by(TargetOverrideRow.question_id, TargetOverrideRow.environment))
    for row in rows:
        out[row.assessment_id].append(to_override(row))
    return out


def insert_many(session: Session, assessment_id: int, items: list[TargetOverride], *, user: str, now: datetime,
                carried: bool) -> None:
    """Add overrides in bulk (copy-forward, bundle import), each audited."""
    for item in items:
        values = item.model_dump()
        if carried:
            values.update(carried=True, set_by=user, set_at=now)
        session.add(TargetOverrideRow(assessment_id=assessment_id, **values))
        audit.record(session, user, now, assessment_id, "target", key(item.question_id, item.environment),
                     "carry" if carried else "create", None,
                     {"target": item.target, "due_date": item.due_date, "reason": item.reason})
    session.flush()


def _values(row: TargetOverrideRow) -> dict:
    return {"target": row.target, "due_date": row.due_date, "reason": row.reason}


def to_override(row: TargetOverrideRow) -> TargetOverride:
    return TargetOverride.model_validate(row)
