"""The plan part of the ReportContext (`ReportContext.plan`): the path to target as every output
shows it, built by exports.plan_rows from a scoring.plan_model.Projection.

Units as in exports.context: maturity 0–5 (None = no score); `cost` in the organisation's own
currency (plain numbers, never converted); `effort_days` person-days; `gain_per_100k` maturity
per 100 000 of cost; dates are calendar dates; `*_days` whole days. The other exports (PowerPoint,
OSCAL) read these rows as they stand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pydantic import ConfigDict


@dataclass(frozen=True)
class PlanPoint:
    """The projected verified score on `on` ("today" first, then each quarter end), as if every
    counted action were done by then."""

    label: str
    on: date
    verified: float | None
    target: float | None
    actions_done: int
    """Actions of the plan counted as done by this point (cumulative)."""
    by_environment: dict[str, float | None] = field(default_factory=dict)
    functions: dict[str, float | None] = field(default_factory=dict)
    """Verified score per CSF function id."""
    categories: dict[str, float | None] = field(default_factory=dict)
    """Verified score per CSF category id."""
    sites: dict[str, float | None] = field(default_factory=dict)
    """Enterprise: each site's verified score."""
    cpg_implemented_pct: float | None = None


@dataclass(frozen=True)
class TargetRow:
    """A target with a due date and whether the plan reaches it in time: `status` on_track (reached
    by its date, or already), at_risk (reached after it) or off_track (no point reaches it)."""

    label: str
    """What the target is, in words: "Overall target" or e.g. "ACC-01 OT level 4"."""
    kind: str
    """overall (a site's, the assessment's or the enterprise's overall verified score) or response
    (an agreed target level of one answer)."""
    site: str
    question_id: str
    environment: str
    target: float | None
    today: float | None
    due: date
    reached_on: date | None
    status: str
    days_late: int | None = None
    """Days from `due` to `reached_on` when at risk."""


@dataclass(frozen=True)
class GoalChangeRow:
    """A CPG goal whose status the plan changes, first on `on`; `environment` empty with a `site`:
    that site's worst status over its environments."""

    goal_id: str
    title: str
    site: str
    environment: str
    before: str
    after: str
    on: date


@dataclass(frozen=True)
class PlanAction:
    """One action of the plan. Valued actions (open, promising what the projection can count) carry
    `rank` (roadmap order), `gain` (verified maturity it adds on its own) and `gain_per_100k`;
    the others have rank None and `state` says why the projection leaves them out."""

    id: str
    title: str
    site: str
    question_id: str
    environment: str
    owner: str
    due: date | None
    status: str
    state: str
    """scheduled, slipped, done, accepted, no_due_date, no_promise, not_answered or left_out
    (scoring.plan_model.ActionState)."""
    counts_on: date | None
    """The date the projection counts it done: its due date, or for a slipped action the report's
    as-of date + the site's average slip."""
    overdue_days: int | None
    promises: str
    """The levels it promises, e.g. "ACC-01 OT → 4; REM-02 → 4" (no environment: every one)."""
    evidence: str
    """The evidence it promises in words, e.g. "Access paths fully governed ≥ 95.0 %", or empty."""
    evidence_metric: str
    evidence_value: float | None
    cost: float | None
    effort_days: float | None
    rank: int | None = None
    gain: float | None = None
    site_gain: float | None = None
    """Enterprise: what it adds to its own site's overall score."""
    gain_per_100k: float | None = None


@dataclass(frozen=True)
class PlanSection:
    """The path to target: projected points, targets with their verdicts, CPG goals that change
    and the actions ranked by verified maturity bought per unit of cost."""

    today: date
    """The plan's date: the report's as-of date; "overdue" is read against it."""
    ranking: str
    """per_cost (every valued action has a cost) or per_action."""
    slip_days: dict[str, int]
    """Per site ("" for the assessment): the delay added to each overdue action (the mean days
    overdue of its overdue actions)."""
    points: tuple[PlanPoint, ...]
    targets: tuple[TargetRow, ...]
    goal_changes: tuple[GoalChangeRow, ...]
    actions: tuple[PlanAction, ...]
    """Valued actions in roadmap order, then the others by due date."""
    headline: TargetRow | None = None
    """The overall target of the report's subject (the assessment, site or enterprise), when it
    has a due date."""
    total_cost: float | None = None
    """Σ cost of the actions the projection counts (None when none has a cost)."""
    uncosted: int = 0
    """Counted actions without a cost estimate."""


for _type in (PlanPoint, TargetRow, GoalChangeRow, PlanAction, PlanSection):
    _type.__pydantic_config__ = ConfigDict(use_attribute_docstrings=True)  # type: ignore[attr-defined]
