"""Scoring policy: the rules a board could ask us to change, kept apart from the mechanics.

Everything here is a small pure function or a constant of `Policy`. The mechanics (means up the
CSF tree, CPG goals, gap ranking) live in rollup.py, gaps.py and scenarios.py and call these.
docs/methodology.md states each rule in plain words.

Units: maturity levels are integers 0–5; metric values are in the metric's unit (pct 0–100,
count, days, minutes).
"""

from __future__ import annotations

from dataclasses import dataclass

from catalog.models import Environment, EvidenceRule, MetricDefinition, Question, Questionnaire
from evidence.metric_set import Status
from scoring.model import GoalStatus, Response


@dataclass(frozen=True)
class Policy:
    """Tunable thresholds of the default rules (levels on the 0–5 scale).

    - `implemented_level`: a CPG goal is implemented in an environment when every answered
      question mapped to it is verified at or above this level (default 3, "Defined").
    - `in_progress_level`: otherwise it is in progress when any is at or above this (default 1).
    """

    implemented_level: int = 3
    in_progress_level: int = 1


DEFAULT_POLICY = Policy()


# --- Rule 1: evidence caps ---------------------------------------------------------------------


def passes(rule: EvidenceRule, value: float, threshold: float) -> bool:
    """Whether `value` passes a step: ≥ threshold (higher is better) or ≤ threshold (lower)."""
    if rule.direction == "higher_is_better":
        return value >= threshold
    return value <= threshold


def cap_for(rule: EvidenceRule, value: float) -> tuple[int, str]:
    """The highest level `value` supports under `rule`, and the step that decided it in words.

    Steps are tried in order; the first the value passes gives the cap. When none passes the cap
    is the rule's floor, described against the last step ("below 50 → up to 1").
    """
    for step in rule.steps:
        if passes(rule, value, step.threshold):
            sign = "≥" if rule.direction == "higher_is_better" else "≤"
            return step.level, f"{sign} {_number(step.threshold)} → up to {step.level}"
    last = rule.steps[-1].threshold if rule.steps else 0.0
    side = "below" if rule.direction == "higher_is_better" else "above"
    return rule.floor, f"{side} {_number(last)} → up to {rule.floor}"


def _number(value: float) -> str:
    """A threshold as written in content: 85 rather than 85.0."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# --- Rule 2: what counts as answered ------------------------------------------------------------


def state_of(response: Response | None) -> str:
    """answered (a current level), na (not applicable, with a reason) or unanswered."""
    if response is None:
        return "unanswered"
    if response.na:
        return "na"
    return "answered" if response.current is not None else "unanswered"


# --- Targets -------------------------------------------------------------------------------------


def target_of(questionnaire: Questionnaire, question: Question, response: Response | None, environment: Environment) -> int:
    """The response's own target, else the questionnaire's default (question, section, profile)."""
    if response is not None and response.target is not None:
        return response.target
    return questionnaire.default_target(question, environment)


# --- Rule 6: CPG goal status ---------------------------------------------------------------------


def goal_status(verified_levels: list[int], policy: Policy = DEFAULT_POLICY) -> GoalStatus:
    """Status of a CPG goal in one environment from the verified levels of its answered questions."""
    if not verified_levels:
        return "not_assessed"
    if all(level >= policy.implemented_level for level in verified_levels):
        return "implemented"
    if any(level >= policy.in_progress_level for level in verified_levels):
        return "in_progress"
    return "not_implemented"


# --- Rule 7: gaps --------------------------------------------------------------------------------


def gap_of(target: int, verified: int) -> int:
    """Levels still to climb: max(0, target − verified)."""
    return max(0, target - verified)


def gap_priority(gap: int, weight: int, consequence: int) -> float:
    """gap × question weight (1–3) × consequence (1–5): 0 to 75."""
    return float(gap * weight * consequence)


# --- Rule 9: metric status -----------------------------------------------------------------------


def rag_status(definition: MetricDefinition | None, value: float | None, reported: Status = "missing") -> Status:
    """Green/amber/red of a metric value under its definition's thresholds; missing when no value.

    Without a definition (a metric named in content but defined nowhere we can see) the status the
    evidence computation reported is kept.
    """
    if value is None:
        return "missing"
    if definition is None:
        return reported
    return definition.rag(value)
