"""Read questionnaire responses from a CSV or XLSX file into `scoring.model.Response`s.

Format (docs/methodology.md, "Responses file"): a header row, then one row per (question,
environment). Columns, matched ignoring case, spaces, `-` and `_`:
- `question_id` (required): a question of the questionnaire;
- `environment` (required): IT or OT, in the assessment's scope and the question's `applies_to`;
- `current` (required column): 0–5, `NA` (also N/A, n/a) or blank for unanswered;
- `target` (optional): 0–5 or blank for the questionnaire's default target;
- `notes` (optional): free text; for an NA answer it is the reason unless `na_reason` is given;
- `na_reason` (optional): why the question does not apply; an NA answer needs a reason.
Other columns (question text, guidance…) are ignored. Blank rows are skipped. CSV may be comma,
semicolon or tab separated, UTF-8 (with or without BOM) or Windows-1252; it is read by the one
table reader (`tabular`, docs/evidence.md "Reading files"), so a row with more or fewer cells than
the header is refused, as in evidence files.

Every problem is reported at once with its row number as a spreadsheet shows it (header = the
row it sits on); a file with any problem yields nothing, so nothing is scored from it.
"""

from __future__ import annotations

from pathlib import Path

from catalog.models import Questionnaire
from errors import Problem, ResponseError, TableError
from scoring.applicability import pair_problem
from scoring.model import Response, Scope
from tabular.reader import read_table as read_any_table
from tabular.reader import rows_of
from tabular.table import HeaderRule

REQUIRED = ("question_id", "environment", "current")
OPTIONAL = ("target", "notes", "na_reason")
NA_WORDS = {"na", "n/a", "not applicable"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}

Cell = object
Row = tuple[int, list[Cell]]  # (row number as the user sees it, cells)


def read_responses(path: Path, questionnaire: Questionnaire, scope: Scope) -> list[Response]:
    """All responses of the file, or one ResponseError listing every problem."""
    return read_responses_and_columns(path, questionnaire, scope)[0]


def read_responses_and_columns(path: Path, questionnaire: Questionnaire,
                               scope: Scope) -> tuple[list[Response], set[str]]:
    """The responses and the names of the columns the file has. An import must not clear a
    stored target, note or N/A reason just because the file has no column for it."""
    rows = read_table(path)
    responses = parse_rows(rows, path.name, questionnaire, scope)
    _, header = rows[_header_index(rows)]
    return responses, set(_columns(header, path.name))


# --- Reading the table ---------------------------------------------------------------------------


def read_table(path: Path) -> list[Row]:
    """The file's non-blank rows from its header down, with their row numbers.

    The one table reader (`tabular`) guards the door and reads: size limit, binary content named
    .csv, one encoding, delimiter, XLSX zip and XML bombs, the sheet's used range, and rows that
    do not split into the header's cells. Its problems are reported as response problems.
    """
    label = path.name
    if not path.is_file():
        raise ResponseError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix not in CSV_SUFFIXES | XLSX_SUFFIXES:
        raise ResponseError(f"{label}: unsupported file type '{suffix}'", [Problem(label, "use a .csv or .xlsx file")])
    try:
        table = read_any_table(path, label, HeaderRule(score=_header_score))
    except TableError as exc:
        raise ResponseError(exc.summary, exc.problems) from None
    if table.problem_count:
        raise ResponseError(f"{label}: {table.problem_count} row(s) cannot be read; nothing was scored", table.problems)
    return [(n, cells) for n, cells in rows_of(table) if any(_text(c) for c in cells)]


def _header_score(cells: list[Cell]) -> int:
    """How many of the file's known column names a row holds (the header holds the most)."""
    known = {name.replace("_", "") for name in REQUIRED + OPTIONAL}
    return sum(1 for c in cells if _key(c) in known)


# --- Parsing rows --------------------------------------------------------------------------------


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _key(header: Cell) -> str:
    return "".join(ch for ch in _text(header).lower() if ch not in " -_")


def _header_index(rows: list[Row]) -> int:
    """The header is the first row naming question_id; title rows above it are ignored."""
    return next((i for i, (_, cells) in enumerate(rows) if any(_key(c) == "questionid" for c in cells)), 0)


def _columns(header: list[Cell], where: str) -> dict[str, int]:
    wanted = {name.replace("_", ""): name for name in REQUIRED + OPTIONAL}
    found: dict[str, int] = {}
    problems = []
    for i, cell in enumerate(header):
        name = wanted.get(_key(cell))
        if name is None:
            continue
        if name in found:
            problems.append(Problem(f"{where}, column {i + 1}", f"column '{name}' appears twice"))
        found[name] = i
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        problems.append(Problem(where, f"missing column(s) {', '.join(missing)}", f"the header needs {', '.join(REQUIRED + OPTIONAL)}"))
    if problems:
        raise ResponseError("the responses file has no usable header row", problems)
    return found


def _level(value: str, where: str, column: str, problems: list[Problem]) -> int | None:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if number.is_integer() and 0 <= number <= 5:
        return int(number)
    allowed = "0–5, NA or blank" if column == "current" else "0–5 or blank"
    problems.append(Problem(f"{where}, column '{column}'", f"'{value}' is not a maturity level", f"use {allowed}"))
    return None


def parse_rows(rows: list[Row], label: str, questionnaire: Questionnaire, scope: Scope) -> list[Response]:
    """Responses from rows below the header row; raise one ResponseError for every problem."""
    if not rows:
        raise ResponseError(f"{label}: the file is empty", [Problem(label, f"add a header row: {', '.join(REQUIRED + OPTIONAL)}")])
    start = _header_index(rows)
    header_number, header = rows[start]
    cols = _columns(header, f"{label} row {header_number}")
    questions = {q.id: q for q in questionnaire.questions}
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    responses: list[Response] = []

    def cell(cells: list[Cell], name: str) -> str:
        index = cols.get(name)
        return _text(cells[index]) if index is not None and index < len(cells) else ""

    for number, cells in rows[start + 1:]:
        where = f"{label} row {number}"
        before = len(problems)
        question_id = cell(cells, "question_id")
        environment = cell(cells, "environment").upper()
        if not question_id:
            problems.append(Problem(f"{where}, column 'question_id'", "blank", "name a question of the questionnaire"))
        elif environment not in ("IT", "OT"):
            problems.append(Problem(f"{where}, column 'environment'", f"'{cell(cells, 'environment')}' is not an environment", "use IT or OT"))
        else:
            message = pair_problem(questionnaire, questions, scope, question_id, environment)
            if message is not None:
                column = "question_id" if question_id not in questions else "environment"
                problems.append(Problem(f"{where}, column '{column}'", message))
            elif (question_id, environment) in seen:
                problems.append(Problem(where, f"duplicate of row {seen[(question_id, environment)]} ({question_id}, {environment})", "keep one row per question and environment"))
            else:
                seen[(question_id, environment)] = number
        current_text, target_text = cell(cells, "current"), cell(cells, "target")
        na = current_text.lower() in NA_WORDS
        current = None if na or not current_text else _level(current_text, where, "current", problems)
        target = _level(target_text, where, "target", problems) if target_text else None
        notes, na_reason = cell(cells, "notes"), cell(cells, "na_reason")
        if na and not (na_reason or notes):
            problems.append(Problem(f"{where}, column 'na_reason'", "NA needs a reason", "say why the question does not apply, in na_reason or notes"))
        if na_reason and not na:
            problems.append(Problem(f"{where}, column 'na_reason'", f"a reason is given but current is '{current_text}'", "set current to NA or clear na_reason"))
        if len(problems) == before:
            responses.append(Response(
                question_id=question_id,
                environment=environment,
                current=current,
                na=na,
                na_reason=(na_reason or notes) if na else "",
                target=target,
                notes=notes,
            ))
    if problems:
        raise ResponseError(f"{label}: {len(problems)} problem(s); nothing was scored", problems)
    return responses
