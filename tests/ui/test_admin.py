"""Admin in AppTest: lifecycle (submit, finalise, reopen with reason), content status, targets,
audit log viewer and export."""

from __future__ import annotations

from services.answers import save_response
from services.assessments import get_assessment, load_assessment
from tests.ui.conftest import ADMIN, ASSESSOR, texts


def _button(at, label):
    return next(b for b in at.main.button if b.label == label)


def test_submit_finalise_and_reopen(draft, open_page, ctx) -> None:
    at = open_page("admin", assessment_id=draft.id)
    _button(at, "Submit for review").click().run()
    assert get_assessment(ctx, ADMIN, draft.id).status == "in_review"
    assert _button(at, "Finalise").disabled
    at.main.checkbox[0].check().run()
    _button(at, "Finalise").click().run()
    assert get_assessment(ctx, ADMIN, draft.id).status == "final"
    assert any("is final" in t for t in texts(at.main.success))
    assert _button(at, "Reopen as draft").disabled  # a reason is required
    at.main.text_input[0].input("Evidence for OT was replaced").run()
    _button(at, "Reopen as draft").click().run()
    assert get_assessment(ctx, ADMIN, draft.id).status == "draft"


def test_an_assessor_cannot_finalise(draft, open_page) -> None:
    at = open_page("admin", actor=ASSESSOR, assessment_id=draft.id)
    assert _button(at, "Finalise").disabled
    assert not _button(at, "Submit for review").disabled  # their own site


def test_content_is_valid_and_listed(draft, open_page) -> None:
    at = open_page("admin", assessment_id=draft.id)
    assert any("content files are valid" in t for t in texts(at.main.success))
    ids = at.main.dataframe[0].value["Id"].tolist()
    assert "nist-csf-2.0" in ids and "manufacturing-it-ot" in ids


def test_set_an_agreed_target(draft, open_page, ctx) -> None:
    at = open_page("admin", assessment_id=draft.id)
    pair = next(w for w in at.main.selectbox if w.label == "Question / environment")
    pair.set_value("GOV-02/OT")
    next(w for w in at.main.text_input if w.label == "Reason").input("agreed with plant")
    next(b for b in at.main.button if b.label == "Save target").click().run()
    (target,) = load_assessment(ctx, ADMIN, draft.id).targets
    assert (target.question_id, target.environment, target.target, target.reason) == ("GOV-02", "OT", 3, "agreed with plant")


def test_audit_log_shows_changes_newest_first_with_exports(draft, open_page, ctx) -> None:
    save_response(ctx, ADMIN, draft.id, "GOV-01", "IT", {"current": 2}, expected_version=0)
    at = open_page("admin", assessment_id=draft.id)
    log = at.main.dataframe[-1].value
    assert log.iloc[0]["Kind"] == "response" and log.iloc[0]["What"] == "GOV-01/IT" and log.iloc[0]["User"] == "ada"
    assert '"current": 2' in log.iloc[0]["New"]
    assert log.iloc[-1]["Kind"] == "assessment" and log.iloc[-1]["Action"] == "create"
    assert [b.label for b in at.main.get("download_button")] == ["Export CSV", "Export JSON"]
    at.main.multiselect(key="admin.audit_entities").set_value(["assessment"]).run()
    assert at.main.dataframe[-1].value["Kind"].tolist() == ["assessment"]
