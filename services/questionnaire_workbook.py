"""Offline questionnaire workbook use cases: export an assessment's answers (with their versions)
to Excel, and import the workbook back — validated cell by cell, compared with what was exported
and with the answers stored now, shown as a diff, and applied as one audited change (one
transaction through `storage.responses.save_many`, one audit row per changed response, refused for
a final assessment by storage itself).

Answers changed in the app since the export and changed differently in the workbook are conflicts:
they are applied only with `apply_conflicts`. The comparison that decides what is written runs in
the writing transaction over locked answers, so a save made in the app meanwhile is never reverted.
"""

from __future__ import annotations

from errors import ConflictError, Problem
from exports.questionnaire_workbook import StoredAnswer, render_questionnaire_workbook
from scoring.model import Scope
from services.access import Actor, require_site_write
from services.context import Context
from services.questionnaire_changes import WorkbookImport
from services.questionnaire_import import compare_workbook, read_workbook_cells
from storage import assessments as store
from storage import responses
from storage.records import StoredResponse


def export_workbook(ctx: Context, actor: Actor, assessment_id: int) -> bytes:
    """The assessment's questionnaire as an offline workbook, prefilled with its answers."""
    catalog = ctx.catalog
    with ctx.read() as session:
        a = store.get(session, assessment_id)
        stored = [_stored(r) for r in responses.list_for(session, assessment_id)]
    return render_questionnaire_workbook(catalog.questionnaire(a.questionnaire_id), Scope(a.scope), stored,
                                         assessment_id=str(a.id), assessment_label=a.label)


def import_workbook(ctx: Context, actor: Actor, assessment_id: int, data: bytes, *, name: str = "workbook",
                    dry_run: bool = False, apply_conflicts: bool = False, expected: WorkbookImport | None = None) -> WorkbookImport:
    """Validate the workbook and compare it with the stored answers; unless `dry_run`, apply its
    changes (and its conflicts too when `apply_conflicts`) in one transaction. Returns the
    comparison either way. `expected` is the comparison the user saw in a preview: if the stored
    answers have moved since, nothing is written and a ConflictError asks to check again."""
    catalog = ctx.catalog
    with ctx.read() as session:
        a = store.get(session, assessment_id)
    require_site_write(actor, a.site_name, "import answers")
    cells = read_workbook_cells(data, name)
    questionnaire, scope = catalog.questionnaire(a.questionnaire_id), Scope(a.scope)
    if dry_run:
        with ctx.read() as session:
            stored = [_stored(r) for r in responses.list_for(session, assessment_id)]
        return compare_workbook(cells, questionnaire, scope, stored, assessment_id=str(a.id))
    with ctx.write() as session:
        store.lock_writable(session, assessment_id)
        stored = [_stored(r) for r in responses.list_for(session, assessment_id, lock=True)]
        result = compare_workbook(cells, questionnaire, scope, stored, assessment_id=str(a.id))
        if expected is not None and result != expected:
            raise ConflictError(f"the answers changed since {name} was checked; nothing was imported",
                                [Problem(name, "someone saved answers in the app after the check",
                                         "check the workbook again and review the changes")])
        items = result.items(with_conflicts=apply_conflicts)
        if items:
            responses.save_many(session, assessment_id, items, user=actor.user, now=ctx.now())
    return result


def _stored(r: StoredResponse) -> StoredAnswer:
    return StoredAnswer(r.to_response(), r.version, r.updated_by, r.updated_at)
