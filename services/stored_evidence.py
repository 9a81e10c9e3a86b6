"""Evidence attached to an assessment: import a file (validated by the evidence package), keep the
original bytes and the normalised rows, and recompute metrics from the stored rows.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from catalog.loader import Catalog
from evidence.results import MetricSet
from evidence.schemas import get_schema
from services.evidence_rows import rows_to_frame
from storage import evidence_store
from storage.records import Assessment


def stored_frames(session: Session, assessment_id: int) -> dict:
    """Dataset → normalised frame of the assessment's current import of that dataset."""
    return {
        dataset: rows_to_frame(get_schema(dataset), evidence_store.load_rows(session, item.id))
        for dataset, item in evidence_store.current_imports(session, assessment_id).items()
    }


def metrics_in_session(session: Session, assessment: Assessment, catalog: Catalog) -> MetricSet | None:
    """Metrics of the assessment's current evidence as of its date, or None without evidence."""
    frames = stored_frames(session, assessment.id)
    if not frames:
        return None
    from services.evidence import metrics_from_frames

    return metrics_from_frames(frames, as_of=assessment.as_of, catalog=catalog)
