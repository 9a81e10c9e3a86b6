"""The raw table a reader hands to validation: one column per matched field, not yet typed."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import pyarrow as pa

from errors import Problem
from evidence.headers import ColumnMatch
from tabular.table import Column


@dataclass
class RawTable:
    """Raw columns aligned with `rows`, the row numbers the user sees in the file (1-based).

    `columns` holds text (delimited files: a pandas ``str`` column with NaN for empty cells, or an
    Arrow text array with nulls) or Excel cell values (XLSX; object dtype). `extras` holds the
    columns the mapping's rules read by header (filters, durations, a timeline), keyed by the
    header as the mapping names it; `extra_headers` gives each one as the file writes it. Rows
    the reader could not split into cells correctly are not among them: `parse_problems` says why
    (capped by the reader), at `parse_problem_rows`, and `parse_problem_count` counts them all.
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
    extras: dict[str, Column] = field(default_factory=dict)
    extra_headers: dict[str, str] = field(default_factory=dict)
    filtered_rows: int = 0
    """Rows left out by the mapping's `where`."""
    events: int | None = None
    """Rows of an event-level timeline these rows were made from (None: not a timeline)."""
    file_format: str | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def subset(self, keep: np.ndarray) -> RawTable:
        """The rows where `keep` is true (a boolean mask over the rows)."""
        if keep.all():
            return self
        return replace(self, rows=self.rows[keep], columns={k: take(c, keep) for k, c in self.columns.items()},
                       extras={k: take(c, keep) for k, c in self.extras.items()})


def take(column: Column, keep: np.ndarray) -> Column:
    """The cells of `column` where `keep` is true."""
    if isinstance(column, pa.ChunkedArray):
        return column.filter(pa.array(keep))
    return column[keep].reset_index(drop=True) if isinstance(column, pd.Series) else column[keep]
