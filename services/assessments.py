"""Assessment use cases: create, list, show, copy forward, review, finalise, reopen, delete.

Rules: assessors work on the sites assigned to them (services.access); finalising and reopening
are admin actions; a final assessment is read-only in storage itself (`storage.assessments`).
Finalising scores the assessment and stores the snapshot in the same transaction as the status
change, so a final assessment always has exactly one snapshot.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from catalog.content_catalog import Catalog
from errors import Problem, ScorecardError
from services.access import Actor, require_admin, require_site_write
from services.assessment_scoring import score_in_session, scorecard_json
from services.content import get_catalog
from services.database import database, utcnow
from services.scorecards import parse_scope
from storage import assessments as store
from storage import evidence_imports as evidence_store
from storage import findings, responses, snapshots, targets
from storage.engine import Database
from storage.records import (
    Assessment,
    EvidenceImport,
    Finding,
    Snapshot,
    StoredResponse,
    TargetOverride,
)
from storage.sites import find_site


class AssessmentDetail(BaseModel):
    """Everything stored about one assessment, for the questionnaire view and `assessment show`."""

    model_config = ConfigDict(frozen=True)

    assessment: Assessment
    responses: tuple[StoredResponse, ...]
    targets: tuple[TargetOverride, ...]
    findings: tuple[Finding, ...]
    evidence: tuple[EvidenceImport, ...]
    snapshot: Snapshot | None


def default_questionnaire(catalog: Catalog) -> str:
    """The questionnaire to use when none is named: the only one loaded."""
    if len(catalog.questionnaires) == 1:
        return next(iter(catalog.questionnaires))
    known = ", ".join(sorted(catalog.questionnaires)) or "none"
    raise ScorecardError("name the questionnaire to use", [Problem("questionnaire", f"loaded: {known}")])


def create_assessment(actor: Actor, *, site: str | None, scope: str, as_of: date, assessor: str | None = None,
                      title: str | None = None, questionnaire_id: str | None = None,
                      catalog: Catalog | None = None, db: Database | None = None) -> Assessment:
    """A new draft assessment of `site` (None = enterprise-wide)."""
    require_site_write(actor, site, "create assessments")
    catalog = catalog or get_catalog()
    questionnaire = catalog.questionnaire(questionnaire_id or default_questionnaire(catalog))
    scope_value = parse_scope(scope).value
    frameworks = {
        role: f"{fid}@{catalog.framework(fid).version}"
        for role, fid in (("csf", questionnaire.frameworks.csf), ("cpg", questionnaire.frameworks.cpg))
    }
    with database(db).write() as session:
        site_id = None if site is None else find_site(session, site).id
        return store.create(
            session, site_id=site_id, title=title or f"{site or 'Enterprise'} {scope_value} {as_of.isoformat()}",
            scope=scope_value, as_of=as_of, assessor=assessor or actor.user, questionnaire_id=questionnaire.id,
            questionnaire_version=questionnaire.version, framework_versions=frameworks, user=actor.user, now=utcnow(),
        )


def list_assessments(actor: Actor, *, site: str | None = None, enterprise: bool = False, status: str | None = None,
                     db: Database | None = None) -> list[Assessment]:
    with database(db).read() as session:
        site_id = None if site is None else find_site(session, site).id
        return store.list_all(session, site_id=site_id, enterprise=enterprise, status=status)


def get_assessment(actor: Actor, assessment_id: int, db: Database | None = None) -> Assessment:
    with database(db).read() as session:
        return store.get(session, assessment_id)


def previous_assessment(actor: Actor, site: str | None, before: date, db: Database | None = None) -> Assessment | None:
    """The site's (None: the enterprise's) latest assessment dated before `before`, to copy forward."""
    with database(db).read() as session:
        site_id = None if site is None else find_site(session, site).id
        return store.previous_for_site(session, site_id, before)


def load_assessment(actor: Actor, assessment_id: int, db: Database | None = None) -> AssessmentDetail:
    with database(db).read() as session:
        return AssessmentDetail(
            assessment=store.get(session, assessment_id),
            responses=tuple(responses.list_for(session, assessment_id)),
            targets=tuple(targets.list_for(session, assessment_id)),
            findings=tuple(findings.list_for(session, assessment_id)),
            evidence=tuple(evidence_store.list_imports(session, assessment_id)),
            snapshot=snapshots.get(session, assessment_id),
        )


def copy_assessment(actor: Actor, source_id: int, *, as_of: date, title: str | None = None,
                    catalog: Catalog | None = None, db: Database | None = None) -> Assessment:
    """Start a new assessment from `source_id`: answers, notes, targets (with the target due date)
    and open findings (with what they promise) are carried forward and marked as carried (the mark
    clears when someone edits the answer)."""
    source = get_assessment(actor, source_id, db)
    if as_of <= source.as_of:
        raise ScorecardError("the copy must describe a later date than its source",
                             [Problem("as_of", f"{as_of} is not after {source.as_of}", "give the new quarter's date")])
    require_site_write(actor, source.site_name, "create assessments")
    now = utcnow()
    with database(db).write() as session:
        new = store.create(
            session, site_id=source.site_id, title=title or f"{source.site_name or 'Enterprise'} {source.scope} {as_of}",
            scope=source.scope, as_of=as_of, assessor=actor.user, questionnaire_id=source.questionnaire_id,
            questionnaire_version=source.questionnaire_version, framework_versions=source.framework_versions,
            user=actor.user, now=now, copied_from_id=source.id, target_due_date=source.target_due_date,
        )
        carried = [
            {"question_id": r.question_id, "environment": r.environment, "current": r.current, "na": r.na,
             "na_reason": r.na_reason, "target": r.target, "notes": r.notes}
            for r in responses.list_for(session, source.id)
        ]
        responses.save_many(session, new.id, carried, user=actor.user, now=now, carried=True)
        targets.insert_many(session, new.id, targets.list_for(session, source.id), user=actor.user, now=now, carried=True)
        for item in findings.list_for(session, source.id):
            if item.status in ("open", "in_progress"):
                findings.add(session, new.id, question_id=item.question_id, environment=item.environment,
                             title=item.title, owner=item.owner, due_date=item.due_date, status=item.status,
                             notes=item.notes, carried=True, plan={f: getattr(item, f) for f in findings.PLAN_FIELDS},
                             user=actor.user, now=now)
        return new


def submit_for_review(actor: Actor, assessment_id: int, db: Database | None = None) -> Assessment:
    return _move(actor, assessment_id, "in_review", db)


def send_back_to_draft(actor: Actor, assessment_id: int, db: Database | None = None) -> Assessment:
    return _move(actor, assessment_id, "draft", db)


def _move(actor: Actor, assessment_id: int, status: str, db: Database | None) -> Assessment:
    current = get_assessment(actor, assessment_id, db)
    require_site_write(actor, current.site_name, "change the status of assessments")
    with database(db).write() as session:
        return store.set_status(session, assessment_id, status, actor.user, utcnow())


def finalize_assessment(actor: Actor, assessment_id: int, *, catalog: Catalog | None = None,
                        db: Database | None = None) -> Snapshot:
    """Score the assessment, store its snapshot and make it final (admin only)."""
    require_admin(actor, "finalise assessments")
    catalog = catalog or get_catalog()
    now = utcnow()
    with database(db).write() as session:
        store.lock_for_status(session, assessment_id)
        card, metrics = score_in_session(session, assessment_id, catalog)
        store.set_status(session, assessment_id, "final", actor.user, now)
        snapshots.save(session, assessment_id, scorecard_json(card), metrics, user=actor.user, now=now)
        return snapshots.get(session, assessment_id)


def reopen_assessment(actor: Actor, assessment_id: int, *, reason: str, db: Database | None = None) -> Assessment:
    """Final → draft, an audited admin action; the snapshot is withdrawn from the trends."""
    require_admin(actor, "reopen final assessments")
    if not reason.strip():
        raise ScorecardError("say why the assessment is reopened", [Problem("reason", "a reason is required", "it goes into the audit log")])
    with database(db).write() as session:
        reopened = store.reopen(session, assessment_id, actor.user, utcnow(), reason.strip())
        snapshots.remove(session, assessment_id)
        return reopened


def delete_assessment(actor: Actor, assessment_id: int, *, reason: str, db: Database | None = None) -> Assessment:
    """Delete an assessment that should not exist (a mistake, a forged or unwanted import), final
    or not, with its answers, evidence and snapshot (admin only). The deletion is audited with the
    reason; the assessment's own audit history is kept. Returns what was deleted."""
    require_admin(actor, "delete assessments")
    if not reason.strip():
        raise ScorecardError("say why the assessment is deleted", [Problem("reason", "a reason is required",
                                                                           "it goes into the audit log")])
    with database(db).write() as session:
        return store.delete(session, assessment_id, actor.user, utcnow(), reason.strip())
