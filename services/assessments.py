"""Assessment use cases: create, list, show, copy forward, review, finalise, reopen, delete.

Rules: assessors work on the sites assigned to them (services.access); finalising and reopening
are admin actions; a final assessment is read-only in storage itself (`storage.assessments`).
Finalising scores the assessment and stores the snapshot in the same transaction as the status
change, so a final assessment always has exactly one snapshot.
"""

from __future__ import annotations

from datetime import date

from catalog.content_catalog import Catalog
from errors import Problem, ScorecardError
from services.access import Actor, require_admin, require_site_write
from services.assessment_records import AssessmentDetail, read_detail
from services.assessment_scoring import score_in_session
from services.context import Context
from services.scorecards import parse_scope
from storage import assessments as store
from storage import findings, responses, snapshots, targets
from storage.records import (
    Assessment,
    Snapshot,
)
from storage.sites import find_site


def default_questionnaire(catalog: Catalog) -> str:
    """The questionnaire to use when none is named: the only one loaded."""
    if len(catalog.questionnaires) == 1:
        return next(iter(catalog.questionnaires))
    known = ", ".join(sorted(catalog.questionnaires)) or "none"
    raise ScorecardError("name the questionnaire to use", [Problem("questionnaire", f"loaded: {known}")])


def create_assessment(ctx: Context, actor: Actor, *, site: str | None, scope: str, as_of: date,
                      assessor: str | None = None, title: str | None = None,
                      questionnaire_id: str | None = None) -> Assessment:
    """A new draft assessment of `site` (None = enterprise-wide)."""
    require_site_write(actor, site, "create assessments")
    catalog = ctx.catalog
    questionnaire = catalog.questionnaire(questionnaire_id or default_questionnaire(catalog))
    scope_value = parse_scope(scope).value
    frameworks = {
        role: f"{fid}@{catalog.framework(fid).version}"
        for role, fid in (("csf", questionnaire.frameworks.csf), ("cpg", questionnaire.frameworks.cpg))
    }
    with ctx.write() as session:
        site_id = None if site is None else find_site(session, site).id
        return store.create(
            session, site_id=site_id, title=title or f"{site or 'Enterprise'} {scope_value} {as_of.isoformat()}",
            scope=scope_value, as_of=as_of, assessor=assessor or actor.user, questionnaire_id=questionnaire.id,
            questionnaire_version=questionnaire.version, framework_versions=frameworks, user=actor.user, now=ctx.now(),
        )


def list_assessments(ctx: Context, actor: Actor, *, site: str | None = None, enterprise: bool = False,
                     status: str | None = None) -> list[Assessment]:
    with ctx.read() as session:
        site_id = None if site is None else find_site(session, site).id
        return store.list_all(session, site_id=site_id, enterprise=enterprise, status=status)


def get_assessment(ctx: Context, actor: Actor, assessment_id: int) -> Assessment:
    with ctx.read() as session:
        return store.get(session, assessment_id)


def previous_assessment(ctx: Context, actor: Actor, site: str | None, before: date) -> Assessment | None:
    """The site's (None: the enterprise's) latest assessment dated before `before`, to copy forward."""
    with ctx.read() as session:
        site_id = None if site is None else find_site(session, site).id
        return store.previous_for_site(session, site_id, before)


def load_assessment(ctx: Context, actor: Actor, assessment_id: int) -> AssessmentDetail:
    """Everything stored about the assessment, read in one session."""
    with ctx.read() as session:
        return read_detail(session, assessment_id)


def copy_assessment(ctx: Context, actor: Actor, source_id: int, *, as_of: date,
                    title: str | None = None) -> Assessment:
    """Start a new assessment from `source_id`: answers, notes, targets (with the target due date)
    and open findings (with what they promise) are carried forward and marked as carried (the mark
    clears when someone edits the answer)."""
    source = get_assessment(ctx, actor, source_id)
    if as_of <= source.as_of:
        raise ScorecardError("the copy must describe a later date than its source",
                             [Problem("as_of", f"{as_of} is not after {source.as_of}", "give the new quarter's date")])
    require_site_write(actor, source.site_name, "create assessments")
    now = ctx.now()
    with ctx.write() as session:
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


def submit_for_review(ctx: Context, actor: Actor, assessment_id: int) -> Assessment:
    return _move(ctx, actor, assessment_id, "in_review")


def send_back_to_draft(ctx: Context, actor: Actor, assessment_id: int) -> Assessment:
    return _move(ctx, actor, assessment_id, "draft")


def _move(ctx: Context, actor: Actor, assessment_id: int, status: str) -> Assessment:
    current = get_assessment(ctx, actor, assessment_id)
    require_site_write(actor, current.site_name, "change the status of assessments")
    with ctx.write() as session:
        return store.set_status(session, assessment_id, status, actor.user, ctx.now())


def finalize_assessment(ctx: Context, actor: Actor, assessment_id: int) -> Snapshot:
    """Score the assessment, store its snapshot and make it final (admin only)."""
    require_admin(actor, "finalise assessments")
    now = ctx.now()
    with ctx.write() as session:
        store.lock_for_status(session, assessment_id)
        scored = score_in_session(session, assessment_id, ctx.catalog)
        store.set_status(session, assessment_id, "final", actor.user, now)
        snapshots.save(session, assessment_id, scored.scorecard, scored.metrics, user=actor.user, now=now)
        return snapshots.get(session, assessment_id)


def reopen_assessment(ctx: Context, actor: Actor, assessment_id: int, *, reason: str) -> Assessment:
    """Final → draft, an audited admin action; the snapshot is withdrawn from the trends."""
    require_admin(actor, "reopen final assessments")
    if not reason.strip():
        raise ScorecardError("say why the assessment is reopened", [Problem("reason", "a reason is required", "it goes into the audit log")])
    with ctx.write() as session:
        reopened = store.reopen(session, assessment_id, actor.user, ctx.now(), reason.strip())
        snapshots.remove(session, assessment_id)
        return reopened


def delete_assessment(ctx: Context, actor: Actor, assessment_id: int, *, reason: str) -> Assessment:
    """Delete an assessment that should not exist (a mistake, a forged or unwanted import), final
    or not, with its answers, evidence and snapshot (admin only). The deletion is audited with the
    reason; the assessment's own audit history is kept. Returns what was deleted."""
    require_admin(actor, "delete assessments")
    if not reason.strip():
        raise ScorecardError("say why the assessment is deleted", [Problem("reason", "a reason is required",
                                                                           "it goes into the audit log")])
    with ctx.write() as session:
        return store.delete(session, assessment_id, actor.user, ctx.now(), reason.strip())
