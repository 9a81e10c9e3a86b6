"""Read an edited Plan sheet (exports.xlsx_plan) back: its rows of cells, before any meaning.

The workbook is opened with the questionnaire workbook's limits (services.questionnaire_import).
The sheet "Plan" is found by name and its columns by their headers in the first row, so columns
may be moved; a column left out keeps the stored values; the projection's columns are ignored.
What the cells mean is services.plan_import's (every value by services.action_fields' rules).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from errors import Problem, ResponseError
from exports.xlsx_plan import EDITABLE, ID, PLAN_SHEET, VERSION
from services.questionnaire_import import open_workbook, sheet_rows


@dataclass(frozen=True)
class PlanSheetRow:
    """One data row: its number as Excel shows it, the action it edits (None: a new one), the
    version it was written at, and its editable cells by action field."""

    number: int
    action_id: str | None
    version: Any
    cells: dict[str, Any]


def read_plan_sheet(data: bytes, name: str = "workbook") -> tuple[list[PlanSheetRow], dict[str, str]]:
    """The rows of the Plan sheet, and the header of each field's column (for locating problems)."""
    wb = open_workbook(data, name)
    if PLAN_SHEET not in wb.sheet_names:
        raise ResponseError(f"{name} has no '{PLAN_SHEET}' sheet",
                            [Problem(name, f"sheets: {', '.join(wb.sheet_names)}",
                                     "edit the Plan sheet of an analyst workbook (`scorecard report … --format xlsx`)")])
    rows = sheet_rows(wb, PLAN_SHEET)
    _, first = next(rows, (1, ()))
    header = [str(h).strip() if h is not None else "" for h in first]
    where = {h: i for i, h in enumerate(header) if h}
    if ID not in where:
        raise ResponseError(f"{name}, sheet '{PLAN_SHEET}': no '{ID}' column",
                            [Problem(f"{name}, sheet '{PLAN_SHEET}', row 1", "the header row lacks 'ID'",
                                     "keep the header row of the exported sheet")])
    fields = {field: where[h] for h, field in EDITABLE.items() if h in where}
    out = []
    for number, values in rows:
        # Whole numbers come back from the reader as floats; read them as Excel shows them (-3, not -3.0).
        values = tuple(int(v) if isinstance(v, float) and v.is_integer() else v for v in values)
        values += (None,) * (len(header) - len(values))
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        action_id = values[where[ID]]
        action_id = None if action_id is None or not str(action_id).strip() else _id_text(action_id)
        version = values[where[VERSION]] if VERSION in where else None
        out.append(PlanSheetRow(number, action_id, version, {f: values[i] for f, i in fields.items()}))
    return out, {field: h for h, field in EDITABLE.items()}


def _id_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
