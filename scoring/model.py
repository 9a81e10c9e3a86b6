"""Inputs and outputs of the scoring engine, as frozen models.

Every score is a float on the 0–5 maturity scale, or `None` when nothing was answered below that
node (no score is not a zero). Numbers are never rounded here; presentation rounds to 2 decimals.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from catalog.models import Environment


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scope(StrEnum):
    """Which environments an assessment covers."""

    IT = "IT"
    OT = "OT"
    IT_OT = "IT+OT"

    @property
    def environments(self) -> tuple[Environment, ...]:
        return _SCOPE_ENVIRONMENTS[self.value]


_SCOPE_ENVIRONMENTS: dict[str, tuple[Environment, ...]] = {"IT": ("IT",), "OT": ("OT",), "IT+OT": ("IT", "OT")}


# --- Inputs -----------------------------------------------------------------------------------


class Response(Frozen):
    """An assessor's answer to one question for one environment.

    `current` is the claimed maturity 0–5, or None when unanswered; `na` marks the question as not
    applicable here (then `na_reason` says why and `current` is None). `target` None means "use the
    questionnaire's target profile".
    """

    question_id: str
    environment: Environment
    current: int | None = Field(default=None, ge=0, le=5)
    na: bool = False
    na_reason: str = ""
    target: int | None = Field(default=None, ge=0, le=5)
    notes: str = ""


# --- Outputs ----------------------------------------------------------------------------------

GoalStatus = Literal["implemented", "in_progress", "not_implemented", "not_assessed"]
ResponseState = Literal["answered", "na", "unanswered"]


class Triple(Frozen):
    """Claimed (from `current`), verified (after evidence caps) and target maturity."""

    claimed: float | None = None
    verified: float | None = None
    target: float | None = None


class CapApplied(Frozen):
    """Why a response's verified level is below its claim (or would be, at that claim).

    `threshold` describes the rule step in words, e.g. "≥ 85 → up to 4" or "below 50 → up to 1".
    """

    question_id: str
    environment: Environment
    metric: str
    value: float
    threshold: str
    cap_level: int
    claimed: int
    verified: int
    reason: str
    site: str = ""
    """The site the cap was applied at, in an enterprise roll-up (scoring.enterprise); else empty."""


class ResponseScore(Frozen):
    question_id: str
    environment: Environment
    state: ResponseState
    claimed: int | None
    verified: int | None
    target: int
    verified_by_evidence: bool
    """True when the question has evidence rules and every rule's metric was present."""
    caps: tuple[CapApplied, ...] = ()
    na_reason: str = ""
    notes: str = ""
    site: str = ""
    """The site answered at, in an enterprise roll-up (scoring.enterprise); else empty."""


class NodeScore(Frozen):
    """A framework node's score: combined IT+OT and per environment in scope."""

    id: str
    title: str
    combined: Triple
    by_environment: dict[Environment, Triple]
    answered: int
    """Answered responses mapped at or below this node."""


class GoalScore(Frozen):
    id: str
    title: str
    combined: Triple
    by_environment: dict[Environment, Triple]
    status: dict[Environment, GoalStatus]


class Overall(Frozen):
    claimed: float | None
    verified: float | None
    target: float | None
    completion: float
    """(answered + NA) ÷ applicable responses, 0–1."""
    confidence: float
    """Share (0–1) of answered responses whose question has evidence rules with all metrics present."""
    answered: int
    not_applicable: int
    applicable: int


class Gap(Frozen):
    question_id: str
    environment: Environment
    section: str
    text: str
    target: int
    verified: int
    gap: int
    weight: int
    consequence: int
    priority: float
    """gap × weight × consequence."""
    csf: tuple[str, ...]
    cpg: tuple[str, ...]
    cap_reasons: tuple[str, ...] = ()
    site: str = ""
    """The site the gap is at, in an enterprise roll-up (scoring.enterprise); else empty."""


class ScenarioScore(Frozen):
    id: str
    name: str
    readiness: float | None
    """Mean verified level of the scenario's answered questions (both environments), 0–5."""
    by_environment: dict[Environment, float | None]
    metrics: dict[str, str]
    """Metric name → RAG status (green/amber/red/missing)."""
    answered: int
    questions: int


class Scorecard(Frozen):
    questionnaire_id: str
    questionnaire_version: str
    scope: Scope
    as_of: date
    overall: Overall
    by_environment: dict[Environment, Overall]
    functions: dict[str, NodeScore]
    categories: dict[str, NodeScore]
    subcategories: dict[str, NodeScore]
    cpg_goals: dict[str, GoalScore]
    cpg_implemented_pct: float | None
    """% of CPG goals implemented over (goal, environment) pairs that were assessed."""
    cpg_implemented_pct_by_environment: dict[Environment, float | None]
    gaps: tuple[Gap, ...]
    """Ranked by priority, highest first."""
    scenarios: dict[str, ScenarioScore]
    caps: tuple[CapApplied, ...]
    responses: tuple[ResponseScore, ...]
