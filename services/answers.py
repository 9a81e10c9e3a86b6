"""Answering: autosave of one response, import of a responses file, target overrides, findings
and the actions that close them.

Every function checks the actor's right to write the assessment's site, validates the values
against the assessment's questionnaire and scope, and writes through storage, which refuses final
assessments and stale versions.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from catalog.content_catalog import Catalog
from errors import NotFoundError, Problem, ResponseError, ScorecardError
from scoring.applicability import pair_problem
from scoring.model import Scope
from scoring.response_input import ResponseValues, parse_cells, read_values
from services.access import Actor, require_site_write
from services.action_fields import (
    action_target_problems,
    promise_problems,
    read_action,
    read_promises,
)
from services.context import Context
from services.responses_file import parse_rows, read_table
from storage import assessments as store
from storage import findings, responses, targets
from storage.records import Assessment, Finding, StoredResponse, TargetOverride


def save_response(ctx: Context, actor: Actor, assessment_id: int, question_id: str, environment: str,
                  changes: dict[str, Any], *,
                  expected_version: int) -> StoredResponse:
    """Autosave: apply `changes` (any of current, na, na_reason, target, notes, flagged) to one
    response, if its stored version is still `expected_version` (0 = not answered yet).

    The values are widget values read by the rules of `scoring.response_input` over the stored
    response: `current` may be 0–5, "NA" or None; an N/A needs a reason; fields not given keep
    their stored values."""
    catalog = ctx.catalog
    where = f"{question_id} ({environment})"
    cells = dict(changes)
    flagged = {"flagged": cells.pop("flagged")} if "flagged" in cells else {}
    if flagged and not isinstance(flagged["flagged"], bool):
        raise ResponseError("the answer was not saved", [Problem(f"{where}: flagged", f"{flagged['flagged']!r} is not true/false")])
    with ctx.write() as session:
        assessment = store.get(session, assessment_id)
        require_site_write(actor, assessment.site_name, "answer questions")
        _check_pair(catalog, assessment, question_id, environment)
        values: dict[str, Any] = {}
        if cells:
            stored = responses.find(session, assessment_id, question_id, environment)
            read, problems = read_values(cells, None if stored is None else ResponseValues.of(stored))
            if read is None:
                raise ResponseError("the answer was not saved",
                                    [Problem(f"{where}: {p.field}", p.message, p.hint) for p in problems])
            values = read.model_dump()
        return responses.save(session, assessment_id, question_id, environment, {**values, **flagged},
                              expected_version=expected_version, user=actor.user, now=ctx.now())


def import_responses(ctx: Context, actor: Actor, assessment_id: int, path: Path) -> int:
    """`scorecard responses import`: write every row of a CSV/XLSX responses file (the format of
    `scorecard score`); a file with any problem writes nothing. Returns how many responses changed.

    Columns the file does not have keep their stored values. The rows are read against the stored
    answers in the same transaction that writes them, with those answers locked, so a save made
    meanwhile in the app is neither reverted nor lost."""
    catalog = ctx.catalog
    assessment = _writable(ctx, actor, assessment_id, "import responses")
    questionnaire = catalog.questionnaire(assessment.questionnaire_id)
    path = Path(path)
    rows = read_table(path)
    with ctx.write() as session:
        store.lock_writable(session, assessment_id)
        stored = {(r.question_id, r.environment): ResponseValues.of(r)
                  for r in responses.list_for(session, assessment_id, lock=True)}
        parsed = parse_rows(rows, path.name, questionnaire, Scope(assessment.scope), stored)
        items = [r.model_dump() for r in parsed]
        return responses.save_many(session, assessment_id, items, user=actor.user, now=ctx.now())


def set_target(ctx: Context, actor: Actor, assessment_id: int, question_id: str, environment: str,
               target: int | None, *,
               due_date: date | None = None, reason: str = "") -> TargetOverride | None:
    """Agree a target level (with a due date) for one response; `target=None` removes the override."""
    catalog = ctx.catalog
    with ctx.write() as session:
        assessment = store.get(session, assessment_id)
        require_site_write(actor, assessment.site_name, "set targets")
        _check_pair(catalog, assessment, question_id, environment)
        if target is not None:
            parsed, problems = parse_cells({"target": target})
            if problems or parsed["target"] is None:
                raise ResponseError("the target was not saved", [Problem(
                    f"{question_id} ({environment}): target", f"'{target}' is not a maturity level", "use 0–5")])
            target = parsed["target"]
        return targets.set_target(session, assessment_id, question_id, environment, target, due_date=due_date,
                                  reason=reason, user=actor.user, now=ctx.now())


def add_finding(ctx: Context, actor: Actor, assessment_id: int, *, question_id: str, environment: str | None, title: str,
                owner: str, due_date: date | None = None, notes: str = "", plan: Mapping[str, Any] | None = None) -> Finding:
    """Record a finding/action on a response (environment None = every environment in scope).

    `plan` holds what the action promises and costs (promises, evidence_metric, evidence_value,
    cost, effort_days, and status), read by the rules of services.action_fields."""
    catalog = ctx.catalog
    cells = {"title": title, "owner": owner, "due_date": due_date, "notes": notes, **(plan or {})}
    with ctx.write() as session:
        assessment = store.get(session, assessment_id)
        require_site_write(actor, assessment.site_name, "record findings")
        values = _action_values(catalog, assessment, question_id, environment, cells, None,
                                f"new action on {question_id}")
        plan_values = {f: values.get(f) for f in findings.PLAN_FIELDS}
        return findings.add(session, assessment_id, question_id=question_id, environment=environment,
                            title=values["title"], owner=values["owner"], due_date=values["due_date"],
                            status=values.get("status") or "open", notes=values["notes"], plan=plan_values,
                            user=actor.user, now=ctx.now())


def update_finding(ctx: Context, actor: Actor, assessment_id: int, finding_id: int, changes: dict[str, Any], *,
                   expected_version: int) -> Finding:
    """Change any of an action's fields (services.action_fields), if its stored version is still
    `expected_version`."""
    catalog = ctx.catalog
    with ctx.write() as session:
        assessment = store.get(session, assessment_id)
        require_site_write(actor, assessment.site_name, "update findings")
        current = next((f for f in findings.list_for(session, assessment_id) if f.id == finding_id), None)
        if current is None:
            raise NotFoundError(f"no finding {finding_id} in assessment {assessment_id}")
        values = _action_values(catalog, assessment, current.question_id, current.environment, changes,
                                current.model_dump(), f"action {finding_id}")
        return findings.change(session, assessment_id, finding_id, values, expected_version=expected_version,
                               user=actor.user, now=ctx.now())


def _action_values(catalog: Catalog, assessment: Assessment, question_id: str, environment: str | None,
                   cells: Mapping[str, Any], stored: Mapping[str, Any] | None, where: str) -> dict[str, Any]:
    """The action's fields read by services.action_fields, with its question and environment and
    each promise checked against the assessment; every problem is reported at once."""
    values, found = read_action(cells, catalog.metric_definitions(), stored)
    problems = [Problem(f"{where}: {p.field}", p.message, p.hint) for p in found]
    if stored is None or "promises" in cells:  # a new action, or new promises: check where they land
        promises = values.get("promises", ()) if values else read_promises(cells.get("promises"), [])
        questionnaire = catalog.questionnaire(assessment.questionnaire_id)
        scope = Scope(assessment.scope)
        targets = action_target_problems(questionnaire, scope, [(question_id, environment)])
        targets += promise_problems(questionnaire, scope, promises)
        problems += [Problem(f"{where}: {place}", message) for place, message in targets]
    if problems:
        raise ScorecardError(f"{where} was not saved", problems)
    return values


def _writable(ctx: Context, actor: Actor, assessment_id: int, action: str) -> Assessment:
    with ctx.read() as session:
        assessment = store.get(session, assessment_id)
    require_site_write(actor, assessment.site_name, action)
    return assessment


def _check_pair(catalog: Catalog, assessment: Assessment, question_id: str, environment: str) -> None:
    questionnaire = catalog.questionnaire(assessment.questionnaire_id)
    questions = {q.id: q for q in questionnaire.questions}
    message = pair_problem(questionnaire, questions, Scope(assessment.scope), question_id, environment)
    if message is not None:
        raise ResponseError("the answer was not saved", [Problem(f"{question_id} ({environment})", message)])
