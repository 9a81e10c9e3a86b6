"""Storage itself refuses every write to a final assessment (not only the services or the UI)."""

from __future__ import annotations

import pytest

from errors import ReadOnlyError
from storage import assessments, findings, responses, targets
from storage import evidence_imports as evidence_store
from tests.storage.helpers import NOW, make_assessment


def test_every_storage_write_path_refuses_a_final_assessment(db) -> None:
    aid = make_assessment(db)
    with db.write() as session:
        responses.save(session, aid, "Q-1", "IT", {"current": 2}, expected_version=0, user="ana", now=NOW)
        finding = findings.add(session, aid, question_id="Q-1", environment="IT", title="t", owner="o", due_date=None,
                               user="ana", now=NOW)
        assessments.set_status(session, aid, "final", "boss", NOW)
    writes = {
        "save": lambda s: responses.save(s, aid, "Q-1", "IT", {"current": 3}, expected_version=1, user="ana", now=NOW),
        "save_many": lambda s: responses.save_many(s, aid, [{"question_id": "Q-2", "environment": "OT", "current": 1}],
                                                   user="ana", now=NOW),
        "target": lambda s: targets.set_target(s, aid, "Q-1", "IT", 4, due_date=None, reason="", user="ana", now=NOW),
        "finding add": lambda s: findings.add(s, aid, question_id="Q-1", environment=None, title="t", owner="o",
                                              due_date=None, user="ana", now=NOW),
        "finding change": lambda s: findings.change(s, aid, finding.id, {"status": "done"}, expected_version=1,
                                                    user="ana", now=NOW),
        "evidence": lambda s: evidence_store.store_import(s, aid, dataset="exercises", file_name="x.csv", sha256="0" * 64,
                                                          content=b"", parts=[], mapping=None, user="ana", now=NOW),
        "status": lambda s: assessments.set_status(s, aid, "in_review", "ana", NOW),
    }
    for name, write in writes.items():
        with pytest.raises(ReadOnlyError, match="final"), db.write() as session:
            write(session)
        with db.read() as session:
            assert [r.current for r in responses.list_for(session, aid)] == [2], name
    with db.write() as session:
        assessments.reopen(session, aid, "boss", NOW, "fix")
        responses.save(session, aid, "Q-1", "IT", {"current": 3}, expected_version=1, user="ana", now=NOW)
