"""The plan rows of the ReportContext from a projection (scoring.projection): no arithmetic beyond
sums and differences of what the projection says.

Rules: actions are listed in roadmap order (the projection's ranking: maturity bought per unit of
cost when every valued action has a cost, else per action), then the actions the projection does
not count, by due date; `total_cost` sums the counted actions' costs; the headline target is the
overall target of the report's subject (site "" in the projection: the assessment, or the
enterprise as a whole).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from catalog.models import MetricDefinition
from exports.formatting import metric_value
from exports.plan_context import GoalChangeRow, PlanAction, PlanPoint, PlanSection, TargetRow
from scoring.plan_model import Projection, ScheduledAction, TargetTrack, promises_text

COUNTED = ("scheduled", "slipped")


def plan_section(projection: Projection, definitions: Mapping[str, MetricDefinition]) -> PlanSection:
    values = {v.id: v for v in projection.values}
    ranked = sorted((a for a in projection.actions if a.id in values), key=lambda a: values[a.id].rank)
    rest = sorted((a for a in projection.actions if a.id not in values), key=lambda a: (a.due or date.max, a.id))
    actions = tuple(_action(a, values.get(a.id), definitions) for a in (*ranked, *rest))
    counted = [a for a in projection.actions if a.state in COUNTED]
    costs = [a.cost for a in counted if a.cost is not None]
    targets = tuple(_target(t) for t in projection.targets)
    return PlanSection(
        today=projection.today,
        ranking=projection.ranking,
        slip_days=dict(projection.slip_days),
        points=tuple(PlanPoint(label=p.label, on=p.on, verified=p.verified, target=p.target,
                               actions_done=len(p.counted), by_environment=dict(p.by_environment),
                               functions=dict(p.functions), categories=dict(p.categories), sites=dict(p.sites),
                               cpg_implemented_pct=p.cpg_implemented_pct) for p in projection.points),
        targets=targets,
        goal_changes=tuple(GoalChangeRow(goal_id=g.goal_id, title=g.title, site=g.site, environment=g.environment or "",
                                         before=g.before, after=g.after, on=g.on) for g in projection.goal_changes),
        actions=actions,
        headline=next((t for t in targets if t.kind == "overall" and not t.site), None),
        total_cost=sum(costs) if costs else None,
        uncosted=len(counted) - len(costs),
    )


def target_due_lookup(section: PlanSection | None):
    """`due_of(site, question_id, environment)`: when that response's target is due (its agreed
    target's date, else its site's overall target's), or None."""
    overall = {t.site: t.due for t in section.targets if t.kind == "overall"} if section else {}
    agreed = {(t.site, t.question_id, t.environment): t.due for t in section.targets if t.kind == "response"} \
        if section else {}

    def due_of(site: str, question_id: str, environment: str) -> date | None:
        return agreed.get((site, question_id, environment), overall.get(site))

    return due_of


def evidence_text(metric: str | None, value: float | None, definitions: Mapping[str, MetricDefinition]) -> str:
    """The promised evidence in words: "Access paths fully governed ≥ 95.0 %"; empty without one."""
    if metric is None or value is None:
        return ""
    definition = definitions.get(metric)
    if definition is None:
        return f"{metric} {value:g}"
    sign = "≥" if definition.direction == "higher_is_better" else "≤"
    return f"{definition.label} {sign} {metric_value(value, definition.unit)}"


def _action(a: ScheduledAction, value, definitions) -> PlanAction:
    return PlanAction(
        id=a.id, title=a.title, site=a.site, question_id=a.question_id, environment=a.environment or "",
        owner=a.owner, due=a.due, status=a.status, state=a.state, counts_on=a.counts_on, overdue_days=a.overdue_days,
        promises=promises_text(a.promises), evidence=evidence_text(a.evidence_metric, a.evidence_value, definitions),
        evidence_metric=a.evidence_metric or "", evidence_value=a.evidence_value, cost=a.cost,
        effort_days=a.effort_days,
        rank=value.rank if value else None, gain=value.gain if value else None,
        site_gain=value.site_gain if value else None, gain_per_100k=value.gain_per_100k if value else None,
    )


def _target(t: TargetTrack) -> TargetRow:
    if t.kind == "overall":
        label = "Overall target"
    else:
        label = f"{t.question_id} {t.environment} level {t.target:g}"
    late = (t.reached_on - t.due).days if t.status == "at_risk" and t.reached_on else None
    return TargetRow(label=label, kind=t.kind, site=t.site, question_id=t.question_id, environment=t.environment or "",
                     target=t.target, today=t.today, due=t.due, reached_on=t.reached_on, status=t.status,
                     days_late=late)
