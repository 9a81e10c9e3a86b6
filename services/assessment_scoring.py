"""Scoring a stored assessment: the one rule every caller uses — the app's questionnaire view, the
CLI, reports, dashboards, trends' "what changed" and finalising.

- A final assessment's score is its snapshot, so what was finalised never changes, even when the
  content or the engine later does; its metrics are the snapshot's.
- Any other is scored now through the engine (services.scorecards.score_responses): its responses,
  each with the admin's target override when there is one, and the metrics of its current stored
  evidence as of its date (services.stored_evidence; None without evidence: then nothing is capped
  and nothing counts as verified).

`scorecard_of` applies the rule to an assessment already loaded (the app re-scores what it shows
without reading it again); `score_in_session` reads what the rule needs in the caller's session (a
final assessment's answers are not read: its snapshot is its score), so a report or a snapshot is
made from one consistent state.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from catalog.content_catalog import Catalog
from evidence.metric_set import MetricSet
from scoring.model import Scope, Scorecard
from services.access import Actor
from services.assessment_records import AssessmentDetail
from services.context import Context
from services.scorecards import score_responses
from services.stored_evidence import metrics_in_session
from storage import assessments as store
from storage import responses, snapshots, targets
from storage.records import Assessment, Snapshot, StoredResponse, TargetOverride


@dataclass(frozen=True)
class ScoredAssessment:
    """An assessment, its snapshot when final, its Scorecard and the metrics it shows."""

    assessment: Assessment
    snapshot: Snapshot | None
    scorecard: Scorecard
    metrics: MetricSet | None


def scorecard_of(catalog: Catalog, detail: AssessmentDetail, metrics: MetricSet | None) -> Scorecard:
    """The Scorecard of a loaded assessment: its snapshot's when final, else scored now from its
    answers and `metrics` (the metrics of its current evidence, `assessment_metrics`)."""
    if detail.snapshot is not None:
        return detail.snapshot.scorecard
    return score_answers(catalog, detail.assessment, detail.responses, detail.targets, metrics)


def score_answers(catalog: Catalog, assessment: Assessment, answers: Iterable[StoredResponse],
                  overrides: Iterable[TargetOverride], metrics: MetricSet | None) -> Scorecard:
    """Score the answers of an assessment that is not final; a target override wins over the
    answered target."""
    override = {(t.question_id, t.environment): t.target for t in overrides}
    inputs = [r.to_response(override.get((r.question_id, r.environment))) for r in answers]
    return score_responses(catalog, assessment.questionnaire_id, inputs, metrics, scope=Scope(assessment.scope),
                           as_of=assessment.as_of)


def score_in_session(session: Session, assessment_id: int, catalog: Catalog) -> ScoredAssessment:
    """Read the assessment in `session` and score it (see the module docstring)."""
    return score_read(session, store.get(session, assessment_id), snapshots.get(session, assessment_id), catalog)


def score_read(session: Session, assessment: Assessment, snapshot: Snapshot | None, catalog: Catalog, *,
               answers: list[StoredResponse] | None = None,
               overrides: list[TargetOverride] | None = None) -> ScoredAssessment:
    """`score_in_session` of an assessment and its snapshot already read (with its answers and
    target overrides too, when the caller read them for many assessments at once); what is not
    given, and the metrics of one not final, are read in `session`."""
    if snapshot is not None:
        return ScoredAssessment(assessment, snapshot, snapshot.scorecard, snapshot.metrics)
    metrics = metrics_in_session(session, assessment, catalog)
    if answers is None:
        answers = responses.list_for(session, assessment.id)
    if overrides is None:
        overrides = targets.list_for(session, assessment.id)
    return ScoredAssessment(assessment, None, score_answers(catalog, assessment, answers, overrides, metrics), metrics)


def score_assessment(ctx: Context, actor: Actor, assessment_id: int) -> Scorecard:
    """The assessment's Scorecard (the snapshot when final, else scored now)."""
    with ctx.read() as session:
        return score_in_session(session, assessment_id, ctx.catalog).scorecard


def assessment_metrics(ctx: Context, actor: Actor, assessment_id: int) -> MetricSet | None:
    """The metrics the assessment shows: the snapshot's when final, else those of its current
    evidence as of its date (None without evidence)."""
    with ctx.read() as session:
        snapshot = snapshots.get(session, assessment_id)
        if snapshot is not None:
            return snapshot.metrics
        return metrics_in_session(session, store.get(session, assessment_id), ctx.catalog)
