"""Build a ReportContext from a Scorecard and plain records (no storage, no clock).

Rules:
- Rows follow `node_order` (framework document order) and keep the unrounded numbers.
- The previous point for deltas is the latest history point strictly before `meta.as_of`.
- Exception ages are `as_of − opened` in days, over open exceptions only (exports.rows).
- Roadmap owners, due dates and statuses come from findings linked to the same question and
  environment (a finding with a blank environment covers both) at the same site (enterprise),
  preferring an action still open or in progress over a done or accepted one.
- An open or in-progress action whose due date is before `meta.as_of` is overdue by the days
  between them (`overdue_days`, on roadmap items and findings); outputs say so in words.
- A metric's history is the points strictly before `meta.as_of` (a report of an older assessment
  never shows later quarters); the current value follows them; `change` = value − previous.
- The verdict (reliable / provisional / incomplete) is exports.verdict's.
- Enterprise: `site_goals` ({site: {goal id: status}}) adds the site × goal grid to the CPG rows.
- `plan` (a scoring.projection result) becomes `ReportContext.plan` (exports.plan_rows); its
  targets give every target shown its due date: a response's agreed target's own, else its site's
  (or the assessment's) overall target's; the headline's is the report subject's overall target's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from catalog.models import MetricDefinition, Questionnaire
from evidence.metric_set import MetricSet
from exports import summary
from exports.answer import answer_sentence
from exports.cap_text import readable_cap
from exports.context import (
    AuditEntry,
    ExceptionRecord,
    ExerciseRecord,
    Finding,
    GoalRow,
    Headline,
    HistoryPoint,
    MetricRow,
    ReportContext,
    ReportMeta,
    RoadmapItem,
    ScenarioRow,
    Score3,
    ScoreRow,
    SiteSummary,
)
from exports.formatting import metric_value, thresholds
from exports.plan_rows import plan_section, target_due_lookup
from exports.rows import (
    age_band,
    exception_rows,
    exercise_row,
    note_groups,
    overdue_days,
    period_label,
    response_rows,
    site_row,
    trend_rows,
)
from exports.verdict import judge
from scoring.model import NodeScore, Scorecard, Triple
from scoring.plan_model import Projection

OPEN_ACTIONS = ("open", "in_progress")
"""Finding statuses of an action still to be done (storage.records.FINDING_STATUSES)."""


def build_context(
    scorecard: Scorecard,
    questionnaire: Questionnaire,
    metric_definitions: dict[str, MetricDefinition],
    meta: ReportMeta,
    *,
    metrics: MetricSet | None = None,
    history: Iterable[HistoryPoint] = (),
    findings: Iterable[Finding] = (),
    exceptions: Iterable[ExceptionRecord] = (),
    exercises: Iterable[ExerciseRecord] = (),
    sites: Iterable[SiteSummary] = (),
    audit: Iterable[AuditEntry] = (),
    node_order: Sequence[str] = (),
    node_text: Mapping[str, str] | None = None,
    site_goals: Mapping[str, Mapping[str, str]] | None = None,
    plan: Projection | None = None,
) -> ReportContext:
    """The view-model of one report; `history` may include the current assessment's own snapshot.

    `node_order` lists framework node ids in document order (CSF: GV, ID, PR, DE, RS, RC); rows
    follow it (nodes it does not name come after, by id), whatever order the scorecard's dicts have.
    `node_text` gives the outcome statement shown for nodes whose title is only their id (CSF
    subcategories).
    """
    order = _orderer(node_order)
    history = sorted(history, key=lambda h: h.as_of)
    earlier = [h for h in history if h.as_of < meta.as_of]
    previous = earlier[-1] if earlier else None
    findings = tuple(replace(f, overdue_days=overdue_days(f.due, meta.as_of) if f.status in OPEN_ACTIONS else None)
                     for f in findings)
    environments = tuple(scorecard.scope.environments)
    section = plan_section(plan, metric_definitions) if plan is not None else None
    due_of = target_due_lookup(section)
    headline = _headline(scorecard, previous)
    if section is not None and section.headline is not None:
        headline = replace(headline, target_due=section.headline.due)
    texts = node_text or {}
    functions = _score_rows(order(scorecard.functions), "function")
    metric_rows = _metric_rows(metrics, metric_definitions, earlier, previous)
    def readable(reason: str) -> str:
        return readable_cap(reason, metric_definitions)

    roadmap = tuple(replace(r, cap_reasons=tuple(map(readable, r.cap_reasons)),
                            target_due=due_of(r.site, r.question_id, r.environment))
                    for r in _roadmap(scorecard, questionnaire, findings))
    open_exceptions = exception_rows(exceptions, meta)
    responses = tuple(replace(r, target_due=due_of(r.site, r.question_id, r.environment))
                      for r in response_rows(scorecard, questionnaire, readable))
    return ReportContext(
        meta=meta,
        headline=headline,
        verdict=judge(headline, meta.status, meta.cautions),
        improvements=summary.improvements(scorecard, previous, metric_rows),
        risks=summary.risks(roadmap),
        decisions=summary.decisions(headline, roadmap, open_exceptions),
        functions=functions,
        categories=_score_rows(order(scorecard.categories), "category"),
        subcategories=_score_rows(order(scorecard.subcategories), "subcategory", texts),
        goals=tuple(_goal_row(g, site_goals or {}) for g in order(scorecard.cpg_goals)),
        metrics=metric_rows,
        scenarios=_scenario_rows(scorecard, metric_definitions),
        roadmap=roadmap,
        findings=findings,
        exceptions=open_exceptions,
        exercises=tuple(exercise_row(e) for e in sorted(exercises, key=lambda e: e.date)),
        sites=tuple(site_row(s) for s in sites),
        responses=responses,
        caps=tuple(c.model_copy(update={"reason": readable(c.reason)}) for c in scorecard.caps),
        metric_labels={name: d.label for name, d in metric_definitions.items()},
        trend=trend_rows(history, scorecard, meta),
        audit=tuple(sorted(audit, key=lambda a: a.at)),
        environments=environments,
        note_groups=note_groups(responses, questionnaire),
        plan=section,
        answer=answer_sentence(meta, headline, {f.id: f.combined.verified for f in functions},
                               previous.functions if previous else None,
                               section.headline if section is not None else None),
    )


def _orderer(node_order: Sequence[str]):
    rank = {node_id: i for i, node_id in enumerate(node_order)}

    def order(nodes: dict):
        return [nodes[k] for k in sorted(nodes, key=lambda k: (rank.get(k, len(rank)), k))]

    return order


def score3(triple: Triple | None) -> Score3 | None:
    if triple is None:
        return None
    return Score3(claimed=triple.claimed, verified=triple.verified, target=triple.target)


def _headline(scorecard: Scorecard, previous: HistoryPoint | None) -> Headline:
    o = scorecard.overall
    prev = previous.overall.verified if previous else None
    delta = o.verified - prev if o.verified is not None and prev is not None else None
    return Headline(
        overall=Score3(o.claimed, o.verified, o.target),
        completion=o.completion,
        confidence=o.confidence,
        answered=o.answered,
        applicable=o.applicable,
        not_applicable=o.not_applicable,
        previous_verified=prev,
        delta_verified=delta,
        previous_label=previous.label if previous else "",
        cpg_implemented_pct=scorecard.cpg_implemented_pct,
        cpg_by_environment=dict(scorecard.cpg_implemented_pct_by_environment),
        by_environment={
            env: Score3(v.claimed, v.verified, v.target) for env, v in scorecard.by_environment.items()
        },
    )


def _score_rows(nodes: Iterable[NodeScore], level, texts: Mapping[str, str] | None = None) -> tuple[ScoreRow, ...]:
    texts = texts or {}
    return tuple(
        ScoreRow(
            id=n.id,
            title=texts.get(n.id, n.title) if n.title == n.id else n.title,
            level=level,
            combined=score3(n.combined),
            it=score3(n.by_environment.get("IT")),
            ot=score3(n.by_environment.get("OT")),
            answered=n.answered,
        )
        for n in nodes
    )


def _goal_row(goal, site_goals: Mapping[str, Mapping[str, str]]) -> GoalRow:
    it, ot = goal.by_environment.get("IT"), goal.by_environment.get("OT")
    return GoalRow(
        id=goal.id,
        title=goal.title,
        status_it=goal.status.get("IT"),
        status_ot=goal.status.get("OT"),
        verified_it=it.verified if it else None,
        verified_ot=ot.verified if ot else None,
        sites=tuple((site, statuses.get(goal.id, "not_assessed")) for site, statuses in site_goals.items()),
    )


def rule_text(definition: MetricDefinition) -> str:
    """The RAG thresholds in words, in the metric's unit."""
    return thresholds(definition.direction, definition.green, definition.amber, definition.unit)


def _metric_rows(metrics, definitions, history, previous) -> tuple[MetricRow, ...]:
    if metrics is None:
        return ()
    rows = []
    for name, definition in definitions.items():
        result = metrics.metrics.get(name)
        if result is None:
            continue
        prev = previous.metrics.get(name) if previous else None
        rows.append(
            MetricRow(
                name=name,
                label=definition.label,
                unit=definition.unit,
                value=result.value,
                status=result.status,
                rule=rule_text(definition),
                previous=prev,
                trend=_trend_word(result.value, prev, definition.direction),
                history=tuple(h.metrics.get(name) for h in history),
                green=definition.green,
                amber=definition.amber,
                combine=definition.combine,
                display=metric_value(result.value, definition.unit),
                change=result.value - prev if result.value is not None and prev is not None else None,
                by_environment=dict(result.by_environment),
                by_site=dict(result.by_site),
                missing_reason=result.missing_reason if result.value is None else None,
            )
        )
    return tuple(rows)


def _trend_word(value, previous, direction) -> str:
    if value is None:
        return "missing"
    if previous is None:
        return "new"
    if abs(value - previous) < 1e-9:
        return "same"
    improved = value > previous if direction == "higher_is_better" else value < previous
    return "better" if improved else "worse"


def _scenario_rows(scorecard: Scorecard, definitions) -> tuple[ScenarioRow, ...]:
    rows = []
    for s in scorecard.scenarios.values():
        labels = tuple(
            (definitions[m].label if m in definitions else m, status) for m, status in s.metrics.items()
        )
        rows.append(
            ScenarioRow(
                id=s.id,
                name=s.name,
                readiness=s.readiness,
                it=s.by_environment.get("IT"),
                ot=s.by_environment.get("OT"),
                answered=s.answered,
                questions=s.questions,
                metrics=labels,
            )
        )
    return tuple(rows)


def finding_for(findings: tuple[Finding, ...], question_id: str, environment: str, site: str = "") -> Finding | None:
    """The open or in-progress finding for this response (at `site`, in an enterprise report),
    else any finding for it, else None."""
    return _pick([f for f in findings if f.question_id == question_id and f.site == site], environment)


def _pick(candidates: list[Finding], environment: str) -> Finding | None:
    """finding_for's rule over the findings of one question at one site, in report order."""
    matches = [f for f in candidates if f.environment in ("", environment)]
    open_ones = [f for f in matches if f.status in OPEN_ACTIONS]
    return (open_ones or matches or [None])[0]


def _roadmap(scorecard, questionnaire: Questionnaire, findings) -> tuple[RoadmapItem, ...]:
    sections = {s.id: s.title for s in questionnaire.sections}
    notes = {q.id: q.consequence_note for q in questionnaire.questions}
    comments = {(r.site, r.question_id, r.environment): r.notes for r in scorecard.responses}
    # Findings grouped once by (site, question): a roll-up of hundreds of sites has thousands of
    # gaps and findings, and a scan of every finding per gap took seconds.
    by_question: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        by_question.setdefault((f.site, f.question_id), []).append(f)
    items = []
    for rank, gap in enumerate(scorecard.gaps, start=1):
        finding = _pick(by_question.get((gap.site, gap.question_id), []), gap.environment)
        items.append(
            RoadmapItem(
                rank=rank,
                question_id=gap.question_id,
                text=gap.text,
                section=sections.get(gap.section, gap.section),
                environment=gap.environment,
                verified=gap.verified,
                target=gap.target,
                gap=gap.gap,
                priority=gap.priority,
                consequence=notes.get(gap.question_id) or f"consequence rated {gap.consequence} of 5",
                consequence_rating=gap.consequence,
                owner=finding.owner if finding else "",
                due=finding.due if finding else None,
                status=finding.status if finding else "no action yet",
                csf=", ".join(gap.csf),
                cpg=", ".join(gap.cpg),
                cap_reasons=gap.cap_reasons,
                overdue_days=finding.overdue_days if finding else None,
                action=finding.title if finding else "",
                notes=comments.get((gap.site, gap.question_id, gap.environment), ""),
                site=gap.site,
            )
        )
    return tuple(items)


__all__ = ["age_band", "build_context", "finding_for", "period_label", "rule_text", "score3"]
