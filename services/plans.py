"""Action plans as the projection sees them: loading an assessment's (or the enterprise's) plan
from storage and projecting its path to target (scoring.projection, pure).

- An assessment's plan: its findings as actions, its responses with target overrides, its metrics
  (the snapshot's when final, else its current evidence's), its overall target's due date (the
  assessment's own, else the questionnaire's `target_profile.due_date`) and the target overrides
  that have a due date. The plan's date ("today") is the assessment's as-of date, the date its
  verified score describes and the date "overdue" is read against in every report.
- The enterprise's plan: the same for each member of the enterprise roll-up (the assessments the
  enterprise report combines, services.enterprise_members.choose_members), each labelled and
  weighted as there, with the metrics the report pools (services.stored_evidence.poolable_metrics),
  as of the roll-up's date; each member's subject, actions and scored variants are the ones the
  enterprise report keeps (services.member_parts), so the plan page scores only what changed.
Loading one assessment's subject and actions is services.plan_subjects.
`projector` returns a `Projector` that a what-if view keeps for its reruns (`what_if`, with a
budget ceiling through `budget_selection`).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from catalog.content_catalog import Catalog
from exports.plan_context import PlanSection
from exports.plan_rows import plan_section
from scoring.plan_model import Projection
from scoring.projection import Projector, within_budget
from services import member_parts
from services.access import Actor
from services.context import Context
from services.enterprise_members import choose_members
from services.plan_subjects import load_subject, planned_actions
from storage import assessments as store
from storage import findings
from storage.records import Assessment


def projector(ctx: Context, actor: Actor, assessment_id: int | None = None, *,
              enterprise: bool = False) -> Projector:
    """The plan of one assessment, or of the enterprise (`enterprise=True`), ready to project."""
    catalog = ctx.catalog
    with ctx.read() as session:
        if enterprise:  # with the members' kept Variants, as the enterprise report (services.member_parts)
            members, _, as_of = choose_members(session)
            return member_parts.projector(member_parts.parts_of(session, members, catalog), as_of)
        return assessment_projector(session, store.get(session, assessment_id), catalog)


def assessment_projector(session: Session, assessment: Assessment, catalog: Catalog) -> Projector:
    """One assessment's plan, inside an open session."""
    subject = load_subject(session, assessment, catalog)
    return Projector([subject], planned_actions(findings.list_for(session, assessment.id)), today=assessment.as_of)


def project(ctx: Context, actor: Actor, assessment_id: int | None = None, *, enterprise: bool = False) -> Projection:
    """The full plan's projection with the roadmap's values (`scorecard plan show`)."""
    return projector(ctx, actor, assessment_id, enterprise=enterprise).values()


def what_if(ctx: Context, plan: Projector, include: frozenset[str] | None) -> PlanSection:
    """The plan's path to target with only the open actions in `include` (None: every one), as
    the outputs show it; `plan` keeps its scorecards, so a rerun scores only what changed."""
    return plan_section(plan.project(include), ctx.catalog.metric_definitions())


def budget_selection(full: PlanSection, chosen: frozenset[str], budget: float | None) -> frozenset[str]:
    """The chosen actions a budget ceiling keeps, in the roadmap's order of value for money
    (scoring.projection.within_budget)."""
    ranked = sorted((a for a in full.actions if a.rank is not None), key=lambda a: a.rank)
    return within_budget([(a.id, a.cost) for a in ranked], chosen, budget)


