"""Assessments: create, read, list, lifecycle (draft → in_review → final), copy-forward, delete.

Read-only rule: every write to an assessment's content goes through `lock_writable`, which locks
the assessment row (PostgreSQL ``FOR SHARE``; SQLite write transactions are already exclusive) and
refuses with ReadOnlyError when the assessment is final. Finalising takes ``FOR UPDATE``, so a save
and a finalise cannot interleave: the save either lands before the snapshot or is refused.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import delete as sql_delete
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, aliased

from errors import ConflictError, NotFoundError, Problem, ReadOnlyError, ScorecardError
from storage import audit
from storage.records import Assessment, fields_of
from storage.sites import organisation_id
from storage.tables import (
    AssessmentRow,
    AuditRow,
    EvidenceFileChunkRow,
    EvidenceImportRow,
    EvidencePartRow,
    FindingRow,
    OrganisationRow,
    PlanScenarioRow,
    ResponseRow,
    SiteRow,
    SnapshotRow,
    TargetOverrideRow,
)

# Allowed status moves; final → draft is `reopen`, an audited admin action of its own.
TRANSITIONS = {("draft", "in_review"), ("in_review", "draft"), ("in_review", "final"), ("draft", "final")}


def create(
    session: Session,
    *,
    site_id: int | None,
    title: str,
    scope: str,
    as_of: date,
    assessor: str,
    questionnaire_id: str,
    questionnaire_version: str,
    framework_versions: dict[str, str],
    user: str,
    now: datetime,
    copied_from_id: int | None = None,
    uid: str | None = None,
    target_due_date: date | None = None,
) -> Assessment:
    """A new draft. Refused (DuplicateAssessmentError) when the site (None: the enterprise) already
    has an assessment of the same date and scope: a double click must not make two. The site's
    row (the organisation's for the enterprise) is locked first, so two concurrent creates on
    PostgreSQL are serialised and the second one sees the first."""
    _lock_owner(session, site_id)
    same = find_same(session, site_id, as_of, scope)
    if same is not None:
        raise DuplicateAssessmentError(
            f"{same.site_name or 'the enterprise'} already has a {scope} assessment as of {as_of.isoformat()} (#{same.id})",
            [Problem("as_of", f"assessment #{same.id} ({same.status}) describes the same site, date and scope",
                     "open that assessment, or choose another date or scope")])
    row = AssessmentRow(
        uid=uid or str(uuid.uuid4()),
        organisation_id=organisation_id(session, now),
        site_id=site_id,
        title=title,
        scope=scope,
        as_of=as_of,
        assessor=assessor,
        questionnaire_id=questionnaire_id,
        questionnaire_version=questionnaire_version,
        framework_versions=framework_versions,
        status="draft",
        copied_from_id=copied_from_id,
        target_due_date=target_due_date,
        created_by=user,
        created_at=now,
    )
    session.add(row)
    session.flush()
    audit.record(session, user, now, row.id, "assessment", row.uid, "create", None,
                 {"title": title, "scope": scope, "as_of": as_of, "site_id": site_id, "copied_from_id": copied_from_id})
    return get(session, row.id)


class DuplicateAssessmentError(ConflictError):
    """The site already has an assessment of this date and scope; nothing was created."""


def find_same(session: Session, site_id: int | None, as_of: date, scope: str) -> Assessment | None:
    """The site's (None: the enterprise's) assessment of `as_of` and `scope`, if any."""
    owner = AssessmentRow.site_id.is_(None) if site_id is None else AssessmentRow.site_id == site_id
    found = session.execute(_query().where(owner, AssessmentRow.as_of == as_of, AssessmentRow.scope == scope)
                            .order_by(AssessmentRow.id)).first()
    return None if found is None else to_assessment(*found)


def _lock_owner(session: Session, site_id: int | None) -> None:
    if site_id is not None:
        session.execute(select(SiteRow.id).where(SiteRow.id == site_id).with_for_update())
    else:
        session.execute(select(OrganisationRow.id).with_for_update())


def get(session: Session, assessment_id: int) -> Assessment:
    found = session.execute(_query().where(AssessmentRow.id == assessment_id)).first()
    if found is None:
        raise NotFoundError(f"no assessment with id {assessment_id}",
                            [Problem("assessment", "unknown id", "scorecard assessment list")])
    return to_assessment(*found)


def find_by_uid(session: Session, uid: str) -> Assessment | None:
    found = session.execute(_query().where(AssessmentRow.uid == uid)).first()
    return None if found is None else to_assessment(*found)


def list_all(session: Session, *, site_id: int | None = None, enterprise: bool = False,
             status: str | None = None) -> list[Assessment]:
    """Assessments ordered by site name (enterprise first), then as-of date, then id."""
    query = _query()
    if site_id is not None:
        query = query.where(AssessmentRow.site_id == site_id)
    if enterprise:
        query = query.where(AssessmentRow.site_id.is_(None))
    if status is not None:
        query = query.where(AssessmentRow.status == status)
    rows = session.execute(query).all()
    items = [to_assessment(*r) for r in rows]
    return sorted(items, key=lambda a: (a.site_name or "", a.as_of, a.id))


def previous_for_site(session: Session, site_id: int | None, before: date) -> Assessment | None:
    """The site's latest assessment dated before `before` (None → enterprise-wide ones)."""
    candidates = [a for a in list_all(session, site_id=site_id, enterprise=site_id is None) if a.as_of < before]
    return candidates[-1] if candidates else None


def lock_writable(session: Session, assessment_id: int) -> AssessmentRow:
    """Lock the assessment for a content write; refuse when it does not exist or is final."""
    query = select(AssessmentRow).where(AssessmentRow.id == assessment_id).with_for_update(read=True)
    row = session.scalars(query).first()
    if row is None:
        raise NotFoundError(f"no assessment with id {assessment_id}")
    if row.status == "final":
        raise ReadOnlyError(
            f"assessment {assessment_id} is final and cannot be changed",
            [Problem(f"assessment {assessment_id}", f"finalised by {row.finalised_by} on {row.finalised_at:%Y-%m-%d}",
                     "start a new assessment (copy it), or ask an admin to reopen it")],
        )
    return row


def set_target_due(session: Session, assessment_id: int, due: date | None, user: str, now: datetime) -> Assessment:
    """Set (None: clear) when the assessment's overall target is due; audited, refused when final."""
    row = lock_writable(session, assessment_id)
    if row.target_due_date != due:
        audit.record(session, user, now, row.id, "target", f"{row.uid}/overall", "due date",
                     {"due_date": row.target_due_date}, {"due_date": due})
        row.target_due_date = due
        session.flush()
    return get(session, assessment_id)


def lock_for_status(session: Session, assessment_id: int) -> AssessmentRow:
    row = session.scalars(select(AssessmentRow).where(AssessmentRow.id == assessment_id).with_for_update()).first()
    if row is None:
        raise NotFoundError(f"no assessment with id {assessment_id}")
    return row


def set_status(session: Session, assessment_id: int, status: str, user: str, now: datetime,
               *, reason: str = "", override: str = "") -> Assessment:
    """Move draft ↔ in_review → final. Reopening a final assessment uses `reopen`. `override` is
    kept with a final assessment when an admin finalised it without meeting the rules
    (services.assessments.finalize_assessment says which)."""
    row = lock_for_status(session, assessment_id)
    if row.status == "final":
        raise ReadOnlyError(f"assessment {assessment_id} is final",
                            [Problem("status", "a final assessment changes only by reopening", "scorecard assessment reopen")])
    if row.status == status:
        return get(session, assessment_id)
    if (row.status, status) not in TRANSITIONS:
        raise ScorecardError(f"cannot move assessment {assessment_id} from {row.status} to {status}",
                             [Problem("status", "allowed: draft → in_review → final, in_review → draft")])
    old = row.status
    row.status = status
    if status == "final":
        row.finalised_by, row.finalised_at, row.final_override = user, now, override
    audit.record(session, user, now, row.id, "status", row.uid, "status", {"status": old},
                 {"status": status, **({"reason": reason} if reason else {}),
                  **({"override": override} if override else {})})
    session.flush()
    return get(session, assessment_id)


def reopen(session: Session, assessment_id: int, user: str, now: datetime, reason: str) -> Assessment:
    """Final → draft (an admin action; the caller checks the role). The reason is audited."""
    row = lock_for_status(session, assessment_id)
    if row.status != "final":
        raise ScorecardError(f"assessment {assessment_id} is {row.status}, not final; nothing to reopen")
    audit.record(session, user, now, row.id, "status", row.uid, "reopen",
                 {"status": "final", "finalised_by": row.finalised_by, "finalised_at": row.finalised_at},
                 {"status": "draft", "reason": reason})
    row.status, row.finalised_by, row.finalised_at, row.final_override = "draft", None, None, ""
    session.flush()
    return get(session, assessment_id)


def delete(session: Session, assessment_id: int, user: str, now: datetime, reason: str) -> Assessment:
    """Remove an assessment and everything stored about it (an admin action; the caller checks the
    role). Its audit history stays, detached from it, and the deletion itself is audited with the
    uid, label and status it had; assessments copied from it lose the link."""
    lock_for_status(session, assessment_id)
    gone = get(session, assessment_id)
    imports = select(EvidenceImportRow.id).where(EvidenceImportRow.assessment_id == assessment_id)
    counts = {"responses": _count(session, ResponseRow, assessment_id),
              "evidence_imports": _count(session, EvidenceImportRow, assessment_id)}
    session.execute(sql_delete(EvidencePartRow).where(EvidencePartRow.import_id.in_(imports)))
    session.execute(sql_delete(EvidenceFileChunkRow).where(EvidenceFileChunkRow.import_id.in_(imports)))
    for table in (EvidenceImportRow, ResponseRow, TargetOverrideRow, FindingRow, SnapshotRow, PlanScenarioRow):
        session.execute(sql_delete(table).where(table.assessment_id == assessment_id))
    session.execute(update(AssessmentRow).where(AssessmentRow.copied_from_id == assessment_id).values(copied_from_id=None))
    session.execute(update(AuditRow).where(AuditRow.assessment_id == assessment_id).values(assessment_id=None))
    session.execute(sql_delete(AssessmentRow).where(AssessmentRow.id == assessment_id))
    audit.record(session, user, now, None, "assessment", gone.uid, "delete",
                 {"id": gone.id, "label": gone.label, "title": gone.title, "status": gone.status,
                  "unverified": gone.unverified, **counts}, {"reason": reason})
    session.flush()
    return gone


def _count(session: Session, table, assessment_id: int) -> int:
    return session.scalar(select(func.count()).select_from(table).where(table.assessment_id == assessment_id))


def _query():
    site = aliased(SiteRow)
    return select(AssessmentRow, site.name).outerjoin(site, site.id == AssessmentRow.site_id)


def to_assessment(row: AssessmentRow, site_name: str | None) -> Assessment:
    return Assessment.model_validate({**fields_of(row, Assessment, skip={"site_name"}), "site_name": site_name})
