"""Responses: one row per (assessment, question, environment), with an optimistic version.

`save` is the autosave path: the caller passes the version it last read (0 when it saw no row);
the UPDATE only matches that version, so a stale write changes nothing and is refused with a
ConflictError naming who changed the response and when. `save_many` is the file-import path
(last writer wins, every change audited). Both refuse final assessments (`lock_writable`).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from errors import ConflictError, Problem
from storage import audit
from storage.assessments import lock_writable
from storage.records import StoredResponse
from storage.tables import ResponseRow

FIELDS = ("current", "na", "na_reason", "target", "notes", "flagged")
DEFAULTS: dict[str, Any] = {"current": None, "na": False, "na_reason": "", "target": None, "notes": "", "flagged": False}


def key(question_id: str, environment: str) -> str:
    return f"{question_id}/{environment}"


def save(
    session: Session,
    assessment_id: int,
    question_id: str,
    environment: str,
    changes: dict[str, Any],
    *,
    expected_version: int,
    user: str,
    now: datetime,
) -> StoredResponse:
    """Apply `changes` (a subset of FIELDS) if the stored version is still `expected_version`."""
    lock_writable(session, assessment_id)
    where = (
        (ResponseRow.assessment_id == assessment_id)
        & (ResponseRow.question_id == question_id)
        & (ResponseRow.environment == environment)
    )
    row = session.scalars(select(ResponseRow).where(where)).first()
    if row is None:
        if expected_version != 0:
            raise _conflict(question_id, environment, "it no longer exists", "")
        values = {**DEFAULTS, **changes}
        try:
            with session.begin_nested():
                session.execute(insert(ResponseRow), [_new_row(assessment_id, question_id, environment, values, user, now)])
        except IntegrityError:
            raise _conflict(question_id, environment, "someone else answered it first", "") from None
        audit.record(session, user, now, assessment_id, "response", key(question_id, environment), "create", None, values)
        return get(session, assessment_id, question_id, environment)
    old = {f: getattr(row, f) for f in changes}
    changed = {f: v for f, v in changes.items() if old[f] != v}
    if row.version != expected_version:
        raise _conflict(question_id, environment, f"{row.updated_by} changed it at {row.updated_at:%Y-%m-%d %H:%M:%S} UTC",
                        f"your copy is version {expected_version}, the stored one is {row.version}")
    if not changed:
        return _to_response(row)
    result = session.execute(
        update(ResponseRow)
        .where(ResponseRow.id == row.id, ResponseRow.version == expected_version)
        .values(**changed, version=ResponseRow.version + 1, updated_by=user, updated_at=now, carried=False)
    )
    if result.rowcount != 1:  # changed between our read and our write (PostgreSQL READ COMMITTED)
        raise _conflict(question_id, environment, "someone changed it while you were saving", "")
    audit.record(session, user, now, assessment_id, "response", key(question_id, environment), "update",
                 {f: old[f] for f in changed}, changed)
    session.expire(row)
    return get(session, assessment_id, question_id, environment)


def save_many(session: Session, assessment_id: int, items: list[dict[str, Any]], *, user: str, now: datetime,
              carried: bool = False) -> int:
    """Write many responses at once (file import, copy-forward); return how many changed.

    Each item has question_id, environment and any of FIELDS; missing fields keep their stored
    value (or the default for a new response). Changed rows get version + 1 and an audit entry.
    A carried item may name its original `updated_by` and `updated_at`: the new row keeps that
    credit until someone edits or confirms it (the audit entry names `user`, who carried it).
    """
    lock_writable(session, assessment_id)
    existing = {(r.question_id, r.environment): r for r in
                session.scalars(select(ResponseRow).where(ResponseRow.assessment_id == assessment_id))}
    inserts, audits, changed_count = [], [], 0
    for item in items:
        qid, env = item["question_id"], item["environment"]
        changes = {f: item[f] for f in FIELDS if f in item}
        row = existing.get((qid, env))
        if row is None:
            values = {**DEFAULTS, **changes}
            credit = (item.get("updated_by", user), item.get("updated_at", now)) if carried else (user, now)
            inserts.append(_new_row(assessment_id, qid, env, values, *credit, carried=carried))
            audits.append(audit.audit_values(user, now, assessment_id, "response", key(qid, env),
                                             "carry" if carried else "create", None, values))
            changed_count += 1
            continue
        changed = {f: v for f, v in changes.items() if getattr(row, f) != v}
        if changed:
            audits.append(audit.audit_values(user, now, assessment_id, "response", key(qid, env), "import",
                                             {f: getattr(row, f) for f in changed}, changed))
            for field, value in changed.items():
                setattr(row, field, value)
            row.version, row.updated_by, row.updated_at, row.carried = row.version + 1, user, now, False
            changed_count += 1
    if inserts:
        session.execute(insert(ResponseRow), inserts)
    audit.record_many(session, audits)
    session.flush()
    return changed_count


def confirm(session: Session, assessment_id: int, pairs: list[tuple[str, str]], *, user: str,
            now: datetime) -> int:
    """Confirm carried answers unchanged: each of `pairs` (question id, environment) that is still
    carried stops being carried and is credited to `user` (version + 1, audited as "confirm").
    Pairs not carried (already confirmed or edited, or never answered) are left alone. Returns how
    many were confirmed."""
    lock_writable(session, assessment_id)
    wanted = set(pairs)
    rows = [r for r in session.scalars(select(ResponseRow).where(ResponseRow.assessment_id == assessment_id,
                                                                  ResponseRow.carried.is_(True)))
            if (r.question_id, r.environment) in wanted]
    audits = []
    for row in rows:
        audits.append(audit.audit_values(user, now, assessment_id, "response", key(row.question_id, row.environment),
                                         "confirm", {"carried": True, "updated_by": row.updated_by},
                                         {"carried": False}))
        row.carried, row.version, row.updated_by, row.updated_at = False, row.version + 1, user, now
    audit.record_many(session, audits)
    session.flush()
    return len(rows)


def list_for(session: Session, assessment_id: int, *, lock: bool = False) -> list[StoredResponse]:
    """The assessment's responses; `lock` holds them (FOR UPDATE on PostgreSQL) until the end of a
    write transaction, so an import that compares and then writes cannot revert a save made between."""
    if not lock:
        return list_for_many(session, [assessment_id])[assessment_id]
    query = (select(ResponseRow).where(ResponseRow.assessment_id == assessment_id)
             .order_by(ResponseRow.question_id, ResponseRow.environment).with_for_update())
    return [_to_response(r) for r in session.scalars(query)]


def list_for_many(session: Session, assessment_ids: Collection[int]) -> dict[int, list[StoredResponse]]:
    """Each assessment's responses (by question, environment), read in one query."""
    out: dict[int, list[StoredResponse]] = {i: [] for i in assessment_ids}
    query = (select(ResponseRow).where(ResponseRow.assessment_id.in_(out))
             .order_by(ResponseRow.question_id, ResponseRow.environment))
    for row in session.scalars(query):
        out[row.assessment_id].append(_to_response(row))
    return out


def find(session: Session, assessment_id: int, question_id: str, environment: str) -> StoredResponse | None:
    """One response, or None when it has not been answered yet."""
    row = session.scalars(select(ResponseRow).where(
        ResponseRow.assessment_id == assessment_id, ResponseRow.question_id == question_id,
        ResponseRow.environment == environment)).first()
    return None if row is None else _to_response(row)


def get(session: Session, assessment_id: int, question_id: str, environment: str) -> StoredResponse:
    row = session.scalars(select(ResponseRow).where(
        ResponseRow.assessment_id == assessment_id, ResponseRow.question_id == question_id,
        ResponseRow.environment == environment).execution_options(populate_existing=True)).one()
    return _to_response(row)


def _new_row(assessment_id, question_id, environment, values, user, now, carried=False) -> dict[str, Any]:
    return {"assessment_id": assessment_id, "question_id": question_id, "environment": environment,
            **{f: values[f] for f in FIELDS}, "carried": carried, "version": 1, "updated_by": user, "updated_at": now}


def _conflict(question_id: str, environment: str, what: str, detail: str) -> ConflictError:
    return ConflictError(
        f"your change to {question_id} ({environment}) was not saved: {what}",
        [Problem(key(question_id, environment), detail or "the response changed since you loaded it",
                 "reload to see the latest value, then apply your change again")],
    )


def _to_response(row: ResponseRow) -> StoredResponse:
    return StoredResponse.model_validate(row)
