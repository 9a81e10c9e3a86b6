"""#11.6: an admin can delete an assessment that should not exist (a forged or unwanted import, a
mistake), final or not, on the Admin page as with `scorecard assessment delete`; the deletion is
audited with the reason, the assessment's own history is kept, and nobody else may do it."""

from __future__ import annotations

import pytest

from errors import NotFoundError, PermissionDeniedError
from services.assessments import delete_assessment, finalize_assessment, get_assessment
from services.audit_log import list_audit
from services.evidence_imports import import_evidence
from tests.ui.conftest import ADMIN, ASSESSOR, ctx, draft, open_page, texts, ui_db  # noqa: F401 - fixtures

EXERCISES = b"exercise_id,date,exercise_type\nX1,2026-02-01,tabletop\n"


def _delete_button(at):
    return next(b for b in at.main.button if b.label == "Delete assessment")


def test_an_admin_deletes_a_final_assessment_on_the_admin_page(draft, open_page, ctx) -> None:  # noqa: F811
    import_evidence(ctx, ADMIN, draft.id, "exercises", EXERCISES, name="x.csv")
    finalize_assessment(ctx, ADMIN, draft.id)
    at = open_page("admin", assessment_id=draft.id)
    assert _delete_button(at).disabled  # a reason and the typed number are required
    next(w for w in at.main.text_input if w.label.startswith("Reason for deleting")).input("forged bundle").run()
    assert _delete_button(at).disabled
    next(w for w in at.main.text_input if w.label.startswith("Type the assessment number")).input(str(draft.id)).run()
    _delete_button(at).click().run()
    assert not at.exception
    with pytest.raises(NotFoundError):
        get_assessment(ctx, ADMIN, draft.id)
    (deleted,) = [e for e in list_audit(ctx, ADMIN, entity="assessment") if e.action == "delete"]
    assert (deleted.user, deleted.assessment_id, deleted.entity_key) == ("ada", None, draft.uid)
    assert deleted.new_value == {"reason": "forged bundle"} and deleted.old_value["status"] == "final"
    history = [e.action for e in list_audit(ctx, ADMIN) if e.entity_key.startswith("exercises#")]
    assert history == ["import"]  # the assessment's own history stays in the log


def test_only_an_admin_may_delete(draft, open_page, ctx) -> None:  # noqa: F811
    at = open_page("admin", actor=ASSESSOR, assessment_id=draft.id)
    assert _delete_button(at).disabled
    with pytest.raises(PermissionDeniedError):
        delete_assessment(ctx, ASSESSOR, draft.id, reason="mine")
    assert get_assessment(ctx, ADMIN, draft.id).status == "draft"
