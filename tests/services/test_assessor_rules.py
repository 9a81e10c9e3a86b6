"""#14.3–5 in the services (so the CLI and every other caller obey them too): carried answers are
to confirm and keep their author; evidence may be carried with its age; finalising needs review and
completion or a stated override; one assessment per site, date and scope; the offered date; rows
left out of an import make its metrics provisional, and the report says so."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from errors import ScorecardError
from exports.report_json import render_json
from scoring.model import Scope
from services import answers
from services.access import Actor
from services.assessment_scoring import assessment_metrics
from services.assessments import (
    confirm_responses,
    copy_assessment,
    create_assessment,
    default_as_of,
    finalize_assessment,
    get_assessment,
    load_assessment,
    reopen_assessment,
    submit_for_review,
)
from services.completion import progress, responses_by_pair
from services.context import Context
from services.evidence_imports import import_evidence
from services.reports import assessment_context
from storage.assessments import DuplicateAssessmentError
from tests.services.helpers import ADMIN, AS_OF, CATALOG, plant_with_assessment

ASSESSOR = Actor(user="bob", role="assessor", sites=frozenset({"Plant North"}))
PAIRS = [("GOV-01", "IT"), ("GOV-01", "OT"), ("GOV-02", "IT"), ("GOV-02", "OT"), ("ACC-01", "IT"), ("ACC-01", "OT"),
         ("ACC-02", "OT")]
EXCEPTIONS = (b"exception_id,title,opened,risk_rating,status\n"
              b"E1,Legacy HMI,2026-01-02,high,open\n"
              b"E2,Flat network,2026-02-03,critical,opne\n"
              b"E3,Shared login,2026-03-01,hihg,open\n")


def _answer_all(ctx, assessment_id, actor=ADMIN) -> None:
    for qid, env in PAIRS:
        answers.save_response(ctx, actor, assessment_id, qid, env, {"current": 2}, expected_version=0)


def _progress(ctx, assessment_id):
    detail = load_assessment(ctx, ADMIN, assessment_id)
    questionnaire = CATALOG.questionnaire(detail.assessment.questionnaire_id)
    return progress(questionnaire, Scope(detail.assessment.scope), responses_by_pair(detail.responses)).overall


def test_a_copy_is_to_confirm_keeps_its_authors_until_confirmed(ctx) -> None:
    a = plant_with_assessment(ctx)
    _answer_all(ctx, a.id, ASSESSOR)
    copy = copy_assessment(ctx, ADMIN, a.id, as_of=date(2026, 6, 30))
    overall = _progress(ctx, copy.id)
    assert (overall.answered, overall.to_confirm, overall.applicable, overall.complete) == (0, 7, 7, False)
    stored = {(r.question_id, r.environment): r for r in load_assessment(ctx, ADMIN, copy.id).responses}
    assert {r.updated_by for r in stored.values()} == {"bob"}  # not alice, who copied
    assert confirm_responses(ctx, ADMIN, copy.id, [("GOV-01", "IT"), ("GOV-01", "OT"), ("NOPE-1", "IT")]) == 2
    assert confirm_responses(ctx, ADMIN, copy.id, [("GOV-01", "IT")]) == 0  # already confirmed
    after = {(r.question_id, r.environment): r for r in load_assessment(ctx, ADMIN, copy.id).responses}
    assert (after[("GOV-01", "IT")].carried, after[("GOV-01", "IT")].updated_by, after[("GOV-01", "IT")].version) == (
        False, "alice", 2)
    assert after[("GOV-02", "IT")].carried and after[("GOV-02", "IT")].updated_by == "bob"
    assert _progress(ctx, copy.id).answered == 2
    with pytest.raises(ScorecardError, match="viewer|not allowed|may not|cannot"):
        confirm_responses(ctx, Actor(user="v", role="viewer"), copy.id, [("GOV-02", "IT")])


def test_evidence_is_carried_on_request_with_its_original_date(ctx) -> None:
    a = plant_with_assessment(ctx)
    import_evidence(ctx, ADMIN, a.id, "exceptions", EXCEPTIONS.replace(b"opne", b"open").replace(b"hihg", b"high"),
                    name="exceptions.csv")
    plain = copy_assessment(ctx, ADMIN, a.id, as_of=date(2026, 6, 30))
    assert load_assessment(ctx, ADMIN, plain.id).evidence == ()
    carried = copy_assessment(ctx, ADMIN, a.id, as_of=date(2026, 9, 30), carry_evidence=True)
    (item,) = load_assessment(ctx, ADMIN, carried.id).evidence
    (original,) = load_assessment(ctx, ADMIN, a.id).evidence
    assert item.carried and not original.carried
    assert (item.imported_at, item.imported_by, item.sha256, item.row_count) == (
        original.imported_at, original.imported_by, original.sha256, 3)
    metrics = assessment_metrics(ctx, ADMIN, carried.id)
    assert metrics.metrics["high_risk_exception_age_median_days"].value is not None


def test_finalising_needs_review_and_every_answer_confirmed_or_an_override(ctx) -> None:
    a = plant_with_assessment(ctx)
    answers.save_response(ctx, ADMIN, a.id, "GOV-01", "IT", {"current": 3}, expected_version=0)
    with pytest.raises(ScorecardError) as refused:
        finalize_assessment(ctx, ADMIN, a.id)
    problems = {p.location: p.message for p in refused.value.problems}
    assert problems["status"] == "it is draft, not in review"
    assert problems["completion"] == "1 of 7 answers confirmed (6 unanswered)"
    submit_for_review(ctx, ADMIN, a.id)
    with pytest.raises(ScorecardError, match="cannot be finalised yet"):
        finalize_assessment(ctx, ADMIN, a.id, override_reason="   ")
    assert get_assessment(ctx, ADMIN, a.id).status == "in_review"
    finalize_assessment(ctx, ADMIN, a.id, override_reason="Board pack due; OT walkdown next week")
    final = get_assessment(ctx, ADMIN, a.id)
    assert final.status == "final"
    assert final.final_override == ("Finalised by alice with 1 of 7 answers confirmed (6 unanswered). "
                                    "Reason: Board pack due; OT walkdown next week")
    report = json.loads(render_json(assessment_context(ctx, ADMIN, a.id)))["report"]
    assert final.final_override in report["meta"]["cautions"]
    assert final.final_override in report["verdict"]["reasons"] and report["verdict"]["level"] != "reliable"
    reopen_assessment(ctx, ADMIN, a.id, reason="answer the rest")
    assert get_assessment(ctx, ADMIN, a.id).final_override == ""


def test_a_complete_reviewed_assessment_finalises_without_override(ctx) -> None:
    a = plant_with_assessment(ctx)
    _answer_all(ctx, a.id)
    copy = copy_assessment(ctx, ADMIN, a.id, as_of=date(2026, 6, 30))
    submit_for_review(ctx, ADMIN, copy.id)
    with pytest.raises(ScorecardError, match="cannot be finalised") as refused:
        finalize_assessment(ctx, ADMIN, copy.id)  # 100 % answered, but all carried
    assert "0 of 7 answers confirmed (7 carried and not confirmed)" in str(refused.value.problems)
    confirm_responses(ctx, ADMIN, copy.id, PAIRS)
    finalize_assessment(ctx, ADMIN, copy.id)
    assert get_assessment(ctx, ADMIN, copy.id).final_override == ""


def test_one_assessment_per_site_date_and_scope(ctx) -> None:
    a = plant_with_assessment(ctx)
    with pytest.raises(DuplicateAssessmentError, match=f"Plant North already has a IT\\+OT assessment as of {AS_OF}"):
        create_assessment(ctx, ADMIN, site="Plant North", scope="IT+OT", as_of=AS_OF)
    create_assessment(ctx, ADMIN, site="Plant North", scope="OT", as_of=AS_OF)  # another scope
    create_assessment(ctx, ADMIN, site="Plant South", scope="IT+OT", as_of=AS_OF)  # another site
    copy_assessment(ctx, ADMIN, a.id, as_of=date(2026, 6, 30))
    with pytest.raises(DuplicateAssessmentError):
        copy_assessment(ctx, ADMIN, a.id, as_of=date(2026, 6, 30))  # the double click
    create_assessment(ctx, ADMIN, site=None, scope="IT", as_of=AS_OF)
    with pytest.raises(DuplicateAssessmentError, match="the enterprise already has"):
        create_assessment(ctx, ADMIN, site=None, scope="IT", as_of=AS_OF)


def test_the_offered_date_is_the_quarter_after_the_latest_assessment(ctx) -> None:
    plant_with_assessment(ctx, as_of=date(2026, 2, 14))
    assert default_as_of(ctx, ADMIN, "Plant North") == date(2026, 6, 30)
    november = Context(ctx.db, CATALOG, clock=lambda: datetime(2026, 11, 5, 9, 0, tzinfo=UTC))
    assert default_as_of(november, ADMIN, "Plant South") == date(2026, 12, 31)
    create_assessment(ctx, ADMIN, site="Plant North", scope="OT", as_of=date(2026, 12, 31))
    assert default_as_of(ctx, ADMIN, "Plant North") == date(2027, 3, 31)


def test_rows_left_out_make_the_metrics_provisional_and_the_report_says_so(ctx) -> None:
    a = plant_with_assessment(ctx)
    with pytest.raises(ScorecardError, match="nothing imported"):
        import_evidence(ctx, ADMIN, a.id, "exceptions", EXCEPTIONS, name="exceptions.csv")
    stored = import_evidence(ctx, ADMIN, a.id, "exceptions", EXCEPTIONS, name="exceptions.csv", keep_valid=True)
    assert (stored.row_count, stored.left_out_rows) == (1, (3, 4))
    result = assessment_metrics(ctx, ADMIN, a.id).metrics["high_risk_exception_age_median_days"]
    assert result.provisional == "2 rows of exceptions.csv were left out as invalid (rows 3, 4)"
    report = json.loads(render_json(assessment_context(ctx, ADMIN, a.id)))["report"]
    caution = ("2 rows of exceptions.csv were left out as invalid (rows 3, 4); they could change "
               "Median age of high-risk exceptions, shown as provisional")
    assert report["meta"]["cautions"] == [caution]
    assert any("left out as invalid" in r for r in report["verdict"]["reasons"])
    clean = EXCEPTIONS.replace(b"opne", b"open").replace(b"hihg", b"high")
    import_evidence(ctx, ADMIN, a.id, "exceptions", clean, name="exceptions-fixed.csv")
    fixed = assessment_metrics(ctx, ADMIN, a.id).metrics["high_risk_exception_age_median_days"]
    assert fixed.provisional == ""
