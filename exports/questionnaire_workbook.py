"""Offline questionnaire workbook: answer in Excel where the app cannot reach (plant floor, audit).

Layout: an Instructions sheet, then one sheet per questionnaire section with one row per question
and environment in scope. Column A holds the hidden row key `QUESTION_ID|ENV`; the assessor may
edit only Current (drop-down 0–5 or NA), NA reason, Target (drop-down 0–5, blank = the default
shown beside it) and Notes. The six level descriptions sit to the right of each question. Two
hidden columns at the end record what was exported: the response's stored version (0 = not
answered) and a fingerprint per part of the answer (current with its N/A reason, target, notes),
so an import tells an edit made in the workbook from a change made in the app since the export.
Sheets are protected (only input cells unlocked), the workbook structure is locked, and a very
hidden `_meta` sheet names the assessment, questionnaire id/version and scope, so an import can
refuse a workbook made for something else. `services.questionnaire_import` reads it back.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from catalog.models import Questionnaire
from exports.cells import HEADER_FILL, HEADER_FONT, write
from scoring.model import Response, Scope
from scoring.response_input import Current, parse_cells

FORMAT = "resilience-scorecard/questionnaire-workbook@2"
FORMAT_WITHOUT_VERSIONS = "resilience-scorecard/questionnaire-workbook@1"
"""Still imported: every row it changes is shown as a conflict, as its export state is unknown."""
META_SHEET = "_meta"
NA = "NA"
COLUMNS = (
    # (header, width, editable)
    ("Key", 4, False),
    ("Question", 10, False),
    ("Text", 46, False),
    ("Guidance", 46, False),
    ("Env", 6, False),
    ("Current", 10, True),
    ("NA reason", 26, True),
    ("Target", 9, True),
    ("Default target", 9, False),
    ("Notes", 36, True),
    *((f"Level {i}", 30, False) for i in range(6)),
    ("Version", 4, False),
    ("Exported", 4, False),
)
COL = {name: index for index, (name, _, _) in enumerate(COLUMNS, start=1)}
HIDDEN = ("Key", "Version", "Exported")
INPUTS = {"Current": "current", "NA reason": "na_reason", "Target": "target", "Notes": "notes"}
"""Editable column → response field."""
PARTS = {"answer": ("current", "na_reason"), "target": ("target",), "notes": ("notes",)}
"""The parts of an answer an import takes from the workbook or the app independently: current and
its N/A reason go together (a reason belongs to its N/A)."""


@dataclass(frozen=True)
class StoredAnswer:
    """A stored response with the version (and who made it, when) that a workbook records."""

    response: Response
    version: int
    updated_by: str = ""
    updated_at: datetime | None = None


def exported_cells(answer: Response | None) -> dict[str, Any]:
    """The input cells of a row as written (by response field): what the assessor sees."""
    if answer is None:
        return {"current": None, "na_reason": "", "target": None, "notes": ""}
    return {"current": NA if answer.na else answer.current,
            "na_reason": _xml_text(answer.na_reason) if answer.na else "",
            "target": answer.target, "notes": _xml_text(answer.notes)}


def fingerprints(parsed: Mapping[str, Any]) -> dict[str, str]:
    """A short hash per part of the answer, from cells read by `scoring.response_input.parse_cells`
    (so a cell read back as 3.0 or with a trailing space is the same as the 3 or text written)."""
    def plain(value: Any) -> Any:
        return [value.level, value.na] if isinstance(value, Current) else value
    return {part: hashlib.sha256(json.dumps([plain(parsed[f]) for f in fields]).encode()).hexdigest()[:12]
            for part, fields in PARTS.items()}


def _xml_text(text: str) -> str:
    """Text without the control characters an XLSX cell cannot hold (exports.cells drops them too)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)
INPUT_FILL = PatternFill("solid", fgColor="FFF7D6")
WRAP = Alignment(wrap_text=True, vertical="top")


def sheet_title(section_title: str, used: set[str]) -> str:
    """An Excel-safe, unique sheet title (≤ 31 characters, none of []:*?/\\)."""
    base = re.sub(r"[\[\]:*?/\\]", " ", section_title).strip()[:31] or "Section"
    title, n = base, 2
    while title.lower() in used or title == META_SHEET:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def render_questionnaire_workbook(
    questionnaire: Questionnaire,
    scope: Scope,
    responses: Iterable[StoredAnswer],
    *,
    assessment_id: str,
    assessment_label: str,
) -> bytes:
    """The workbook as .xlsx bytes, prefilled with the stored `responses` and their versions."""
    answers = {(a.response.question_id, a.response.environment): a for a in responses}
    wb = Workbook()
    _instructions(wb.active, questionnaire, scope, assessment_label)
    used: set[str] = {"instructions"}
    sheets: list[tuple[str, str]] = []
    for section in questionnaire.sections:
        questions = [q for q in questionnaire.questions if q.section == section.id]
        rows = [(q, env) for q in questions for env in scope.environments if env in q.applies_to]
        if not rows:
            continue
        title = sheet_title(section.title, used)
        sheets.append((section.id, title))
        _section_sheet(wb.create_sheet(title), questionnaire, rows, answers)
    _meta(wb, questionnaire, scope, assessment_id, sheets)
    wb.security = WorkbookProtection(lockStructure=True)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _instructions(ws, questionnaire: Questionnaire, scope: Scope, label: str) -> None:
    ws.title = "Instructions"
    lines = [
        (f"{questionnaire.name} ({questionnaire.id} {questionnaire.version})", Font(bold=True, size=14)),
        (f"Assessment: {label} · scope {scope.value}", Font(bold=True)),
        ("", None),
        ("Each section has its own sheet: one row per question and environment (IT, OT).", None),
        ("Fill the yellow cells only: Current (0–5, or NA when the practice does not apply here),", None),
        ("NA reason (required with NA), Target (0–5; leave blank to keep the default shown beside it) and Notes.", None),
        ("The six level descriptions of each question are to the right of the row.", None),
        ("Do not add, remove or rename sheets or rows: the import matches rows by their hidden key.", None),
        ("Import back with: scorecard questionnaire-workbook import ASSESSMENT_ID FILE --dry-run (shows the changes),", None),
        ("then without --dry-run to apply them as one audited change.", None),
        ("Answers changed in the app after this export keep the app's values: where the workbook changes them too,", None),
        ("the import lists them as conflicts and applies them only if you choose to.", None),
    ]
    for row, (text, font) in enumerate(lines, start=1):
        cell = write(ws, row, 1, text)
        if font:
            cell.font = font
    ws.column_dimensions["A"].width = 110
    ws.protection.sheet = True


def _section_sheet(ws, questionnaire: Questionnaire, rows, answers) -> None:
    for index, (header, width, _) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=index, value=header)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
        ws.column_dimensions[get_column_letter(index)].width = width
    for row, (question, env) in enumerate(rows, start=2):
        stored = answers.get((question.id, env))
        cells = exported_cells(stored.response if stored else None)
        parsed, _ = parse_cells(cells)
        values = {
            "Key": f"{question.id}|{env}",
            "Question": question.id,
            "Text": question.text,
            "Guidance": question.guidance,
            "Env": env,
            **{column: cells[field] for column, field in INPUTS.items()},
            "Default target": questionnaire.default_target(question, env),
            **{f"Level {i}": question.levels.get(i, "") for i in range(6)},
            "Version": stored.version if stored else 0,
            "Exported": " ".join(fingerprints(parsed).values()),
        }
        for name, (_, _, editable) in zip(COL, COLUMNS, strict=True):
            cell = write(ws, row, COL[name], values[name])
            cell.alignment = WRAP
            if editable:
                cell.protection = Protection(locked=False)
                cell.fill = INPUT_FILL
    last = len(rows) + 1
    current = DataValidation(type="list", formula1=f'"0,1,2,3,4,5,{NA}"', allow_blank=True,
                             showErrorMessage=True, errorTitle="Maturity level",
                             error="Choose 0–5, or NA when the practice does not apply.")
    target = DataValidation(type="list", formula1='"0,1,2,3,4,5"', allow_blank=True, showErrorMessage=True,
                            errorTitle="Target level", error="Choose 0–5, or leave blank for the default.")
    ws.add_data_validation(current)
    ws.add_data_validation(target)
    current.add(f"{_letter('Current')}2:{_letter('Current')}{last}")
    target.add(f"{_letter('Target')}2:{_letter('Target')}{last}")
    for name in HIDDEN:
        ws.column_dimensions[_letter(name)].hidden = True
    ws.freeze_panes = "C2"
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widths may be changed; content and structure may not
    ws.protection.formatRows = False


def _letter(name: str) -> str:
    return get_column_letter(COL[name])


def _meta(wb: Workbook, questionnaire: Questionnaire, scope: Scope, assessment_id: str, sheets) -> None:
    ws = wb.create_sheet(META_SHEET)
    rows = [("format", FORMAT), ("assessment_id", str(assessment_id)), ("questionnaire_id", questionnaire.id),
            ("questionnaire_version", questionnaire.version), ("scope", scope.value)]
    rows += [(f"sheet:{section_id}", title) for section_id, title in sheets]
    for row, (key, value) in enumerate(rows, start=1):
        write(ws, row, 1, key)
        write(ws, row, 2, value)
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True
