"""Evidence imports: the original file, its SHA-256 and the normalised rows, stored atomically.

Rows are kept as Parquet *parts* (evidence.columnar: at most 250,000 rows each, ~11 bytes per row
of an asset inventory) in `evidence_parts`, one BLOB/bytea row per part, rather than one row per
evidence row or a table per dataset. Why: a million rows are four INSERTs instead of a million
(the JSON form took 297 s and ~590 bytes per row); the parts carry their own column types, so the
dataset schemas belong to the evidence package and may grow fields without a migration here;
metrics are recomputed by handing the parts back to the evidence package (one Parquet decode,
~0.9 s per million rows); and a part stays a bounded value whatever the import's size, so neither
SQLite nor PostgreSQL meets a giant parameter. The original file is kept byte for byte, in 8 MiB
pieces (`evidence_file_chunks`) for the same reason. The import row, its file, its parts and its audit
entry are written in the caller's one transaction: all or nothing, also for a killed process.
The latest import of a dataset is the one that counts for an assessment; older ones stay as
history. Importing the file (same bytes and mapping) that already is the current import of its
dataset stores nothing and says so; importing an older file again makes it current again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from errors import ConflictError, NotFoundError, Problem
from storage import audit
from storage.assessments import lock_writable
from storage.records import EvidenceImport, EvidenceImportData
from storage.tables import EvidenceFileChunkRow, EvidenceImportRow, EvidencePartRow

FILE_CHUNK_BYTES = 8 * 1024 * 1024
"""The original file is stored in pieces of this size, so that it too can stream in and out."""


class DuplicateEvidenceError(ConflictError):
    """The file is already the current import of its dataset; nothing was stored."""


def store_import(session: Session, assessment_id: int, *, dataset: str, file_name: str, sha256: str, content: bytes,
                 parts: Iterable[tuple[int, bytes]], mapping: dict | None, user: str, now: datetime,
                 left_out_rows: Iterable[int] = ()) -> EvidenceImport:
    """Store one import; `parts` are (row count, Parquet bytes) in file order (evidence.columnar);
    `left_out_rows` are the numbers of the rows left out as invalid (kept with the import so every
    reader can say so).

    Refuses (DuplicateEvidenceError) when the same bytes with the same mapping are already the
    assessment's current import of the dataset: storing them again would change nothing but size."""
    lock_writable(session, assessment_id)
    existing = duplicate_of(session, assessment_id, dataset, sha256, mapping)
    if existing is not None:
        raise already_imported(existing, file_name)
    stored = insert_import(session, assessment_id, EvidenceImportData(
        dataset=dataset, file_name=file_name, sha256=sha256, row_count=0, mapping=mapping, imported_by=user,
        imported_at=now, left_out_rows=tuple(int(n) for n in left_out_rows)), content, parts)
    audit.record(session, user, now, assessment_id, "evidence", f"{dataset}#{stored.id}", "import", None,
                 {"dataset": dataset, "file_name": file_name, "sha256": sha256, "rows": stored.row_count,
                  **({"left_out_rows": list(stored.left_out_rows)} if stored.left_out_rows else {})})
    return stored


def carry_imports(session: Session, source_id: int, assessment_id: int, *, user: str, now: datetime) -> list[EvidenceImport]:
    """Copy the current imports of assessment `source_id` (file, row parts, mapping, left-out rows)
    to `assessment_id`, marked as carried and keeping their original import time and importer, so
    a reader sees how old the evidence is. Audited as "carry" by `user`. Parts and file pieces are
    copied one at a time (streamed), as a bundle import stores them."""
    lock_writable(session, assessment_id)
    carried = []
    for dataset, item in current_imports(session, source_id).items():
        record = EvidenceImportData.model_validate({**item.model_dump(exclude={"id", "assessment_id"}), "carried": True})
        stored = insert_import(session, assessment_id, record, list(iter_file_content(session, item.id)),
                               list(iter_parts(session, item.id)))
        audit.record(session, user, now, assessment_id, "evidence", f"{dataset}#{stored.id}", "carry", None,
                     {"dataset": dataset, "file_name": item.file_name, "from_import": item.id,
                      "imported_at": item.imported_at})
        carried.append(stored)
    return carried


def insert_import(session: Session, assessment_id: int, record: EvidenceImportData, content: bytes | Iterable[bytes],
                  parts: Iterable[tuple[int, bytes]]) -> EvidenceImport:
    """Insert an import, its file and its parts as they are (no lock, no audit: the callers do that);
    the row count stored is the sum of the parts' row counts. `content` is the file's bytes or its
    pieces in order; pieces and parts are inserted as they come, so a caller may produce them one
    at a time (a bundle import streams them from the archive)."""
    row = EvidenceImportRow(assessment_id=assessment_id, **record.model_dump())
    session.add(row)
    session.flush()
    pieces = file_chunks(content) if isinstance(content, bytes) else content
    for number, piece in enumerate(pieces, start=1):
        session.execute(insert(EvidenceFileChunkRow), [{"import_id": row.id, "chunk": number, "content": piece}])
    count = 0
    for number, (rows, data) in enumerate(parts, start=1):
        session.execute(insert(EvidencePartRow), [{"import_id": row.id, "part": number, "row_count": rows, "data": data}])
        count += rows
    row.row_count = count
    session.flush()
    return to_import(row)


def duplicate_of(session: Session, assessment_id: int, dataset: str, sha256: str,
                 mapping: dict | None) -> EvidenceImport | None:
    """The current import of `dataset` when it has the same bytes, mapping text and preset, else None."""
    existing = current_imports(session, assessment_id).get(dataset)
    if existing is None or existing.sha256 != sha256:
        return None
    same = all((existing.mapping or {}).get(k) == (mapping or {}).get(k) for k in ("text", "preset"))
    return existing if same else None


def already_imported(existing: EvidenceImport, file_name: str) -> DuplicateEvidenceError:
    """The refusal of a file that is already the current import of its dataset."""
    return DuplicateEvidenceError(
        f"{file_name} is already imported: it is the current {existing.dataset} evidence of assessment "
        f"{existing.assessment_id}; nothing was stored",
        [Problem(file_name, f"same content (SHA-256 {existing.sha256[:12]}…) and mapping as import #{existing.id}, "
                            f"imported by {existing.imported_by} on {existing.imported_at:%Y-%m-%d %H:%M} UTC",
                 "import a changed file, or leave the evidence as it is")],
    )


def list_imports(session: Session, assessment_id: int) -> list[EvidenceImport]:
    rows = session.scalars(select(EvidenceImportRow).where(EvidenceImportRow.assessment_id == assessment_id)
                           .order_by(EvidenceImportRow.id))
    return [to_import(r) for r in rows]


def current_imports(session: Session, assessment_id: int) -> dict[str, EvidenceImport]:
    """The latest import of each dataset for the assessment."""
    latest: dict[str, EvidenceImport] = {}
    for item in list_imports(session, assessment_id):
        latest[item.dataset] = item
    return latest


def load_parts(session: Session, import_id: int) -> list[bytes]:
    """The import's Parquet parts in order (evidence.columnar.parts_to_frame reads them)."""
    return [bytes(d) for d in session.scalars(select(EvidencePartRow.data).where(EvidencePartRow.import_id == import_id)
                                              .order_by(EvidencePartRow.part))]


def iter_parts(session: Session, import_id: int) -> Iterator[tuple[int, bytes]]:
    """(row count, Parquet bytes) of each part in order, fetched one at a time (for streaming)."""
    numbers = session.scalars(select(EvidencePartRow.part).where(EvidencePartRow.import_id == import_id)
                              .order_by(EvidencePartRow.part)).all()
    for number in numbers:
        rows, data = session.execute(select(EvidencePartRow.row_count, EvidencePartRow.data).where(
            EvidencePartRow.import_id == import_id, EvidencePartRow.part == number)).one()
        yield rows, bytes(data)


def file_chunks(content: bytes) -> Iterator[memoryview]:
    """The file's bytes in pieces of FILE_CHUNK_BYTES (views, not copies); an empty file is one empty piece."""
    view = memoryview(content)
    yield from (view[start:start + FILE_CHUNK_BYTES] for start in range(0, max(len(content), 1), FILE_CHUNK_BYTES))


def file_content(session: Session, import_id: int) -> bytes:
    """The original file of the import, whole."""
    return b"".join(iter_file_content(session, import_id))


def iter_file_content(session: Session, import_id: int) -> Iterator[bytes]:
    """The original file's pieces in order, fetched one at a time (for streaming it)."""
    numbers = session.scalars(select(EvidenceFileChunkRow.chunk).where(EvidenceFileChunkRow.import_id == import_id)
                              .order_by(EvidenceFileChunkRow.chunk)).all()
    if not numbers:
        raise NotFoundError(f"no evidence import {import_id}")
    for number in numbers:
        yield bytes(session.scalar(select(EvidenceFileChunkRow.content).where(
            EvidenceFileChunkRow.import_id == import_id, EvidenceFileChunkRow.chunk == number)))


def file_size(session: Session, import_id: int) -> int:
    """Bytes in the import's original file."""
    return session.scalar(select(func.coalesce(func.sum(func.length(EvidenceFileChunkRow.content)), 0))
                          .where(EvidenceFileChunkRow.import_id == import_id))


def row_count(session: Session, import_id: int) -> int:
    """Rows stored in the import's parts (the import record keeps the same number)."""
    return session.scalar(select(func.coalesce(func.sum(EvidencePartRow.row_count), 0))
                          .where(EvidencePartRow.import_id == import_id))


def to_import(row: EvidenceImportRow) -> EvidenceImport:
    return EvidenceImport.model_validate(row)
