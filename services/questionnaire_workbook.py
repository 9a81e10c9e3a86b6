"""Offline questionnaire workbook use cases: export an assessment's answers to Excel, and import
the workbook back — validated cell by cell, shown as a diff, and applied as one audited change
(one transaction through `storage.responses.save_many`, one audit row per changed response,
refused for a final assessment by storage itself).
"""

from __future__ import annotations

from catalog.content_catalog import Catalog
from exports.questionnaire_import import WorkbookImport, read_questionnaire_workbook
from exports.questionnaire_workbook import render_questionnaire_workbook
from scoring.model import Scope
from services.access import Actor, require_site_write
from services.content import get_catalog
from services.database import database, utcnow
from storage import assessments as store
from storage import responses
from storage.engine import Database


def export_workbook(actor: Actor, assessment_id: int, *, catalog: Catalog | None = None,
                    db: Database | None = None) -> bytes:
    """The assessment's questionnaire as an offline workbook, prefilled with its answers."""
    catalog = catalog or get_catalog()
    with database(db).read() as session:
        a = store.get(session, assessment_id)
        stored = [r.to_response() for r in responses.list_for(session, assessment_id)]
    return render_questionnaire_workbook(catalog.questionnaire(a.questionnaire_id), Scope(a.scope), stored,
                                         assessment_id=str(a.id), assessment_label=a.label)


def import_workbook(actor: Actor, assessment_id: int, data: bytes, *, name: str = "workbook",
                    dry_run: bool = False, catalog: Catalog | None = None,
                    db: Database | None = None) -> WorkbookImport:
    """Validate the workbook and diff it with the stored answers; unless `dry_run`, apply the
    changed responses in one transaction. Returns the diff either way."""
    catalog = catalog or get_catalog()
    with database(db).read() as session:
        a = store.get(session, assessment_id)
        stored = [r.to_response() for r in responses.list_for(session, assessment_id)]
    require_site_write(actor, a.site_name, "import answers")
    result = read_questionnaire_workbook(data, catalog.questionnaire(a.questionnaire_id), Scope(a.scope), stored,
                                         assessment_id=str(a.id), name=name)
    if not dry_run and result.responses:
        with database(db).write() as session:
            responses.save_many(session, assessment_id, result.items(), user=actor.user, now=utcnow())
    return result
