"""Raw records of one assessment, in and out, for bundles (services.bundles).

`read_records` returns plain JSON-able dicts without database ids, in a stable order;
`write_records` inserts them into another database verbatim (times, versions, users, carried
flags, audit entries), which is what makes export → import → export give identical content.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from storage import evidence_imports as evidence_store
from storage import sites
from storage.jsontext import dumps, loads
from storage.tables import (
    AssessmentRow,
    AuditRow,
    EvidenceDataRow,
    EvidenceFileRow,
    EvidenceImportRow,
    FindingRow,
    ResponseRow,
    SiteRow,
    SnapshotRow,
    TargetOverrideRow,
)

ASSESSMENT_FIELDS = ("uid", "title", "scope", "as_of", "assessor", "questionnaire_id", "questionnaire_version",
                     "status", "created_by", "created_at", "finalised_by", "finalised_at")
RESPONSE_FIELDS = ("question_id", "environment", "current", "na", "na_reason", "target", "notes", "flagged",
                   "carried", "version", "updated_by", "updated_at")
TARGET_FIELDS = ("question_id", "environment", "target", "due_date", "reason", "carried", "set_by", "set_at")
FINDING_FIELDS = ("question_id", "environment", "title", "owner", "due_date", "status", "notes", "carried",
                  "version", "updated_by", "updated_at")
IMPORT_FIELDS = ("dataset", "file_name", "sha256", "row_count", "imported_by", "imported_at")
SNAPSHOT_FIELDS = ("claimed", "verified", "target", "completion", "confidence", "cpg_implemented_pct",
                   "created_by", "created_at")
AUDIT_FIELDS = ("at", "user_name", "entity", "entity_key", "action")


def _plain(row: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    out = {}
    for f in fields:
        value = getattr(row, f)
        out[f] = value.isoformat() if isinstance(value, (date, datetime)) else value
    return out


def read_records(session: Session, assessment_id: int) -> dict[str, Any]:
    """Everything stored about the assessment as JSON-able data (evidence file bytes apart;
    evidence rows as (row number, values) pairs)."""
    a = session.get(AssessmentRow, assessment_id)
    site = None if a.site_id is None else session.get(SiteRow, a.site_id)
    imports = []
    for item in session.scalars(select(EvidenceImportRow).where(EvidenceImportRow.assessment_id == assessment_id)
                                .order_by(EvidenceImportRow.id)):
        imports.append({**_plain(item, IMPORT_FIELDS), "mapping": loads(item.mapping),
                        "rows": evidence_store.load_numbered_rows(session, item.id),
                        "content": evidence_store.file_content(session, item.id)})
    snapshot = session.get(SnapshotRow, assessment_id)
    return {
        "organisation": sites.organisation_name(session),
        "site": None if site is None else {"name": site.name, "country": site.country, "criticality": site.criticality},
        "assessment": {**_plain(a, ASSESSMENT_FIELDS), "framework_versions": loads(a.framework_versions)},
        "responses": [_plain(r, RESPONSE_FIELDS) for r in _rows(session, ResponseRow, assessment_id,
                                                                ResponseRow.question_id, ResponseRow.environment)],
        "targets": [_plain(r, TARGET_FIELDS) for r in _rows(session, TargetOverrideRow, assessment_id,
                                                            TargetOverrideRow.question_id, TargetOverrideRow.environment)],
        "findings": [_plain(r, FINDING_FIELDS) for r in _rows(session, FindingRow, assessment_id, FindingRow.id)],
        "evidence": imports,
        "snapshot": None if snapshot is None else {**_plain(snapshot, SNAPSHOT_FIELDS),
                                                   "scorecard": loads(snapshot.scorecard), "metrics": loads(snapshot.metrics)},
        "audit": [{**_plain(r, AUDIT_FIELDS), "old_value": loads(r.old_value), "new_value": loads(r.new_value)}
                  for r in _rows(session, AuditRow, assessment_id, AuditRow.id)],
    }


def _rows(session: Session, table, assessment_id: int, *order):
    return session.scalars(select(table).where(table.assessment_id == assessment_id).order_by(*order)).all()


def write_records(session: Session, records: dict[str, Any]) -> int:
    """Insert an assessment read by `read_records` (validated by the caller); return its new id."""
    a = records["assessment"]
    created = datetime.fromisoformat(a["created_at"])
    site_id = None
    if records["site"] is not None:
        found = session.scalar(select(SiteRow).where(SiteRow.name == records["site"]["name"]))
        site_id = found.id if found is not None else sites.add_site(
            session, records["site"]["name"], records["site"]["country"], records["site"]["criticality"], created).id
    row = AssessmentRow(
        **{f: _value(f, a[f]) for f in ASSESSMENT_FIELDS}, framework_versions=dumps(a["framework_versions"]),
        organisation_id=sites.organisation_id(session, created, records.get("organisation")),
        site_id=site_id, copied_from_id=None,
    )
    session.add(row)
    session.flush()
    _bulk(session, ResponseRow, row.id, records["responses"])
    _bulk(session, TargetOverrideRow, row.id, records["targets"])
    _bulk(session, FindingRow, row.id, records["findings"])
    for item in records["evidence"]:
        imported = EvidenceImportRow(assessment_id=row.id, mapping=None if item["mapping"] is None else dumps(item["mapping"]),
                                     **{f: _value(f, item[f]) for f in IMPORT_FIELDS})
        session.add(imported)
        session.flush()
        session.execute(insert(EvidenceFileRow), [{"import_id": imported.id, "content": item["content"]}])
        if item["rows"]:
            session.execute(insert(EvidenceDataRow), [{"import_id": imported.id, "row_number": n, "data": dumps(values)}
                                                      for n, values in item["rows"]])
    if records["snapshot"] is not None:
        s = records["snapshot"]
        session.add(SnapshotRow(assessment_id=row.id, site_id=site_id, as_of=row.as_of, scope=row.scope,
                                scorecard=dumps(s["scorecard"]), metrics=dumps(s["metrics"]),
                                **{f: _value(f, s[f]) for f in SNAPSHOT_FIELDS}))
    entries = [
        {**{f: _value(f, e[f]) for f in AUDIT_FIELDS}, "assessment_id": row.id,
         "old_value": None if e["old_value"] is None else dumps(e["old_value"]),
         "new_value": None if e["new_value"] is None else dumps(e["new_value"])}
        for e in records["audit"]
    ]
    if entries:
        session.execute(insert(AuditRow), entries)
    session.flush()
    return row.id


DATE_FIELDS = {"as_of", "due_date"}
TIME_FIELDS = {"created_at", "finalised_at", "updated_at", "set_at", "imported_at", "at"}


def _value(field: str, value: Any) -> Any:
    if value is None:
        return None
    if field in DATE_FIELDS:
        return date.fromisoformat(value)
    if field in TIME_FIELDS:
        return datetime.fromisoformat(value)
    return value


def _bulk(session: Session, table, assessment_id: int, items: list[dict[str, Any]]) -> None:
    if items:
        session.execute(insert(table), [{**{k: _value(k, v) for k, v in item.items()}, "assessment_id": assessment_id}
                                        for item in items])
