"""Journey 1 in AppTest: answers are saved at once, progress and navigation follow, conflicts,
final assessments and viewers get messages instead of tracebacks, evidence caps show in words."""

from __future__ import annotations

from services.answers import save_response
from services.assessments import finalize_assessment, load_assessment
from services.evidence_imports import import_evidence
from tests.ui.conftest import ADMIN, VIEWER, texts


def _stored(ctx, assessment_id):
    return {(r.question_id, r.environment): r for r in load_assessment(ctx, ADMIN, assessment_id).responses}


def _control(at, label, index=0):
    return [w for w in at.main.segmented_control if w.label == label][index]


def test_a_level_is_saved_at_once_and_progress_moves(draft, open_page, ctx) -> None:
    at = open_page("questionnaire", assessment_id=draft.id)
    assert at.session_state["qn.question"] == "GOV-01"
    assert "0 of 120" in at.main.progress[0].proto.text
    _control(at, "Current level", 0).set_value(3).run()
    assert not at.exception and not at.error
    saved = _stored(ctx, draft.id)[("GOV-01", "IT")]
    assert (saved.current, saved.version, saved.updated_by) == (3, 1, "ada")
    assert "1 of 120" in at.main.progress[0].proto.text
    assert any("Saved GOV-01" in t for t in texts(at.toast))
    assert ":blue-badge[IT claims 3]" in " ".join(texts(at.main.markdown))
    # the redrawn widget (new key: version 1) shows the stored value, and a second change saves again
    _control(at, "Current level", 0).set_value(4).run()
    assert _stored(ctx, draft.id)[("GOV-01", "IT")].current == 4


def test_na_with_reason_target_notes_and_review_mark(draft, open_page, ctx) -> None:
    at = open_page("questionnaire", assessment_id=draft.id)
    _control(at, "Current level", 1).set_value("NA").run()
    # N/A needs a reason: nothing is saved until it is given, and the page says so.
    assert ("GOV-01", "OT") not in _stored(ctx, draft.id) and not at.exception and not at.error
    assert any("N/A is saved once you say why" in t for t in texts(at.main.caption))
    at.main.text_input[0].input("No OT governance at this site").run()
    assert _stored(ctx, draft.id)[("GOV-01", "OT")].na
    [w for w in at.main.selectbox if w.label == "Target level"][1].set_value(5).run()
    [w for w in at.main.text_area if w.label == "Notes"][1].input("Spoke to the plant manager").run()
    [w for w in at.main.toggle if w.label == "Marked for review"][1].set_value(True).run()
    saved = _stored(ctx, draft.id)[("GOV-01", "OT")]
    assert (saved.na, saved.na_reason, saved.target, saved.notes, saved.flagged) == (
        True, "No OT governance at this site", 5, "Spoke to the plant manager", True)
    assert saved.current is None and saved.version == 4
    assert "1 marked for review" in at.main.progress[0].proto.text


def test_clearing_the_reason_of_an_na_is_refused_with_a_message(draft, open_page, ctx) -> None:
    save_response(ctx, ADMIN, draft.id, "GOV-01", "IT", {"current": "NA", "na_reason": "IT runs it centrally"},
                  expected_version=0)
    at = open_page("questionnaire", assessment_id=draft.id)
    at.main.text_input[0].input("  ").run()
    assert not at.exception
    assert any("not saved" in t for t in texts(at.error)), texts(at.error)
    assert _stored(ctx, draft.id)[("GOV-01", "IT")].na_reason == "IT runs it centrally"


def test_next_unanswered_previous_next_and_filters(draft, open_page, ctx) -> None:
    for env in ("IT", "OT"):
        save_response(ctx, ADMIN, draft.id, "GOV-01", env, {"current": 2}, expected_version=0)
    save_response(ctx, ADMIN, draft.id, "GOV-03", "IT", {"flagged": True}, expected_version=0)
    at = open_page("questionnaire", assessment_id=draft.id)
    [b for b in at.main.button if b.label == "Next unanswered"][0].click().run()
    assert at.session_state["qn.question"] == "GOV-02"
    [b for b in at.main.button if b.label == "Next"][0].click().run()
    assert at.session_state["qn.question"] == "GOV-03"
    [b for b in at.main.button if b.label == "Previous"][0].click().run()
    assert at.session_state["qn.question"] == "GOV-02"
    at.main.selectbox(key="qn.filter").set_value("Marked for review").run()
    assert len(at.main.radio[0].options) == 1 and "GOV-03" in at.main.radio[0].options[0]
    assert at.session_state["qn.question"] == "GOV-03"
    at.main.selectbox(key="qn.filter").set_value("All").run()
    at.main.selectbox(key="qn.section").set_value("identity").run()
    assert at.session_state["qn.question"].startswith("IAM")


def test_a_stale_edit_is_refused_with_a_message(draft, open_page, ctx) -> None:
    at = open_page("questionnaire", assessment_id=draft.id)
    # someone else answers GOV-01/IT after this page was drawn
    save_response(ctx, ADMIN.model_copy(update={"user": "other"}), draft.id, "GOV-01", "IT", {"current": 1}, expected_version=0)
    _control(at, "Current level", 0).set_value(5).run()
    assert not at.exception
    assert any("not saved" in t or "changed" in t or "conflict" in t.lower() for t in texts(at.error)), texts(at.error)
    saved = _stored(ctx, draft.id)[("GOV-01", "IT")]
    assert (saved.current, saved.updated_by) == (1, "other")
    assert _control(at, "Current level", 0).value == 1  # redrawn from the database


def test_final_assessment_is_read_only(draft, open_page, ctx) -> None:
    finalize_assessment(ctx, ADMIN, draft.id)
    at = open_page("questionnaire", assessment_id=draft.id)
    assert any("final and read-only" in t for t in texts(at.info))
    assert all(w.disabled for w in at.main.segmented_control if w.label == "Current level")


def test_a_viewer_sees_disabled_inputs(draft, open_page) -> None:
    at = open_page("questionnaire", actor=VIEWER, assessment_id=draft.id)
    assert any("can read this assessment but not change it" in t for t in texts(at.info))
    assert all(w.disabled for w in at.main.segmented_control if w.label == "Current level")


def test_evidence_caps_show_claimed_and_verified_with_the_reason(draft, open_page, ctx) -> None:
    inventory = (b"asset_id,criticality,owner,dependencies,recovery_requirement,environment\n"
                 b"A1,critical,Ana,,,OT\nA2,critical,,,,OT\nA3,critical,Lee,db,4h,IT\n")
    import_evidence(ctx, ADMIN, draft.id, "asset_inventory", inventory, name="inventory.csv")
    at = open_page("questionnaire", assessment_id=draft.id)
    at.main.selectbox(key="qn.section").set_value("assets").run()
    at.main.radio[0].set_value("AST-06").run()
    _control(at, "Current level", 1).set_value(4).run()  # OT claims 4; no OT critical asset is documented
    warning = " ".join(texts(at.main.warning))
    assert "Claimed 4, verified 1" in warning
    assert "Critical assets fully documented is 0.0 % (below 50 → up to 1): the evidence supports at most level 1." in warning
