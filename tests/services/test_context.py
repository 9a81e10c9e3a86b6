"""The context's clock is the only time the services read: what they stamp on changes and on
reports comes from `ctx.now()`, so a test (or a replay) can fix it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from services import answers, reports
from services.audit_log import list_audit
from services.context import Context
from tests.services.helpers import ADMIN, CATALOG, plant_with_assessment

NOON = datetime(2030, 1, 2, 12, 0, tzinfo=UTC)


def test_changes_and_reports_carry_the_contexts_time(db) -> None:
    ctx = Context(db, CATALOG, clock=lambda: NOON)
    a = plant_with_assessment(ctx)
    saved = answers.save_response(ctx, ADMIN, a.id, "GOV-01", "IT", {"current": 2}, expected_version=0)
    assert a.created_at == saved.updated_at == NOON
    assert {e.at for e in list_audit(ctx, ADMIN, assessment_id=a.id)} == {NOON}
    assert reports.assessment_context(ctx, ADMIN, a.id).meta.generated_on == date(2030, 1, 2)
