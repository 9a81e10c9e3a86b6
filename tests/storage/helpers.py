"""Small builders for storage-level tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

from storage import assessments, sites
from storage.engine import Database

NOW = datetime(2026, 4, 1, 8, 0, tzinfo=UTC)


def make_assessment(db: Database, site: str = "Plant A") -> int:
    with db.write() as session:
        site_id = sites.add_site(session, site, "DE", "high", NOW, user="ana").id
        return assessments.create(session, site_id=site_id, title="t", scope="IT+OT", as_of=date(2026, 3, 31),
                                  assessor="ana", questionnaire_id="q", questionnaire_version="1",
                                  framework_versions={}, user="ana", now=NOW).id


def stored_frame(session, item):
    """The normalised frame of a stored evidence import (`item`: its EvidenceImport record)."""
    from evidence.columnar import parts_to_frame
    from evidence.schemas import get_schema
    from storage import evidence_imports

    return parts_to_frame(get_schema(item.dataset), evidence_imports.load_parts(session, item.id))
