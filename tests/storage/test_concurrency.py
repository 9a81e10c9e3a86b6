"""Two processes write 500 responses each to one assessment; same-response stale writes are refused."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

from sqlalchemy import func, select

from storage import responses
from storage.engine import Database
from storage.tables import AuditRow, ResponseRow
from tests.conftest import PROJECT_ROOT
from tests.storage.helpers import make_assessment

PER_PROCESS = 500
SHARED = 20


def test_two_writers_lose_nothing_and_stale_writes_are_refused(db: Database, db_url: str) -> None:
    assessment_id = make_assessment(db)
    with db.write() as session:
        for k in range(SHARED):
            responses.save(session, assessment_id, f"SHARED-{k:03d}", "OT", {"current": 1}, expected_version=0,
                           user="seed", now=datetime.now(UTC))
    procs = [
        subprocess.Popen([sys.executable, "-m", "tests.storage.writer_process", "responses", db_url, str(assessment_id),
                          name, str(PER_PROCESS), str(SHARED)], cwd=PROJECT_ROOT,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name in ("P1", "P2")
    ]
    for p in procs:  # both connected and waiting: start them together
        assert p.stdout.readline().strip() == "ready", p.stderr.read() if p.poll() is not None else ""
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in outputs]
    counts = [dict(part.split("=") for part in out.split()) for out, _ in outputs]
    saved = sum(int(c["saved"]) for c in counts)
    conflicts = sum(int(c["conflicts"]) for c in counts)
    assert conflicts == SHARED and saved == 2 * PER_PROCESS + SHARED  # each shared response: one wins, one refused

    with db.read() as session:
        for prefix in ("P1", "P2"):
            stored = session.scalar(select(func.count()).select_from(ResponseRow).where(ResponseRow.notes == prefix,
                                                                                         ResponseRow.question_id.like(f"{prefix}-%")))
            assert stored == PER_PROCESS
        shared_rows = session.scalars(select(ResponseRow).where(ResponseRow.question_id.like("SHARED-%"))).all()
        assert {(r.version, r.current) for r in shared_rows} == {(2, 5)}
        audit = dict(session.execute(select(AuditRow.action, func.count()).where(AuditRow.entity == "response")
                                     .group_by(AuditRow.action)).all())
        assert audit == {"create": 2 * PER_PROCESS + SHARED, "update": SHARED}
        for row in shared_rows:  # the audit names the writer that won
            entry = session.scalars(select(AuditRow).where(AuditRow.entity_key == f"{row.question_id}/OT",
                                                           AuditRow.action == "update")).one()
            assert entry.user == row.notes == row.updated_by
