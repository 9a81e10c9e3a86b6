"""Evidence attached to an assessment: import a file (read and validated by the evidence package),
keep the original bytes, its SHA-256 and the normalised rows in one transaction, and recompute
metrics from the stored rows.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from pathlib import Path

import pandas as pd
from sqlalchemy.orm import Session

from catalog.loader import Catalog
from errors import EvidenceError, Problem
from evidence.dataset import check_size, load_mapping, read_dataset
from evidence.results import MetricSet
from evidence.schemas import get_schema
from services.access import Actor, require_site_write
from services.db import database, utcnow
from services.evidence_rows import frame_to_rows, rows_to_frame
from storage import assessments as store
from storage import evidence_store
from storage.db import Database
from storage.records import Assessment, EvidenceImport


def import_evidence(actor: Actor, assessment_id: int, dataset: str, source: Path | bytes, *,
                    name: str | None = None, mapping: Path | bytes | None = None, mapping_name: str | None = None,
                    keep_valid: bool = False, db: Database | None = None) -> EvidenceImport:
    """Read, validate and store one evidence file for an assessment.

    A file with row problems is refused (EvidenceError listing them) unless `keep_valid`, which
    stores the valid rows only. The latest import of a dataset replaces earlier ones in the metrics.
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
    validated = read_dataset(content, dataset, parsed_mapping, name=file_name)
    frame = validated.accepted(keep_valid)
    rows = frame_to_rows(schema, frame)
    with database(db).write() as session:
        return evidence_store.store_import(
            session, assessment_id, dataset=dataset, file_name=file_name, sha256=hashlib.sha256(content).hexdigest(),
            content=content, rows=rows, row_numbers=frame.index.tolist(), mapping=mapping_record,
            user=actor.user, now=utcnow(),
        )


def stored_frames(session: Session, assessment_id: int) -> dict[str, pd.DataFrame]:
    """Dataset → normalised frame of the assessment's current import of that dataset."""
    frames = {}
    for dataset, item in evidence_store.current_imports(session, assessment_id).items():
        numbered = evidence_store.load_numbered_rows(session, item.id)
        frame = rows_to_frame(get_schema(dataset), [values for _, values in numbered])
        frame.index = pd.Index([n for n, _ in numbered], name="row")
        frames[dataset] = frame
    return frames


# Stored evidence never changes (a new file is a new import with a new id), so the metrics of a
# set of imports, a date and a catalog can be kept: re-scoring after every autosave stays cheap.
_METRICS: OrderedDict[tuple, tuple[MetricSet, Catalog]] = OrderedDict()
_METRICS_KEPT = 64


def forget_cached_metrics() -> None:
    """Drop the kept metrics (benchmarks measure the cold path with it)."""
    _METRICS.clear()


def metrics_in_session(session: Session, assessment: Assessment, catalog: Catalog) -> MetricSet | None:
    """Metrics of the assessment's current evidence as of its date, or None without evidence."""
    current = evidence_store.current_imports(session, assessment.id)
    if not current:
        return None
    url = session.get_bind().engine.url.render_as_string(hide_password=True)
    key = (url, tuple(sorted((d, i.id) for d, i in current.items())), assessment.as_of, id(catalog))
    if key in _METRICS:
        _METRICS.move_to_end(key)
        return _METRICS[key][0]
    from evidence.metrics import compute_metrics

    metrics = compute_metrics(stored_frames(session, assessment.id), as_of=assessment.as_of,
                              definitions=catalog.metric_definitions())
    _METRICS[key] = (metrics, catalog)  # the catalog is kept so its id() cannot be reused meanwhile
    while len(_METRICS) > _METRICS_KEPT:
        _METRICS.popitem(last=False)
    return metrics


def _bytes(source: Path | bytes, name: str | None) -> tuple[bytes, str]:
    if isinstance(source, bytes):
        return source, name or "upload"
    path = Path(source)
    try:
        check_size(path.stat().st_size, name or path.name)  # refuse an oversized file before reading it
        return path.read_bytes(), name or path.name
    except OSError as exc:
        raise EvidenceError(f"cannot read {path}", [Problem(str(path), exc.strerror or str(exc))]) from None
