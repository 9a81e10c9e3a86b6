"""Bundle export and import of one assessment (format: services.bundle_format).

Export is open to anyone who may read; import is an admin action. An import restores the
assessment exactly (answers with their versions and authors, targets, findings, evidence files and
rows, snapshot, audit log) so that exporting it again gives identical bytes. The link to the
assessment it was copied from is not carried (that one may not exist in the other database).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from catalog.content_catalog import Catalog
from errors import Problem
from services.access import Actor, require_admin
from services.bundle_format import BundleError, read_archive, to_json_bytes, write_archive
from services.content import get_catalog
from services.database import database, utcnow
from storage import assessments as store
from storage import audit, bundle_io
from storage.engine import Database
from storage.jsontext import dumps, loads
from storage.records import Assessment


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Site(_Strict):
    name: str
    country: str
    criticality: Literal["critical", "high", "medium", "low"]


class _Assessment(_Strict):
    uid: str
    title: str
    scope: Literal["IT", "OT", "IT+OT"]
    as_of: date
    assessor: str
    questionnaire_id: str
    questionnaire_version: str
    framework_versions: dict[str, str]
    status: Literal["draft", "in_review", "final"]
    created_by: str
    created_at: datetime
    finalised_by: str | None
    finalised_at: datetime | None


class _Head(_Strict):
    organisation: str | None
    site: _Site | None
    assessment: _Assessment


class _Response(_Strict):
    question_id: str
    environment: Literal["IT", "OT"]
    current: int | None
    na: bool
    na_reason: str
    target: int | None
    notes: str
    flagged: bool
    carried: bool
    version: int
    updated_by: str
    updated_at: datetime


class _Target(_Strict):
    question_id: str
    environment: Literal["IT", "OT"]
    target: int
    due_date: date | None
    reason: str
    carried: bool
    set_by: str
    set_at: datetime


class _Finding(_Strict):
    question_id: str
    environment: Literal["IT", "OT"] | None
    title: str
    owner: str
    due_date: date | None
    status: Literal["open", "in_progress", "done", "accepted"]
    notes: str
    carried: bool
    version: int
    updated_by: str
    updated_at: datetime


class _Import(_Strict):
    dataset: str
    file_name: str
    sha256: str
    row_count: int
    mapping: dict[str, Any] | None
    imported_by: str
    imported_at: datetime
    file: str
    rows: str


class _Snapshot(_Strict):
    claimed: float | None
    verified: float | None
    target: float | None
    completion: float
    confidence: float
    cpg_implemented_pct: float | None
    created_by: str
    created_at: datetime
    scorecard: dict[str, Any]
    metrics: dict[str, Any]


class _Audit(_Strict):
    at: datetime
    user_name: str
    entity: str
    entity_key: str
    action: str
    old_value: Any
    new_value: Any


def export_bundle(actor: Actor, assessment_id: int, db: Database | None = None) -> bytes:
    """The bundle bytes of one assessment."""
    with database(db).read() as session:
        a = store.get(session, assessment_id)
        records = bundle_io.read_records(session, assessment_id)
    files: dict[str, bytes] = {}
    imports = []
    for n, item in enumerate(records.pop("evidence"), start=1):
        file_path = f"evidence/files/{n:03d}-{_safe_name(item['file_name'])}"
        rows_path = f"evidence/rows/{n:03d}.jsonl"
        files[file_path] = item.pop("content")
        files[rows_path] = "".join(dumps({"row": n, "values": v}) + "\n" for n, v in item.pop("rows")).encode("utf-8")
        imports.append({**item, "file": file_path, "rows": rows_path})
    files["evidence/imports.json"] = to_json_bytes(imports)
    files["records/assessment.json"] = to_json_bytes({k: records[k] for k in ("organisation", "site", "assessment")})
    for key in ("responses", "targets", "findings", "snapshot", "audit"):
        files[f"records/{key}.json"] = to_json_bytes(records[key])
    return write_archive(files, assessment_uid=a.uid, label=a.label)


def import_bundle(actor: Actor, data: bytes, name: str = "bundle.zip", *, catalog: Catalog | None = None,
                  db: Database | None = None) -> Assessment:
    """Restore a bundle into this database (admin). Refuses foreign, tampered or duplicate bundles."""
    require_admin(actor, "import bundles")
    manifest, files = read_archive(data, name)
    records = _records(files, name)
    uid = records["assessment"]["uid"]
    if uid != manifest["assessment_uid"]:
        raise BundleError(f"{name}: refused: the manifest names another assessment than the records",
                          [Problem(f"{name}: manifest.json", f"{manifest['assessment_uid']} ≠ {uid}")])
    known = (catalog or get_catalog()).questionnaires
    qid = records["assessment"]["questionnaire_id"]
    if qid not in known:
        raise BundleError(f"{name}: refused: questionnaire '{qid}' is not loaded here",
                          [Problem(f"{name}: records/assessment.json", f"loaded: {', '.join(sorted(known)) or 'none'}",
                                   "load the same content (SCORECARD_CONTENT_DIR) as the exporting installation")])
    with database(db).write() as session:
        existing = store.find_by_uid(session, uid)
        if existing is not None:
            raise BundleError(f"{name}: refused: this assessment is already in the database (id {existing.id})",
                              [Problem(name, f"assessment {uid} exists", "nothing to import")])
        new_id = bundle_io.write_records(session, records)
        audit.record(session, actor.user, utcnow(), None, "bundle", uid, "import", None,
                     {"file": name, "assessment_id": new_id})
        return store.get(session, new_id)


def _records(files: dict[str, bytes], name: str) -> dict[str, Any]:
    """Parse and validate every record file; one BundleError lists all problems."""
    problems: list[Problem] = []

    def parse(path: str, model, many: bool = False, nullable: bool = False):
        if path not in files:
            problems.append(Problem(f"{name}: {path}", "missing"))
            return None
        try:
            value = loads(files[path].decode("utf-8"))
            if nullable and value is None:
                return None
            items = value if many else [value]
            if many and not isinstance(value, list):
                raise ValueError("expected a list")
            for item in items:
                model.model_validate(item)
            return value
        except (ValueError, UnicodeDecodeError) as exc:
            errors = exc.errors(include_url=False) if isinstance(exc, ValidationError) else [{"loc": (), "msg": str(exc)}]
            problems.extend(Problem(f"{name}: {path} {'.'.join(map(str, e['loc']))}".rstrip(), e["msg"]) for e in errors[:5])
            return None

    head = parse("records/assessment.json", _Head)
    records = {
        "responses": parse("records/responses.json", _Response, many=True),
        "targets": parse("records/targets.json", _Target, many=True),
        "findings": parse("records/findings.json", _Finding, many=True),
        "snapshot": parse("records/snapshot.json", _Snapshot, nullable=True),
        "audit": parse("records/audit.json", _Audit, many=True),
    }
    imports = parse("evidence/imports.json", _Import, many=True) or []
    evidence = []
    for item in imports:
        if item["file"] not in files or item["rows"] not in files:
            problems.append(Problem(f"{name}: evidence/imports.json", f"files of import '{item['file_name']}' are missing"))
            continue
        try:
            rows = [(int(r["row"]), dict(r["values"])) for r in map(loads, files[item["rows"]].decode("utf-8").splitlines())]
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            problems.append(Problem(f"{name}: {item['rows']}", "each line must be {\"row\": N, \"values\": {...}}"))
            continue
        evidence.append({**{k: v for k, v in item.items() if k not in ("file", "rows")},
                         "content": files[item["file"]], "rows": rows})
    if problems:
        raise BundleError(f"{name}: the bundle's records are not valid; nothing was imported", problems)
    return {**head, **records, "evidence": evidence}


def _safe_name(file_name: str) -> str:
    """A file name that is safe as a zip entry (no folders, no odd characters)."""
    base = file_name.replace("\\", "/").rsplit("/", 1)[-1]
    return re.sub(r"[^A-Za-z0-9._-]+", "_", base)[:100] or "file"
