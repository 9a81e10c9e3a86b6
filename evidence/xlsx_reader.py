"""Read an XLSX evidence file into a `RawTable` with calamine (Rust; ~1 s for 100k rows).

The container is checked first (`evidence.safety.open_xlsx`: zip bombs, DOCTYPEs). The first
sheet is read unless a sheet is named. Cells keep their Excel types (text, number, bool, date,
datetime), so Excel dates arrive as dates. Rows are numbered as Excel shows them: the sheet is
read from A1, whatever is empty above or to the left of the data.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook

from errors import EvidenceError, Problem
from evidence.headers import find_header_row, match_columns
from evidence.mapping import Mapping
from evidence.safety import open_xlsx
from evidence.schemas import DatasetSchema
from evidence.table import RawTable


def read_xlsx_table(data: bytes, schema: DatasetSchema, mapping: Mapping, label: str, sheet: str | None = None) -> RawTable:
    open_xlsx(data, label).close()
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(workbook.sheet_names)
        if not names:
            raise EvidenceError(f"{label} has no sheets", [Problem(label, "the workbook has no sheets")])
        if sheet is not None and sheet not in names:
            raise EvidenceError(f"sheet '{sheet}' not found", [Problem(label, f"no sheet named '{sheet}'", f"sheets: {', '.join(names)}")])
        chosen = sheet or names[0]
        rows = workbook.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except EvidenceError:
        raise
    except (CalamineError, ValueError, OSError, RuntimeError) as exc:
        raise EvidenceError(f"{label} cannot be read", [Problem(label, f"not a readable XLSX workbook ({type(exc).__name__}: {exc})",
                                                                 "save it again as .xlsx from Excel")]) from None
    where = f"{label} sheet '{chosen}'"
    if not rows:
        raise EvidenceError(f"{where} is empty", [Problem(where, "the sheet has no rows", "put the header in the first rows of the sheet")])
    header_index = find_header_row(rows, schema, mapping, where)
    header = rows[header_index]
    match = match_columns(header, schema, mapping, where)
    body = rows[header_index + 1 :]
    grid = _grid(body)
    width = grid.shape[1]
    columns = {
        name: pd.Series(grid[:, pos] if pos < width else np.full(len(body), None, dtype=object), dtype=object)
        for name, pos in match.positions.items()
    }
    first = header_index + 2
    rows_numbers = np.arange(first, first + len(body), dtype=np.int64)
    return RawTable(columns, rows_numbers, match, header_index + 1, sheet=chosen)


def _grid(body: list[list]) -> np.ndarray:
    """Rows as a 2-D object array (calamine rows are rectangular; ragged ones are padded)."""
    width = max((len(r) for r in body), default=0)
    if all(len(r) == width for r in body):
        grid = np.empty((len(body), width), dtype=object)
        if body:
            grid[:] = body
        return grid
    grid = np.full((len(body), width), "", dtype=object)
    for i, row in enumerate(body):
        grid[i, : len(row)] = row
    return grid
