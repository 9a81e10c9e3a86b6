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


AssessmentKey = tuple[int, int | None, str, str]
"""(id, site id or None for enterprise-wide, status, as-of date ISO) of one assessment."""


def assessment_keys(session: Session, site_ids: Collection[int | None] | None = None) -> tuple[AssessmentKey, ...]:
    """Every assessment's key, or those of `site_ids` (None in it: the enterprise-wide ones), by id.
    A new, deleted, reopened or finalised assessment changes this tuple."""
    query = select(AssessmentRow.id, AssessmentRow.site_id, AssessmentRow.status, AssessmentRow.as_of)
    if site_ids is not None:
        ids = [i for i in site_ids if i is not None]
        where = AssessmentRow.site_id.in_(ids)
        query = query.where(where | AssessmentRow.site_id.is_(None) if None in site_ids else where)
    return tuple((i, s, status, day.isoformat()) for i, s, status, day in session.execute(query.order_by(AssessmentRow.id)))


def last_changes(session: Session, assessment_ids: Collection[int]) -> tuple[tuple[int, int], ...]:
    """(assessment id, id of its latest audit row) of each of `assessment_ids` that has one: every
    change to an assessment's responses, targets, findings, evidence or status writes one."""
    if not assessment_ids:
        return ()
    query = (select(AuditRow.assessment_id, func.max(AuditRow.id)).where(AuditRow.assessment_id.in_(list(assessment_ids)))
             .group_by(AuditRow.assessment_id).order_by(AuditRow.assessment_id))
    return tuple((a, last) for a, last in session.execute(query))


def site_keys(session: Session) -> tuple[tuple[int, str, str], ...]:
    """(id, name, criticality) of every site: a renamed or re-weighted site changes the roll-up."""
    rows = session.execute(select(SiteRow.id, SiteRow.name, SiteRow.criticality).order_by(SiteRow.id))
    return tuple((i, name, criticality) for i, name, criticality in rows)
