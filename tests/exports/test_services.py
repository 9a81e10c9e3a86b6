"""Reports and offline workbooks through the services, against a real database (SQLite/PostgreSQL)."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from errors import (
    NotFoundError,
    PermissionDeniedError,
    ReadOnlyError,
    ResponseError,
    ScorecardError,
)
from exports.svg import SvgRenderer
from services import answers, reports
from services import trend_series as trends
from services.assessment_scoring import score_assessment
from services.assessments import (
    copy_assessment,
    create_assessment,
    load_assessment,
)
from services.audit_log import list_audit
from services.evidence_imports import import_evidence
from services.questionnaire_workbook import export_workbook, import_workbook
from tests.finalising import finalise
from tests.pdf_text import page_texts
from tests.pdf_text import text as pdf_text
from tests.services.helpers import ADMIN, ASSESSOR, VIEWER, plant_with_assessment

EXCEPTIONS = b"""exception_id,title,owner,risk_rating,opened,review_date,status,justification,monitoring_plan
EX-1,Legacy HMI on line 2,J. Martin,critical,2025-01-15,2026-01-15,open,vendor,weekly review
EX-2,Shared account,,high,2026-02-01,2026-06-01,open,legacy,none
EX-3,Closed item,A. B,high,2025-01-01,2025-06-01,closed,x,y
"""
EXERCISES = b"""exercise_id,date,scenario,exercise_type,detect_minutes,escalate_minutes,contain_minutes,recover_minutes
XR-1,2025-11-10,ransomware,tabletop,95,30,240,1440
XR-2,2024-01-10,remote-access,tabletop,45,20,120,600
"""


def _answer(ctx, assessment_id, values):
    for (qid, env), current in values.items():
        stored = {(r.question_id, r.environment): r.version for r in load_assessment(ctx, ADMIN, assessment_id).responses}
        answers.save_response(ctx, ADMIN, assessment_id, qid, env, {"current": current, "notes": f"=note {qid}"},
                              expected_version=stored.get((qid, env), 0))


@pytest.fixture
def two_quarters(ctx):
    """Plant North: a finalised Q4 2025 and a draft Q1 2026 with evidence, a finding and a change."""
    q4 = plant_with_assessment(ctx, as_of=date(2025, 12, 31))
    _answer(ctx, q4.id, {("GOV-01", "IT"): 2, ("GOV-01", "OT"): 1, ("ACC-01", "IT"): 2, ("ACC-01", "OT"): 1})
    finalise(ctx, ADMIN, q4.id)
    q1 = copy_assessment(ctx, ADMIN, q4.id, as_of=date(2026, 3, 31))
    _answer(ctx, q1.id, {("GOV-01", "OT"): 3, ("ACC-02", "OT"): 2})
    answers.add_finding(ctx, ADMIN, q1.id, question_id="ACC-01", environment="OT", title="Jump host for vendors",
                        owner="M. Durand", due_date=date(2026, 9, 30))
    import_evidence(ctx, ADMIN, q1.id, "exceptions", EXCEPTIONS, name="exceptions.csv")
    import_evidence(ctx, ADMIN, q1.id, "exercises", EXERCISES, name="exercises.csv")
    return q4, q1


def test_assessment_context_from_storage(ctx, two_quarters):
    q4, q1 = two_quarters
    context = reports.assessment_context(ctx, ADMIN, q1.id)
    assert (context.meta.subject, context.meta.status, context.meta.kind, context.meta.assessment_id) == ("Plant North", "draft", "assessment", str(q1.id))
    assert [t.label for t in context.trend] == ["2025 Q4", "2026 Q1"]
    assert context.headline.previous_verified is not None and context.headline.delta_verified is not None
    assert [(e.exception_id, e.age_days, e.site) for e in context.exceptions] == [("EX-1", 440, "Plant North"), ("EX-2", 58, "Plant North")]
    assert [x.exercise_id for x in context.exercises] == ["XR-1"]  # XR-2 is older than 365 days
    assert [(f.title, f.owner) for f in context.findings] == [("Jump host for vendors", "M. Durand")]
    owned = [g for g in context.roadmap if g.question_id == "ACC-01" and g.environment == "OT"]
    assert owned and owned[0].owner == "M. Durand"
    assert any(a.entity.startswith("response GOV-01/OT") for a in context.audit)
    # The site's result is its latest final assessment; the newer draft only when asked for.
    assert reports.site_context(ctx, ADMIN, "Plant North").meta.assessment_id == str(q4.id)
    draft = reports.site_context(ctx, ADMIN, "Plant North", include_draft=True)
    assert draft.meta.assessment_id == str(q1.id) and draft.trend[-1].provisional


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_pdf_report_starts_the_chart_browser_before_reading_storage(ctx, two_quarters):
    renderer = SvgRenderer.shared()
    renderer.close()
    assert not renderer.started
    # The unknown site fails while reading storage: the browser was already starting by then.
    with pytest.raises(NotFoundError, match="Plant Nowhere"):
        reports.report(ctx, ADMIN, "pdf", site="Plant Nowhere")
    assert renderer.started
    pdf = reports.report(ctx, ADMIN, "pdf", "a4", site="Plant North")
    assert "Plant North" in page_texts(pdf)[0]
    wb = load_workbook(io.BytesIO(reports.report(ctx, ADMIN, "xlsx", assessment_id=two_quarters[1].id)))
    assert "Responses" in wb.sheetnames
    for subjects in ({}, {"site": "Plant North", "enterprise": True}):
        with pytest.raises(ScorecardError, match="exactly one subject"):
            reports.report(ctx, ADMIN, "pdf", **subjects)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_reports_render_from_storage(ctx, two_quarters):
    _, q1 = two_quarters
    context = reports.assessment_context(ctx, ADMIN, q1.id)
    text = pdf_text(reports.render(ctx, context, "pdf", "letter"))
    assert "Plant North" in text and f"{context.headline.overall.verified:.2f}" in text and "Legacy HMI on line 2" in text
    wb = load_workbook(io.BytesIO(reports.render(ctx, context, "xlsx")))
    notes = [r[11] for r in wb["Responses"].iter_rows(min_row=2, values_only=True) if r[11]]
    assert "=note GOV-01" in notes
    with pytest.raises(Exception, match="unknown report format 'doc'"):
        reports.render(ctx, context, "doc")


def test_enterprise_context_needs_an_enterprise_assessment_then_rolls_up_every_site(ctx, two_quarters):
    q4, q1 = two_quarters
    with pytest.raises(NotFoundError, match="no enterprise-wide assessment"):
        reports.enterprise_context(ctx, ADMIN)
    ent = create_assessment(ctx, ADMIN, site=None, scope="IT", as_of=date(2026, 3, 31))
    _answer(ctx, ent.id, {("GOV-01", "IT"): 3})
    context = reports.enterprise_context(ctx, ADMIN)
    # Members: the enterprise-wide draft (nothing final there yet) and Plant North's finalised Q4;
    # North's Q1 draft is named as not yet included.
    assert context.meta.kind == "enterprise" and context.environments == ("IT", "OT") and context.meta.status == "draft"
    assert [(s.name, s.status, s.weight) for s in context.sites] == [
        ("Enterprise-wide (shared IT)", "draft", 4), ("Plant North", "final", 3)]
    assert "Maturity criticality-weighted across 2 sites, as of 2026-03-31" in context.meta.basis
    assert "Resilience metrics pooled from all their evidence rows, not weighted." in context.meta.basis
    assert "Not yet included (not final): Plant North 2026-03-31 (draft)" in context.meta.basis
    shared = score_assessment(ctx, ADMIN, ent.id).overall
    north = score_assessment(ctx, ADMIN, q4.id).overall
    # The headline is the weighted mean computed by hand: shared IT weighs 4, a high-criticality plant 3.
    assert context.headline.overall.verified == pytest.approx((shared.verified * 4 + north.verified * 3) / 7)
    assert context.headline.overall.target == pytest.approx((shared.target * 4 + north.target * 3) / 7)
    assert context.headline.by_environment["OT"].verified == pytest.approx(
        score_assessment(ctx, ADMIN, q4.id).by_environment["OT"].verified)
    assert context.headline.completion == pytest.approx(
        (shared.answered + shared.not_applicable + north.answered + north.not_applicable) / (shared.applicable + north.applicable))
    # A plant's gap is in the enterprise roadmap, named with its site.
    assert any(g.site == "Plant North" and g.question_id == "ACC-01" and g.environment == "OT" for g in context.roadmap)
    assert any(r.title.startswith("Plant North: ") for r in context.risks)

    finalise(ctx, ADMIN, q1.id)
    finalise(ctx, ADMIN, ent.id)
    context = reports.enterprise_context(ctx, ADMIN)
    assert context.meta.status == "final" and "Not yet included" not in context.meta.basis
    assert {e.site for e in context.exceptions} == {"Plant North"}
    owned = [g for g in context.roadmap if (g.site, g.question_id, g.environment) == ("Plant North", "ACC-01", "OT")]
    assert owned and owned[0].owner == "M. Durand"  # the plant's finding reaches the enterprise roadmap
    # The headline is the enterprise trend's point of the same date, the change is against its previous point.
    rollup = trends.enterprise_rollup(ctx, ADMIN)
    assert [p.as_of for p in rollup] == [date(2025, 12, 31), date(2026, 3, 31)]
    assert context.headline.overall.verified == pytest.approx(rollup[-1].overall.verified)
    assert context.headline.cpg_implemented_pct == pytest.approx(rollup[-1].cpg_implemented_pct)
    assert context.headline.previous_verified == pytest.approx(rollup[0].overall.verified)
    assert [t.overall.verified for t in context.trend] == pytest.approx([p.overall.verified for p in rollup])


def test_questionnaire_workbook_round_trip_is_one_audited_change(ctx, two_quarters):
    _, q1 = two_quarters
    data = export_workbook(ctx, ADMIN, q1.id)
    wb = load_workbook(io.BytesIO(data))
    governance = wb["Governance"]
    rows = {r[0].value: r for r in governance.iter_rows(min_row=2)}
    rows["GOV-02|IT"][5].value = 4
    rows["GOV-01|IT"][9].value = "@SUM(1,1) checked register"
    out = io.BytesIO()
    wb.save(out)
    before = len(list_audit(ctx, ADMIN, assessment_id=q1.id))

    dry = import_workbook(ctx, ASSESSOR, q1.id, out.getvalue(), dry_run=True)
    assert {(c.question_id, c.environment, c.field, c.new) for c in dry.changes} == {
        ("GOV-02", "IT", "current", 4), ("GOV-01", "IT", "notes", "@SUM(1,1) checked register")}
    assert len(list_audit(ctx, ADMIN, assessment_id=q1.id)) == before

    applied = import_workbook(ctx, ASSESSOR, q1.id, out.getvalue())
    assert applied.changes == dry.changes
    stored = {(r.question_id, r.environment): r for r in load_assessment(ctx, ADMIN, q1.id).responses}
    assert stored[("GOV-02", "IT")].current == 4 and stored[("GOV-02", "IT")].updated_by == "bob"
    assert stored[("GOV-01", "IT")].notes == "@SUM(1,1) checked register"
    assert stored[("GOV-01", "OT")].current == 3  # untouched
    new_entries = list_audit(ctx, ADMIN, assessment_id=q1.id)[before:]
    assert sorted(e.entity_key for e in new_entries) == ["GOV-01/IT", "GOV-02/IT"]
    assert len({e.at for e in new_entries}) == 1  # one change, one time stamp
    assert import_workbook(ctx, ADMIN, q1.id, out.getvalue()).changes == ()


def test_workbook_import_respects_roles_and_final_assessments(ctx, two_quarters):
    q4, q1 = two_quarters
    data = export_workbook(ctx, VIEWER, q1.id)
    with pytest.raises(PermissionDeniedError):
        import_workbook(ctx, VIEWER, q1.id, data)
    final = export_workbook(ctx, ADMIN, q4.id)
    wb = load_workbook(io.BytesIO(final))
    next(wb["Governance"].iter_rows(min_row=2))[5].value = 5
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(ReadOnlyError):
        import_workbook(ctx, ADMIN, q4.id, out.getvalue())
    with pytest.raises(ResponseError, match="another assessment"):
        import_workbook(ctx, ADMIN, q1.id, final)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_cli_report_and_workbook_commands(db, db_url, two_quarters, tmp_path, monkeypatch):
    from cli import scorecard
    from tests.services.helpers import CONTENT

    monkeypatch.setenv("SCORECARD_DB_URL", db_url)
    monkeypatch.setenv("SCORECARD_CONTENT_DIR", str(CONTENT))
    _, q1 = two_quarters
    runner = CliRunner()
    xlsx = tmp_path / "r.xlsx"
    result = runner.invoke(scorecard, ["report", str(q1.id), "--format", "xlsx", "-o", str(xlsx)])
    assert result.exit_code == 0, result.output
    assert "Summary" in load_workbook(xlsx).sheetnames
    data = tmp_path / "r.json"
    result = runner.invoke(scorecard, ["report", str(q1.id), "--format", "json", "-o", str(data)])
    assert result.exit_code == 0, result.output
    document = json.loads(data.read_text(encoding="utf-8"))
    assert (document["format"], document["report"]["meta"]["assessment_id"]) == ("resilience-scorecard-report", str(q1.id))
    assert [e["exception_id"] for e in document["report"]["exceptions"]] == ["EX-1", "EX-2"]
    result = runner.invoke(scorecard, ["report", "--site", "Atlantis", "--format", "pdf", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1 and "Atlantis" in result.output
    result = runner.invoke(scorecard, ["report", "--format", "pdf", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2 and "exactly one of" in result.output
    book = tmp_path / "q.xlsx"
    assert runner.invoke(scorecard, ["questionnaire-workbook", "export", str(q1.id), "-o", str(book)]).exit_code == 0
    result = runner.invoke(scorecard, ["questionnaire-workbook", "import", str(q1.id), str(book), "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    assert '"responses_changed": 0' in result.output
