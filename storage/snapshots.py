"""Score snapshots: the Scorecard JSON of each finalised assessment plus columns for trend queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Text, cast, delete, func, select, type_coerce
from sqlalchemy.orm import Session, aliased, defer

from storage.jsontext import loads
from storage.records import Snapshot, fields_of
from storage.tables import AssessmentRow, SiteRow, SnapshotRow


def save(session: Session, assessment_id: int, scorecard: dict[str, Any], metrics: dict[str, Any], *,
         user: str, now: datetime) -> None:
    """Store the snapshot of `assessment_id` (replacing any older one) from the Scorecard JSON."""
    row = session.get(AssessmentRow, assessment_id)
    overall = scorecard["overall"]
    session.execute(delete(SnapshotRow).where(SnapshotRow.assessment_id == assessment_id))
    session.add(SnapshotRow(
        assessment_id=assessment_id, site_id=row.site_id, as_of=row.as_of, scope=row.scope,
        claimed=overall.get("claimed"), verified=overall.get("verified"), target=overall.get("target"),
        completion=overall.get("completion", 0.0), confidence=overall.get("confidence", 0.0),
        cpg_implemented_pct=scorecard.get("cpg_implemented_pct"), scorecard=scorecard,
        metrics=metrics, created_by=user, created_at=now,
    ))
    session.flush()


def remove(session: Session, assessment_id: int) -> None:
    session.execute(delete(SnapshotRow).where(SnapshotRow.assessment_id == assessment_id))


def list_snapshots(session: Session, *, site_id: int | None = None, enterprise: bool = False,
                   with_detail: bool = True) -> list[Snapshot]:
    """Snapshots ordered by as-of date; `with_detail=False` skips decoding the large JSON."""
    site = aliased(SiteRow)
    query = select(SnapshotRow, site.name).outerjoin(site, site.id == SnapshotRow.site_id)
    if not with_detail:  # the Scorecard JSON is large: do not even fetch it
        query = query.options(defer(SnapshotRow.scorecard), defer(SnapshotRow.metrics))
    if site_id is not None:
        query = query.where(SnapshotRow.site_id == site_id)
    if enterprise:
        query = query.where(SnapshotRow.site_id.is_(None))
    query = query.order_by(SnapshotRow.as_of, SnapshotRow.assessment_id)
    return [to_snapshot(r, name, with_detail) for r, name in session.execute(query)]


def list_trend_rows(session: Session) -> list[TrendRow]:
    """Every snapshot, ordered by as-of date, with only what a trend point needs: the columns, the
    Scorecard's `functions` (extracted by the database, so the large JSON is not even sent) and
    the metrics JSON as text (for `MetricSet.model_validate_json`, which skips the dict stage)."""
    site = aliased(SiteRow)
    scorecard = type_coerce(SnapshotRow.scorecard, Text)
    if session.get_bind().dialect.name == "sqlite":
        functions = func.json_extract(scorecard, "$.functions")
    else:
        functions = cast(cast(scorecard, JSON)["functions"], Text)
    query = (select(SnapshotRow, site.name, functions, type_coerce(SnapshotRow.metrics, Text))
             .outerjoin(site, site.id == SnapshotRow.site_id)
             .options(defer(SnapshotRow.scorecard), defer(SnapshotRow.metrics))
             .order_by(SnapshotRow.as_of, SnapshotRow.assessment_id))
    out = []
    for row, name, functions_json, metrics_json in session.execute(query):
        values = fields_of(row, Snapshot, skip={"site_name", "scorecard", "metrics"})
        snapshot = Snapshot.model_validate({**values, "site_name": name, "metrics": loads(metrics_json) or {},
                                            "scorecard": {"functions": loads(functions_json) or {}}})
        out.append(TrendRow(snapshot=snapshot, metrics_json=metrics_json))
    return out


@dataclass(frozen=True)
class TrendRow:
    """A snapshot read for a trend (`list_trend_rows`): its columns and Scorecard functions, and
    its metrics as JSON text (decoded only when pooled)."""

    snapshot: Snapshot
    metrics_json: str | None


def scorecard_json(session: Session, assessment_id: int) -> str | None:
    """The snapshot's Scorecard as its stored JSON text (for `Scorecard.model_validate_json`), or None."""
    return session.scalar(select(type_coerce(SnapshotRow.scorecard, Text)).where(SnapshotRow.assessment_id == assessment_id))


def get(session: Session, assessment_id: int) -> Snapshot | None:
    site = aliased(SiteRow)
    found = session.execute(select(SnapshotRow, site.name).outerjoin(site, site.id == SnapshotRow.site_id)
                            .where(SnapshotRow.assessment_id == assessment_id)).first()
    return None if found is None else to_snapshot(found[0], found[1], True)


def to_snapshot(row: SnapshotRow, site_name: str | None, with_detail: bool) -> Snapshot:
    values = fields_of(row, Snapshot, skip={"site_name", "scorecard", "metrics"})
    detail = {"scorecard": row.scorecard, "metrics": row.metrics} if with_detail else {"scorecard": {}, "metrics": {}}
    return Snapshot.model_validate({**values, **detail, "site_name": site_name})
