"""Scoring a stored assessment: its responses (with target overrides) and the metrics of its
stored evidence, through the same engine as `scorecard score`.

A final assessment's score is its snapshot, so what was finalised never changes, even when the
content or the engine later does; a draft is scored afresh on every call.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from catalog.content_catalog import Catalog
from evidence.metric_set import MetricSet
from scoring.model import Scope, Scorecard
from services.access import Actor
from services.context import Context
from services.scorecards import score_responses
from storage import assessments as store
from storage import responses, snapshots, targets


def score_assessment(ctx: Context, actor: Actor, assessment_id: int) -> Scorecard:
    """The assessment's Scorecard: the stored snapshot when final, else scored now."""
    with ctx.read() as session:
        snapshot = snapshots.get(session, assessment_id)
        if snapshot is not None:
            return Scorecard.model_validate(snapshot.scorecard)
        card, _ = score_in_session(session, assessment_id, ctx.catalog)
        return card


def assessment_metrics(ctx: Context, actor: Actor, assessment_id: int) -> MetricSet | None:
    """The metrics of the assessment's current evidence (None when it has none)."""
    from services.evidence_imports import metrics_in_session

    with ctx.read() as session:
        snapshot = snapshots.get(session, assessment_id)
        if snapshot is not None:
            return MetricSet.model_validate(snapshot.metrics) if snapshot.metrics else None
        return metrics_in_session(session, store.get(session, assessment_id), ctx.catalog)


def score_in_session(session: Session, assessment_id: int, catalog: Catalog) -> tuple[Scorecard, dict[str,
                     Any]]:
    """Score inside an open session; returns the Scorecard and the metrics as JSON (or {})."""
    from services.evidence_imports import metrics_in_session

    assessment = store.get(session, assessment_id)
    overrides = {(t.question_id, t.environment): t.target for t in targets.list_for(session, assessment_id)}
    inputs = [r.to_response(overrides.get((r.question_id, r.environment)))
              for r in responses.list_for(session, assessment_id)]
    metrics = metrics_in_session(session, assessment, catalog)
    card = score_responses(catalog, assessment.questionnaire_id, inputs, metrics,
                           scope=Scope(assessment.scope), as_of=assessment.as_of)
    return card, ({} if metrics is None else metrics.model_dump(mode="json"))


def scorecard_json(card: Scorecard) -> dict[str, Any]:
    """The Scorecard as stored in a snapshot (lossless: `Scorecard.model_validate` reads it back)."""
    return card.model_dump(mode="json")
