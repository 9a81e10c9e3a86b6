"""Answering: autosave of one response, import of a responses file, target overrides, findings.

Every function checks the actor's right to write the assessment's site, validates the values
against the assessment's questionnaire and scope, and writes through storage, which refuses final
assessments and stale versions.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from catalog.content_catalog import Catalog
from errors import Problem, ResponseError, ScorecardError
from scoring.applicability import pair_problem
from scoring.model import Scope
from services.access import Actor, require_site_write
from services.content import get_catalog
from services.database import database, utcnow
from services.responses_file import read_responses_and_columns
from storage import assessments as store
from storage import findings, responses, targets
from storage.engine import Database
from storage.records import FINDING_STATUSES, Assessment, Finding, StoredResponse, TargetOverride

EDITABLE = set(responses.FIELDS)


def save_response(actor: Actor, assessment_id: int, question_id: str, environment: str, changes: dict[str, Any], *,
                  expected_version: int, catalog: Catalog | None = None, db: Database | None = None) -> StoredResponse:
    """Autosave: apply `changes` (any of current, na, na_reason, target, notes, flagged) to one
    response, if its stored version is still `expected_version` (0 = not answered yet)."""
    catalog = catalog or get_catalog()
    with database(db).write() as session:
        assessment = store.get(session, assessment_id)
        require_site_write(actor, assessment.site_name, "answer questions")
        _check_pair(catalog, assessment, question_id, environment)
        values = _clean(changes, f"{question_id} ({environment})")
        return responses.save(session, assessment_id, question_id, environment, values,
                              expected_version=expected_version, user=actor.user, now=utcnow())


def import_responses(actor: Actor, assessment_id: int, path: Path, *, catalog: Catalog | None = None,
                     db: Database | None = None) -> int:
    """`scorecard responses import`: write every row of a CSV/XLSX responses file (the format of
    `scorecard score`); a file with any problem writes nothing. Returns how many responses changed."""
    catalog = catalog or get_catalog()
    assessment = _writable(actor, assessment_id, db, "import responses")
    questionnaire = catalog.questionnaire(assessment.questionnaire_id)
    parsed, columns = read_responses_and_columns(Path(path), questionnaire, Scope(assessment.scope))
    # Target and notes without a column in the file keep their stored values (save_many leaves
    # absent keys alone); the N/A reason always follows the file's current/NA column.
    kept = [field for field in ("target", "notes") if field not in columns]
    items = []
    for r in parsed:
        item = {"question_id": r.question_id, "environment": r.environment, "current": r.current, "na": r.na,
                "na_reason": r.na_reason, "target": r.target, "notes": r.notes}
        for field in kept:
            item.pop(field)
        items.append(item)
    with database(db).write() as session:
        return responses.save_many(session, assessment_id, items, user=actor.user, now=utcnow())


def set_target(actor: Actor, assessment_id: int, question_id: str, environment: str, target: int | None, *,
               due_date: date | None = None, reason: str = "", catalog: Catalog | None = None,
               db: Database | None = None) -> TargetOverride | None:
    """Agree a target level (with a due date) for one response; `target=None` removes the override."""
    catalog = catalog or get_catalog()
    with database(db).write() as session:
        assessment = store.get(session, assessment_id)
        require_site_write(actor, assessment.site_name, "set targets")
        _check_pair(catalog, assessment, question_id, environment)
        if target is not None:
            _level(target, "target", f"{question_id} ({environment})")
        return targets.set_target(session, assessment_id, question_id, environment, target, due_date=due_date,
                                  reason=reason, user=actor.user, now=utcnow())


def add_finding(actor: Actor, assessment_id: int, *, question_id: str, environment: str | None, title: str,
                owner: str, due_date: date | None = None, notes: str = "", catalog: Catalog | None = None,
                db: Database | None = None) -> Finding:
    """Record a finding/action on a response (environment None = both)."""
    catalog = catalog or get_catalog()
    if not title.strip():
        raise ScorecardError("a finding needs a title", [Problem("title", "blank")])
    with database(db).write() as session:
        assessment = store.get(session, assessment_id)
        require_site_write(actor, assessment.site_name, "record findings")
        questionnaire = catalog.questionnaire(assessment.questionnaire_id)
        if question_id not in {q.id for q in questionnaire.questions}:
            raise ScorecardError(f"unknown question '{question_id}'", [Problem("question_id", f"not in {questionnaire.id}")])
        return findings.add(session, assessment_id, question_id=question_id, environment=environment,
                            title=title.strip(), owner=owner.strip(), due_date=due_date, notes=notes,
                            user=actor.user, now=utcnow())


def update_finding(actor: Actor, assessment_id: int, finding_id: int, changes: dict[str, Any], *,
                   expected_version: int, db: Database | None = None) -> Finding:
    unknown = set(changes) - set(findings.EDITABLE)
    if unknown:
        raise ScorecardError("unknown finding fields", [Problem(f, "not editable", f"one of {', '.join(findings.EDITABLE)}") for f in sorted(unknown)])
    if "status" in changes and changes["status"] not in FINDING_STATUSES:
        raise ScorecardError(f"'{changes['status']}' is not a finding status", [Problem("status", "unknown", f"one of {', '.join(FINDING_STATUSES)}")])
    with database(db).write() as session:
        assessment = store.get(session, assessment_id)
        require_site_write(actor, assessment.site_name, "update findings")
        return findings.change(session, assessment_id, finding_id, changes, expected_version=expected_version,
                               user=actor.user, now=utcnow())


def _writable(actor: Actor, assessment_id: int, db: Database | None, action: str) -> Assessment:
    with database(db).read() as session:
        assessment = store.get(session, assessment_id)
    require_site_write(actor, assessment.site_name, action)
    return assessment


def _check_pair(catalog: Catalog, assessment: Assessment, question_id: str, environment: str) -> None:
    questionnaire = catalog.questionnaire(assessment.questionnaire_id)
    questions = {q.id: q for q in questionnaire.questions}
    message = pair_problem(questionnaire, questions, Scope(assessment.scope), question_id, environment)
    if message is not None:
        raise ResponseError("the answer was not saved", [Problem(f"{question_id} ({environment})", message)])


def _level(value: Any, field: str, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 5:
        raise ResponseError("the answer was not saved", [Problem(f"{where}: {field}", f"{value!r} is not a maturity level", "use 0–5 or leave blank")])
    return value


def _clean(changes: dict[str, Any], where: str) -> dict[str, Any]:
    """Validate field names and values; ticking NA clears the current level."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ResponseError("the answer was not saved", [Problem(f"{where}: {f}", "not a response field", f"one of {', '.join(responses.FIELDS)}") for f in sorted(unknown)])
    values = dict(changes)
    for field in ("current", "target"):
        if field in values:
            values[field] = _level(values[field], field, where)
    for field in ("na", "flagged"):
        if field in values and not isinstance(values[field], bool):
            raise ResponseError("the answer was not saved", [Problem(f"{where}: {field}", f"{values[field]!r} is not true/false")])
    for field in ("na_reason", "notes"):
        if field in values:
            values[field] = "" if values[field] is None else str(values[field])
    if values.get("na") is True:
        if values.get("current") is not None:
            raise ResponseError("the answer was not saved", [Problem(where, "NA and a current level at once", "choose one")])
        values["current"] = None
    if values.get("current") is not None and "na" not in values:
        values["na"] = False
        values.setdefault("na_reason", "")
    return values
