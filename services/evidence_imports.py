"""Evidence attached to an assessment: import a file (read and validated by the evidence package),
keep the original bytes, its SHA-256 and the normalised rows (Parquet parts, evidence.columnar) in
one transaction. Reading the stored rows back, and the metrics computed from them:
services.stored_evidence.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from errors import EvidenceError, Problem
from evidence.columnar import frame_to_parts
from evidence.dataset import check_size, load_mapping, read_dataset
from evidence.schemas import get_schema
from services.access import Actor, require_site_write
from services.context import Context
from services.evidence_presets import effective_mapping
from storage import assessments as store
from storage import evidence_imports as evidence_store
from storage import sites as site_store
from storage.evidence_imports import (
    DuplicateEvidenceError as DuplicateEvidenceError,  # for callers of this service
)
from storage.records import EvidenceImport


def import_evidence(ctx: Context, actor: Actor, assessment_id: int, dataset: str, source: Path | bytes, *,
                    name: str | None = None, mapping: Path | bytes | None = None, mapping_name: str | None = None,
                    keep_valid: bool = False, preset: str | None = None) -> EvidenceImport:
    """Read, validate and store one evidence file for an assessment.

    `preset` names a built-in mapping (services.evidence_presets); `mapping` is laid over it. Both
    are stored with the import (the preset by id), which is how they carry to next quarter. Dates
    are read in the time zone of the assessment's site.

    A file with row problems is refused (EvidenceError listing them) unless `keep_valid`, which
    stores the valid rows only. The latest import of a dataset replaces earlier ones in the metrics.
    The file that already is the current import of the dataset (same bytes, same mapping) is refused
    with DuplicateEvidenceError ("already imported") and nothing is stored.
    """
    schema = get_schema(dataset)
    with ctx.read() as session:
        assessment = store.get(session, assessment_id)
    require_site_write(actor, assessment.site_name, "import evidence")
    if assessment.is_final:  # checked again under lock when storing; this avoids reading a big file first
        with ctx.write() as session:
            store.lock_writable(session, assessment_id)
    content, file_name = _bytes(source, name)
    parsed_mapping, mapping_record = None, None
    if mapping is not None:
        mapping_bytes, mapping_file = _bytes(mapping, mapping_name)
        parsed_mapping = load_mapping(mapping_bytes, dataset, mapping_file)
        mapping_record = {"file_name": mapping_file, "text": mapping_bytes.decode("utf-8", errors="replace")}
    if preset is not None:
        parsed_mapping = effective_mapping(dataset, preset, parsed_mapping)
        mapping_record = {"file_name": "", "text": "", **(mapping_record or {}), "preset": preset}
    sha256 = hashlib.sha256(content).hexdigest()
    with ctx.read() as session:  # checked again under lock when storing; this avoids reading the file
        existing = evidence_store.duplicate_of(session, assessment_id, dataset, sha256, mapping_record)
        time_zone = site_store.time_zone_of(session, assessment.site_id)
    if existing is not None:
        raise evidence_store.already_imported(existing, file_name)
    validated = read_dataset(content, dataset, parsed_mapping, name=file_name, time_zone=time_zone)
    frame = validated.accepted(keep_valid)
    parts = list(frame_to_parts(schema, frame))  # encoded before the write lock is taken: it is held briefly
    left_out = validated.invalid_row_numbers if keep_valid else ()
    del frame, validated
    with ctx.write() as session:
        return evidence_store.store_import(
            session, assessment_id, dataset=dataset, file_name=file_name, sha256=sha256,
            content=content, parts=parts, mapping=mapping_record, user=actor.user, now=ctx.now(),
            left_out_rows=left_out,
        )


def site_time_zone(ctx: Context, assessment_id: int) -> str:
    """The time zone evidence of this assessment is read in: its site's (UTC for the enterprise)."""
    with ctx.read() as session:
        return site_store.time_zone_of(session, store.get(session, assessment_id).site_id)


def _bytes(source: Path | bytes, name: str | None) -> tuple[bytes, str]:
    if isinstance(source, bytes):
        return source, name or "upload"
    path = Path(source)
    try:
        check_size(path.stat().st_size, name or path.name)  # refuse an oversized file before reading it
        return path.read_bytes(), name or path.name
    except OSError as exc:
        raise EvidenceError(f"cannot read {path}", [Problem(str(path), exc.strerror or str(exc))]) from None
