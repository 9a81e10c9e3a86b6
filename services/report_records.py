"""Stored records of one assessment gathered for its report, in the exports' plain types, and
the names both the assessment report (services.reports) and the enterprise report
(services.enterprise_report) use.

Exceptions and exercises are read as the metrics read them (services.stored_evidence.evidence_as_of:
nothing dated after the assessment's as-of date); exceptions shown are the open ones, exercises
those within the metrics' 365-day window (evidence.as_of), each row carrying the as-of date its
ages are measured from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from catalog.content_catalog import Catalog
from catalog.models import Questionnaire
from evidence.as_of import age_days, in_window
from evidence.metric_set import MetricSet
from exports.builder import period_label
from exports.context import (
    AuditEntry,
    ExceptionRecord,
    ExerciseRecord,
    Finding,
    HistoryPoint,
    Score3,
)
from scoring.plan_model import promises_text
from services.kept import Kept
from services.stored_evidence import evidence_as_of_many, evidence_key
from storage import audit, findings, snapshots
from storage.evidence_imports import current_imports
from storage.jsontext import dumps
from storage.records import Assessment, Snapshot
from storage.sites import organisation_name

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


def gather_inputs(session: Session, a: Assessment) -> ReportInputs:
    """Everything of `a` its report shows besides the scores, read in `session`; evidence rows are
    labelled with the site's name (ENTERPRISE_NAME for an enterprise-wide assessment)."""
    found = snapshots.list_snapshots(session, site_id=a.site_id, enterprise=a.site_id is None)
    exceptions, exercises = evidence_records(session, a, a.site_name or ENTERPRISE_NAME)
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
    return HistoryPoint(
        label=period_label(s.as_of), as_of=s.as_of, overall=Score3(s.claimed, s.verified, s.target),
        functions={fid: node.combined.verified for fid, node in s.scorecard.functions.items()},
        cpg_implemented_pct=s.cpg_implemented_pct,
        metrics={} if s.metrics is None else {name: m.value for name, m in s.metrics.metrics.items()},
        by_environment={env: Score3(v.claimed, v.verified, v.target) for env, v in s.scorecard.by_environment.items()},
    )


def framework_nodes(catalog: Catalog, questionnaire: Questionnaire) -> tuple[list[str], dict[str, str]]:
    """The ids of the questionnaire's CSF and CPG nodes in catalog order (the order reports list
    them in), and their texts by id."""
    nodes = [n for fid in (questionnaire.frameworks.csf, questionnaire.frameworks.cpg)
             if fid in catalog.frameworks for n in catalog.frameworks[fid].nodes]
    return [n.id for n in nodes], {n.id: n.text for n in nodes if n.text}


def finding_record(f, site: str = "") -> Finding:
    """A stored finding as the exports show it (`site` labels it in the enterprise report)."""
    return Finding(id=str(f.id), title=f.title, question_id=f.question_id, environment=f.environment or "",
                   owner=f.owner, due=f.due_date, status=f.status, notes=f.notes, site=site,
                   promises=promises_text(f.promises), evidence_metric=f.evidence_metric or "",
                   evidence_value=f.evidence_value, cost=f.cost, effort_days=f.effort_days, version=f.version)


def _audit(e) -> AuditEntry:
    def text(value: Any) -> str:
        return "" if value is None else value if isinstance(value, str) else dumps(value)

    return AuditEntry(at=e.at, user=e.user, entity=f"{e.entity} {e.entity_key}", field=e.action,
                      old=text(e.old_value), new=text(e.new_value))


def evidence_records(session: Session, a: Assessment, site: str) -> tuple[list[ExceptionRecord],
                     list[ExerciseRecord]]:
    """Open exceptions and the window's exercises of the assessment's current evidence, as of its
    date (services.stored_evidence: nothing dated after it), labelled `site`."""
    return members_evidence_records(session, [(a, site)])[0]


def members_evidence_records(session: Session, members: Sequence[tuple[Assessment, str]]
                             ) -> list[tuple[list[ExceptionRecord], list[ExerciseRecord]]]:
    """`evidence_records` of each (assessment, site), in order. Kept per evidence key
    (services.stored_evidence.evidence_key) and site: an enterprise report rebuilt after one member
    changed reads the other members' records from here; those not kept are read together
    (services.stored_evidence.evidence_as_of_many)."""
    currents = [current_imports(session, a.id) for a, _ in members]
    keys = [(*evidence_key(session, a, current, RECORD_DATASETS), site)
            for (a, site), current in zip(members, currents, strict=True)]
    found = _RECORDS.get_many(keys, lambda missing: _evidence_records(
        session, [(*members[i], currents[i]) for i in missing]))
    return [(list(exceptions), list(exercises)) for exceptions, exercises in found]


def forget_cached_records() -> None:
    """Drop the kept members' records (benchmarks measure the cold path with it)."""
    _RECORDS.clear()


RECORD_DATASETS = ("exceptions", "exercises")
RECORD_FIELDS = {
    "exceptions": ("exception_id", "title", "risk_rating", "opened", "status", "owner", "review_date"),
    "exercises": ("exercise_id", "date", "scenario", "exercise_type", "detect_minutes", "escalate_minutes",
                  "contain_minutes", "recover_minutes"),
}
"""The fields the records are made of: an exception's long texts (impact, justification, monitoring
plan, compensating controls) are not read for them."""
_RECORDS: Kept[tuple[tuple[ExceptionRecord, ...], tuple[ExerciseRecord, ...]]] = Kept(1024)
"""Members' records kept: a few enterprises of hundreds of sites (records are a few KB each)."""


def _evidence_records(session: Session, members: list[tuple[Assessment, str, dict]]
                      ) -> list[tuple[tuple[ExceptionRecord, ...], tuple[ExerciseRecord, ...]]]:
    """The records of each (assessment, site, current imports), read together."""
    frames = evidence_as_of_many(session, [(a, current) for a, _, current in members], RECORD_DATASETS,
                                 fields=RECORD_FIELDS)
    exceptions: list[list[ExceptionRecord]] = [[] for _ in members]
    exercises: list[list[ExerciseRecord]] = [[] for _ in members]
    # Columns are converted whole (missing → "" or None) and rows built from zipped columns:
    # per-cell pandas calls cost ~0.3 ms per row, seconds for an enterprise of many sites.
    if "exceptions" in frames:
        ex, owners = frames["exceptions"]
        open_ones = (ex["status"].isna() | (ex["status"] == "open")).to_numpy()
        ex, owners = ex[open_ones], owners[open_ones]
        for owner, exception_id, title, risk, opened, by, review in zip(
                owners.tolist(), _texts(ex["exception_id"]), _texts(ex["title"]), _texts(ex["risk_rating"]),
                _days(ex["opened"]), _texts(ex["owner"]), _days(ex["review_date"]), strict=True):
            a, site, _ = members[owner]
            exceptions[owner].append(ExceptionRecord(
                exception_id=exception_id, title=title, risk_rating=risk, opened=opened, status="open", owner=by,
                review_date=review, site=site, as_of=a.as_of))
    if "exercises" in frames:
        xs, owners = frames["exercises"]
        as_of = np.array([a.as_of for a, _, _ in members], dtype="datetime64[s]")[owners]
        held = in_window(age_days(xs["date"], as_of))
        xs, owners = xs[held], owners[held]
        minutes = [_numbers(xs[k]) for k in ("detect_minutes", "escalate_minutes", "contain_minutes", "recover_minutes")]
        for owner, exercise_id, day, scenario, kind, detect, escalate, contain, recover in zip(
                owners.tolist(), _texts(xs["exercise_id"]), _days(xs["date"]), _texts(xs["scenario"]),
                _texts(xs["exercise_type"]), *minutes, strict=True):
            exercises[owner].append(ExerciseRecord(
                exercise_id=exercise_id, date=day, scenario=scenario, exercise_type=kind, site=members[owner][1],
                detect_minutes=detect, escalate_minutes=escalate, contain_minutes=contain, recover_minutes=recover))
    return [(tuple(e), tuple(x)) for e, x in zip(exceptions, exercises, strict=True)]


def _texts(column: pd.Series) -> list[str]:
    return ["" if pd.isna(v) else str(v) for v in column.astype(object)]


def _days(column: pd.Series) -> list[date | None]:
    stamps = pd.to_datetime(column, errors="coerce")
    return [None if pd.isna(v) else v.date() for v in stamps]


def _numbers(column: pd.Series) -> list[float | None]:
    values = pd.to_numeric(column, errors="coerce")
    return [None if pd.isna(v) else float(v) for v in values]


def report_cautions(a: Assessment, metrics: MetricSet | None, catalog: Catalog) -> tuple[str, ...]:
    """The report's cautions (ReportMeta.cautions): the admin override the assessment was
    finalised with, and each provisional metric's reason (once per dataset)."""
    cautions = [a.final_override] if a.final_override else []
    labels = catalog.metric_definitions()
    by_reason: dict[str, list[str]] = {}
    for name, result in (metrics.metrics.items() if metrics else ()):
        if result.provisional:
            by_reason.setdefault(result.provisional, []).append(
                labels[name].label if name in labels else name)
    cautions += [f"{reason}; they could change {', '.join(names)}, shown as provisional"
                 for reason, names in by_reason.items()]
    return tuple(cautions)
