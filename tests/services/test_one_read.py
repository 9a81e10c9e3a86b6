"""Every read model reads the database in exactly one transaction, so a report, a dashboard, a
trend or "what changed" shows one state of the database even while others save (the transaction
itself sees one state: tests/storage/test_read_snapshot.py). A PDF used to read in three."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import event

from services import dashboard, reports, trend_comparisons, trend_series
from services.assessment_scoring import assessment_metrics, score_assessment
from tests.ui.dashboard_seed import *  # noqa: F403 - the seeded database fixtures
from tests.ui.dashboard_seed import ADMIN

READS: dict[str, Callable] = {
    "assessment report": lambda ctx, ids: reports.assessment_context(ctx, ADMIN, ids.north_q3),
    "site report": lambda ctx, ids: reports.site_context(ctx, ADMIN, "Plant North"),
    "enterprise-wide site report": lambda ctx, ids: reports.site_context(ctx, ADMIN, None),
    "enterprise report": lambda ctx, ids: reports.enterprise_context(ctx, ADMIN),
    "assessment dashboard": lambda ctx, ids: dashboard.dashboard_context(ctx, ADMIN, "assessment",
                                                                         assessment_id=ids.north_q2),
    "enterprise dashboard": lambda ctx, ids: dashboard.dashboard_context(ctx, ADMIN, "enterprise"),
    "site series": lambda ctx, ids: trend_comparisons.series(ctx, ADMIN, "Plant North"),
    "roll-up series": lambda ctx, ids: trend_comparisons.series(ctx, ADMIN, trend_comparisons.ROLLUP),
    "sites side by side": lambda ctx, ids: trend_comparisons.side_by_side(ctx, ADMIN),
    "what changed": lambda ctx, ids: trend_comparisons.changes_since_previous(ctx, ADMIN, ids.north_q3),
    "every trend and the roll-up": lambda ctx, ids: trend_series.series_and_rollup(ctx, ADMIN),
    "score": lambda ctx, ids: score_assessment(ctx, ADMIN, ids.north_q3),
    "metrics": lambda ctx, ids: assessment_metrics(ctx, ADMIN, ids.north_q3),
}


@pytest.mark.parametrize("name", READS)
def test_a_read_model_reads_in_one_transaction(seeded, name) -> None:
    ctx, ids = seeded
    READS[name](ctx, ids)  # the schema check and the metrics cache are warm from here on
    begun = []
    listener = lambda connection: begun.append(connection)  # noqa: E731 - the event's callback
    event.listen(ctx.db.engine, "begin", listener)
    try:
        READS[name](ctx, ids)
    finally:
        event.remove(ctx.db.engine, "begin", listener)
    assert len(begun) == 1
