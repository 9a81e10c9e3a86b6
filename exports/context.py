"""ReportContext: the one view-model every export (PDF, workbooks) and the dashboard read.

Exports never touch storage, the engine or the clock: the services layer gathers records and calls
`exports.builder.build_context`, which turns a Scorecard plus history, findings, exceptions,
exercises, sites and audit entries into these frozen rows. Every number a page shows is computed
here (deltas, ages, percentages), so templates only format: no arithmetic in templates.

Units: maturity scores are floats on the 0–5 scale (None = no score, never 0); `completion`,
`confidence` are shares 0–1; `*_pct` are percentages 0–100; ages and `*_days` are whole days;
exercise times minutes; a metric's value is in its `unit` (pct, count, days, minutes). Dates are
calendar dates; "overdue" counts are days past a due date at the report's as-of date; costs are in
the organisation's own currency and efforts in person-days (exports.plan_context). The JSON
report (exports.report_json) is this view-model as it stands, documented in docs/exports.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from pydantic import ConfigDict

from exports.plan_context import PlanSection
from scoring.model import CapApplied

ReportKind = Literal["assessment", "site", "enterprise"]
Paper = Literal["a4", "letter"]
PAPERS: tuple[Paper, ...] = ("a4", "letter")


@dataclass(frozen=True)
class Score3:
    """Claimed, verified and target maturity (0–5 or None)."""

    claimed: float | None = None
    verified: float | None = None
    target: float | None = None


# --- Inputs the services layer hands over (plain records, no storage types) ---------------------


@dataclass(frozen=True)
class ReportMeta:
    """Who and what the report is about. `status` is draft, in_review or final."""

    title: str
    organisation: str
    subject: str
    """The site name, or the organisation for an enterprise report."""
    kind: ReportKind
    scope: str
    as_of: date
    status: str
    assessor: str = ""
    questionnaire: str = ""
    frameworks: str = "NIST CSF 2.0 · CISA CPG 2.0"
    generated_on: date | None = None
    assessment_id: str = ""
    basis: str = ""
    """What the figures are, in one sentence a board can read (set for the enterprise roll-up:
    "criticality-weighted across N sites: …, as of …"); empty for one assessment."""
    assessment_uid: str = ""
    """The stable unique id of the assessment (enterprise: of the enterprise-wide member rolled up);
    the OSCAL exports derive their UUIDs from it, so a re-export keeps them."""

    @property
    def is_final(self) -> bool:
        return self.status == "final"


@dataclass(frozen=True)
class HistoryPoint:
    """One finalised snapshot of the same subject (site, enterprise), oldest first in a series."""

    label: str
    as_of: date
    overall: Score3
    functions: dict[str, float | None] = field(default_factory=dict)
    """Verified score per CSF function id."""
    cpg_implemented_pct: float | None = None
    metrics: dict[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """An action on the plan of action and milestones (POA&M), linked to a response."""

    id: str
    title: str
    question_id: str = ""
    environment: str = ""
    owner: str = ""
    due: date | None = None
    status: str = "open"
    notes: str = ""
    site: str = ""
    """The site of the assessment the finding belongs to (enterprise report); else empty."""
    overdue_days: int | None = None
    """Days past `due` at the report's as-of date while the action is open or in progress (set
    by build_context); None when not overdue."""
    promises: str = ""
    """The levels the action brings answers to when done, e.g. "ACC-01 OT → 4; REM-02 → 4"."""
    evidence_metric: str = ""
    evidence_value: float | None = None
    """The evidence the action will produce: `evidence_metric` reaching this value (its unit)."""
    cost: float | None = None
    """Estimated cost, in the organisation's currency."""
    effort_days: float | None = None
    """Estimated effort, in person-days."""
    version: int = 0
    """The action's stored version (an edited Plan sheet is imported only over this version)."""


@dataclass(frozen=True)
class ExceptionRecord:
    """A risk acceptance from the `exceptions` evidence dataset."""

    exception_id: str
    title: str
    risk_rating: str
    opened: date
    status: str = "open"
    owner: str = ""
    review_date: date | None = None
    site: str = ""
    as_of: date | None = None
    """The as-of date of the assessment whose evidence holds the row: its age and review are
    measured from it, as the metrics measure them (None: the report's as-of date)."""


@dataclass(frozen=True)
class ExerciseRecord:
    """One exercise from the `exercises` evidence dataset; minutes may be missing."""

    exercise_id: str
    date: date
    scenario: str = ""
    exercise_type: str = ""
    detect_minutes: float | None = None
    escalate_minutes: float | None = None
    contain_minutes: float | None = None
    recover_minutes: float | None = None
    site: str = ""


@dataclass(frozen=True)
class SiteSummary:
    """A site's latest assessment, for the enterprise comparison."""

    name: str
    criticality: str
    as_of: date | None
    status: str
    overall: Score3
    completion: float
    confidence: float
    cpg_implemented_pct: float | None
    functions: dict[str, float | None] = field(default_factory=dict)
    previous_verified: float | None = None
    weight: int = 0
    """The site's weight in the enterprise roll-up (0: not part of it, e.g. too old)."""


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    user: str
    entity: str
    field: str
    old: str
    new: str


# --- Rows the exports present -----------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    overall: Score3
    completion: float
    confidence: float
    answered: int
    applicable: int
    not_applicable: int
    previous_verified: float | None
    delta_verified: float | None
    previous_label: str
    cpg_implemented_pct: float | None
    cpg_by_environment: dict[str, float | None]
    by_environment: dict[str, Score3]
    target_due: date | None = None
    """When the overall target is due (the assessment's date, else its target profile's; the
    enterprise: the last of its sites' dates); None when no date is set."""


@dataclass(frozen=True)
class ScoreRow:
    """A CSF node: combined and per environment (IT/OT missing when out of scope)."""

    id: str
    title: str
    level: Literal["function", "category", "subcategory"]
    combined: Score3
    it: Score3 | None
    ot: Score3 | None
    answered: int


@dataclass(frozen=True)
class GoalRow:
    id: str
    title: str
    status_it: str | None
    status_ot: str | None
    verified_it: float | None
    verified_ot: float | None
    sites: tuple[tuple[str, str], ...] = ()
    """Enterprise report: (site, status) per rolled-up site, the site's worst status over its
    environments; status_it/status_ot are then the worst over the sites."""


@dataclass(frozen=True)
class MetricRow:
    name: str
    label: str
    unit: str
    value: float | None
    status: str
    rule: str
    """The RAG thresholds in words, e.g. "green ≥ 95 %, amber ≥ 80 %"."""
    previous: float | None
    trend: Literal["better", "worse", "same", "new", "missing"]
    history: tuple[float | None, ...]
    green: float | None = None
    """The green threshold in the metric's unit (the target a chart can mark)."""
    amber: float | None = None
    combine: str = ""
    """How the value combines across environments and sites: sum, max, median or ratio."""
    display: str = ""
    """The value as every output writes it, unit included (exports.formatting.metric_value)."""
    change: float | None = None
    """value − previous, in the metric's unit (percentage points for pct); None without both."""
    by_environment: dict[str, float | None] = field(default_factory=dict)
    """Per environment (IT, OT) for metrics measured per environment, from the rows of that
    environment (pooled across sites in an enterprise report); what evidence caps read."""
    by_site: dict[str, float | None] = field(default_factory=dict)
    """Per site: in an enterprise report each member's own value by its label (`value` pools
    them); in one assessment's, the value per site named in the evidence's site column."""
    missing_reason: str | None = None
    """Why the value is missing: the field of the evidence that would make it computable and how
    to supply it (map a column, or set a default); None when there is a value."""


@dataclass(frozen=True)
class ScenarioRow:
    id: str
    name: str
    readiness: float | None
    it: float | None
    ot: float | None
    answered: int
    questions: int
    metrics: tuple[tuple[str, str], ...]
    """(metric label, RAG status) pairs."""


@dataclass(frozen=True)
class RoadmapItem:
    rank: int
    question_id: str
    text: str
    section: str
    environment: str
    verified: int
    target: int
    gap: int
    priority: float
    consequence: str
    owner: str
    due: date | None
    status: str
    csf: str
    cpg: str
    cap_reasons: tuple[str, ...]
    overdue_days: int | None = None
    """Days past `due` at the report's as-of date while the action is open or in progress."""
    action: str = ""
    """Title of the linked finding, if any."""
    notes: str = ""
    """The assessor's note on the response."""
    site: str = ""
    """Where the gap is (enterprise report); empty in a one-assessment report."""
    target_due: date | None = None
    """When the target is due: the agreed target's date, else the overall target's."""


@dataclass(frozen=True)
class ExceptionRow:
    exception_id: str
    title: str
    risk_rating: str
    site: str
    owner: str
    opened: date
    age_days: int
    """as_of − opened, never negative (rows dated after the as-of date are not read)."""
    age_band: str
    review_date: date | None
    overdue_review: bool
    review_overdue_days: int | None
    """Days past `review_date` at `as_of`; None when not overdue."""
    high_risk: bool
    """Rated critical or high (catalog.models.HIGH_RISK): the rows the metrics count."""
    as_of: date
    """The date ages are measured from: the as-of date of the assessment the row belongs to."""


@dataclass(frozen=True)
class ExerciseRow:
    exercise_id: str
    date: date
    scenario: str
    exercise_type: str
    site: str
    detect_minutes: float | None
    escalate_minutes: float | None
    contain_minutes: float | None
    recover_minutes: float | None


@dataclass(frozen=True)
class SiteRow:
    name: str
    criticality: str
    as_of: date | None
    status: str
    overall: Score3
    completion: float
    confidence: float
    cpg_implemented_pct: float | None
    delta_verified: float | None
    functions: dict[str, float | None]
    weight: int = 0


@dataclass(frozen=True)
class ResponseRow:
    question_id: str
    section: str
    text: str
    environment: str
    state: str
    claimed: int | None
    verified: int | None
    target: int
    verified_by_evidence: bool
    na_reason: str
    notes: str
    cap_reasons: str
    site: str = ""
    target_due: date | None = None
    """When the target is due: the agreed target's date, else the overall target's."""


@dataclass(frozen=True)
class NoteLine:
    """One response's note or N/A reason inside a NoteGroup: where it was given and what it says."""

    site: str
    environment: str
    state: str
    verified: int | None
    na_reason: str
    notes: str


@dataclass(frozen=True)
class NoteGroup:
    """Appendix D: one question (id and text shown once) with every note or N/A reason given on it,
    one line per (site, environment), in the order of the responses."""

    question_id: str
    text: str
    lines: tuple[NoteLine, ...]


@dataclass(frozen=True)
class TrendRow:
    label: str
    as_of: date
    overall: Score3
    cpg_implemented_pct: float | None
    functions: dict[str, float | None]


@dataclass(frozen=True)
class Verdict:
    """Whether the figures are a result yet (exports.verdict): `level` is reliable, provisional or
    incomplete; `reasons` say in words what is missing."""

    level: Literal["reliable", "provisional", "incomplete"]
    headline: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class SummaryItem:
    """One line of the executive summary: a headline and its supporting sentence."""

    title: str
    detail: str


@dataclass(frozen=True)
class ReportContext:
    meta: ReportMeta
    headline: Headline
    verdict: Verdict
    improvements: tuple[SummaryItem, ...]
    risks: tuple[SummaryItem, ...]
    decisions: tuple[SummaryItem, ...]
    functions: tuple[ScoreRow, ...]
    categories: tuple[ScoreRow, ...]
    subcategories: tuple[ScoreRow, ...]
    goals: tuple[GoalRow, ...]
    metrics: tuple[MetricRow, ...]
    scenarios: tuple[ScenarioRow, ...]
    roadmap: tuple[RoadmapItem, ...]
    findings: tuple[Finding, ...]
    exceptions: tuple[ExceptionRow, ...]
    exercises: tuple[ExerciseRow, ...]
    sites: tuple[SiteRow, ...]
    responses: tuple[ResponseRow, ...]
    caps: tuple[CapApplied, ...]
    """Every cap the engine applied, as the engine records it (scoring.model.CapApplied)."""
    trend: tuple[TrendRow, ...]
    audit: tuple[AuditEntry, ...]
    environments: tuple[str, ...]
    """Environments in scope, in display order (IT before OT)."""
    age_bands: tuple[str, ...] = ("0–30 days", "31–90 days", "91–180 days", "181–365 days", "over 1 year")
    note_groups: tuple[NoteGroup, ...] = ()
    """Appendix D: the responses with a note or N/A reason, grouped by question (rows.note_groups)."""
    plan: PlanSection | None = None
    """The path to target: the projection of the plan's actions, its targets and its roadmap
    (exports.plan_context); None when the report was built without a plan."""


# The JSON report's schema (exports.report_json) takes each field's docstring as its description.
for _type in (Score3, ReportMeta, HistoryPoint, Finding, ExceptionRecord, ExerciseRecord, SiteSummary, AuditEntry,
              Headline, ScoreRow, GoalRow, MetricRow, ScenarioRow, RoadmapItem, ExceptionRow, ExerciseRow, SiteRow,
              ResponseRow, NoteLine, NoteGroup, TrendRow, Verdict, SummaryItem, ReportContext):
    _type.__pydantic_config__ = ConfigDict(use_attribute_docstrings=True)  # type: ignore[attr-defined]
