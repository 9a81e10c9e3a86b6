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

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from catalog.models import Questionnaire
from errors import Problem, ResponseError
from exports.questionnaire_workbook import COL, FORMAT, META_SHEET, NA
from scoring.model import Response, Scope

MAX_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED = 200 * 1024 * 1024
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
        if title not in wb.sheetnames:
            problems.append(Problem(f"{name}: sheet '{title}'", "missing", "do not rename or delete sheets"))
            continue
        for row_number, row in enumerate(wb[title].iter_rows(min_row=2, values_only=True), start=2):
            if not any(v not in (None, "") for v in row):
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


def _open(data: bytes, name: str):
    if len(data) > MAX_BYTES:
        raise ResponseError(f"{name} is too large", [Problem(name, f"{len(data)} bytes", f"at most {MAX_BYTES} bytes")])
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
        if total > MAX_UNCOMPRESSED:
            raise ResponseError(f"{name} expands too much to be a questionnaire workbook",
                                [Problem(name, f"{total} bytes uncompressed", "export a fresh workbook")])
        return load_workbook(BytesIO(data), read_only=True, data_only=False)
    except ResponseError:
        raise
    # SyntaxError covers xml.etree's ParseError (a damaged part inside the zip);
    # InvalidFileException is openpyxl's word for "not a workbook".
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError, InvalidFileException) as error:
        raise ResponseError(f"{name} is not an Excel workbook",
                            [Problem(name, str(error) or type(error).__name__, "use the .xlsx exported by the app")]) from None


def _meta(wb, name: str) -> dict[str, str]:
    if META_SHEET not in wb.sheetnames:
        raise ResponseError(f"{name} is not a questionnaire workbook exported by Resilience Scorecard",
                            [Problem(name, "no _meta sheet", "export one with `scorecard questionnaire-workbook export`")])
    return {str(k): str(v) for k, v, *_ in wb[META_SHEET].iter_rows(values_only=True) if k is not None and v is not None}


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
