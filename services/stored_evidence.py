"""Stored evidence read back, for every consumer: the rows as of the assessment's date and the
metrics computed from them. The write side (importing a file) is services.evidence_imports.

Reading: `evidence_as_of` is the one read of stored evidence rows (Parquet parts, evidence.columnar) — metrics, the report's
exception and exercise tables (services.report_records), the dashboard, the workbook and, through
the snapshots' metrics, the trends. It applies the as-of rule (evidence.as_of): rows dated after the
assessment's as-of date do not exist for it.

Metrics: `metrics_in_session` computes them from those rows (kept per set of imports: stored
evidence never changes, a new file is a new import); `poolable_metrics` gives a member's metrics
with their tallies for the enterprise roll-up and trend (evidence.pooling): a finalised
assessment's snapshot keeps them, older snapshots get them recomputed from the stored rows.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from catalog.content_catalog import Catalog
from evidence.metric_set import MetricSet
from services.kept import Kept
from storage import assessments as store
from storage import evidence_imports as evidence_store
from storage.records import Assessment, EvidenceImport, Snapshot

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


def evidence_as_of(session: Session, assessment: Assessment, datasets: tuple[str, ...] | None = None, *,
                   current: dict[str, EvidenceImport] | None = None) -> dict[str, pd.DataFrame]:
    """Dataset → normalised frame of the assessment's current import of it (only `datasets` when
    given), without the rows dated after the assessment's as-of date (evidence.as_of); the index is
    each row's number in the imported file. `current`: the assessment's current imports when the
    caller has read them already (storage.evidence_imports.current_imports)."""
    # pandas and pyarrow (~0.6 s to import) only when rows are read: `scorecard trend` and the
    # snapshots' pooled metrics never do.
    from evidence.as_of import frame_as_of
    from evidence.columnar import parts_to_frame
    from evidence.schemas import get_schema

    frames = {}
    if current is None:
        current = evidence_store.current_imports(session, assessment.id)
    for dataset, item in current.items():
        if datasets is not None and dataset not in datasets:
            continue
        frame = parts_to_frame(get_schema(dataset), evidence_store.load_parts(session, item.id))
        frames[dataset] = frame_as_of(frame, dataset, assessment.as_of)
    return frames


def evidence_as_of_many(session: Session, assessments: Sequence[tuple[Assessment, dict[str, EvidenceImport]]],
                        datasets: tuple[str, ...], *, fields: Mapping[str, Collection[str]] | None = None
                        ) -> dict[str, tuple[pd.DataFrame, np.ndarray]]:
    """`evidence_as_of` of several assessments, each given with its current imports, read together:
    per dataset of `datasets` that any of them holds, one frame of all their rows (the as-of rule
    applied with each one's own date) and each row's owner, its assessment's position in
    `assessments`. `fields`: dataset → the only fields needed (DatasetSchema.only; the others are
    not decoded). pandas costs about a millisecond per frame whatever its size, so the small
    tables of an enterprise of hundreds of sites are read as one frame each, not one per site."""
    import numpy as np

    from evidence.as_of import rows_as_of
    from evidence.columnar import grouped_parts_to_frame
    from evidence.schemas import get_schema

    out = {}
    for dataset in datasets:
        held = [(i, current[dataset]) for i, (_, current) in enumerate(assessments) if dataset in current]
        if not held:
            continue
        schema = get_schema(dataset)
        if fields is not None and dataset in fields:
            schema = schema.only(fields[dataset])
        frame, group = grouped_parts_to_frame(schema, [evidence_store.load_parts(session, item.id) for _, item in held])
        owners = np.array([i for i, _ in held], dtype=np.int64)[group]
        dates = np.array([assessments[i][0].as_of for i, _ in held], dtype="datetime64[s]")[group]
        keep = rows_as_of(frame, dataset, dates)
        out[dataset] = (frame, owners) if keep is None else (frame[keep], owners[keep])
    return out


def evidence_key(session: Session, assessment: Assessment, current: dict[str, EvidenceImport],
                 datasets: tuple[str, ...] | None = None) -> tuple:
    """What anything computed from the assessment's `current` imports (of `datasets`, default
    all) as of its date depends on: the database, each import's id, content hash and time (ids
    can be reused after an assessment is deleted, SQLite), and the date. Stored evidence never
    changes, so a result kept under this key stays true."""
    url = session.get_bind().engine.url.render_as_string(hide_password=True)
    imports = tuple(sorted((d, i.id, i.sha256, i.imported_at) for d, i in current.items()
                           if datasets is None or d in datasets))
    return url, imports, assessment.as_of


# Stored evidence never changes (a new file is a new import with a new id), so the metrics of a
# set of imports, a date and a catalog can be kept: re-scoring after every autosave stays cheap.
# 256 covers the drafts being edited and, in a database whose snapshots predate tallies, the
# snapshots of a trend of tens of sites (a demo plant's MetricSet with tallies is ~90 KiB, so the
# cache stays under ~25 MB); snapshots made since keep their tallies and need no recomputation.
_METRICS: Kept[tuple[MetricSet, Catalog]] = Kept(256)


def forget_cached_metrics() -> None:
    """Drop the kept metrics (benchmarks measure the cold path with it)."""
    _METRICS.clear()


def metrics_in_session(session: Session, assessment: Assessment, catalog: Catalog) -> MetricSet | None:
    """Metrics of the assessment's current evidence as of its date, or None without evidence."""
    current = evidence_store.current_imports(session, assessment.id)
    if not current:
        return None
    key = (*evidence_key(session, assessment, current), id(catalog))

    def build() -> tuple[MetricSet, Catalog]:
        from evidence.metrics import compute_metrics  # with pandas, as evidence_as_of

        metrics = compute_metrics(evidence_as_of(session, assessment, current=current), as_of=assessment.as_of,
                                  definitions=catalog.metric_definitions())
        return mark_provisional(metrics, current, catalog), catalog  # the catalog kept: its id() is not reused

    return _METRICS.get(key, build)[0]


def left_out_sentence(item: EvidenceImport) -> str:
    """'2 rows of exceptions.csv were left out as invalid (rows 3, 7)', or "" when none were."""
    rows = item.left_out_rows
    if not rows:
        return ""
    shown = ", ".join(map(str, rows[:10])) + (f" and {len(rows) - 10} more" if len(rows) > 10 else "")
    return (f"{len(rows)} row{'s' if len(rows) != 1 else ''} of {item.file_name} {'were' if len(rows) != 1 else 'was'} "
            f"left out as invalid (row{'s' if len(rows) != 1 else ''} {shown})")


def mark_provisional(metrics: MetricSet, imports: dict[str, EvidenceImport], catalog: Catalog) -> MetricSet:
    """Mark every metric computed from a dataset whose import left rows out as provisional, with
    the reason: an invalid row's values are unknown, so any of them (an open critical exception,
    an unpatched critical asset) could change the value or its RAG status."""
    reasons = {dataset: left_out_sentence(item) for dataset, item in imports.items() if item.left_out_rows}
    if not reasons:
        return metrics
    datasets = {d.name: d.dataset for d in catalog.metric_definitions().values()}
    marked = {name: result.model_copy(update={"provisional": reasons[datasets[name]]})
              if datasets.get(name) in reasons else result for name, result in metrics.metrics.items()}
    return metrics.model_copy(update={"metrics": marked})


def poolable_metrics(session: Session, assessment_id: int, catalog: Catalog,
                     snapshot: Snapshot | None) -> MetricSet | None:
    """The assessment's metrics with their tallies, for pooling across sites: its snapshot's (None
    for an assessment without one) when they have them, else computed from the stored rows as of
    the assessment's date (a snapshot made before tallies existed; its evidence cannot have changed
    since)."""
    if snapshot is not None:
        metrics = snapshot.metrics
        if metrics is None:
            return None  # finalised without evidence
        if all(r.tallies is not None or r.value is None for r in metrics.metrics.values()):
            return metrics
    return metrics_in_session(session, store.get(session, assessment_id), catalog)
