"""Score snapshots: the Scorecard of each finalised assessment and its metrics, plus columns for
trend queries (read back as storage.records.Snapshot, typed; `with_detail=False` reads only the
columns, as SnapshotSummary)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, delete, select, type_coerce
from sqlalchemy.orm import Session, aliased, defer

from evidence.metric_set import MetricSet
from scoring.model import Scorecard
from storage.jsontext import dumps
from storage.records import NO_METRICS, Snapshot, SnapshotSummary, fields_of
from storage.tables import AssessmentRow, SiteRow, SnapshotRow


def save(session: Session, assessment_id: int, scorecard: Scorecard, metrics: MetricSet | None, *,
         user: str, now: datetime) -> None:
    """Store the snapshot of `assessment_id` (replacing any older one); the trend columns are the
    Scorecard's overall figures."""
    row = session.get(AssessmentRow, assessment_id)
    overall = scorecard.overall
    session.execute(delete(SnapshotRow).where(SnapshotRow.assessment_id == assessment_id))
    session.add(SnapshotRow(
        assessment_id=assessment_id, site_id=row.site_id, as_of=row.as_of, scope=row.scope,
        claimed=overall.claimed, verified=overall.verified, target=overall.target,
        completion=overall.completion, confidence=overall.confidence,
        cpg_implemented_pct=scorecard.cpg_implemented_pct, scorecard=scorecard.model_dump(mode="json"),
        metrics=NO_METRICS if metrics is None else metrics.model_dump(mode="json"), created_by=user, created_at=now,
    ))
    session.flush()


def remove(session: Session, assessment_id: int) -> None:
    session.execute(delete(SnapshotRow).where(SnapshotRow.assessment_id == assessment_id))


def list_snapshots(session: Session, *, site_id: int | None = None, enterprise: bool = False,
                   with_detail: bool = True) -> list[Snapshot] | list[SnapshotSummary]:
    """Snapshots ordered by as-of date; `with_detail=False` neither fetches nor decodes the large
    Scorecard and metrics (SnapshotSummary)."""
    query = _select(with_detail)
    if site_id is not None:
        query = query.where(SnapshotRow.site_id == site_id)
    if enterprise:
        query = query.where(SnapshotRow.site_id.is_(None))
    query = query.order_by(SnapshotRow.as_of, SnapshotRow.assessment_id)
    return [_record(*found) for found in session.execute(query)]


def get(session: Session, assessment_id: int) -> Snapshot | None:
    found = session.execute(_select(True).where(SnapshotRow.assessment_id == assessment_id)).first()
    return None if found is None else _record(*found)


def _select(with_detail: bool):
    """The snapshot rows with their site's name and, with detail, the Scorecard and metrics as
    their JSON text (parsed straight into the models: about twice as fast as decoding the JSON and
    validating the result)."""
    site = aliased(SiteRow)
    detail = (type_coerce(SnapshotRow.scorecard, Text), type_coerce(SnapshotRow.metrics, Text)) if with_detail else ()
    return (select(SnapshotRow, site.name, *detail).outerjoin(site, site.id == SnapshotRow.site_id)
            .options(defer(SnapshotRow.scorecard), defer(SnapshotRow.metrics)))


def _record(row: SnapshotRow, site_name: str | None, scorecard: str | None = None,
            metrics: str | None = None) -> Snapshot | SnapshotSummary:
    values = {**fields_of(row, SnapshotSummary, skip={"site_name"}), "site_name": site_name}
    if scorecard is None:
        return SnapshotSummary.model_validate(values)
    found = MetricSet.model_validate_json(metrics) if metrics not in (None, dumps(NO_METRICS)) else None
    return Snapshot.model_validate({**values, "scorecard": Scorecard.model_validate_json(scorecard), "metrics": found})
