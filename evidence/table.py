"""The raw table a reader hands to validation: one column per matched field, not yet typed."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from errors import Problem
from evidence.headers import ColumnMatch
from tabular.table import Column


@dataclass
class RawTable:
    """Raw columns aligned with `rows`, the row numbers the user sees in the file (1-based).

    `columns` holds text (delimited files: a pandas ``str`` column with NaN for empty cells, or an
    Arrow text array with nulls) or Excel cell values (XLSX; object dtype). Rows the reader could
    not split into cells correctly are not among them: `parse_problems` says why (capped by the
    reader), at `parse_problem_rows`, and `parse_problem_count` counts them all.
    """

    columns: dict[str, Column]
    rows: np.ndarray
    match: ColumnMatch
    header_row: int
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    parse_problems: list[Problem] = field(default_factory=list)
    parse_problem_rows: list[int] = field(default_factory=list)
    parse_problem_count: int = 0

    def __len__(self) -> int:
        return len(self.rows)
