"""Loading an assessment for a view, with the expensive parts cached across reruns.

- The detail (responses, targets, evidence list) is read fresh on every run: it is cheap and must
  show other assessors' edits.
- Metrics are recomputed from stored evidence rows only when the set of evidence imports changes.
- The Scorecard is recomputed only when a response version, a target or the evidence changes.
Cache keys include the database URL so tests with several databases in one process stay apart.
"""

from __future__ import annotations

import streamlit as st

import config
from evidence.metric_set import MetricSet
from scoring.model import Scorecard
from services.access import Actor
from services.assessment_records import AssessmentDetail
from services.assessment_scoring import assessment_metrics, scorecard_of
from services.assessments import load_assessment
from services.questionnaire_progress import evidence_revision, revision
from ui import state
from ui.components.cache_keys import digest


def load_detail(actor: Actor, assessment_id: int) -> AssessmentDetail:
    return load_assessment(state.context(), actor, assessment_id)


@st.cache_resource(show_spinner=False, max_entries=16)
def _metrics(url: str, assessment_id: int, evidence: tuple, as_of: str, _actor: Actor) -> MetricSet | None:
    return assessment_metrics(state.context(), _actor, assessment_id)


@st.cache_resource(show_spinner=False, max_entries=32)
def _scorecard(url: str, assessment_id: int, key: str, _detail: AssessmentDetail,
               _metrics_set: MetricSet | None) -> Scorecard:
    return scorecard_of(state.catalog(), _detail, _metrics_set)


def metrics_for(actor: Actor, detail: AssessmentDetail) -> MetricSet | None:
    """The metrics of the assessment's current evidence (the snapshot's when final)."""
    a = detail.assessment
    if not detail.evidence and detail.snapshot is None:
        return None
    return _metrics(config.database_url(), a.id, (evidence_revision(detail), a.status), a.as_of.isoformat(), actor)


def scorecard_for(actor: Actor, detail: AssessmentDetail) -> Scorecard:
    """The assessment's Scorecard, re-scored only when something it depends on changed."""
    metrics = metrics_for(actor, detail)
    return _scorecard(config.database_url(), detail.assessment.id, digest(revision(detail)), detail, metrics)
