"""Bundle export and import of one assessment (archive: services.bundle_format and
services.bundle_reader; signatures: services.bundle_keys; rules: services.bundle_checks; evidence
rows: services.bundle_evidence).

Export is open to anyone who may read; the bundle is signed with the organisation's key. Import is
an admin action, and trusts nothing it has not checked:

- a bundle signed by a trusted key is restored exactly (answers with their versions and authors,
  targets, findings, evidence files, snapshot, audit log), so exporting it again gives identical
  bytes;
- a bundle that is unsigned, signed by an unknown key or whose signature does not match is refused,
  unless the admin explicitly imports it as unverified: then it arrives as a *draft* marked
  unverified, under an id of its own, without its snapshot and its audit history (claims nobody
  vouches for), to be reviewed, finalised here or deleted;
- either way every record passes the domain rules (services.bundle_checks); each evidence file's
  SHA-256 and row count must match its record; the rows come from the signed Parquet parts of a
  verified bundle (checked against the dataset's columns), and are read again from the original
  file with the recorded mapping for anything unverified (rows nobody vouches for are never taken
  from the bundle); and the import is audited on the assessment it creates.

Both directions stream: an export writes one evidence file or part at a time, an import hashes
every entry as it streams and stores the parts one at a time, so memory does not grow with the
number of evidence rows (the largest single original file is held once, to store it).

The link to the assessment it was copied from is not carried (it may not exist in the other
database), nor are the audit entries of earlier bundle imports (facts about that database).
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from errors import Problem
from services import bundle_keys
from services.access import Actor, require_admin
from services.bundle_checks import record_problems
from services.bundle_evidence import EvidencePlan, plan_evidence
from services.bundle_format import BundleError, EvidenceEntry, write_bundle
from services.bundle_reader import OpenedBundle, open_bundle
from services.context import Context
from storage import assessments as store
from storage import audit, bundle_io
from storage import evidence_imports as evidence_store
from storage import sites as site_store
from storage.bundle_io import PortableAssessment
from storage.records import Assessment


@dataclass(frozen=True)
class ImportedBundle:
    assessment: Assessment
    verified: bool
    reason: str
    """What the signature proved, in words ("signed by trusted key …", "the bundle is not signed"…)."""


def export_bundle(ctx: Context, actor: Actor, assessment_id: int) -> bytes:
    """The signed bundle bytes of one assessment (needs SCORECARD_BUNDLE_KEY)."""
    out = io.BytesIO()
    export_bundle_to(ctx, actor, assessment_id, out)
    return out.getvalue()


def export_bundle_to(ctx: Context, actor: Actor, assessment_id: int, out: BinaryIO) -> None:
    """Write the signed bundle of one assessment to `out` (a file opened for binary writing), one
    evidence file or part at a time: memory does not grow with the number of evidence rows."""
    key = bundle_keys.signing_key()
    with ctx.read() as session:
        a = store.get(session, assessment_id)
        records, import_ids = bundle_io.read_records(session, assessment_id)
        evidence = [EvidenceEntry(_safe_name(item.file_name), evidence_store.file_size(session, i),
                                  partial(evidence_store.iter_file_content, session, i), partial(_part_bytes, session, i))
                    for item, i in zip(records.evidence, import_ids, strict=True)]
        write_bundle(out, records, evidence, label=a.label, sign=lambda manifest: bundle_keys.sign(manifest, key))


def import_bundle(ctx: Context, actor: Actor, source: bytes | Path, name: str | None = None, *,
                  allow_unverified: bool = False) -> ImportedBundle:
    """Restore a bundle (its bytes, or the path of its file) into this database (admin). Refuses
    foreign, tampered, invalid, duplicate and, unless `allow_unverified`, unverified bundles; nothing
    is written when anything is wrong."""
    require_admin(actor, "import bundles")
    name = name or (source.name if isinstance(source, Path) else "bundle.zip")
    opened = open_bundle(source, name)
    verdict = bundle_keys.verify(opened.manifest_bytes, opened.signature)
    if not verdict.verified and not allow_unverified:
        raise BundleError(f"{name}: refused: {verdict.reason}; nothing was imported", [Problem(
            f"{name}: signature.json", verdict.reason,
            "if you know where it comes from, add the signer's public key to SCORECARD_BUNDLE_TRUSTED_KEYS; or "
            "import it for review as an unverified draft: scorecard bundle import FILE --unverified")])
    records = opened.records if verdict.verified else _as_unverified_draft(opened.records)
    problems = record_problems(records, ctx.catalog, ctx.now(), name)
    _refuse_existing(ctx, records.assessment.uid, name)
    plans, found = plan_evidence(opened, records.evidence, verdict.verified, _time_zone(ctx, records))
    problems += found
    if problems:
        raise BundleError(f"{name}: the bundle's records break the rules; nothing was imported", problems)
    with ctx.write() as session:
        _refuse_existing(ctx, records.assessment.uid, name, session)
        new_id, site_created = bundle_io.insert_records(session, records, user=actor.user)
        for plan in plans:
            evidence_store.insert_import(session, new_id, plan.item, opened.stream(plan.file), plan.parts(opened))
        audit.record(session, actor.user, ctx.now(), new_id, bundle_io.IMPORT_ENTITY, records.assessment.uid, "import",
                     None, _import_facts(opened, verdict, name, site_created, plans))
        return ImportedBundle(store.get(session, new_id), verdict.verified, verdict.reason)


def _time_zone(ctx: Context, records: PortableAssessment) -> str | None:
    """The time zone an unverified bundle's files are read in: that of the site of the same name here
    (bundles do not carry it; a site they create starts in UTC)."""
    if records.site is None:
        return None
    with ctx.read() as session:
        found = [s for s in site_store.list_sites(session) if s.name == records.site.name]
    return found[0].time_zone if found else None


def _part_bytes(session, import_id: int) -> Iterator[bytes]:
    return (data for _, data in evidence_store.iter_parts(session, import_id))


def _as_unverified_draft(records: PortableAssessment) -> PortableAssessment:
    """What an unverified bundle may bring: its content as a draft marked unverified, never a
    final assessment with a score, and no history that nobody vouches for. It gets an id of its
    own, so that it cannot take the place of the genuine assessment if that arrives later."""
    draft = records.assessment.model_copy(update={"status": "draft", "finalised_by": None, "finalised_at": None,
                                                  "unverified": True, "uid": str(uuid.uuid4())})
    return records.model_copy(update={"assessment": draft, "snapshot": None, "audit": ()})


def _refuse_existing(ctx: Context, uid: str, name: str, session=None) -> None:
    if session is None:
        with ctx.read() as reading:
            existing = store.find_by_uid(reading, uid)
    else:
        existing = store.find_by_uid(session, uid)
    if existing is not None:
        raise BundleError(f"{name}: refused: this assessment is already in the database (id {existing.id})",
                          [Problem(name, f"assessment {uid} exists",
                                   "nothing to import; delete the existing one first if it should be replaced")])


def _import_facts(opened: OpenedBundle, verdict, name: str, site_created: bool,
                  plans: list[EvidencePlan]) -> dict[str, Any]:
    return {"file": name, "sha256": _sha256(opened.source), "format_version": opened.format_version,
            "verified": verdict.verified, "signature": verdict.reason, "key_id": verdict.key_id,
            "bundle_assessment_uid": opened.records.assessment.uid, "site_created": site_created,
            "evidence_rows": sum(plan.rows for plan in plans),
            "history_entries": len(opened.records.audit) if verdict.verified else 0}


def _sha256(source: bytes | Path) -> str:
    if isinstance(source, bytes):
        return hashlib.sha256(source).hexdigest()
    digest = hashlib.sha256()
    with source.open("rb") as file:
        while block := file.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


def _safe_name(file_name: str) -> str:
    """A file name that is safe as a zip entry (no folders, no odd characters)."""
    base = file_name.replace("\\", "/").rsplit("/", 1)[-1]
    return re.sub(r"[^A-Za-z0-9._-]+", "_", base)[:100] or "file"
