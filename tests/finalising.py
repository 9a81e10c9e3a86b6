"""Finalising in test fixtures: through the review step, as the app requires; an assessment a
fixture leaves incomplete on purpose (or with carried answers) is finalised with an admin override
whose reason says so, and its reports then state it (services.assessments.finalize_assessment)."""

from __future__ import annotations

from services.access import Actor
from services.assessments import (
    finalise_blockers,
    finalize_assessment,
    load_assessment,
    submit_for_review,
)
from services.context import Context

FIXTURE_REASON = "test fixture: finalised before every answer was confirmed"


def finalise(ctx: Context, actor: Actor, assessment_id: int):
    """Submit for review if needed, then finalise; with FIXTURE_REASON as override when the
    assessment is incomplete. Returns the snapshot."""
    detail = load_assessment(ctx, actor, assessment_id)
    if detail.assessment.status == "draft":
        submit_for_review(ctx, actor, assessment_id)
        detail = load_assessment(ctx, actor, assessment_id)
    unmet = finalise_blockers(ctx.catalog, detail.assessment, list(detail.responses))
    return finalize_assessment(ctx, actor, assessment_id, override_reason=FIXTURE_REASON if unmet else "")
