"""The enterprise report and trend pool the sites' evidence (evidence.pooling) from the tallies a
finalised snapshot keeps — and from the stored rows for snapshots made before tallies existed."""

from __future__ import annotations

import copy
from datetime import date

from sqlalchemy import select

from services import reports
from services import trend_series as trends
from services.assessments import create_assessment, finalize_assessment
from services.evidence_imports import import_evidence
from services.stored_evidence import forget_cached_metrics
from storage.tables import SnapshotRow
from tests.services.helpers import ADMIN, plant_with_assessment

AS_OF = date(2026, 3, 31)
NORTH = b"""exception_id,risk_rating,opened,status
N-1,critical,2025-01-15,open
N-2,high,2026-03-01,open
"""
SOUTH = b"""exception_id,risk_rating,opened,status
S-1,high,2025-12-31,open
S-2,high,2026-02-28,open
S-3,high,2026-03-30,open
"""


def _two_plants(ctx):
    north = plant_with_assessment(ctx, as_of=AS_OF)
    south = create_assessment(ctx, ADMIN, site="Plant South", scope="IT+OT", as_of=AS_OF)
    create_assessment(ctx, ADMIN, site=None, scope="IT", as_of=AS_OF)  # the enterprise-wide one
    import_evidence(ctx, ADMIN, north.id, "exceptions", NORTH, name="n.csv")
    import_evidence(ctx, ADMIN, south.id, "exceptions", SOUTH, name="s.csv")
    for a in (north, south):
        finalize_assessment(ctx, ADMIN, a.id)


def _median(context) -> float:
    return next(m for m in context.metrics if m.name == "high_risk_exception_age_median_days")


def test_the_enterprise_median_is_the_median_of_every_plants_rows(ctx):
    _two_plants(ctx)
    context = reports.enterprise_context(ctx, ADMIN)
    median = _median(context)
    # North's ages 440 and 30, South's 90, 31 and 1: the median of all five is 31 — not the weighted
    # mean of the plants' medians (235 at weight 3, 31 at weight 2: 153.4).
    assert median.value == 31.0 and median.combine == "median"
    assert median.by_site == {"Plant North": 235.0, "Plant South": 31.0}
    assert [e.exception_id for e in context.exceptions][:2] == ["N-1", "S-1"]
    assert trends.enterprise_rollup(ctx, ADMIN)[-1].metrics["high_risk_exception_age_median_days"] == 31.0


def test_snapshots_without_tallies_are_pooled_from_their_stored_rows(db, ctx):
    _two_plants(ctx)
    with db.write() as session:
        for row in session.scalars(select(SnapshotRow)):
            metrics = copy.deepcopy(row.metrics)
            for result in metrics.get("metrics", {}).values():
                result.pop("tallies", None)
            row.metrics = metrics
    forget_cached_metrics()
    context = reports.enterprise_context(ctx, ADMIN)
    assert _median(context).value == 31.0
    assert trends.enterprise_rollup(ctx, ADMIN)[-1].metrics["high_risk_exception_age_median_days"] == 31.0
