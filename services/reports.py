"""Report use cases: gather stored records into a ReportContext and render it (PDF, XLSX, JSON,
PPTX board deck, OSCAL assessment results or POA&M).

What each report covers:
- assessment, or site (`--site NAME`: the site's latest final assessment, services.result_basis;
  its latest draft only with `include_draft`, then marked provisional): its Scorecard (the snapshot
  when final), its metrics, findings and audit log, the open exceptions and recent exercises of its
  current evidence, and the finalised snapshots of the same site as history.
- every report also has the plan's path to target (services.plans: the assessment's actions, or
  the members' for the enterprise, projected quarter by quarter).
- enterprise: the shared IT assessment and every site rolled up into one scorecard — maturity
  criticality-weighted, metrics pooled from the sites' evidence (services.enterprise_report,
  scoring.enterprise, evidence.pooling); history is the enterprise trend.
Exceptions and exercises are read as the metrics read them (services.stored_evidence.evidence_as_of:
nothing dated after the assessment's as-of date), exercises within the metrics' 365-day window
(evidence.as_of), each row carrying the as-of date its ages are measured from.
Each report is read in one read transaction (services.context), so every figure, table and the
history come from the same state of the database even while others save answers. Exports only ever
see the ReportContext; this module is the one that knows storage.
`report` is the one-call use case (read, build, render): for a PDF it starts the chart browser
first, so Chromium's cold start (~2–4 s) overlaps reading storage and building the context.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from errors import Problem, ScorecardError
from exports.builder import build_context
from exports.context import ReportContext, ReportMeta
from exports.report_json import render_json, schema_text
from services import enterprise_report, plans
from services.access import Actor
from services.assessment_scoring import ScoredAssessment, score_in_session
from services.context import Context
from services.report_records import (
    REPORT_TITLE,
    ReportInputs,
    framework_nodes,
    gather_inputs,
    report_cautions,
)
from services.result_basis import require_result
from services.stored_views import stored_output, stored_view
from storage import assessments as store
from storage.records import Assessment
from storage.sites import find_site

FORMATS = ("pdf", "xlsx", "json", "pptx", "oscal-ar", "oscal-poam")
STORED_FORMATS = ("pdf", "xlsx")
"""Outputs of a site or enterprise view kept in the database until the view changes
(services.stored_views): the two that take seconds to lay out at scale."""


def render(ctx: Context, context: ReportContext, fmt: str, paper: str = "a4") -> bytes:
    """The report as bytes: `fmt` is pdf, xlsx, json (exports.report_json), pptx (the board deck,
    exports.deck), oscal-ar or oscal-poam (exports.oscal: they cite the catalog's OSCAL source);
    `paper` a4 or letter (PDF only)."""
    if fmt == "pdf":
        from exports.pdf import render_pdf  # weasyprint takes ~1 s to import: only for a PDF

        return render_pdf(context, paper)
    # Each renderer is imported when its format is asked for: openpyxl, python-pptx and the OSCAL
    # models cost ~1 s together, which the dashboard (a user of this module) should not pay.
    if fmt == "xlsx":
        from exports.xlsx import render_workbook

        return render_workbook(context)
    if fmt == "json":
        return render_json(context)
    if fmt == "pptx":
        from exports.deck import render_deck

        return render_deck(context)
    if fmt == "oscal-ar":
        from exports.oscal import render_assessment_results

        return render_assessment_results(context, ctx.catalog)
    if fmt == "oscal-poam":
        from exports.oscal import render_poam

        return render_poam(context, ctx.catalog)
    raise ScorecardError(f"unknown report format '{fmt}'", [Problem("--format", f"got {fmt!r}", f"use {', '.join(FORMATS)}")])


def prepare_pdf() -> None:
    """Start the chart browser and the PDF layout worker in the background, then load the PDF
    renderer here. The two are started before weasyprint is imported (~0.7 s), not after: a cold
    Chromium takes 2–3 s to draw its first chart, the longest wait of a PDF made from scratch."""
    from exports.pdf_worker import PdfWorker
    from exports.svg import SvgRenderer

    SvgRenderer.shared().start()
    PdfWorker.shared().start()
    import exports.pdf  # noqa: F401 - what rendering the report needs next


def json_schema_text() -> str:
    """The JSON Schema of the JSON report (docs/schema/report.schema.json), as text."""
    return schema_text()


def report(ctx: Context, actor: Actor, fmt: str, paper: str = "a4", *, assessment_id: int | None = None,
           site: str | None = None, enterprise: bool = False, include_draft: bool = False) -> bytes:
    """The report of exactly one of `assessment_id`, `site` or `enterprise`, as `fmt` bytes.

    For a PDF the chart browser is started in the background before the context is built, so its
    start-up runs meanwhile rather than after (exports.pdf.prepare). The PDF and workbook of a
    site or the enterprise are kept in the database until what they show changes
    (services.stored_views): asking again reads them."""
    if sum([assessment_id is not None, bool(site), enterprise]) != 1:
        raise ScorecardError("a report needs exactly one subject",
                             [Problem("report", "got none or several", "give one of ASSESSMENT_ID, --site NAME or --enterprise")])
    if fmt in STORED_FORMATS and (enterprise or site):
        view = "enterprise" if enterprise else "site"
        build = ((lambda: enterprise_report.enterprise_context(ctx, actor)) if enterprise
                 else (lambda: _site_context(ctx, site, include_draft)))
        return stored_output(ctx, view, (fmt, paper), build, lambda context: render(ctx, context, fmt, paper),
                             site=site, asked=() if enterprise else (include_draft,),
                             before_building=prepare_pdf if fmt == "pdf" else None)
    if fmt == "pdf":
        prepare_pdf()
    if enterprise:
        context = enterprise_context(ctx, actor)
    elif site:
        context = site_context(ctx, actor, site, include_draft=include_draft)
    else:
        context = assessment_context(ctx, actor, assessment_id)
    return render(ctx, context, fmt, paper)


def assessment_context(ctx: Context, actor: Actor, assessment_id: int, *,
                       kind: str = "assessment") -> ReportContext:
    """The view-model of one assessment's report, read in one transaction."""
    with ctx.read() as session:
        scored = score_in_session(session, assessment_id, ctx.catalog)
        inputs = gather_inputs(session, scored.assessment)
        projector = plans.assessment_projector(session, scored.assessment, ctx.catalog)
    return _build(ctx, inputs, scored, projector, kind)


def site_context(ctx: Context, actor: Actor, site: str | None, *, include_draft: bool = False) -> ReportContext:
    """The report of a site's result (None: the enterprise-wide assessments'), read in one
    transaction: its latest final assessment (services.result_basis); with `include_draft`, its
    latest assessment of any status, marked provisional when not final. Kept in the database
    until what it is built from changes (services.stored_views)."""
    return stored_view(ctx, "site", lambda: _site_context(ctx, site, include_draft), site=site,
                       asked=(include_draft,))


def _site_context(ctx: Context, site: str | None, include_draft: bool) -> ReportContext:
    with ctx.read() as session:
        latest = _latest(session, site, include_draft)
        scored = score_in_session(session, latest.id, ctx.catalog)
        inputs = gather_inputs(session, scored.assessment)
        projector = plans.assessment_projector(session, scored.assessment, ctx.catalog)
    return _build(ctx, inputs, scored, projector, "site")


def enterprise_context(ctx: Context, actor: Actor) -> ReportContext:
    """The enterprise report: every site and the shared IT, rolled up (services.enterprise_report);
    kept in the database until what it is built from changes (services.stored_views)."""
    return stored_view(ctx, "enterprise", lambda: enterprise_report.enterprise_context(ctx, actor))


def _latest(session: Session, site: str | None, include_draft: bool) -> Assessment:
    if site is None:
        found = store.list_all(session, enterprise=True)
        return require_result(found, "Enterprise-wide (shared IT)", include_draft=include_draft)
    found = store.list_all(session, site_id=find_site(session, site).id)
    return require_result(found, f"site '{site}'", include_draft=include_draft)


def _build(ctx: Context, inputs: ReportInputs, scored: ScoredAssessment, projector: plans.Projector,
           kind: str) -> ReportContext:
    catalog = ctx.catalog
    a = inputs.assessment
    subject = a.site_name or f"{inputs.organisation} (enterprise)"
    meta = ReportMeta(
        title=REPORT_TITLE, organisation=inputs.organisation, subject=subject, kind=kind, scope=a.scope,
        as_of=a.as_of, status=a.status, assessor=a.assessor,
        questionnaire=f"{a.questionnaire_id} {a.questionnaire_version}",
        generated_on=ctx.now().date(), assessment_id=str(a.id), assessment_uid=a.uid,
        cautions=report_cautions(a, scored.metrics, catalog),
    )
    questionnaire = catalog.questionnaire(a.questionnaire_id)
    node_order, node_text = framework_nodes(catalog, questionnaire)
    return build_context(
        scored.scorecard, questionnaire, catalog.metric_definitions(), meta, metrics=scored.metrics,
        history=inputs.history, findings=inputs.findings, exceptions=inputs.exceptions,
        exercises=inputs.exercises, audit=inputs.audit, node_order=node_order, node_text=node_text,
        plan=projector.values(),
    )
