"""A stored assessment as the projection sees it (scoring.plan_model): its subject (the engine's
inputs, its metrics, its targets' dates) and its findings as planned actions. services.plans
projects them; services.member_parts keeps them per enterprise member.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from catalog.content_catalog import Catalog
from evidence.metric_set import MetricSet
from scoring.model import Scope
from scoring.plan_model import PlannedAction, PlanSubject, TargetDue
from services.stored_evidence import metrics_in_session
from storage import responses, snapshots, targets
from storage.records import Assessment, Finding, StoredResponse, TargetOverride

UNREAD = object()
"""`load_subject(metrics=UNREAD)`: read the assessment's metrics from storage."""


def load_subject(session: Session, a: Assessment, catalog: Catalog, *, site: str = "", weight: float = 1.0,
                 metrics: MetricSet | None | object = UNREAD) -> PlanSubject:
    """The engine's inputs of a stored assessment, as `services.assessment_scoring` scores it
    (`metrics`: its metrics when already read, else UNREAD)."""
    return subject_of(a, catalog, responses.list_for(session, a.id), targets.list_for(session, a.id), site=site,
                      weight=weight, metrics=_metrics(session, a, catalog) if metrics is UNREAD else metrics)


def subject_of(a: Assessment, catalog: Catalog, answers: Sequence[StoredResponse], overrides: Sequence[TargetOverride],
               *, site: str, weight: float, metrics: MetricSet | None) -> PlanSubject:
    """`load_subject` of an assessment whose answers, target overrides and metrics are read."""
    questionnaire = catalog.questionnaire(a.questionnaire_id)
    by_pair = {(t.question_id, t.environment): t.target for t in overrides}
    inputs = tuple(r.to_response(by_pair.get((r.question_id, r.environment))) for r in answers)
    return PlanSubject(
        questionnaire=questionnaire,
        csf=catalog.framework(questionnaire.frameworks.csf),
        cpg=catalog.framework(questionnaire.frameworks.cpg),
        responses=inputs,
        metrics=metrics,
        scope=Scope(a.scope),
        as_of=a.as_of,
        site=site,
        weight=weight,
        target_due=target_due(a, catalog),
        target_dues=tuple(TargetDue(t.question_id, t.environment, t.target, t.due_date)
                          for t in overrides if t.due_date is not None),
        definitions=catalog.metric_definitions(),
    )


def target_due(a: Assessment, catalog: Catalog):
    """When the assessment's overall target is due: its own date, else its target profile's."""
    if a.target_due_date is not None:
        return a.target_due_date
    return catalog.questionnaire(a.questionnaire_id).target_profile.due_date


def planned_actions(items: Sequence[Finding], site: str = "") -> list[PlannedAction]:
    """Stored findings as the projection's actions (ids as text, labelled with `site`)."""
    return [
        PlannedAction(id=str(f.id), title=f.title, question_id=f.question_id, environment=f.environment,
                      promises=f.promises, evidence_metric=f.evidence_metric, evidence_value=f.evidence_value,
                      due=f.due_date, status=f.status, owner=f.owner, cost=f.cost, effort_days=f.effort_days,
                      site=site)
        for f in items
    ]


def _metrics(session: Session, a: Assessment, catalog: Catalog) -> MetricSet | None:
    snapshot = snapshots.get(session, a.id)
    if snapshot is not None:
        return snapshot.metrics
    return metrics_in_session(session, a, catalog)
