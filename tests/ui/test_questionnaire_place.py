"""The questionnaire keeps the assessor's place and does not crash when its labels change (#14.1,
#14.2), and carried answers are to confirm (#14.3), in AppTest.

The crash: the section and question pickers' labels carry counts and states that change with an
answer, and Streamlit sends a picker's value back as its label, which then matched no option."""

from __future__ import annotations

from datetime import date

from services.answers import save_response
from services.assessments import copy_assessment, load_assessment
from tests.ui.conftest import ADMIN, texts


def _picker(at, label):
    return next(w for w in at.main.selectbox if w.label == label)


def _button(at, label):
    return next(b for b in at.main.button if b.label == label)


def _levels(at, index=0):
    return [w for w in at.main.segmented_control if w.label == "Current level"][index]


def _ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not [t for t in texts(at.error) if "incident" in t.lower()], texts(at.error)


def test_answers_that_change_the_labels_keep_the_section_and_question(draft, open_page, ctx) -> None:
    at = open_page("questionnaire", assessment_id=draft.id)
    _picker(at, "Section").set_value("identity").run()
    at.main.radio[0].set_value("IAM-02").run()
    label_before = _picker(at, "Section").format_func("identity")
    _levels(at, 0).set_value(3).run()  # the section's label changes: 0/… → 1/…
    _ok(at)
    assert _picker(at, "Section").format_func("identity") != label_before
    [w for w in at.main.toggle if w.label == "Marked for review"][0].set_value(True).run()
    _ok(at)
    _levels(at, 1).set_value("NA").run()
    at.main.text_input[0].input("No OT identity store at this plant").run()
    _ok(at)
    assert (at.session_state["qn.question"], at.session_state["qn.section"]) == ("IAM-02", "identity")
    _button(at, "Next unanswered").click().run()
    _ok(at)
    assert at.session_state["qn.question"] == "IAM-03"  # the current section first
    stored = {(r.question_id, r.environment): r for r in load_assessment(ctx, ADMIN, draft.id).responses}
    assert stored[("IAM-02", "IT")].current == 3 and stored[("IAM-02", "IT")].flagged
    assert stored[("IAM-02", "OT")].na


def test_the_place_comes_from_the_url_and_goes_back_into_it(draft, open_page, ctx) -> None:
    at = open_page("home", assessment_id=draft.id)
    at.query_params["question"] = "IAM-03"
    at.query_params["section"] = "identity"
    from tests.ui.conftest import go

    go(at, "questionnaire")
    assert (at.session_state["qn.question"], at.session_state["qn.section"]) == ("IAM-03", "identity")
    _button(at, "Next").click().run()
    assert at.query_params["question"] == ["IAM-04"] or at.query_params["question"] == "IAM-04"


def test_a_filter_combines_with_the_section_and_keeps_the_current_question(draft, open_page, ctx) -> None:
    save_response(ctx, ADMIN, draft.id, "IAM-03", "IT", {"flagged": True}, expected_version=0)
    save_response(ctx, ADMIN, draft.id, "GOV-02", "IT", {"flagged": True}, expected_version=0)
    at = open_page("questionnaire", assessment_id=draft.id)
    _picker(at, "Section").set_value("identity").run()
    at.main.radio[0].set_value("IAM-02").run()
    _picker(at, "Show").set_value("Unanswered").run()
    assert at.session_state["qn.question"] == "IAM-02"  # still matches: kept
    assert all(o.split("**")[1].startswith("IAM") for o in at.main.radio[0].options)
    _picker(at, "Show").set_value("Marked for review").run()
    assert [o.split("**")[1] for o in at.main.radio[0].options] == ["IAM-03"]  # only this section's
    assert at.session_state["qn.question"] == "IAM-03"
    _picker(at, "Section").set_value("__all__").run()
    assert [o.split("**")[1] for o in at.main.radio[0].options] == ["GOV-02", "IAM-03"]
    assert at.session_state["qn.question"] == "IAM-03"


def test_answering_under_a_filter_does_not_move_away(draft, open_page, ctx) -> None:
    at = open_page("questionnaire", assessment_id=draft.id)
    _picker(at, "Show").set_value("Unanswered").run()
    _levels(at, 0).set_value(2).run()
    _levels(at, 1).set_value(2).run()  # GOV-01 is complete now: it no longer matches, but stays shown
    _ok(at)
    assert at.session_state["qn.question"] == "GOV-01"
    _button(at, "Next").click().run()
    assert at.session_state["qn.question"] == "GOV-02"


def test_a_copy_is_to_confirm_not_complete(draft, open_page, ctx) -> None:
    for env in ("IT", "OT"):
        save_response(ctx, ADMIN, draft.id, "GOV-01", env, {"current": 3}, expected_version=0)
        save_response(ctx, ADMIN, draft.id, "GOV-02", env, {"current": 2}, expected_version=0)
    copy = copy_assessment(ctx, ADMIN.model_copy(update={"user": "cy"}), draft.id, as_of=date(2026, 12, 31))
    at = open_page("questionnaire", assessment_id=copy.id)
    progress = at.main.progress[0].proto.text
    assert "0 of 120" in progress and "4 carried to confirm" in progress, progress
    assert "To confirm (4)" in _picker(at, "Show").options
    caption = " ".join(texts(at.main.caption))
    assert "To confirm:" in caption and "answered by ada" in caption  # still credited to the original assessor
    _button(at, "Confirm unchanged").click().run()
    _ok(at)
    assert "2 of 120" in at.main.progress[0].proto.text
    stored = {(r.question_id, r.environment): r for r in load_assessment(ctx, ADMIN, copy.id).responses}
    assert not stored[("GOV-01", "IT")].carried and stored[("GOV-01", "IT")].updated_by == "ada"  # the test actor
    assert stored[("GOV-02", "IT")].carried and stored[("GOV-02", "IT")].updated_by == "ada"
    _picker(at, "Show").set_value("To confirm").run()
    assert [o.split("**")[1] for o in at.main.radio[0].options] == ["GOV-02"]
    _button(at, "Confirm 2 unchanged").click().run()
    _ok(at)
    assert "4 of 120" in at.main.progress[0].proto.text
