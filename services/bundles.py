"""Bundle export and import of one assessment (archive: services.bundle_format; signatures:
services.bundle_keys; rules: services.bundle_checks).

Export is open to anyone who may read; the bundle is signed with the organisation's key. Import is
an admin action, and trusts nothing it has not checked:

- a bundle signed by a trusted key is restored exactly (answers with their versions and authors,
  targets, findings, evidence files, snapshot, audit log), so exporting it again gives identical
  bytes;
- a bundle that is unsigned, signed by an unknown key or whose signature does not match is refused,
  unless the admin explicitly imports it as unverified: then it arrives as a *draft* marked
  unverified, under an id of its own, without its snapshot and its audit history (claims nobody
  vouches for), to be reviewed, finalised here or deleted;
- either way every record passes the domain rules (services.bundle_checks), each evidence file is
  read again with the mapping recorded on its import (the rows are derived here, never taken from
  the bundle; its SHA-256 and row count must match the record), and the import is audited on the
  assessment it creates.

The link to the assessment it was copied from is not carried (it may not exist in the other
database), nor are the audit entries of earlier bundle imports (facts about that database).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from typing import Any

from catalog.content_catalog import Catalog
from errors import Problem, ScorecardError
from evidence.columnar import Part, frame_to_parts
from evidence.dataset import load_mapping, read_dataset
from evidence.schemas import DATASETS, get_schema
from services import bundle_keys
from services.access import Actor, require_admin
from services.bundle_checks import record_problems
from services.bundle_format import IMPORTS, BundleError, open_bundle, write_bundle
from services.content import get_catalog
from services.database import database, utcnow
from storage import assessments as store
from storage import audit, bundle_io
from storage import evidence_imports as evidence_store
from storage.bundle_io import PortableAssessment
from storage.engine import Database
from storage.records import Assessment, EvidenceImportData


@dataclass(frozen=True)
class ImportedBundle:
    assessment: Assessment
    verified: bool
    reason: str
    """What the signature proved, in words ("signed by trusted key …", "the bundle is not signed"…)."""


def export_bundle(actor: Actor, assessment_id: int, db: Database | None = None) -> bytes:
    """The signed bundle bytes of one assessment (needs SCORECARD_BUNDLE_KEY)."""
    key = bundle_keys.signing_key()
    with database(db).read() as session:
        a = store.get(session, assessment_id)
        records, import_ids = bundle_io.read_records(session, assessment_id)
        contents = [evidence_store.file_content(session, i) for i in import_ids]
    names = [_safe_name(item.file_name) for item in records.evidence]
    return write_bundle(records, contents, names, label=a.label, sign=lambda manifest: bundle_keys.sign(manifest, key))


def import_bundle(actor: Actor, data: bytes, name: str = "bundle.zip", *, allow_unverified: bool = False,
                  catalog: Catalog | None = None, db: Database | None = None) -> ImportedBundle:
    """Restore a bundle into this database (admin). Refuses foreign, tampered, invalid, duplicate
    and, unless `allow_unverified`, unverified bundles; nothing is written when anything is wrong."""
    require_admin(actor, "import bundles")
    opened = open_bundle(data, name)
    verdict = bundle_keys.verify(opened.manifest_bytes, opened.signature)
    if not verdict.verified and not allow_unverified:
        raise BundleError(f"{name}: refused: {verdict.reason}; nothing was imported", [Problem(
            f"{name}: signature.json", verdict.reason,
            "if you know where it comes from, add the signer's public key to SCORECARD_BUNDLE_TRUSTED_KEYS; or "
            "import it for review as an unverified draft: scorecard bundle import FILE --unverified")])
    records = opened.records if verdict.verified else _as_unverified_draft(opened.records)
    problems = record_problems(records, catalog or get_catalog(), utcnow(), name)
    target = database(db)
    _refuse_existing(target, records.assessment.uid, name)
    derived = []
    for i, (item, (path, content)) in enumerate(zip(records.evidence, opened.evidence_files, strict=True)):
        parts, found = _rows_from_file(item, content, f"{name}: {path}", f"{name}: {IMPORTS} [{i}]")
        derived.append((item, content, parts))
        problems += found
    if problems:
        raise BundleError(f"{name}: the bundle's records break the rules; nothing was imported", problems)
    with target.write() as session:
        _refuse_existing(target, records.assessment.uid, name, session)
        new_id, site_created = bundle_io.insert_records(session, records, user=actor.user)
        for item, content, parts in derived:
            evidence_store.insert_import(session, new_id, item, content, parts)
        audit.record(session, actor.user, utcnow(), new_id, bundle_io.IMPORT_ENTITY, records.assessment.uid, "import",
                     None, _import_facts(opened, verdict, name, data, site_created, derived))
        return ImportedBundle(store.get(session, new_id), verdict.verified, verdict.reason)


def _as_unverified_draft(records: PortableAssessment) -> PortableAssessment:
    """What an unverified bundle may bring: its content as a draft marked unverified, never a
    final assessment with a score, and no history that nobody vouches for. It gets an id of its
    own, so that it cannot take the place of the genuine assessment if that arrives later."""
    draft = records.assessment.model_copy(update={"status": "draft", "finalised_by": None, "finalised_at": None,
                                                  "unverified": True, "uid": str(uuid.uuid4())})
    return records.model_copy(update={"assessment": draft, "snapshot": None, "audit": ()})


def _refuse_existing(db: Database, uid: str, name: str, session=None) -> None:
    if session is None:
        with db.read() as reading:
            existing = store.find_by_uid(reading, uid)
    else:
        existing = store.find_by_uid(session, uid)
    if existing is not None:
        raise BundleError(f"{name}: refused: this assessment is already in the database (id {existing.id})",
                          [Problem(name, f"assessment {uid} exists",
                                   "nothing to import; delete the existing one first if it should be replaced")])


def _rows_from_file(item: EvidenceImportData, content: bytes, file_where: str,
                    record_where: str) -> tuple[list[Part], list[Problem]]:
    """The import's rows read again from its file with its recorded mapping, as the original import
    read them (keeping the valid rows), and the problems: a SHA-256 or row count that differs from
    the record, a mapping or file that no longer reads."""
    problems = []
    digest = hashlib.sha256(content).hexdigest()
    if digest != item.sha256:
        problems.append(Problem(f"{record_where}.sha256", f"the file's SHA-256 is {digest[:16]}…, not the recorded "
                                                          f"{item.sha256[:16]}…"))
    if item.dataset not in DATASETS:
        return [], problems  # reported by the record rules
    try:
        mapping = None
        if item.mapping is not None:
            text, file_name = item.mapping.get("text"), item.mapping.get("file_name")
            if not isinstance(text, str) or not isinstance(file_name, str) or set(item.mapping) != {"text", "file_name"}:
                return [], [*problems, Problem(f"{record_where}.mapping", "must be {\"file_name\": …, \"text\": …}")]
            mapping = load_mapping(text.encode("utf-8"), item.dataset, file_name)
        frame = read_dataset(content, item.dataset, mapping, name=item.file_name).accepted(True)
    except ScorecardError as error:
        return [], [*problems, *(Problem(f"{file_where}: {p.location}", p.message, p.hint) for p in error.problems
                                     or [Problem("", error.summary)])]
    if len(frame) != item.row_count:
        problems.append(Problem(f"{record_where}.row_count", f"the file gives {len(frame)} valid row(s) here, the record "
                                                             f"says {item.row_count}"))
    return list(frame_to_parts(get_schema(item.dataset), frame)), problems


def _import_facts(opened, verdict, name: str, data: bytes, site_created: bool, derived: list) -> dict[str, Any]:
    return {"file": name, "sha256": hashlib.sha256(data).hexdigest(), "format_version": opened.format_version,
            "verified": verdict.verified, "signature": verdict.reason, "key_id": verdict.key_id,
            "bundle_assessment_uid": opened.records.assessment.uid, "site_created": site_created,
            "evidence_rows": sum(p.rows for _, _, parts in derived for p in parts),
            "history_entries": len(opened.records.audit) if verdict.verified else 0}


def _safe_name(file_name: str) -> str:
    """A file name that is safe as a zip entry (no folders, no odd characters)."""
    base = file_name.replace("\\", "/").rsplit("/", 1)[-1]
    return re.sub(r"[^A-Za-z0-9._-]+", "_", base)[:100] or "file"
