"""#11.11: every write service leaves an audit row. The write services are the ones the role test
enumerates (tests/services/test_access.py fails when a new one is not classified); each is called
here as an admin on a fresh database and must add at least one audit entry, in the same transaction
as its change. Site creation and bundle imports had none, or none on their assessment."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from services.audit_log import list_audit
from storage.tables import AuditRow
from tests.services.helpers import ADMIN
from tests.services.test_access import _writers, write_context

ELSEWHERE = {"load_demo": "tests/demo/test_demo.py::test_load_is_idempotent_and_tells_the_story"}
"""Writers whose audit entry is checked by a test that runs them anyway (loading the demo takes
seconds on each backend: it is loaded once there, not once more here)."""
WRITERS = sorted(set(_writers({"ctx": None, "draft": 0, "final": 0, "finding": 0, "csv": None, "bundle": b""})) - set(ELSEWHERE))
BEFORE = {"send_back_to_draft": "submit_for_review"}
"""Writers that change nothing unless another ran first (sending back needs an assessment in review)."""


def _audit_rows(db) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(AuditRow))


@pytest.mark.parametrize("writer", WRITERS)
def test_every_write_service_leaves_an_audit_row(db, ctx, tmp_path, writer) -> None:
    world = write_context(ctx, tmp_path)
    calls = _writers(world)
    if writer in BEFORE:
        calls[BEFORE[writer]](ADMIN)
    before = _audit_rows(db)
    calls[writer](ADMIN)
    assert _audit_rows(db) > before, f"{writer} changed the database without an audit entry"


def test_a_new_site_and_a_bundle_import_are_audited_where_they_belong(ctx, tmp_path) -> None:
    calls = _writers(write_context(ctx, tmp_path))
    site = calls["add_site"](ADMIN)
    (entry,) = [e for e in list_audit(ctx, ADMIN, entity="site") if e.entity_key == site.name]
    assert (entry.action, entry.user, entry.assessment_id) == ("create", ADMIN.user, None)
    assert entry.new_value == {"name": "New", "country": "DE", "criticality": "low", "time_zone": "UTC"}
    imported = calls["import_bundle"](ADMIN).assessment
    (entry,) = list_audit(ctx, ADMIN, entity="bundle")
    assert (entry.assessment_id, entry.entity_key, entry.action) == (imported.id, imported.uid, "import")
    assert entry.new_value["verified"] is True and entry.new_value["file"] == "bundle.zip"
