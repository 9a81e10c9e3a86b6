"""The enterprise report and trend pool the sites' evidence (evidence.pooling) from the tallies a
finalised snapshot keeps — and from the stored rows for snapshots made before tallies existed."""

from __future__ import annotations

import copy
from datetime import date

from sqlalchemy import select

from services import reports
from services import trend_series as trends
from services.assessments import create_assessment
from services.evidence_imports import forget_cached_metrics, import_evidence
from storage.tables import SnapshotRow
from tests.finalising import finalise
from tests.services.helpers import ADMIN, CATALOG, plant_with_assessment

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


def _two_plants(db):
    north = plant_with_assessment(db, as_of=AS_OF)
    south = create_assessment(ADMIN, site="Plant South", scope="IT+OT", as_of=AS_OF, catalog=CATALOG, db=db)
    create_assessment(ADMIN, site=None, scope="IT", as_of=AS_OF, catalog=CATALOG, db=db)  # the enterprise-wide one
    import_evidence(ADMIN, north.id, "exceptions", NORTH, name="n.csv", db=db)
    import_evidence(ADMIN, south.id, "exceptions", SOUTH, name="s.csv", db=db)
    for a in (north, south):
        finalise(ADMIN, a.id, catalog=CATALOG, db=db)


def _median(ctx) -> float:
    return next(m for m in ctx.metrics if m.name == "high_risk_exception_age_median_days")


def test_the_enterprise_median_is_the_median_of_every_plants_rows(db):
    _two_plants(db)
    ctx = reports.enterprise_context(ADMIN, catalog=CATALOG, db=db)
    median = _median(ctx)
    # North's ages 440 and 30, South's 90, 31 and 1: the median of all five is 31 — not the weighted
    # mean of the plants' medians (235 at weight 3, 31 at weight 2: 153.4).
    assert median.value == 31.0 and median.combine == "median"
    assert median.by_site == {"Plant North": 235.0, "Plant South": 31.0}
    assert [e.exception_id for e in ctx.exceptions][:2] == ["N-1", "S-1"]
    assert trends.enterprise_rollup(ADMIN, catalog=CATALOG, db=db)[-1]["metrics"]["high_risk_exception_age_median_days"] == 31.0


def test_snapshots_without_tallies_are_pooled_from_their_stored_rows(db):
    _two_plants(db)
    with db.write() as session:
        for row in session.scalars(select(SnapshotRow)):
            metrics = copy.deepcopy(row.metrics)
            for result in metrics.get("metrics", {}).values():
                result.pop("tallies", None)
            row.metrics = metrics
    forget_cached_metrics()
    ctx = reports.enterprise_context(ADMIN, catalog=CATALOG, db=db)
    assert _median(ctx).value == 31.0
    assert trends.enterprise_rollup(ADMIN, catalog=CATALOG, db=db)[-1]["metrics"]["high_risk_exception_age_median_days"] == 31.0
