"""Inputs and outputs of the projection (scoring.projection): actions that promise a level, the
assessments they act on, and the projected path to target.

Units: maturity scores are floats on the 0–5 scale (None = no score, never 0); levels are whole
0–5; `cost` is in the organisation's own currency (a plain number, never converted); `effort_days`
are person-days; dates are calendar dates; `*_days` whole days. Nothing here reads a clock or a
database: the services layer fills the inputs from storage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from pydantic import Field

from catalog.models import Environment, Framework, MetricDefinition, Questionnaire
from evidence.metric_set import MetricSet
from scoring.model import Frozen, GoalStatus, Response, Scope

ActionStatus = Literal["open", "in_progress", "done", "accepted"]
OPEN_STATUSES: tuple[ActionStatus, ...] = ("open", "in_progress")
"""Statuses of an action still to be done: the projection counts these on their dates."""

ActionState = Literal["scheduled", "slipped", "done", "accepted", "no_due_date", "no_promise", "not_answered",
                      "left_out"]
"""How the projection treats an action:
- scheduled: open, due on or after the plan's date: counted from its due date;
- slipped: open and overdue: counted at the plan's date + the site's average slip;
- done: already counts through the answers (the assessor raised them), not projected again;
- accepted: the risk was accepted instead: never counted;
- no_due_date / no_promise: open but without a due date, or promising no level and no evidence;
- not_answered: its level promise is on an unanswered or N/A answer (answer the question first);
- left_out: toggled out of this what-if plan (or over the budget)."""

TargetState = Literal["on_track", "at_risk", "off_track"]
TARGET_STATES: tuple[TargetState, ...] = ("on_track", "at_risk", "off_track")


class Promise(Frozen):
    """The level an action brings one answer to when done: (question, environment) → level;
    environment None means every environment of the assessment the question applies to."""

    question_id: str
    environment: Environment | None = None
    level: int = Field(ge=0, le=5)


def promises_text(promises: tuple[Promise, ...] | list[Promise]) -> str:
    """Promises in words, the form services.action_fields reads back: "ACC-01 OT → 4; REM-02 → 4"
    (no environment: every environment in scope)."""
    return "; ".join(f"{p.question_id}{' ' + p.environment if p.environment else ''} → {p.level}" for p in promises)


class PlannedAction(Frozen):
    """An action (a finding, on `question_id` / `environment`) and what it promises when done.

    `promises`: the levels it brings answers to (its own question's and any other it lifts).
    `evidence_metric` / `evidence_value`: the evidence it will produce, e.g. governed_access_pct 95
    ("privileged access paths governed ≥ 95 %"), in the metric's unit and read in the metric's
    direction (≥ for higher is better), for the action's environment (None: every one).
    `site` names the assessment it belongs to in an enterprise plan ("" for one assessment)."""

    id: str
    title: str
    question_id: str
    environment: Environment | None = None
    promises: tuple[Promise, ...] = ()
    evidence_metric: str | None = None
    evidence_value: float | None = None
    due: date | None = None
    status: ActionStatus = "open"
    owner: str = ""
    cost: float | None = None
    """Estimated cost in the organisation's currency (None: not estimated)."""
    effort_days: float | None = None
    """Estimated effort in person-days (None: not estimated)."""
    site: str = ""

    @property
    def has_promise(self) -> bool:
        return bool(self.promises) or (self.evidence_metric is not None and self.evidence_value is not None)


@dataclass(frozen=True)
class TargetDue:
    """An agreed target level for one response with its due date (a target override)."""

    question_id: str
    environment: Environment
    target: int
    due: date


@dataclass(frozen=True)
class PlanSubject:
    """One assessment as the projection sees it: the engine's inputs and its targets' dates.

    `site` labels it in an enterprise plan ("" for a one-assessment plan); `weight` is its weight
    in the enterprise roll-up (scoring.enterprise.weight_of). `target_due` is the due date of its
    overall target (the target profile's); `target_dues` the agreed per-response targets with dates."""

    questionnaire: Questionnaire
    csf: Framework
    cpg: Framework
    responses: tuple[Response, ...]
    metrics: MetricSet | None
    scope: Scope
    as_of: date
    site: str = ""
    weight: float = 1.0
    target_due: date | None = None
    target_dues: tuple[TargetDue, ...] = ()
    definitions: dict[str, MetricDefinition] = field(default_factory=dict)


class ScheduledAction(PlannedAction):
    """An action with the date the projection counts it and why (ActionState)."""

    state: ActionState
    counts_on: date | None = None
    """The date the projection counts it done: its due date, or for a slipped action the plan's
    date + the site's average slip; None when it is not counted."""
    overdue_days: int | None = None
    """Days past its due date at the plan's date (open actions only)."""


class ProjectedPoint(Frozen):
    """The verified score as if every counted action were done on `on` (the first point is today)."""

    on: date
    label: str
    """"today" for the first point, else the calendar quarter, e.g. "2027 Q1"."""
    counted: tuple[str, ...]
    """Ids of the actions done by this point (cumulative)."""
    verified: float | None
    target: float | None
    by_environment: dict[Environment, float | None]
    functions: dict[str, float | None]
    categories: dict[str, float | None]
    sites: dict[str, float | None] = {}
    """Enterprise: each site's own verified score (its label → score)."""
    cpg_implemented_pct: float | None
    cpg_status: dict[str, dict[Environment, GoalStatus]]
    site_cpg_status: dict[str, dict[str, GoalStatus]] = {}
    """Enterprise: per site, each goal's worst status over its environments."""


class TargetTrack(Frozen):
    """Whether a target with a due date is reached in time: on track (reached by its date, or
    already), at risk (reached after its date) or off track (no point of the plan reaches it)."""

    kind: Literal["overall", "response"]
    site: str = ""
    """The site whose target it is ("" for the assessment's own, or the enterprise's)."""
    question_id: str = ""
    environment: Environment | None = None
    target: float | None
    """The overall target score today, or the agreed level (None: nothing answered to aim with)."""
    today: float | None
    """Verified score (overall) or level (response) at the plan's date."""
    due: date
    reached_on: date | None
    """The first point of the plan at which the verified score reaches the target."""
    status: TargetState


class GoalChange(Frozen):
    """A CPG goal whose status the plan changes: from `before` (today) to `after` (the plan's last
    point), first on `on`. `environment` set: the status there (worst over sites in an enterprise);
    `site` set with no environment: that site's worst status over its environments."""

    goal_id: str
    title: str
    site: str = ""
    environment: Environment | None = None
    before: GoalStatus
    after: GoalStatus
    on: date


class ActionValue(Frozen):
    """What one action buys: the verified score it adds on its own to today's (overall; in an
    enterprise plan the enterprise's), its rank in the roadmap and the value per 100 000 of cost."""

    id: str
    rank: int
    gain: float
    """Overall verified maturity added by this action alone (0–5 scale difference, ≥ 0)."""
    site_gain: float
    """The same for its own assessment's overall score (equal to `gain` in a one-assessment plan)."""
    cost: float | None
    gain_per_100k: float | None
    """gain × 100 000 ÷ cost: maturity bought per 100 000 of cost (None without a cost)."""


class Projection(Frozen):
    """The path to target: quarterly points, the targets' verdicts and the goals that change."""

    today: date
    slip_days: dict[str, int]
    """Per site ("" for one assessment): the mean days overdue of its overdue open actions, the
    delay the projection adds to each of them (sites without overdue actions are absent)."""
    actions: tuple[ScheduledAction, ...]
    points: tuple[ProjectedPoint, ...]
    targets: tuple[TargetTrack, ...]
    goal_changes: tuple[GoalChange, ...]
    ranking: Literal["per_cost", "per_action"] = "per_action"
    """How `values` are ordered: by gain per unit of cost when every valued action has a cost, else
    by gain per action."""
    values: tuple[ActionValue, ...] = ()
    """The roadmap: valued actions (open, with a promise on an answered response), best first."""
