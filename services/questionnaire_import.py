"""Read an offline questionnaire workbook back: its cells, checked row by row, then what it changes.

Two steps, kept apart so each can change on its own:
- `read_workbook_cells`: the bytes → the `_meta` entries and each section sheet's rows of cells,
  read by the one table reader (`tabular`: its size, zip and used-range limits; anything that is
  not an Excel workbook is refused);
- `compare_workbook`: the cells → `WorkbookImport`. The workbook must carry our `_meta` sheet for
  the same assessment, questionnaire id and version and scope, else it is refused as made for
  something else. Every row's key must name a question of the questionnaire and an environment
  the assessment covers (`scoring.applicability.pair_problem`), at most once. Every input cell is
  read by the rules of `scoring.response_input`, the same as the app's and the responses file's.
  What then changes, and what is a conflict with the app, is `services.questionnaire_changes`.
All problems are reported together as one ResponseError, located as
`sheet 'Identity' row 7, column 'Current'`. Nothing is returned from a workbook with problems.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from catalog.models import Questionnaire
from errors import Problem, ResponseError, TableError
from exports.questionnaire_workbook import (
    COL,
    FORMAT,
    FORMAT_WITHOUT_VERSIONS,
    INPUTS,
    META_SHEET,
    PARTS,
    StoredAnswer,
)
from scoring.applicability import pair_problem
from scoring.model import Scope
from scoring.response_input import parse_cells
from services.questionnaire_changes import WorkbookImport, WorkbookRow, compare_rows
from tabular.workbook import Workbook

COLUMN_OF = {field: column for column, field in INPUTS.items()}

CellRow = tuple[int, tuple]
"""(row number as Excel shows it, the row's cell values)."""


@dataclass(frozen=True)
class WorkbookCells:
    """What a workbook holds, before any meaning: `_meta` entries, and the data rows (below the
    header) of each sheet `_meta` names that exists in the workbook."""

    name: str
    meta: dict[str, str]
    sheets: dict[str, list[CellRow]]


def read_questionnaire_workbook(data: bytes, questionnaire: Questionnaire, scope: Scope,
                                stored: Iterable[StoredAnswer], *, assessment_id: str,
                                name: str = "workbook") -> WorkbookImport:
    """Read the workbook and compare it with the stored answers."""
    return compare_workbook(read_workbook_cells(data, name), questionnaire, scope, stored,
                            assessment_id=assessment_id)


# --- Reading the cells -----------------------------------------------------------------------


def read_workbook_cells(data: bytes, name: str = "workbook") -> WorkbookCells:
    wb = open_workbook(data, name)
    meta = _meta(wb, name)
    titles = [title for key, title in meta.items() if key.startswith("sheet:") and title in wb.sheet_names]
    sheets = {title: [(number, row) for number, row in sheet_rows(wb, title) if number >= 2] for title in titles}
    return WorkbookCells(name=name, meta=meta, sheets=sheets)


def open_workbook(data: bytes, name: str) -> Workbook:
    """The workbook, checked and opened by the one table reader (`tabular`: size, zip and XML
    bombs; each sheet's used range is checked before it is loaded)."""
    try:
        return Workbook(data, name)
    except TableError as exc:
        raise ResponseError(exc.summary, exc.problems) from None


def sheet_rows(wb: Workbook, title: str) -> Iterator[CellRow]:
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
    return {str(row[0]): str(row[1]) for _, row in sheet_rows(wb, META_SHEET)
            if len(row) > 1 and row[0] is not None and row[1] is not None}


# --- What the cells mean ---------------------------------------------------------------------


def compare_workbook(cells: WorkbookCells, questionnaire: Questionnaire, scope: Scope,
                     stored: Iterable[StoredAnswer], *, assessment_id: str) -> WorkbookImport:
    """Check every row of the workbook, then compare it with the stored answers."""
    name, meta = cells.name, cells.meta
    problems = _foreign(meta, name, questionnaire, scope, assessment_id)
    if problems:
        raise ResponseError("the workbook was made for another assessment or questionnaire", problems)
    with_versions = meta.get("format") == FORMAT
    questions = {q.id: q for q in questionnaire.questions}
    seen: dict[tuple[str, str], str] = {}
    rows: list[WorkbookRow] = []
    for key, title in meta.items():
        if not key.startswith("sheet:"):
            continue
        if title not in cells.sheets:
            problems.append(Problem(f"{name}: sheet '{title}'", "missing", "do not rename or delete sheets"))
            continue
        for row_number, row in cells.sheets[title]:
            if not any(v not in (None, "") for v in row):
                continue
            where = f"sheet '{title}' row {row_number}"
            pair = _pair(row, where, questionnaire, questions, scope, problems)
            if pair is None:
                continue
            if pair in seen:
                problems.append(Problem(where, f"{pair[0]} ({pair[1]}) appears twice", f"first at {seen[pair]}"))
                continue
            seen[pair] = where
            parsed, found = parse_cells({field: _cell(row, column) for column, field in INPUTS.items()})
            problems.extend(Problem(f"{where}, column '{COLUMN_OF[p.field]}'", p.message, p.hint) for p in found)
            if not found:
                version, exported = _export_state(row) if with_versions else (None, None)
                rows.append(WorkbookRow(pair[0], pair[1], where, parsed, version, exported))
    by_pair = {(a.response.question_id, a.response.environment): a for a in stored}
    result, found = compare_rows(rows, by_pair)
    problems.extend(Problem(f"{where}, column '{COLUMN_OF[p.field]}'", p.message, p.hint) for where, p in found)
    if problems:
        raise ResponseError(f"{len(problems)} problem(s) in {name}; nothing was imported", problems)
    return result


def _foreign(meta: dict[str, str], name: str, questionnaire: Questionnaire, scope: Scope,
             assessment_id: str) -> list[Problem]:
    expected = {"assessment_id": str(assessment_id), "questionnaire_id": questionnaire.id,
                "questionnaire_version": questionnaire.version, "scope": scope.value}
    problems = [Problem(f"{name}: {key}", f"workbook has {meta.get(key)!r}, expected {value!r}",
                        "export a fresh workbook for this assessment")
                for key, value in expected.items() if meta.get(key) != value]
    if meta.get("format") not in (FORMAT, FORMAT_WITHOUT_VERSIONS):
        problems.insert(0, Problem(f"{name}: format", f"workbook has {meta.get('format')!r}, expected {FORMAT!r}",
                                   "export a fresh workbook for this assessment"))
    return problems


def _cell(row: tuple, column: str):
    index = COL[column] - 1
    return row[index] if index < len(row) else None


def _pair(row, where, questionnaire, questions, scope: Scope, problems) -> tuple[str, str] | None:
    key = _cell(row, "Key")
    if not isinstance(key, str) or key.count("|") != 1:
        problems.append(Problem(f"{where}, column 'Key'", f"{key!r} is not a row key", "do not edit or add rows"))
        return None
    question_id, env = key.split("|")
    message = pair_problem(questionnaire, questions, scope, question_id, env)
    if message is not None:
        problems.append(Problem(where, message, "do not edit or add rows"))
        return None
    return question_id, env


def _export_state(row: tuple) -> tuple[int | None, dict[str, str] | None]:
    """The version and per-part fingerprints the export wrote in the hidden columns; (None, None)
    when they are not there or not as written (the row is then compared as of unknown origin)."""
    version, exported = _cell(row, "Version"), _cell(row, "Exported")
    if isinstance(version, float) and version.is_integer():
        version = int(version)
    hashes = exported.split() if isinstance(exported, str) else []
    if isinstance(version, bool) or not isinstance(version, int) or version < 0 or len(hashes) != len(PARTS):
        return None, None
    return version, dict(zip(PARTS, hashes, strict=True))
