"""Findings and actions linked to a response (question, optional environment): owner, due date,
status (open → in_progress → done, or accepted as a risk), and what the action promises when done
(level, evidence) with its cost and effort. Versioned like responses.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from errors import ConflictError, NotFoundError, Problem
from storage import audit
from storage.assessments import lock_writable
from storage.records import Finding
from storage.tables import FindingRow

PLAN_FIELDS = ("promises", "evidence_metric", "evidence_value", "cost", "effort_days")
"""What the action promises and costs (storage.records.FindingData)."""
EDITABLE = ("title", "owner", "due_date", "status", "notes", *PLAN_FIELDS)


def add(session: Session, assessment_id: int, *, question_id: str, environment: str | None, title: str, owner: str,
        due_date, status: str = "open", notes: str = "", carried: bool = False, plan: dict[str, Any] | None = None,
        user: str, now: datetime) -> Finding:
    """Add a finding; `plan` holds any of PLAN_FIELDS (validated by the caller)."""
    lock_writable(session, assessment_id)
    row = FindingRow(assessment_id=assessment_id, question_id=question_id, environment=environment, title=title,
                     owner=owner, due_date=due_date, status=status, notes=notes, carried=carried, version=1,
                     updated_by=user, updated_at=now, **_plan_values(plan or {}))
    session.add(row)
    session.flush()
    audit.record(session, user, now, assessment_id, "finding", _key(row), "carry" if carried else "create", None,
                 {f: getattr(row, f) for f in EDITABLE})
    return to_finding(row)


def change(session: Session, assessment_id: int, finding_id: int, changes: dict[str, Any], *,
           expected_version: int, user: str, now: datetime) -> Finding:
    lock_writable(session, assessment_id)
    row = session.get(FindingRow, finding_id)
    if row is None or row.assessment_id != assessment_id:
        raise NotFoundError(f"no finding {finding_id} in assessment {assessment_id}")
    changes = {f: [_plain(p) for p in v] if f == "promises" else v for f, v in changes.items()}
    old = {f: getattr(row, f) for f in changes}
    changed = {f: v for f, v in changes.items() if old[f] != v}
    if not changed:
        return to_finding(row)
    result = session.execute(update(FindingRow).where(FindingRow.id == finding_id, FindingRow.version == expected_version)
                             .values(**changed, version=FindingRow.version + 1, updated_by=user, updated_at=now))
    if result.rowcount != 1:
        raise ConflictError(f"finding {finding_id} was changed by {row.updated_by} since you loaded it",
                            [Problem(f"finding {finding_id}", "stale version", "reload and apply your change again")])
    audit.record(session, user, now, assessment_id, "finding", _key(row), "update", {f: old[f] for f in changed}, changed)
    session.expire(row)
    return to_finding(session.get(FindingRow, finding_id))


def _plan_values(plan: dict[str, Any]) -> dict[str, Any]:
    """The plan columns of a row; promises as plain JSON lists (storage.records.Promise fields)."""
    values = {f: plan.get(f) for f in PLAN_FIELDS}
    values["promises"] = [_plain(p) for p in plan.get("promises") or ()]
    return values


def _plain(promise) -> dict[str, Any]:
    return promise.model_dump() if hasattr(promise, "model_dump") else dict(promise)


def list_for(session: Session, assessment_id: int) -> list[Finding]:
    return list_for_many(session, [assessment_id])[assessment_id]


def list_for_many(session: Session, assessment_ids: Collection[int]) -> dict[int, list[Finding]]:
    """Each assessment's findings (oldest first), read in one query."""
    out: dict[int, list[Finding]] = {i: [] for i in assessment_ids}
    for row in session.scalars(select(FindingRow).where(FindingRow.assessment_id.in_(out)).order_by(FindingRow.id)):
        out[row.assessment_id].append(to_finding(row))
    return out


def _key(row: FindingRow) -> str:
    return f"{row.question_id}/{row.environment or '*'}#{row.id}"


def to_finding(row: FindingRow) -> Finding:
    return Finding.model_validate(row)
