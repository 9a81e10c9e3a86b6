"""How many records the database holds: what the dashboard's cache key (services.dashboard) and
the demo loader's "empty, loaded or something else" check are made of. Counts only, no rows.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.tables import AssessmentRow, AuditRow, SiteRow, SnapshotRow


def data_version(session: Session) -> tuple[int, int, int, int]:
    """(last audit id, snapshots, sites, assessments). Every change to a response, target,
    finding, status or evidence writes an audit row, so this moves whenever stored data does."""
    return (
        session.scalar(select(func.max(AuditRow.id))) or 0,
        session.scalar(select(func.count()).select_from(SnapshotRow)) or 0,
        session.scalar(select(func.count()).select_from(SiteRow)) or 0,
        session.scalar(select(func.count()).select_from(AssessmentRow)) or 0,
    )


def named_site_counts(session: Session, names: Collection[str]) -> tuple[int, int]:
    """(how many of the sites called `names` exist, how many assessments those sites hold)."""
    site_ids = session.scalars(select(SiteRow.id).where(SiteRow.name.in_(list(names)))).all()
    if not site_ids:
        return 0, 0
    assessments = session.scalar(select(func.count()).select_from(AssessmentRow)
                                 .where(AssessmentRow.site_id.in_(site_ids)))
    return len(site_ids), assessments or 0
