"""Read an offline questionnaire workbook back: validate every cell, then say what would change.

Rules:
- The workbook must carry our `_meta` sheet for the same assessment, questionnaire id and
  version and scope; otherwise it is refused as made for something else.
- Every row's key must name a question of the questionnaire and an environment in scope that the
  question applies to, at most once. Current is blank, 0–5 or NA (NA needs a reason, and a reason
  needs NA); Target is blank or 0–5; Notes is any text (kept exactly, even `=…`).
- All problems are reported together as one ResponseError, located as
  `sheet 'Identity' row 7, column 'Current'`. Nothing is returned from a workbook with problems.
- The result lists only the responses whose values differ from the stored ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from catalog.models import Questionnaire
from errors import Problem, ResponseError, TableError
from exports.questionnaire_workbook import COL, FORMAT, META_SHEET, NA
from scoring.model import Response, Scope
from tabular.workbook import Workbook

FIELDS = ("current", "na", "na_reason", "target", "notes")


@dataclass(frozen=True)
class Change:
    question_id: str
    environment: str
    field: str
    old: Any
    new: Any
    location: str


@dataclass(frozen=True)
class WorkbookImport:
    """What the workbook would change: per-field changes, and the new responses to write."""

    changes: tuple[Change, ...]
    responses: tuple[Response, ...]

    def items(self) -> list[dict[str, Any]]:
        """The changes as storage items: question_id, environment and only the fields the workbook
        changed, so an answer edited in the app since the export is not reverted by a workbook row
        that only touched its notes (storage keeps absent fields)."""
        items: dict[tuple[str, str], dict[str, Any]] = {}
        for change in self.changes:
            key = (change.question_id, change.environment)
            item = items.setdefault(key, {"question_id": change.question_id, "environment": change.environment})
            item[change.field] = change.new
        return list(items.values())


def read_questionnaire_workbook(
    data: bytes,
    questionnaire: Questionnaire,
    scope: Scope,
    stored: Iterable[Response],
    *,
    assessment_id: str,
    name: str = "workbook",
) -> WorkbookImport:
    """Validate the workbook against the questionnaire and diff it with the stored responses."""
    wb = _open(data, name)
    problems: list[Problem] = []
    meta = _meta(wb, name)
    expected = {"format": FORMAT, "assessment_id": str(assessment_id), "questionnaire_id": questionnaire.id,
                "questionnaire_version": questionnaire.version, "scope": scope.value}
    for key, value in expected.items():
        if meta.get(key) != value:
            problems.append(Problem(f"{name}: {key}", f"workbook has {meta.get(key)!r}, expected {value!r}",
                                    "export a fresh workbook for this assessment"))
    if problems:
        raise ResponseError("the workbook was made for another assessment or questionnaire", problems)

    questions = {q.id: q for q in questionnaire.questions}
    stored_by_key = {(r.question_id, r.environment): r for r in stored}
    seen: dict[tuple[str, str], str] = {}
    parsed: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
    for key, title in meta.items():
        if not key.startswith("sheet:"):
            continue
        if title not in wb.sheet_names:
            problems.append(Problem(f"{name}: sheet '{title}'", "missing", "do not rename or delete sheets"))
            continue
        for row_number, row in _rows(wb, title):
            if row_number < 2 or not any(v not in (None, "") for v in row):
                continue
            where = f"sheet '{title}' row {row_number}"
            pair = _pair(row, where, questions, scope, problems)
            if pair is None:
                continue
            if pair in seen:
                problems.append(Problem(where, f"{pair[0]} ({pair[1]}) appears twice", f"first at {seen[pair]}"))
                continue
            seen[pair] = where
            values = _values(row, where, problems, stored_by_key.get(pair))
            if values is not None:
                parsed[pair] = (values, where)
    if problems:
        raise ResponseError(f"{len(problems)} problem(s) in {name}; nothing was imported", problems)
    return _diff(parsed, stored_by_key)


def _open(data: bytes, name: str) -> Workbook:
    """The workbook, checked and opened by the one table reader (`tabular`: size, zip and XML
    bombs; each sheet's used range is checked before it is loaded)."""
    try:
        return Workbook(data, name)
    except TableError as exc:
        raise ResponseError(exc.summary, exc.problems) from None


def _rows(wb: Workbook, title: str) -> Iterator[tuple[int, tuple]]:
    """(row number, cells from column A) of a sheet: empty cells are None and a formula reads as
    its text ('=…'), as typed."""
    try:
        sheet = wb.sheet(title, formulas=True)
        pad = (None,) * sheet.first_column
        for number, cells in sheet.rows():
            yield number, pad + tuple(None if c == "" else c for c in cells)
    except TableError as exc:
        raise ResponseError(exc.summary, exc.problems) from None


def _meta(wb: Workbook, name: str) -> dict[str, str]:
    if META_SHEET not in wb.sheet_names:
        raise ResponseError(f"{name} is not a questionnaire workbook exported by Resilience Scorecard",
                            [Problem(name, "no _meta sheet", "export one with `scorecard questionnaire-workbook export`")])
    return {str(row[0]): str(row[1]) for _, row in _rows(wb, META_SHEET)
            if len(row) > 1 and row[0] is not None and row[1] is not None}


def _cell(row: tuple, column: str):
    index = COL[column] - 1
    return row[index] if index < len(row) else None


def _pair(row, where, questions, scope: Scope, problems) -> tuple[str, str] | None:
    key = _cell(row, "Key")
    if not isinstance(key, str) or key.count("|") != 1:
        problems.append(Problem(f"{where}, column 'Key'", f"{key!r} is not a row key", "do not edit or add rows"))
        return None
    question_id, env = key.split("|")
    question = questions.get(question_id)
    if question is None:
        problems.append(Problem(where, f"unknown question '{question_id}'", "do not edit or add rows"))
        return None
    if env not in scope.environments or env not in question.applies_to:
        problems.append(Problem(where, f"{question_id} is not assessed for '{env}' in scope {scope.value}"))
        return None
    return question_id, env


def _values(row, where: str, problems: list[Problem], stored: Response | None) -> dict[str, Any] | None:
    """The row's answer. An N/A needs a reason, except where the stored answer already is an N/A
    without one (the app allows saving it): an untouched row must not block the whole import."""
    before = len(problems)
    raw_current = _cell(row, "Current")
    na = isinstance(raw_current, str) and raw_current.strip().upper() in (NA, "N/A")
    current = None if na else _level(raw_current, f"{where}, column 'Current'", "0–5, NA or blank", problems)
    reason = _text(_cell(row, "NA reason")).strip()
    already_na_without_reason = stored is not None and stored.na and not stored.na_reason
    if na and not reason and not already_na_without_reason:
        problems.append(Problem(f"{where}, column 'NA reason'", "NA needs a reason", "say why it does not apply"))
    if reason and not na:
        problems.append(Problem(f"{where}, column 'NA reason'", "a reason is given but Current is not NA",
                                "set Current to NA or clear the reason"))
    target = _level(_cell(row, "Target"), f"{where}, column 'Target'", "0–5 or blank", problems)
    if len(problems) > before:
        return None
    return {"current": current, "na": na, "na_reason": reason if na else "", "target": target,
            "notes": _text(_cell(row, "Notes"))}


def _level(value, where: str, allowed: str, problems: list[Problem]) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        problems.append(Problem(where, f"{value!r} is not a level", allowed))
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and 0 <= value <= 5:
        return value
    problems.append(Problem(where, f"{value!r} is not a level", allowed))
    return None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _diff(parsed, stored_by_key) -> WorkbookImport:
    changes: list[Change] = []
    responses: list[Response] = []
    for (question_id, env), (values, where) in parsed.items():
        old = stored_by_key.get((question_id, env))
        old_values = {f: getattr(old, f) for f in FIELDS} if old else \
            {"current": None, "na": False, "na_reason": "", "target": None, "notes": ""}
        changed = [f for f in FIELDS if old_values[f] != values[f]]
        if not changed:
            continue
        changes.extend(Change(question_id, env, f, old_values[f], values[f], where) for f in changed)
        responses.append(Response(question_id=question_id, environment=env, **values))
    return WorkbookImport(changes=tuple(changes), responses=tuple(responses))
