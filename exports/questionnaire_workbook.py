"""Offline questionnaire workbook: answer in Excel where the app cannot reach (plant floor, audit).

Layout: an Instructions sheet, then one sheet per questionnaire section with one row per question
and environment in scope. Column A holds the hidden row key `QUESTION_ID|ENV`; the assessor may
edit only Current (drop-down 0–5 or NA), NA reason, Target (drop-down 0–5, blank = the default
shown beside it) and Notes. The six level descriptions sit to the right of each question. Sheets
are protected (only input cells unlocked), the workbook structure is locked, and a very hidden
`_meta` sheet names the assessment, questionnaire id/version and scope, so an import can refuse a
workbook made for something else. `exports.questionnaire_import` reads it back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from catalog.models import Questionnaire
from exports.cells import HEADER_FILL, HEADER_FONT, write
from scoring.model import Response, Scope

FORMAT = "resilience-scorecard/questionnaire-workbook@1"
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
)
COL = {name: index for index, (name, _, _) in enumerate(COLUMNS, start=1)}
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
    responses: Iterable[Response],
    *,
    assessment_id: str,
    assessment_label: str,
) -> bytes:
    """The workbook as .xlsx bytes, prefilled with `responses`."""
    answers = {(r.question_id, r.environment): r for r in responses}
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
        answer = answers.get((question.id, env))
        current = NA if answer is not None and answer.na else (answer.current if answer else None)
        values = {
            "Key": f"{question.id}|{env}",
            "Question": question.id,
            "Text": question.text,
            "Guidance": question.guidance,
            "Env": env,
            "Current": current,
            "NA reason": answer.na_reason if answer is not None and answer.na else "",
            "Target": answer.target if answer else None,
            "Default target": questionnaire.default_target(question, env),
            "Notes": answer.notes if answer else "",
            **{f"Level {i}": question.levels.get(i, "") for i in range(6)},
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
    ws.column_dimensions["A"].hidden = True
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
