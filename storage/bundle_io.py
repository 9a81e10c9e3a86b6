"""One assessment's records in and out, as they mean the same in any database (for bundles).

`read_records` returns a `PortableAssessment`: the record models of storage.records without this
database's ids, in a stable order; `insert_records` writes one into another database verbatim
(times, versions, users, carried flags, audit entries), which is what makes export → import →
export give identical content. Rows and records share field names (storage.tables), so nothing here
lists fields: a new column travels in bundles as soon as its record has the field. Evidence is
written by the caller through `storage.evidence_store.insert_import`, from the original files.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import String, insert, select
from sqlalchemy.orm import Session

from storage import sites, snapshots
from storage.records import (
    AssessmentData,
    AuditData,
    EvidenceImportData,
    FindingData,
    Record,
    SiteData,
    SnapshotData,
    StoredResponse,
    TargetOverride,
    fields_of,
    snapshot_values,
)
from storage.tables import (
    AssessmentRow,
    AuditRow,
    Base,
    EvidenceImportRow,
    FindingRow,
    OrganisationRow,
    ResponseRow,
    SiteRow,
    SnapshotRow,
    TargetOverrideRow,
)

IMPORT_ENTITY = "bundle"
"""Audit entity of bundle imports: a fact about this database, so never exported with the assessment."""


class PortableAssessment(BaseModel):
    """Everything stored about one assessment, without database ids (evidence file bytes apart)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    organisation: str | None
    site: SiteData | None
    assessment: AssessmentData
    responses: tuple[StoredResponse, ...]
    targets: tuple[TargetOverride, ...]
    findings: tuple[FindingData, ...]
    evidence: tuple[EvidenceImportData, ...]
    snapshot: SnapshotData | None
    audit: tuple[AuditData, ...]


TABLES: dict[type[Record], type[Base]] = {
    SiteData: SiteRow, AssessmentData: AssessmentRow, StoredResponse: ResponseRow, TargetOverride: TargetOverrideRow,
    FindingData: FindingRow, EvidenceImportData: EvidenceImportRow, SnapshotData: SnapshotRow, AuditData: AuditRow,
}
"""The table each portable record is stored in."""


def read_records(session: Session, assessment_id: int) -> tuple[PortableAssessment, list[int]]:
    """The assessment's records and the ids of its evidence imports (same order as `evidence`)."""
    a = session.get(AssessmentRow, assessment_id)
    site = None if a.site_id is None else session.get(SiteRow, a.site_id)
    imports = _rows(session, EvidenceImportRow, assessment_id, EvidenceImportRow.id)
    snapshot = session.get(SnapshotRow, assessment_id)
    audit = session.scalars(select(AuditRow).where(AuditRow.assessment_id == assessment_id,
                                                   AuditRow.entity != IMPORT_ENTITY).order_by(AuditRow.id)).all()
    records = PortableAssessment(
        organisation=sites.organisation_name(session),
        site=None if site is None else _portable(SiteData, site),
        assessment=_portable(AssessmentData, a),
        responses=tuple(_portable(StoredResponse, r) for r in _rows(
            session, ResponseRow, assessment_id, ResponseRow.question_id, ResponseRow.environment)),
        targets=tuple(_portable(TargetOverride, r) for r in _rows(
            session, TargetOverrideRow, assessment_id, TargetOverrideRow.question_id, TargetOverrideRow.environment)),
        findings=tuple(_portable(FindingData, r) for r in _rows(session, FindingRow, assessment_id, FindingRow.id)),
        evidence=tuple(_portable(EvidenceImportData, r) for r in imports),
        snapshot=None if snapshot is None else _portable(SnapshotData, snapshot),
        audit=tuple(_portable(AuditData, r) for r in audit),
    )
    return records, [r.id for r in imports]


def insert_records(session: Session, records: PortableAssessment, *, user: str) -> tuple[int, bool]:
    """Insert the assessment with its responses, targets, findings, snapshot and audit history
    (validated by the caller); return (new id, whether its site was created). A site is matched by
    name; a new one is created (audited as `user`) with the bundle's country and criticality."""
    a = records.assessment
    site_id, created = None, False
    if records.site is not None:
        found = session.scalar(select(SiteRow.id).where(SiteRow.name == records.site.name))
        created = found is None
        site_id = found if found is not None else sites.add_site(
            session, records.site.name, records.site.country, records.site.criticality, a.created_at, user=user).id
    row = AssessmentRow(**a.model_dump(), organisation_id=sites.organisation_id(session, a.created_at,
                                                                                 records.organisation),
                        site_id=site_id, copied_from_id=None)
    session.add(row)
    session.flush()
    for table, items in ((ResponseRow, records.responses), (TargetOverrideRow, records.targets),
                         (FindingRow, records.findings), (AuditRow, records.audit)):
        if items:
            session.execute(insert(table), [{**item.model_dump(), "assessment_id": row.id} for item in items])
    if records.snapshot is not None:
        s = records.snapshot
        snapshots.save(session, row.id, s.scorecard, s.metrics, user=s.created_by, now=s.created_at)
    session.flush()
    return row.id, created


def length_problems(records: PortableAssessment) -> list[tuple[str, str]]:
    """(where, what) for every text longer than its column allows (PostgreSQL would refuse it
    half-way; SQLite would keep it silently)."""
    problems = []
    if records.organisation is not None:
        problems += _too_long("organisation", records.organisation, OrganisationRow.__table__.c.name.type)
    for where, record in _located(records):
        columns = TABLES[_portable_class(record)].__mapper__.columns
        for name in type(record).model_fields:
            value = getattr(record, name)
            if isinstance(value, str) and name in columns:
                problems += _too_long(f"{where}.{name}", value, columns[name].type)
    return problems


def _located(records: PortableAssessment):
    singles = [("site", records.site), ("assessment", records.assessment), ("snapshot", records.snapshot)]
    yield from ((where, record) for where, record in singles if record is not None)
    for field in ("responses", "targets", "findings", "evidence", "audit"):
        for i, record in enumerate(getattr(records, field)):
            yield f"{field}[{i}]", record


def _portable_class(record: Record) -> type[Record]:
    return next(cls for cls in type(record).__mro__ if cls in TABLES)


def _too_long(where: str, value: str, column_type: Any) -> list[tuple[str, str]]:
    limit = getattr(column_type, "length", None) if isinstance(column_type, String) else None
    return [(where, f"{len(value)} characters, more than the {limit} allowed")] if limit and len(value) > limit else []


def _portable(model: type[Record], row: Any) -> Any:
    values = fields_of(row, model)
    return model.model_validate(snapshot_values(values) if model is SnapshotData else values)


def _rows(session: Session, table, assessment_id: int, *order):
    return session.scalars(select(table).where(table.assessment_id == assessment_id).order_by(*order)).all()
