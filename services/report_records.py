"""Stored records of one assessment gathered for its report, in the exports' plain types, and
the names both the assessment report (services.reports) and the enterprise report
(services.enterprise_report) use.

Exercises shown are those in the `EXERCISE_WINDOW_DAYS` up to the assessment's as-of date (the
metrics' window); exceptions shown are the open ones. Both come from the current import of their
dataset.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from exports.builder import period_label
from exports.context import (
    AuditEntry,
    ExceptionRecord,
    ExerciseRecord,
    Finding,
    HistoryPoint,
    Score3,
)
from storage import audit, findings, snapshots
from storage import evidence_imports as evidence_store
from storage.jsontext import dumps
from storage.records import Assessment, Snapshot
from storage.sites import organisation_name

EXERCISE_WINDOW_DAYS = 365
REPORT_TITLE = "Cyber resilience report"
ENTERPRISE_NAME = "Enterprise-wide (shared IT)"


@dataclass
class ReportInputs:
    """Stored records of one assessment, in the exports' plain types."""

    assessment: Assessment
    organisation: str
    history: list[HistoryPoint] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    exceptions: list[ExceptionRecord] = field(default_factory=list)
    exercises: list[ExerciseRecord] = field(default_factory=list)
    audit: list[AuditEntry] = field(default_factory=list)


def gather_inputs(session: Session, a: Assessment, site_label: str | None = None) -> ReportInputs:
    """Everything of `a` its report shows besides the scores; evidence rows are labelled with
    `site_label` (default: the site's name, or ENTERPRISE_NAME for an enterprise-wide assessment)."""
    found = snapshots.list_snapshots(session, site_id=a.site_id, enterprise=a.site_id is None)
    exceptions, exercises = _evidence(session, a, site_label or a.site_name or ENTERPRISE_NAME)
    return ReportInputs(
        assessment=a,
        organisation=organisation_name(session) or "Organisation",
        history=[_history_point(s) for s in found if s.assessment_id != a.id],
        findings=[finding_record(f) for f in findings.list_for(session, a.id)],
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


def finding_record(f, site: str = "") -> Finding:
    """A stored finding as the exports show it (`site` labels it in the enterprise report)."""
    return Finding(id=str(f.id), title=f.title, question_id=f.question_id, environment=f.environment or "",
                   owner=f.owner, due=f.due_date, status=f.status, notes=f.notes, site=site)


def _audit(e) -> AuditEntry:
    def text(value: Any) -> str:
        return "" if value is None else value if isinstance(value, str) else dumps(value)

    return AuditEntry(at=e.at, user=e.user, entity=f"{e.entity} {e.entity_key}", field=e.action,
                      old=text(e.old_value), new=text(e.new_value))


def _evidence(session: Session, a: Assessment, site: str) -> tuple[list[ExceptionRecord], list[ExerciseRecord]]:
    """Open exceptions and the window's exercises from the assessment's current evidence rows."""
    current = evidence_store.current_imports(session, a.id)
    exceptions, exercises = [], []
    if "exceptions" in current:
        for row in evidence_store.load_rows(session, current["exceptions"].id):
            if row.get("status", "open") != "open" or not row.get("opened"):
                continue
            exceptions.append(ExceptionRecord(
                exception_id=str(row.get("exception_id", "")), title=str(row.get("title", "")),
                risk_rating=str(row.get("risk_rating", "")), opened=date.fromisoformat(row["opened"]),
                status="open", owner=str(row.get("owner", "")), review_date=_day(row.get("review_date")), site=site))
    if "exercises" in current:
        start = a.as_of - timedelta(days=EXERCISE_WINDOW_DAYS)
        for row in evidence_store.load_rows(session, current["exercises"].id):
            when = _day(row.get("date"))
            if when is None or not start < when <= a.as_of:
                continue
            exercises.append(ExerciseRecord(
                exercise_id=str(row.get("exercise_id", "")), date=when, scenario=str(row.get("scenario", "")),
                exercise_type=str(row.get("exercise_type", "")), site=site,
                **{k: row.get(k) for k in ("detect_minutes", "escalate_minutes", "contain_minutes", "recover_minutes")}))
    return exceptions, exercises


def _day(value) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None
