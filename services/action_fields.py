"""What counts as a valid value of an action's fields, however it arrives: the app's form, the
`scorecard plan` options and the Plan sheet of an edited analyst workbook. Each reader turns its
cells into a dict and locates the problems (`FieldProblem.field`) in its own terms.

- title: text, not blank; owner, notes: text (cleaned as answers' texts are).
- due_date: a date, or ISO text YYYY-MM-DD; blank = none.
- status: open, in_progress, done or accepted (spaces and case ignored: "In progress" is read).
- promises: the levels the action brings answers to, as `QUESTION [ENV] LEVEL` items separated by
  ";" or line breaks, e.g. "ACC-01 OT → 4; REM-02 4" (an arrow, "->", "=" or ":" may stand before
  the level; no environment = every environment in scope); a level is a whole 0–5 (the rule of
  answers' levels); blank = no level promised (scoring.plan_model.promises_text writes this form).
  Whether each question and environment applies to
  the assessment is checked by the service that has it (services.answers).
- evidence_metric: a metric name of the catalog; evidence_value: a number in the metric's unit
  (pct 0–100; count, days, minutes ≥ 0). Both or neither.
- cost (the organisation's currency), effort_days (person-days): numbers ≥ 0; "40 000" and
  "40,000" are read as forty thousand; blank = not estimated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from catalog.models import MetricDefinition, Questionnaire
from scoring.applicability import pair_problem
from scoring.model import Scope
from scoring.plan_model import Promise
from scoring.response_input import Cell, FieldProblem, clean_text, parse_cells
from storage.records import FINDING_STATUSES

ACTION_FIELDS = ("title", "owner", "due_date", "status", "notes", "promises", "evidence_metric",
                 "evidence_value", "cost", "effort_days")
ARROWS = ("→", "->", "=", ":", "≥", ">=")
_THOUSANDS = re.compile(r"\d{1,3}(?:[ ,'_]\d{3})+(?:\.\d+)?")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
PCT_MAX = 100.0


def read_action(cells: Mapping[str, Cell], definitions: Mapping[str, MetricDefinition],
                stored: Mapping[str, Any] | None = None) -> tuple[dict[str, Any] | None, list[FieldProblem]]:
    """The fields in `cells` as stored values, or every problem. `stored` (the action's current
    values, if any) completes the evidence pair when only one half of it is given."""
    values: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    for field, cell in cells.items():
        if field not in ACTION_FIELDS:
            problems.append(FieldProblem(field, "not a field of an action", f"one of {', '.join(ACTION_FIELDS)}"))
        elif field in ("title", "owner", "notes"):
            values[field] = clean_text(cell)
            if field == "title" and not values[field]:
                problems.append(FieldProblem(field, "an action needs a title", "say what will be done"))
        elif field == "due_date":
            values[field] = _date(cell, problems)
        elif field == "status":
            values[field] = _status(cell, problems)
        elif field == "promises":
            values[field] = read_promises(cell, problems)
        elif field == "evidence_metric":
            values[field] = _metric(cell, definitions, problems)
        else:  # evidence_value, cost, effort_days
            values[field] = _number(cell, field, problems)
    if not problems:
        _check_evidence(values, definitions, stored or {}, problems)
    return (None, problems) if problems else (values, [])


def read_promises(cell: Cell | Sequence[Promise | Mapping[str, Any]], problems: list[FieldProblem]) -> tuple[Promise, ...]:
    """Level promises from text (module rules) or from a list of Promise / dicts (code)."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return ()
    if not isinstance(cell, str):
        try:
            return tuple(p if isinstance(p, Promise) else Promise.model_validate(p) for p in cell)
        except (TypeError, ValueError) as error:
            problems.append(FieldProblem("promises", f"not a list of promises: {error}"))
            return ()
    out = []
    for item in re.split(r"[;\n]", cell):
        text = item.strip()
        for arrow in ARROWS:
            text = text.replace(arrow, " ")
        words = text.split()
        if not words:
            continue
        env = words[1].upper() if len(words) == 3 else None
        parsed, found = parse_cells({"target": words[-1]}) if len(words) in (2, 3) else ({}, [None])
        if found or env not in (None, "IT", "OT") or parsed.get("target") is None:
            problems.append(FieldProblem("promises", f"'{item.strip()}' is not a promise",
                                         "write QUESTION [IT|OT] LEVEL, e.g. ACC-01 OT 4; items separated by ;"))
            continue
        out.append(Promise(question_id=words[0], environment=env, level=parsed["target"]))
    return tuple(out)


def _date(cell: Cell, problems: list[FieldProblem]) -> date | None:
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    try:
        return date.fromisoformat(str(cell).strip())
    except ValueError:
        problems.append(FieldProblem("due_date", f"'{cell}' is not a date", "write it as YYYY-MM-DD, e.g. 2027-06-30"))
        return None


def _status(cell: Cell, problems: list[FieldProblem]) -> str | None:
    word = "_".join(str(cell or "").strip().lower().split())
    if word in FINDING_STATUSES:
        return word
    problems.append(FieldProblem("status", f"'{cell}' is not a status", f"one of {', '.join(FINDING_STATUSES)}"))
    return None


def _metric(cell: Cell, definitions: Mapping[str, MetricDefinition], problems: list[FieldProblem]) -> str | None:
    name = clean_text(cell)
    if not name:
        return None
    if name not in definitions:
        near = [n for n in definitions if name.lower() in n or n in name.lower()]
        problems.append(FieldProblem("evidence_metric", f"'{name}' is not a metric of the catalog",
                                     f"e.g. {', '.join(near or sorted(definitions)[:3])}"))
        return None
    return name


def _number(cell: Cell, field: str, problems: list[FieldProblem]) -> float | None:
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    value: float | None = None
    if isinstance(cell, bool):
        value = None
    elif isinstance(cell, int | float):
        value = float(cell)
    elif isinstance(cell, str):
        text = cell.strip()
        if _THOUSANDS.fullmatch(text):
            text = re.sub(r"[ ,'_]", "", text)
        if _NUMBER.fullmatch(text):
            value = float(text)
    if value is None or value != value or value < 0:
        problems.append(FieldProblem(field, f"'{cell}' is not a number of 0 or more", "e.g. 40000 or 12.5"))
        return None
    return value


def _check_evidence(values: dict[str, Any], definitions: Mapping[str, MetricDefinition],
                    stored: Mapping[str, Any], problems: list[FieldProblem]) -> None:
    metric = values.get("evidence_metric", stored.get("evidence_metric"))
    value = values.get("evidence_value", stored.get("evidence_value"))
    if "evidence_metric" not in values and "evidence_value" not in values:
        return
    if metric is None and value is not None:
        problems.append(FieldProblem("evidence_metric", "a promised value needs its metric",
                                     "name the metric the evidence will measure, or clear the value"))
    elif metric is not None and value is None:
        problems.append(FieldProblem("evidence_value", f"a promise of {metric} needs the value it will reach",
                                     "e.g. 95 for 95 %"))
    elif metric is not None and definitions[metric].unit == "pct" and value > PCT_MAX:
        problems.append(FieldProblem("evidence_value", f"{value:g} is more than 100 %", "use 0–100"))


def action_target_problems(questionnaire: Questionnaire, scope: Scope,
                           pairs: Sequence[tuple[str, str | None]]) -> list[tuple[str, str]]:
    """(where, why) for each (question, environment or None) that is not a target of this assessment."""
    questions = {q.id: q for q in questionnaire.questions}
    out = []
    for question_id, environment in pairs:
        where = f"{question_id} ({environment or 'every environment'})"
        if environment is not None:
            message = pair_problem(questionnaire, questions, scope, question_id, environment)
        elif question_id not in questions:
            message = f"unknown question '{question_id}' in questionnaire '{questionnaire.id}'"
        elif not set(questions[question_id].applies_to) & set(scope.environments):
            message = f"question '{question_id}' applies to no environment of the scope {scope.value}"
        else:
            message = None
        if message is not None:
            out.append((where, message))
    return out


def promise_problems(questionnaire: Questionnaire, scope: Scope, promises: Sequence[Promise]) -> list[tuple[str, str]]:
    """(where, why) for promises on questions or environments outside the assessment, and repeats."""
    out = action_target_problems(questionnaire, scope, [(p.question_id, p.environment) for p in promises])
    seen: set[tuple[str, str]] = set()
    for p in promises:
        for env in ([p.environment] if p.environment else scope.environments):
            if (p.question_id, env) in seen:
                out.append((f"{p.question_id} ({env})", "promised twice; give one level per question and environment"))
            seen.add((p.question_id, env))
    return out
