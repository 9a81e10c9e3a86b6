"""Evidence attached to an assessment: import a file (read and validated by the evidence package),
keep the original bytes, its SHA-256 and the normalised rows (Parquet parts, evidence.columnar)
in one transaction, and read the stored rows back as of the assessment's date.

Reading: `evidence_as_of` is the one read of stored evidence rows for every consumer — metrics,
the report's exception and exercise tables (services.reports), the dashboard, the workbook and,
through the snapshots' metrics, the trends. It applies the as-of rule (evidence.as_of): rows
dated after the assessment's as-of date do not exist for it.

Metrics: `metrics_in_session` computes them from those rows (kept per set of imports: stored
evidence never changes, a new file is a new import); `poolable_metrics` gives a member's metrics
with their tallies for the enterprise roll-up and trend (evidence.pooling): a finalised
assessment's snapshot keeps them, older snapshots get them recomputed from the stored rows.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from pathlib import Path

import pandas as pd
from sqlalchemy.orm import Session

from catalog.content_catalog import Catalog
from errors import EvidenceError, Problem
from evidence.as_of import frame_as_of
from evidence.columnar import frame_to_parts, parts_to_frame
from evidence.dataset import check_size, load_mapping, read_dataset
from evidence.metric_set import MetricSet
from evidence.schemas import get_schema
from services.access import Actor, require_site_write
from services.database import database, utcnow
from services.evidence_presets import effective_mapping
from storage import assessments as store
from storage import evidence_imports as evidence_store
from storage import sites as site_store
from storage.engine import Database
from storage.evidence_imports import (
    DuplicateEvidenceError as DuplicateEvidenceError,  # for callers of this service
)
from storage.records import Assessment, EvidenceImport


def import_evidence(actor: Actor, assessment_id: int, dataset: str, source: Path | bytes, *,
                    name: str | None = None, mapping: Path | bytes | None = None, mapping_name: str | None = None,
                    keep_valid: bool = False, preset: str | None = None, db: Database | None = None) -> EvidenceImport:
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
    with database(db).read() as session:
        assessment = store.get(session, assessment_id)
    require_site_write(actor, assessment.site_name, "import evidence")
    if assessment.is_final:  # checked again under lock when storing; this avoids reading a big file first
        with database(db).write() as session:
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
    with database(db).read() as session:  # checked again under lock when storing; this avoids reading the file
        existing = evidence_store.duplicate_of(session, assessment_id, dataset, sha256, mapping_record)
        time_zone = site_store.time_zone_of(session, assessment.site_id)
    if existing is not None:
        raise evidence_store.already_imported(existing, file_name)
    validated = read_dataset(content, dataset, parsed_mapping, name=file_name, time_zone=time_zone)
    frame = validated.accepted(keep_valid)
    parts = list(frame_to_parts(schema, frame))  # encoded before the write lock is taken: it is held briefly
    del frame, validated
    with database(db).write() as session:
        return evidence_store.store_import(
            session, assessment_id, dataset=dataset, file_name=file_name, sha256=sha256,
            content=content, parts=parts, mapping=mapping_record, user=actor.user, now=utcnow(),
        )


def site_time_zone(assessment_id: int, db: Database | None = None) -> str:
    """The time zone evidence of this assessment is read in: its site's (UTC for the enterprise)."""
    with database(db).read() as session:
        return site_store.time_zone_of(session, store.get(session, assessment_id).site_id)


def evidence_as_of(session: Session, assessment: Assessment,
                   datasets: tuple[str, ...] | None = None) -> dict[str, pd.DataFrame]:
    """Dataset → normalised frame of the assessment's current import of it (only `datasets` when
    given), without the rows dated after the assessment's as-of date (evidence.as_of); the index is
    each row's number in the imported file."""
    frames = {}
    for dataset, item in evidence_store.current_imports(session, assessment.id).items():
        if datasets is not None and dataset not in datasets:
            continue
        frame = parts_to_frame(get_schema(dataset), evidence_store.load_parts(session, item.id))
        frames[dataset] = frame_as_of(frame, dataset, assessment.as_of)
    return frames


# Stored evidence never changes (a new file is a new import with a new id), so the metrics of a
# set of imports, a date and a catalog can be kept: re-scoring after every autosave stays cheap.
# 256 covers the drafts being edited and, in a database whose snapshots predate tallies, the
# snapshots of a trend of tens of sites (a demo plant's MetricSet with tallies is ~90 KiB, so the
# cache stays under ~25 MB); snapshots made since keep their tallies and need no recomputation.
_METRICS: OrderedDict[tuple, tuple[MetricSet, Catalog]] = OrderedDict()
_METRICS_KEPT = 256


def forget_cached_metrics() -> None:
    """Drop the kept metrics (benchmarks measure the cold path with it)."""
    _METRICS.clear()


def metrics_in_session(session: Session, assessment: Assessment, catalog: Catalog) -> MetricSet | None:
    """Metrics of the assessment's current evidence as of its date, or None without evidence."""
    current = evidence_store.current_imports(session, assessment.id)
    if not current:
        return None
    url = session.get_bind().engine.url.render_as_string(hide_password=True)
    # Ids can be reused after an assessment is deleted (SQLite): the content's hash and time make the key unique.
    imports = tuple(sorted((d, i.id, i.sha256, i.imported_at) for d, i in current.items()))
    key = (url, imports, assessment.as_of, id(catalog))
    if key in _METRICS:
        _METRICS.move_to_end(key)
        return _METRICS[key][0]
    from evidence.metrics import compute_metrics

    metrics = compute_metrics(evidence_as_of(session, assessment), as_of=assessment.as_of,
                              definitions=catalog.metric_definitions())
    _METRICS[key] = (metrics, catalog)  # the catalog is kept so its id() cannot be reused meanwhile
    while len(_METRICS) > _METRICS_KEPT:
        _METRICS.popitem(last=False)
    return metrics


def poolable_metrics(session: Session, assessment_id: int, catalog: Catalog,
                     stored: dict | None) -> MetricSet | None:
    """The assessment's metrics with their tallies, for pooling across sites: `stored` (a
    snapshot's metrics JSON; None for an assessment without snapshot) when it has them, else
    computed from the stored rows as of the assessment's date (a snapshot made before tallies
    existed; its evidence cannot have changed since)."""
    if stored is not None:
        if not stored:
            return None  # finalised without evidence
        metrics = MetricSet.model_validate(stored)
        if all(r.tallies is not None or r.value is None for r in metrics.metrics.values()):
            return metrics
    return metrics_in_session(session, store.get(session, assessment_id), catalog)


def _bytes(source: Path | bytes, name: str | None) -> tuple[bytes, str]:
    if isinstance(source, bytes):
        return source, name or "upload"
    path = Path(source)
    try:
        check_size(path.stat().st_size, name or path.name)  # refuse an oversized file before reading it
        return path.read_bytes(), name or path.name
    except OSError as exc:
        raise EvidenceError(f"cannot read {path}", [Problem(str(path), exc.strerror or str(exc))]) from None
