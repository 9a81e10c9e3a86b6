"""Read questionnaire responses from a CSV or XLSX file into `scoring.model.Response`s.

Format (docs/methodology.md, "Responses file"): a header row, then one row per (question,
environment). Columns, matched ignoring case, spaces, `-` and `_`:
- `question_id` (required): a question of the questionnaire;
- `environment` (required): IT or OT, in the assessment's scope and the question's `applies_to`;
- `current` (required column): 0–5, N/A or blank for unanswered;
- `target` (optional): 0–5 or blank for the questionnaire's default target;
- `notes` (optional): free text;
- `na_reason` (optional): why the question does not apply; an N/A answer needs one.
What the values mean and which are valid is `scoring.response_input` (the same rules as the app
and the offline workbook); this module only finds the cells. A column the file does not have
keeps the stored value when the file is imported into an assessment. Other columns (question
text, guidance…) are ignored. Blank rows are skipped. CSV may be comma, semicolon or tab
separated, UTF-8 (with or without BOM) or Windows-1252; it is read by the one table reader
(`tabular`, docs/evidence.md "Reading files"), so a row with more or fewer cells than the header
is refused, as in evidence files.

Every problem is reported at once with its row number as a spreadsheet shows it (header = the
row it sits on); a file with any problem yields nothing, so nothing is scored from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from catalog.models import Questionnaire
from errors import Problem, ResponseError, TableError
from scoring.applicability import pair_problem
from scoring.model import Response, Scope
from scoring.response_input import ResponseValues, read_values
from tabular.reader import read_table as read_any_table
from tabular.reader import rows_of
from tabular.table import HeaderRule

REQUIRED = ("question_id", "environment", "current")
OPTIONAL = ("target", "notes", "na_reason")
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}

Cell = object
Row = tuple[int, list[Cell]]  # (row number as the user sees it, cells)


def read_responses(path: Path, questionnaire: Questionnaire, scope: Scope) -> list[Response]:
    """All responses of the file, or one ResponseError listing every problem."""
    return parse_rows(read_table(path), path.name, questionnaire, scope)


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


def parse_rows(rows: list[Row], label: str, questionnaire: Questionnaire, scope: Scope,
               stored: Mapping[tuple[str, str], ResponseValues] | None = None) -> list[Response]:
    """Responses from rows below the header row; raise one ResponseError for every problem.

    `stored` (by question and environment) are the answers the file is imported over: columns
    the file lacks keep their values, and an unchanged N/A saved without a reason is accepted."""
    if not rows:
        raise ResponseError(f"{label}: the file is empty", [Problem(label, f"add a header row: {', '.join(REQUIRED + OPTIONAL)}")])
    start = _header_index(rows)
    header_number, header = rows[start]
    cols = _columns(header, f"{label} row {header_number}")
    questions = {q.id: q for q in questionnaire.questions}
    stored = stored or {}
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    responses: list[Response] = []

    def cell(cells: list[Cell], name: str) -> Cell:
        index = cols.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    for number, cells in rows[start + 1:]:
        where = f"{label} row {number}"
        before = len(problems)
        question_id = _text(cell(cells, "question_id"))
        environment = _text(cell(cells, "environment")).upper()
        if not question_id:
            problems.append(Problem(f"{where}, column 'question_id'", "blank", "name a question of the questionnaire"))
        elif environment not in ("IT", "OT"):
            problems.append(Problem(f"{where}, column 'environment'", f"'{_text(cell(cells, 'environment'))}' is not an environment", "use IT or OT"))
        else:
            message = pair_problem(questionnaire, questions, scope, question_id, environment)
            if message is not None:
                column = "question_id" if question_id not in questions else "environment"
                problems.append(Problem(f"{where}, column '{column}'", message))
            elif (question_id, environment) in seen:
                problems.append(Problem(where, f"duplicate of row {seen[(question_id, environment)]} ({question_id}, {environment})", "keep one row per question and environment"))
            else:
                seen[(question_id, environment)] = number
        values, found = read_values({name: cell(cells, name) for name in ("current", *OPTIONAL) if name in cols},
                                    stored.get((question_id, environment)))
        problems.extend(Problem(f"{where}, column '{p.field}'", p.message, p.hint) for p in found)
        if values is not None and len(problems) == before:
            responses.append(values.response(question_id, environment))
    if problems:
        raise ResponseError(f"{label}: {len(problems)} problem(s); nothing was scored", problems)
    return responses
