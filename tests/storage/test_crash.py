"""SIGKILL in the middle of a large evidence import: afterwards the import is fully absent (or,
when it had committed, fully present) and the database is consistent.

The writer reports when several chunks of rows are in the database inside its open transaction
and then waits; it is killed while it waits, so the kill always lands mid-transaction."""

from __future__ import annotations

import signal
import subprocess
import sys

from sqlalchemy import func, select

from storage import evidence_imports as evidence_store
from storage.engine import Database
from storage.tables import AuditRow, EvidenceFileChunkRow, EvidenceImportRow, EvidencePartRow
from tests.conftest import PROJECT_ROOT
from tests.storage.helpers import make_assessment
from tests.storage.writer_process import PART_ROWS

BIG = 400_000
SENT_BEFORE_KILL = 8 * PART_ROWS
SMALL = 3_000


def _writer(db_url: str, assessment_id: int, rows: int, *pause_after: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.storage.writer_process", "evidence", db_url,
                             str(assessment_id), str(rows), *map(str, pause_after)], cwd=PROJECT_ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _counts(db: Database) -> tuple[int, int, int, int]:
    with db.read() as session:
        return tuple(session.scalar(select(func.count()).select_from(t)) for t in
                     (EvidenceImportRow, EvidenceFileChunkRow, EvidencePartRow, AuditRow))


def test_killed_import_leaves_nothing_and_a_finished_one_everything(db: Database, db_url: str) -> None:
    assessment_id = make_assessment(db)
    before = _counts(db)
    proc = _writer(db_url, assessment_id, BIG, SENT_BEFORE_KILL)
    assert proc.stdout.readline().strip() == "rows-sent"  # 160,000 rows (8 parts) inside the open transaction
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL and "committed" not in out

    if db.is_sqlite:
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    assert _counts(db) == before  # fully absent: no import, file, row or audit entry

    finished = _writer(db_url, assessment_id, SMALL)
    out, err = finished.communicate(timeout=60)
    assert finished.returncode == 0, err
    with db.read() as session:
        (item,) = evidence_store.list_imports(session, assessment_id)
        assert item.row_count == SMALL == evidence_store.row_count(session, item.id)
        assert len(evidence_store.file_content(session, item.id)) == 1024
