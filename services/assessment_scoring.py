"""Scoring a stored assessment: the one rule every caller uses — the app's questionnaire view, the
CLI, reports, dashboards, trends' "what changed" and finalising.

- A final assessment's score is its snapshot, so what was finalised never changes, even when the
  content or the engine later does; its metrics are the snapshot's.
- Any other is scored now through the engine (services.scorecards.score_responses): its responses,
  each with the admin's target override when there is one, and the metrics of its current stored
  evidence as of its date (services.stored_evidence; None without evidence: then nothing is capped
  and nothing counts as verified).

`scorecard_of` is that rule over records already read (the app re-scores a loaded assessment
without reading it again); `score_in_session` reads the records and the metrics in the caller's
session and applies it, so a report or a snapshot is made from one consistent state.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from catalog.content_catalog import Catalog
from evidence.metric_set import MetricSet
from scoring.model import Scope, Scorecard
from services.access import Actor
from services.assessment_records import AssessmentDetail, read_detail
from services.context import Context
from services.scorecards import score_responses
from services.stored_evidence import metrics_in_session


@dataclass(frozen=True)
class ScoredAssessment:
    """An assessment's records, its Scorecard and the metrics it shows."""

    detail: AssessmentDetail
    scorecard: Scorecard
    metrics: MetricSet | None


def scorecard_of(catalog: Catalog, detail: AssessmentDetail, metrics: MetricSet | None) -> Scorecard:
    """The assessment's Scorecard: its snapshot's when final, else scored now from its responses
    (target overrides win over answered targets) and `metrics` (`metrics_of`)."""
    if detail.snapshot is not None:
        return Scorecard.model_validate(detail.snapshot.scorecard)
    overrides = {(t.question_id, t.environment): t.target for t in detail.targets}
    inputs = [r.to_response(overrides.get((r.question_id, r.environment))) for r in detail.responses]
    a = detail.assessment
    return score_responses(catalog, a.questionnaire_id, inputs, metrics, scope=Scope(a.scope), as_of=a.as_of)


def metrics_of(session: Session, detail: AssessmentDetail, catalog: Catalog) -> MetricSet | None:
    """The metrics the assessment shows: its snapshot's when final, else those of its current
    evidence as of its date (None without evidence)."""
    if detail.snapshot is not None:
        stored = detail.snapshot.metrics
        return MetricSet.model_validate(stored) if stored else None
    return metrics_in_session(session, detail.assessment, catalog)


def score_in_session(session: Session, assessment_id: int, catalog: Catalog) -> ScoredAssessment:
    """Read the assessment and its metrics in `session` and score it (see the module docstring)."""
    detail = read_detail(session, assessment_id)
    metrics = metrics_of(session, detail, catalog)
    return ScoredAssessment(detail, scorecard_of(catalog, detail, metrics), metrics)


def score_assessment(ctx: Context, actor: Actor, assessment_id: int) -> Scorecard:
    """The assessment's Scorecard (the snapshot when final, else scored now)."""
    with ctx.read() as session:
        return score_in_session(session, assessment_id, ctx.catalog).scorecard


def assessment_metrics(ctx: Context, actor: Actor, assessment_id: int) -> MetricSet | None:
    """The metrics the assessment shows (the snapshot's when final; None without evidence)."""
    with ctx.read() as session:
        return metrics_of(session, read_detail(session, assessment_id), ctx.catalog)
