"""Action plans as the projection sees them: loading an assessment's (or the enterprise's) plan
from storage and projecting its path to target (scoring.projection, pure).

- An assessment's plan: its findings as actions, its responses with target overrides, its metrics
  (the snapshot's when final, else its current evidence's), its overall target's due date (the
  assessment's own, else the questionnaire's `target_profile.due_date`) and the target overrides
  that have a due date. The plan's date ("today") is the assessment's as-of date, the date its
  verified score describes and the date "overdue" is read against in every report.
- The enterprise's plan: the same for each member of the enterprise roll-up (the assessments the
  enterprise report combines, services.enterprise_report.choose_members), each labelled and
  weighted as there, as of the roll-up's date.
`projector` returns a `Projector` that a what-if view keeps for its reruns (`what_if`, with a
budget ceiling through `budget_selection`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from sqlalchemy.orm import Session

from catalog.content_catalog import Catalog
from evidence.metric_set import MetricSet
from exports.plan_context import PlanSection
from exports.plan_rows import plan_section
from scoring.model import Scope
from scoring.plan_model import PlannedAction, PlanSubject, Projection, TargetDue
from scoring.projection import Projector, within_budget
from services.access import Actor
from services.context import Context
from services.enterprise_members import EnterpriseMember, choose_members
from services.stored_evidence import metrics_in_session
from storage import assessments as store
from storage import findings, responses, snapshots, targets
from storage.records import Assessment, Finding


def projector(ctx: Context, actor: Actor, assessment_id: int | None = None, *,
              enterprise: bool = False) -> Projector:
    """The plan of one assessment, or of the enterprise (`enterprise=True`), ready to project."""
    catalog = ctx.catalog
    with ctx.read() as session:
        if enterprise:
            members, _, as_of = choose_members(session)
            return members_projector(session, members, as_of, catalog)
        return assessment_projector(session, store.get(session, assessment_id), catalog)


def assessment_projector(session: Session, assessment: Assessment, catalog: Catalog) -> Projector:
    """One assessment's plan, inside an open session."""
    subject = load_subject(session, assessment, catalog)
    return Projector([subject], planned_actions(findings.list_for(session, assessment.id)), today=assessment.as_of)


def members_projector(session: Session, members: Sequence[EnterpriseMember], as_of: date, catalog: Catalog, *,
                      metrics: Mapping[str, MetricSet | None] | None = None) -> Projector:
    """The enterprise's plan over the roll-up's members, inside an open session (`metrics`: the
    members' metrics by label when the caller has read them already)."""
    metrics = metrics or {}
    subjects = [load_subject(session, m.assessment, catalog, site=m.label, weight=m.weight,
                             metrics=metrics.get(m.label, UNREAD)) for m in members]
    actions = [a for m in members for a in planned_actions(findings.list_for(session, m.assessment.id), m.label)]
    return Projector(subjects, actions, today=as_of, enterprise=True)


def project(ctx: Context, actor: Actor, assessment_id: int | None = None, *, enterprise: bool = False) -> Projection:
    """The full plan's projection with the roadmap's values (`scorecard plan show`)."""
    return projector(ctx, actor, assessment_id, enterprise=enterprise).values()


UNREAD = object()
"""`load_subject(metrics=UNREAD)`: read the assessment's metrics from storage."""


def what_if(ctx: Context, plan: Projector, include: frozenset[str] | None) -> PlanSection:
    """The plan's path to target with only the open actions in `include` (None: every one), as
    the outputs show it; `plan` keeps its scorecards, so a rerun scores only what changed."""
    return plan_section(plan.project(include), ctx.catalog.metric_definitions())


def budget_selection(full: PlanSection, chosen: frozenset[str], budget: float | None) -> frozenset[str]:
    """The chosen actions a budget ceiling keeps, in the roadmap's order of value for money
    (scoring.projection.within_budget)."""
    ranked = sorted((a for a in full.actions if a.rank is not None), key=lambda a: a.rank)
    return within_budget([(a.id, a.cost) for a in ranked], chosen, budget)


def load_subject(session: Session, a: Assessment, catalog: Catalog, *, site: str = "", weight: float = 1.0,
                 metrics: MetricSet | None | object = UNREAD) -> PlanSubject:
    """The engine's inputs of a stored assessment, as `services.assessment_scoring` scores it
    (`metrics`: its metrics when already read, else UNREAD)."""
    questionnaire = catalog.questionnaire(a.questionnaire_id)
    overrides = targets.list_for(session, a.id)
    by_pair = {(t.question_id, t.environment): t.target for t in overrides}
    inputs = tuple(r.to_response(by_pair.get((r.question_id, r.environment)))
                   for r in responses.list_for(session, a.id))
    return PlanSubject(
        questionnaire=questionnaire,
        csf=catalog.framework(questionnaire.frameworks.csf),
        cpg=catalog.framework(questionnaire.frameworks.cpg),
        responses=inputs,
        metrics=_metrics(session, a, catalog) if metrics is UNREAD else metrics,
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
