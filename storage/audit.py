"""The audit log: every change to a response, target, status, finding or evidence, with the old
value, the new value, the user and the time. Written in the same transaction as the change, so a
change without its audit row (or the reverse) cannot be committed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from storage.records import AuditEntry
from storage.tables import AuditRow


def audit_values(
    user: str,
    at: datetime,
    assessment_id: int | None,
    entity: str,
    entity_key: str,
    action: str,
    old: Any = None,
    new: Any = None,
) -> dict[str, Any]:
    """One audit row as a dict for bulk inserts; `old`/`new` are any JSON-able values (dates
    included), stored as canonical JSON text by the column type."""
    return {
        "at": at,
        "user": user,
        "assessment_id": assessment_id,
        "entity": entity,
        "entity_key": entity_key,
        "action": action,
        "old_value": old,
        "new_value": new,
    }


def record(session: Session, *args: Any, **kwargs: Any) -> None:
    """Write one audit row (arguments as `audit_values`)."""
    session.execute(insert(AuditRow), [audit_values(*args, **kwargs)])


def record_many(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(AuditRow), rows)


def list_entries(
    session: Session,
    *,
    assessment_id: int | None = None,
    entity: str | None = None,
    limit: int | None = None,
) -> list[AuditEntry]:
    """Audit entries, oldest first, optionally for one assessment and/or one kind of entity."""
    query = select(AuditRow).order_by(AuditRow.id)
    if assessment_id is not None:
        query = query.where(AuditRow.assessment_id == assessment_id)
    if entity is not None:
        query = query.where(AuditRow.entity == entity)
    if limit is not None:
        query = query.order_by(None).order_by(AuditRow.id.desc()).limit(limit)
    rows = session.scalars(query).all()
    if limit is not None:
        rows = list(reversed(rows))
    return [to_entry(r) for r in rows]


def to_entry(row: AuditRow) -> AuditEntry:
    return AuditEntry.model_validate(row)
