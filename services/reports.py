"""Report use cases: gather stored records into a ReportContext and render it as PDF or XLSX.

What each report covers:
- assessment, or site (`--site NAME`: the site's latest assessment): its Scorecard (the snapshot
  when final), its metrics, findings and audit log, the open exceptions and recent exercises of its
  current evidence, and the finalised snapshots of the same site as history.
- enterprise: the shared IT assessment and every site rolled up into one scorecard — maturity
  criticality-weighted, metrics pooled from the sites' evidence (services.enterprise_report,
  scoring.enterprise, evidence.pooling); history is the enterprise trend.
Exceptions and exercises are read as the metrics read them (services.stored_evidence.evidence_as_of:
nothing dated after the assessment's as-of date), exercises within the metrics' 365-day window
(evidence.as_of), each row carrying the as-of date its ages are measured from.
Exports only ever see the ReportContext; this module is the one that knows storage.
`report` is the one-call use case (read, build, render): for a PDF it starts the chart browser
first, so Chromium's cold start (~2–4 s) overlaps reading storage and building the context.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from catalog.loader import Catalog
from errors import NotFoundError, Problem, ScorecardError
from evidence.as_of import age_days, in_window
from exports.builder import build_context, period_label
from exports.context import (
    AuditEntry,
    ExceptionRecord,
    ExerciseRecord,
    Finding,
    HistoryPoint,
    ReportContext,
    ReportMeta,
    Score3,
)
from exports.pdf import prepare as prepare_pdf
from exports.pdf import render_pdf
from exports.report_json import render_json, schema_text
from exports.xlsx import render_workbook
from services.access import Actor
from services.assessment_scores import assessment_metrics, score_assessment
from services.content import get_catalog
from services.db import database, utcnow
from services.stored_evidence import evidence_as_of
from storage import assessments as store
from storage import audit, findings, snapshots
from storage.db import Database
from storage.jsontext import dumps
from storage.records import Assessment, Snapshot
from storage.sites import find_site, organisation_name

REPORT_TITLE = "Cyber resilience report"
ENTERPRISE_NAME = "Enterprise-wide (shared IT)"


FORMATS = ("pdf", "xlsx", "json")


def render(context: ReportContext, fmt: str, paper: str = "a4") -> bytes:
    """The report as bytes: `fmt` is pdf, xlsx or json (exports.report_json), `paper` a4 or
    letter (PDF only)."""
    if fmt == "pdf":
        return render_pdf(context, paper)
    if fmt == "xlsx":
        return render_workbook(context)
    if fmt == "json":
        return render_json(context)
    raise ScorecardError(f"unknown report format '{fmt}'", [Problem("--format", f"got {fmt!r}", f"use {', '.join(FORMATS)}")])


def json_schema_text() -> str:
    """The JSON Schema of the JSON report (docs/schema/report.schema.json), as text."""
    return schema_text()


def report(actor: Actor, fmt: str, paper: str = "a4", *, assessment_id: int | None = None,
           site: str | None = None, enterprise: bool = False, catalog: Catalog | None = None,
           db: Database | None = None) -> bytes:
    """The report of exactly one of `assessment_id`, `site` or `enterprise`, as `fmt` bytes.

    For a PDF the chart browser is started in the background before anything is read, so its
    start-up runs while the context is built rather than after (exports.pdf.prepare)."""
    if sum([assessment_id is not None, bool(site), enterprise]) != 1:
        raise ScorecardError("a report needs exactly one subject",
                             [Problem("report", "got none or several", "give one of ASSESSMENT_ID, --site NAME or --enterprise")])
    if fmt == "pdf":
        prepare_pdf()
    if enterprise:
        context = enterprise_context(actor, catalog=catalog, db=db)
    elif site:
        context = site_context(actor, site, catalog=catalog, db=db)
    else:
        context = assessment_context(actor, assessment_id, catalog=catalog, db=db)
    return render(context, fmt, paper)


@dataclass
class _Inputs:
    """Stored records of one assessment, in the exports' plain types."""

    assessment: Assessment
    organisation: str
    history: list[HistoryPoint] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    exceptions: list[ExceptionRecord] = field(default_factory=list)
    exercises: list[ExerciseRecord] = field(default_factory=list)
    audit: list[AuditEntry] = field(default_factory=list)


def assessment_context(actor: Actor, assessment_id: int, *, catalog: Catalog | None = None,
                       db: Database | None = None, kind: str = "assessment") -> ReportContext:
    """The view-model of one assessment's report."""
    catalog = catalog or get_catalog()
    with database(db).read() as session:
        inputs = _gather(session, store.get(session, assessment_id))
    return _build(actor, inputs, kind, catalog, db)


def site_context(actor: Actor, site: str, *, catalog: Catalog | None = None,
                 db: Database | None = None) -> ReportContext:
    """The report of a site's latest assessment."""
    with database(db).read() as session:
        found = store.list_all(session, site_id=find_site(session, site).id)
    if not found:
        raise NotFoundError(f"site '{site}' has no assessment yet",
                            [Problem("--site", site, "create one with `scorecard assessment create`")])
    return assessment_context(actor, found[-1].id, catalog=catalog, db=db, kind="site")


def enterprise_context(actor: Actor, *, catalog: Catalog | None = None,
                       db: Database | None = None) -> ReportContext:
    """The enterprise report: every site and the shared IT, rolled up (services.enterprise_report)."""
    from services.enterprise_report import enterprise_context as rolled_up

    return rolled_up(actor, catalog=catalog, db=db)


def _build(actor, inputs: _Inputs, kind: str, catalog: Catalog, db, sites=()) -> ReportContext:
    a = inputs.assessment
    card = score_assessment(actor, a.id, catalog=catalog, db=db)
    metrics = assessment_metrics(actor, a.id, catalog=catalog, db=db)
    subject = a.site_name or f"{inputs.organisation} (enterprise)"
    meta = ReportMeta(
        title=REPORT_TITLE, organisation=inputs.organisation, subject=subject, kind=kind, scope=a.scope,
        as_of=a.as_of, status=a.status, assessor=a.assessor,
        questionnaire=f"{a.questionnaire_id} {a.questionnaire_version}",
        generated_on=utcnow().date(), assessment_id=str(a.id),
    )
    questionnaire = catalog.questionnaire(a.questionnaire_id)
    nodes = [n for fid in (questionnaire.frameworks.csf, questionnaire.frameworks.cpg)
             if fid in catalog.frameworks for n in catalog.frameworks[fid].nodes]
    return build_context(
        card, questionnaire, catalog.metric_definitions(), meta, metrics=metrics,
        history=inputs.history, findings=inputs.findings, exceptions=inputs.exceptions,
        exercises=inputs.exercises, sites=sites, audit=inputs.audit, node_order=[n.id for n in nodes],
        node_text={n.id: n.text for n in nodes if n.text},
    )


def _gather(session: Session, a: Assessment, site_label: str | None = None) -> _Inputs:
    found = snapshots.list_snapshots(session, site_id=a.site_id, enterprise=a.site_id is None)
    exceptions, exercises = _evidence(session, a, site_label or a.site_name or ENTERPRISE_NAME)
    return _Inputs(
        assessment=a,
        organisation=organisation_name(session) or "Organisation",
        history=[_history_point(s) for s in found if s.assessment_id != a.id],
        findings=[_finding(f) for f in findings.list_for(session, a.id)],
        exceptions=exceptions,
        exercises=exercises,
        audit=[_audit(e) for e in audit.list_entries(session, assessment_id=a.id)],
    )


def _history_point(s: Snapshot) -> HistoryPoint:
    functions = s.scorecard.get("functions", {})
    metrics = (s.metrics or {}).get("metrics", {})
    return HistoryPoint(
        label=period_label(s.as_of), as_of=s.as_of, overall=Score3(s.claimed, s.verified, s.target),
        functions={fid: node["combined"]["verified"] for fid, node in functions.items()},
        cpg_implemented_pct=s.cpg_implemented_pct,
        metrics={name: m.get("value") for name, m in metrics.items()},
    )


def _finding(f, site: str = "") -> Finding:
    return Finding(id=str(f.id), title=f.title, question_id=f.question_id, environment=f.environment or "",
                   owner=f.owner, due=f.due_date, status=f.status, notes=f.notes, site=site)


def _audit(e) -> AuditEntry:
    def text(value: Any) -> str:
        return "" if value is None else value if isinstance(value, str) else dumps(value)

    return AuditEntry(at=e.at, user=e.user, entity=f"{e.entity} {e.entity_key}", field=e.action,
                      old=text(e.old_value), new=text(e.new_value))


def _evidence(session: Session, a: Assessment, site: str) -> tuple[list[ExceptionRecord], list[ExerciseRecord]]:
    """Open exceptions and the window's exercises of the assessment's current evidence, as of its date."""
    frames = evidence_as_of(session, a, ("exceptions", "exercises"))
    exceptions, exercises = [], []
    if "exceptions" in frames:
        ex = frames["exceptions"]
        for row in ex[ex["status"].isna() | (ex["status"] == "open")].to_dict("records"):
            exceptions.append(ExceptionRecord(
                exception_id=_text(row["exception_id"]), title=_text(row["title"]), risk_rating=_text(row["risk_rating"]),
                opened=_day(row["opened"]), status="open", owner=_text(row["owner"]),
                review_date=_day(row["review_date"]), site=site, as_of=a.as_of))
    if "exercises" in frames:
        xs = frames["exercises"]
        for row in xs[in_window(age_days(xs["date"], a.as_of))].to_dict("records"):
            exercises.append(ExerciseRecord(
                exercise_id=_text(row["exercise_id"]), date=_day(row["date"]), scenario=_text(row["scenario"]),
                exercise_type=_text(row["exercise_type"]), site=site,
                **{k: _number(row[k]) for k in ("detect_minutes", "escalate_minutes", "contain_minutes", "recover_minutes")}))
    return exceptions, exercises


def _text(value) -> str:
    return "" if pd.isna(value) else str(value)


def _day(value) -> date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def _number(value) -> float | None:
    return None if pd.isna(value) else float(value)
