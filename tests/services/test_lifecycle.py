"""Assessment lifecycle through the services: create, answer, copy forward, finalise, reopen."""

from __future__ import annotations

from datetime import date

import pytest

from errors import ConflictError, NotFoundError, ReadOnlyError, ResponseError, ScorecardError
from services import answers
from services.assessment_scoring import score_assessment
from services.assessments import (
    copy_assessment,
    finalize_assessment,
    list_assessments,
    load_assessment,
    previous_assessment,
    reopen_assessment,
    submit_for_review,
)
from services.audit_log import list_audit
from tests.services.helpers import ADMIN, ASSESSOR, plant_with_assessment


def test_create_records_questionnaire_and_framework_versions(ctx) -> None:
    assessment = plant_with_assessment(ctx)
    assert (assessment.status, assessment.scope, assessment.site_name) == ("draft", "IT+OT", "Plant North")
    assert assessment.questionnaire_id == "mini" and assessment.questionnaire_version == "1.0.0"
    assert set(assessment.framework_versions) == {"csf", "cpg"}
    listed = list_assessments(ctx, ADMIN, site="Plant North")
    assert [a.id for a in listed] == [assessment.id]
    with pytest.raises(NotFoundError, match="no site named 'Atlantis'"):
        list_assessments(ctx, ADMIN, site="Atlantis")


def test_autosave_versions_and_conflicts(ctx) -> None:
    a = plant_with_assessment(ctx)
    first = answers.save_response(ctx, ASSESSOR, a.id, "GOV-01", "IT", {"current": 2}, expected_version=0)
    assert (first.current, first.version, first.updated_by) == (2, 1, "bob")
    second = answers.save_response(ctx, ADMIN, a.id, "GOV-01", "IT", {"notes": "seen register"}, expected_version=1)
    assert (second.current, second.notes, second.version) == (2, "seen register", 2)
    with pytest.raises(ConflictError, match="alice changed it") as raised:
        answers.save_response(ctx, ASSESSOR, a.id, "GOV-01", "IT", {"current": 4}, expected_version=1)
    assert "reload" in str(raised.value)
    with pytest.raises(ConflictError, match="your copy is version 0"):
        answers.save_response(ctx, ASSESSOR, a.id, "GOV-01", "IT", {"current": 4}, expected_version=0)
    detail = load_assessment(ctx, ADMIN, a.id)
    assert [(r.question_id, r.current, r.version) for r in detail.responses] == [("GOV-01", 2, 2)]


@pytest.mark.parametrize(("question", "env", "changes", "message"), [
    ("NOPE-1", "IT", {"current": 1}, "unknown question"),
    ("ACC-02", "IT", {"current": 1}, "does not apply to IT"),
    ("GOV-01", "IT", {"current": 7}, "is not a maturity level"),
    ("GOV-01", "IT", {"current": 2, "na": True}, "N/A and a current level"),
    ("GOV-01", "IT", {"current": "NA"}, "N/A needs a reason"),
    ("GOV-01", "IT", {"current": 3, "na_reason": "no OT here"}, "a reason is given but the answer is level 3"),
    ("GOV-01", "IT", {"target": 6}, "'6' is not a maturity level"),
    ("GOV-01", "IT", {"colour": "red"}, "not a response field"),
])
def test_bad_answers_are_refused_with_a_location(ctx, question, env, changes, message) -> None:
    a = plant_with_assessment(ctx)
    with pytest.raises(ResponseError, match="not saved") as raised:
        answers.save_response(ctx, ADMIN, a.id, question, env, changes, expected_version=0)
    assert message in str(raised.value)


def test_environment_outside_scope_is_refused(ctx) -> None:
    a = plant_with_assessment(ctx, scope="IT")
    with pytest.raises(ResponseError, match="not in the assessment's scope"):
        answers.save_response(ctx, ADMIN, a.id, "GOV-01", "OT", {"current": 1}, expected_version=0)


def test_copy_forward_marks_answers_targets_findings_as_carried(ctx) -> None:
    a = plant_with_assessment(ctx)
    answers.save_response(ctx, ADMIN, a.id, "GOV-01", "OT", {"current": 3, "notes": "walkdown"}, expected_version=0)
    answers.save_response(ctx, ADMIN, a.id, "ACC-02", "OT", {"na": True, "na_reason": "no controllers"}, expected_version=0)
    answers.set_target(ctx, ADMIN, a.id, "GOV-01", "OT", 5, due_date=date(2026, 12, 31), reason="board ask")
    answers.add_finding(ctx, ADMIN, a.id, question_id="GOV-01", environment="OT", title="Document PLC owners", owner="ops",
                        due_date=date(2026, 6, 30))
    done = answers.add_finding(ctx, ADMIN, a.id, question_id="GOV-02", environment=None, title="Closed", owner="x")
    answers.update_finding(ctx, ADMIN, a.id, done.id, {"status": "done"}, expected_version=1)
    assert previous_assessment(ctx, ASSESSOR, "Plant North", date(2026, 6, 30)).id == a.id
    assert previous_assessment(ctx, ASSESSOR, "Plant North", a.as_of) is None
    copy = copy_assessment(ctx, ASSESSOR, a.id, as_of=date(2026, 6, 30))
    detail = load_assessment(ctx, ADMIN, copy.id)
    assert copy.copied_from_id == a.id and copy.status == "draft"
    assert [(r.question_id, r.current, r.na, r.notes, r.carried) for r in detail.responses] == [
        ("ACC-02", None, True, "", True), ("GOV-01", 3, False, "walkdown", True)]
    assert [(t.target, t.due_date, t.carried) for t in detail.targets] == [(5, date(2026, 12, 31), True)]
    assert [(f.title, f.carried) for f in detail.findings] == [("Document PLC owners", True)]
    edited = answers.save_response(ctx, ASSESSOR, copy.id, "GOV-01", "OT", {"current": 4}, expected_version=1)
    assert edited.carried is False
    with pytest.raises(ScorecardError, match="later date"):
        copy_assessment(ctx, ADMIN, a.id, as_of=date(2026, 1, 1))


def test_finalise_snapshots_and_refuses_every_write_until_reopened(ctx, tmp_path) -> None:
    a = plant_with_assessment(ctx)
    answers.save_response(ctx, ADMIN, a.id, "GOV-01", "IT", {"current": 3}, expected_version=0)
    answers.set_target(ctx, ADMIN, a.id, "GOV-01", "IT", 5, reason="")
    finding = answers.add_finding(ctx, ADMIN, a.id, question_id="GOV-01", environment="IT", title="t", owner="o")
    submit_for_review(ctx, ASSESSOR, a.id)
    snapshot = finalize_assessment(ctx, ADMIN, a.id)
    assert snapshot.claimed == 3.0 and snapshot.scorecard.overall.claimed == 3.0
    card = score_assessment(ctx, ADMIN, a.id)
    assert card.overall.claimed == 3.0 and card.responses[0].target == 5
    csv = tmp_path / "r.csv"
    csv.write_text("question_id,environment,current\nGOV-02,IT,2\n", encoding="utf-8")
    writes = [
        lambda: answers.save_response(ctx, ADMIN, a.id, "GOV-01", "IT", {"current": 1}, expected_version=1),
        lambda: answers.import_responses(ctx, ADMIN, a.id, csv),
        lambda: answers.set_target(ctx, ADMIN, a.id, "GOV-01", "IT", 4),
        lambda: answers.add_finding(ctx, ADMIN, a.id, question_id="GOV-01", environment="IT", title="t", owner="o"),
        lambda: answers.update_finding(ctx, ADMIN, a.id, finding.id, {"status": "done"}, expected_version=1),
        lambda: submit_for_review(ctx, ADMIN, a.id),
        lambda: finalize_assessment(ctx, ADMIN, a.id),
    ]
    for write in writes:
        with pytest.raises(ReadOnlyError, match="final"):
            write()
    with pytest.raises(ScorecardError, match="say why"):
        reopen_assessment(ctx, ADMIN, a.id, reason=" ")
    reopened = reopen_assessment(ctx, ADMIN, a.id, reason="typo in GOV-01")
    assert reopened.status == "draft" and load_assessment(ctx, ADMIN, a.id).snapshot is None
    answers.save_response(ctx, ADMIN, a.id, "GOV-01", "IT", {"current": 2}, expected_version=1)
    reopen_entries = [e for e in list_audit(ctx, ADMIN, assessment_id=a.id) if e.action == "reopen"]
    assert reopen_entries[0].new_value == {"status": "draft", "reason": "typo in GOV-01"}
    assert reopen_entries[0].user == "alice"


def test_responses_file_import_writes_all_or_nothing(ctx, tmp_path) -> None:
    a = plant_with_assessment(ctx)
    bad = tmp_path / "bad.csv"
    bad.write_text("question_id,environment,current\nGOV-01,IT,3\nGOV-02,IT,9\n", encoding="utf-8")
    with pytest.raises(ResponseError, match="row 3"):
        answers.import_responses(ctx, ADMIN, a.id, bad)
    assert load_assessment(ctx, ADMIN, a.id).responses == ()
    good = tmp_path / "good.csv"
    good.write_text("question_id,environment,current,notes,na_reason\nGOV-01,IT,3,ok,\nGOV-02,OT,NA,,no OT governance\n",
                    encoding="utf-8")
    assert answers.import_responses(ctx, ADMIN, a.id, good) == 2
    assert answers.import_responses(ctx, ADMIN, a.id, good) == 0
    stored = {(r.question_id, r.environment): r for r in load_assessment(ctx, ADMIN, a.id).responses}
    assert stored[("GOV-02", "OT")].na and stored[("GOV-02", "OT")].na_reason == "no OT governance"


def test_responses_file_without_target_or_notes_columns_keeps_them(ctx, tmp_path) -> None:
    a = plant_with_assessment(ctx)
    full = tmp_path / "full.csv"
    full.write_text("question_id,environment,current,target,notes\nGOV-01,IT,2,4,seen the RACI\n", encoding="utf-8")
    answers.import_responses(ctx, ADMIN, a.id, full)
    levels_only = tmp_path / "levels.csv"
    levels_only.write_text("question_id,environment,current\nGOV-01,IT,3\n", encoding="utf-8")
    assert answers.import_responses(ctx, ADMIN, a.id, levels_only) == 1
    stored = {(r.question_id, r.environment): r for r in load_assessment(ctx, ADMIN, a.id).responses}
    kept = stored[("GOV-01", "IT")]
    assert (kept.current, kept.target, kept.notes) == (3, 4, "seen the RACI")


def test_responses_file_with_a_broken_utf16_mark_is_a_clear_error(ctx, tmp_path) -> None:
    a = plant_with_assessment(ctx)
    broken = tmp_path / "utf16.csv"
    broken.write_bytes(b"\xff\xfeq\x00u\x00e")  # odd length: not UTF-16
    with pytest.raises(ResponseError, match="UTF-16"):
        answers.import_responses(ctx, ADMIN, a.id, broken)
