"""Evidence imports: the original file, its SHA-256, and the normalised rows, stored atomically.

Rows are kept as one canonical-JSON object per row in `evidence_rows` rather than a table per
dataset: the dataset schemas belong to the evidence package and may grow columns without a
migration here, metrics are recomputed by handing the rows back to the evidence package, and a
single table keeps the import a single INSERT stream inside one transaction (all or nothing).
The latest import of a dataset is the one that counts for an assessment; older ones stay as
history. Importing the file (same bytes and mapping) that already is the current import of its
dataset stores nothing and says so; importing an older file again makes it current again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from itertools import islice
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from errors import ConflictError, NotFoundError, Problem
from storage import audit
from storage.assessments import lock_writable
from storage.jsontext import dumps, loads
from storage.records import EvidenceImport, EvidenceImportData
from storage.tables import EvidenceDataRow, EvidenceFileRow, EvidenceImportRow

CHUNK = 5000


class DuplicateEvidenceError(ConflictError):
    """The file is already the current import of its dataset; nothing was stored."""


def store_import(session: Session, assessment_id: int, *, dataset: str, file_name: str, sha256: str, content: bytes,
                 rows: Iterable[dict[str, Any]], mapping: dict | None, user: str, now: datetime,
                 row_numbers: Iterable[int] | None = None) -> EvidenceImport:
    """Store one import; `rows` are JSON-able dicts (dates as ISO strings) in file order, and
    `row_numbers` their row numbers in the file (default 1, 2, 3...).

    Refuses (DuplicateEvidenceError) when the same bytes with the same mapping are already the
    assessment's current import of the dataset: storing them again would change nothing but size."""
    lock_writable(session, assessment_id)
    existing = duplicate_of(session, assessment_id, dataset, sha256, mapping)
    if existing is not None:
        raise already_imported(existing, file_name)
    stored = insert_import(session, assessment_id, EvidenceImportData(
        dataset=dataset, file_name=file_name, sha256=sha256, row_count=0, mapping=mapping, imported_by=user,
        imported_at=now), content, rows, row_numbers)
    audit.record(session, user, now, assessment_id, "evidence", f"{dataset}#{stored.id}", "import", None,
                 {"dataset": dataset, "file_name": file_name, "sha256": sha256, "rows": stored.row_count})
    return stored


def insert_import(session: Session, assessment_id: int, record: EvidenceImportData, content: bytes,
                  rows: Iterable[dict[str, Any]], row_numbers: Iterable[int] | None = None) -> EvidenceImport:
    """Insert an import, its file and its rows as they are (no lock, no audit: the callers do that);
    the row count stored is the number of rows given."""
    row = EvidenceImportRow(assessment_id=assessment_id, **record.model_dump())
    session.add(row)
    session.flush()
    session.execute(insert(EvidenceFileRow), [{"import_id": row.id, "content": content}])
    count = 0
    numbers = iter(row_numbers) if row_numbers is not None else None
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        session.execute(insert(EvidenceDataRow), [
            {"import_id": row.id, "row_number": count + i + 1 if numbers is None else int(next(numbers)),
             "data": dumps(values)} for i, values in enumerate(chunk)
        ])
        count += len(chunk)
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


def load_rows(session: Session, import_id: int) -> list[dict[str, Any]]:
    return [values for _, values in load_numbered_rows(session, import_id)]


def load_numbered_rows(session: Session, import_id: int) -> list[tuple[int, dict[str, Any]]]:
    """(row number in the file, values) in stored order."""
    data = session.execute(select(EvidenceDataRow.row_number, EvidenceDataRow.data)
                           .where(EvidenceDataRow.import_id == import_id).order_by(EvidenceDataRow.id)).all()
    if not data:
        return []
    # One decode of a JSON array is several times faster than one json.loads per row.
    values = loads("[" + ",".join(text for _, text in data) + "]")
    return [(number, row) for (number, _), row in zip(data, values, strict=True)]


def file_content(session: Session, import_id: int) -> bytes:
    content = session.scalar(select(EvidenceFileRow.content).where(EvidenceFileRow.import_id == import_id))
    if content is None:
        raise NotFoundError(f"no evidence import {import_id}")
    return bytes(content)


def row_count(session: Session, import_id: int) -> int:
    return session.scalar(select(func.count()).select_from(EvidenceDataRow).where(EvidenceDataRow.import_id == import_id))


def to_import(row: EvidenceImportRow) -> EvidenceImport:
    return EvidenceImport.model_validate(row)
