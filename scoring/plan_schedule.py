"""When the projection counts each action, and the hypothetical answers and evidence it scores.

Rules (docs/methodology.md, "Path to target"):
- An open or in-progress action with a due date on or after the plan's date (`today`) counts from
  its due date. One due before `today` is overdue: it counts at `today` + the mean days overdue of
  its site's overdue open actions (the site's average slip, rounded up to whole days). Done actions
  count already, through the answers; accepted risks, actions without a due date and actions that
  promise nothing are never counted.
- A level promise applies to an answered response only (an unanswered or N/A one is left as it is,
  and an action none of whose promises lands on an answer, and that promises no evidence, is
  `not_answered`): the hypothetical level is max(answered level, promised level), so completing an
  action never lowers an answer.
- An evidence promise sets the metric's value, for the action's environment where the metric has a
  value per environment, else overall, to the better of the measured and the promised value (the
  metric's direction decides "better"). A metric with no measured value caps nothing today, so a
  promise leaves it missing: producing the evidence cannot raise a verified score there.
- Points: `today`, then every calendar quarter end after it up to the one holding the last date
  an action counts on. An action counts at a point when it counts on or before that point's date;
  the first point ("today") counts none, so it is the assessment's own score.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from catalog.models import Environment
from evidence.metric_set import MetricResult, MetricSet
from scoring.model import Response
from scoring.plan_model import (
    OPEN_STATUSES,
    ActionState,
    PlannedAction,
    PlanSubject,
    Promise,
    ScheduledAction,
)


def quarter_end(day: date) -> date:
    """The last day of the calendar quarter holding `day`."""
    month = ((day.month - 1) // 3) * 3 + 3
    return (date(day.year + 1, 1, 1) if month == 12 else date(day.year, month + 1, 1)) - timedelta(days=1)


def quarter_label(day: date) -> str:
    """The calendar quarter of a date, e.g. '2027 Q1'."""
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def point_dates(today: date, last: date | None) -> list[date]:
    """`today`, then each quarter end after it up to the quarter end on or after `last`."""
    dates = [today]
    if last is None or last <= today:
        return dates
    end = quarter_end(today)
    if end == today:
        end = quarter_end(today + timedelta(days=1))
    while True:
        dates.append(end)
        if end >= last:
            return dates
        end = quarter_end(end + timedelta(days=1))


def slip_days(actions: Iterable[PlannedAction], today: date) -> dict[str, int]:
    """Per site: the mean days overdue of its overdue open actions, rounded up (sites with none are absent)."""
    late: dict[str, list[int]] = {}
    for a in actions:
        if a.status in OPEN_STATUSES and a.due is not None and a.due < today:
            late.setdefault(a.site, []).append((today - a.due).days)
    return {site: math.ceil(sum(days) / len(days)) for site, days in late.items()}


def schedule(actions: Sequence[PlannedAction], subjects: Sequence[PlanSubject], today: date,
             include: frozenset[str] | None = None) -> tuple[tuple[ScheduledAction, ...], dict[str, int]]:
    """Every action with its state and the date it counts on, and the sites' slips.

    `include`: the ids of a what-if plan; open actions outside it are `left_out` (None: all in)."""
    slips = slip_days(actions, today)
    answered = {s.site: {(r.question_id, r.environment) for r in s.responses if r.current is not None and not r.na}
                for s in subjects}
    scopes = {s.site: s.scope.environments for s in subjects}
    out = []
    for a in actions:
        overdue = (today - a.due).days if a.status in OPEN_STATUSES and a.due is not None and a.due < today else None
        state = _state(a, answered.get(a.site, set()), scopes.get(a.site, ()), include, overdue)
        counts_on = None
        if state == "scheduled":
            counts_on = a.due
        elif state == "slipped":
            counts_on = today + timedelta(days=slips[a.site])
        out.append(ScheduledAction(**a.model_dump(), state=state, counts_on=counts_on, overdue_days=overdue))
    return tuple(out), slips


def _state(a: PlannedAction, answered: set[tuple[str, str]], environments: Sequence[Environment],
           include: frozenset[str] | None, overdue: int | None) -> ActionState:
    if a.status == "done":
        return "done"
    if a.status == "accepted":
        return "accepted"
    if not a.has_promise:
        return "no_promise"
    has_evidence = a.evidence_metric is not None and a.evidence_value is not None
    if not has_evidence and not any(pair in answered for p in a.promises for pair in pairs_of(p, environments)):
        return "not_answered"
    if a.due is None:
        return "no_due_date"
    if include is not None and a.id not in include:
        return "left_out"
    return "slipped" if overdue is not None else "scheduled"


def pairs_of(promise: Promise, environments: Sequence[Environment]) -> list[tuple[str, Environment]]:
    """The (question, environment) pairs a level promise applies to (environment None: all in scope)."""
    envs = [promise.environment] if promise.environment is not None else list(environments)
    return [(promise.question_id, env) for env in envs]


def promised_levels(subject: PlanSubject, done: Sequence[PlannedAction]) -> dict[tuple[str, str], int]:
    """The highest level `done` promises each (question, environment) of the subject's scope."""
    raised: dict[tuple[str, str], int] = {}
    for a in done:
        for promise in a.promises:
            for pair in pairs_of(promise, subject.scope.environments):
                raised[pair] = max(raised.get(pair, 0), promise.level)
    return raised


def raised(response: Response, level: int | None) -> Response:
    """The response with a promised level applied: an answered one is raised to it, never lowered;
    an unanswered or N/A one is left as it is (the same object when nothing changes)."""
    if level is not None and response.current is not None and not response.na and level > response.current:
        return response.model_copy(update={"current": level})
    return response


def hypothetical_responses(subject: PlanSubject, done: Sequence[PlannedAction]) -> tuple[Response, ...]:
    """The subject's responses with the level promises of `done` applied (answered ones only)."""
    levels = promised_levels(subject, done)
    if not levels:
        return subject.responses
    return tuple(raised(r, levels.get((r.question_id, r.environment))) for r in subject.responses)


def hypothetical_metrics(subject: PlanSubject, done: Sequence[PlannedAction]) -> MetricSet | None:
    """The subject's metrics with the evidence promises of `done` applied (measured metrics only)."""
    metrics = subject.metrics
    promised = [a for a in done if a.evidence_metric is not None and a.evidence_value is not None]
    if metrics is None or not promised:
        return metrics
    results = dict(metrics.metrics)
    for a in promised:
        result = results.get(a.evidence_metric)
        if result is None:
            continue
        definition = subject.definitions.get(a.evidence_metric)
        lower = definition is not None and definition.direction == "lower_is_better"
        results[a.evidence_metric] = _improved(result, a.environment, a.evidence_value, lower)
    return metrics.model_copy(update={"metrics": results})


def _improved(result: MetricResult, environment: Environment | None, promised: float, lower: bool) -> MetricResult:
    def better(value: float | None) -> float | None:
        if value is None:
            return None
        return min(value, promised) if lower else max(value, promised)

    by_env = dict(result.by_environment)
    if environment is not None and environment in by_env:
        by_env[environment] = better(by_env[environment])
        return result.model_copy(update={"by_environment": by_env})
    if environment is None:
        by_env = {env: better(v) for env, v in by_env.items()}
    return result.model_copy(update={"value": better(result.value), "by_environment": by_env})
