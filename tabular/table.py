"""What a reader hands over: the header it found and the table of cells below it.

Cells are what the file holds: text for delimited files (pandas may read a column whose every
cell is a number as numbers, unless its position is asked for as text), Excel's types for
workbooks (text, float, bool, date, datetime, time, timedelta). Every cell keeps its provenance:
the file (`Table.name`), the sheet, the row number as the user sees it (`Table.rows`) and the
column position (0-based from the first column, 'A', of the file).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from errors import Problem, TableError
from tabular import limits

Cell = Any
Column = pd.Series | pa.ChunkedArray


def text_of(cell: Cell) -> str:
    """A cell as trimmed text ('' for empty cells; whole-number floats without '.0')."""
    if cell is None or (isinstance(cell, float) and cell != cell):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def filled(cells: Sequence[Cell]) -> int:
    """How many cells of a row hold something other than blanks."""
    return sum(1 for c in cells if text_of(c))


@dataclass(frozen=True)
class HeaderRule:
    """How to find the header row among the first `limits.HEADER_SEARCH_ROWS` rows.

    `score(cells)` says how header-like a row is (for a delimited file it also chooses the
    delimiter: the one whose best row scores highest). `pick(rows, where)` returns the header's
    index among those rows; it may raise its caller's own error (e.g. "no header row").
    The default picks the highest score, the earliest on a tie, and the first row with a
    non-blank cell when no row scores above 0.
    """

    score: Callable[[Sequence[Cell]], int] = filled
    pick: Callable[[list[list[Cell]], str], int] | None = None

    def index(self, rows: list[list[Cell]], where: str) -> int:
        if self.pick is not None:
            return self.pick(rows, where)
        scores = [self.score(r) for r in rows[: limits.HEADER_SEARCH_ROWS]]
        best = max(scores, default=0)
        if best > 0:
            return scores.index(best)
        return next((i for i, r in enumerate(rows) if filled(r)), 0)


@dataclass(frozen=True)
class Header:
    """The header row found: its index among the first rows, its cells, and for a delimited
    file the delimiter chosen with it."""

    index: int
    cells: list[Cell]
    delimiter: str | None = None

    @property
    def row(self) -> int:
        """Row number of the header as the user sees it."""
        return self.index + 1

    @property
    def width(self) -> int:
        """Columns the header names: up to its last non-blank cell."""
        named = [i for i, c in enumerate(self.cells) if text_of(c)]
        return named[-1] + 1 if named else 0


@dataclass
class Table:
    """The body of a table: `columns[position]` holds the cells of the rows numbered `rows`.

    Rows whose requested cells are all empty are left out (their numbers are skipped). Rows the
    reader could not split into cells correctly are left out too and listed in `problems` (the
    first `limits.MAX_ROW_PROBLEMS`, at `problem_rows`); `problem_count` counts them all.
    """

    name: str
    header: Header
    rows: np.ndarray
    columns: dict[int, Column]
    sheet: str | None = None
    encoding: str | None = None
    problems: list[Problem] = field(default_factory=list)
    problem_rows: list[int] = field(default_factory=list)
    problem_count: int = 0

    @property
    def where(self) -> str:
        """The file (and sheet) for messages: "inv.xlsx sheet 'Data'"."""
        return f"{self.name} sheet '{self.sheet}'" if self.sheet is not None else self.name

    @property
    def delimiter(self) -> str | None:
        return self.header.delimiter

    def __len__(self) -> int:
        return len(self.rows)

    def records(self) -> Iterator[tuple[int, list[Cell]]]:
        """(row number, cells) of every body row, cells at positions 0… (None where not read)."""
        width = max(self.columns, default=-1) + 1
        values = {p: _as_list(c) for p, c in self.columns.items()}
        for i, number in enumerate(self.rows.tolist()):
            yield number, [values[p][i] if p in values else None for p in range(width)]


def _as_list(column: Column) -> list[Cell]:
    if isinstance(column, pa.ChunkedArray):
        return column.to_pylist()
    return [None if isinstance(v, float) and v != v else v for v in column.tolist()]


def check_width(width: int, where: str) -> None:
    if width > limits.MAX_COLUMNS:
        raise TableError(f"{where} has too many columns", [Problem(
            where, f"{width:,} columns (limit {limits.MAX_COLUMNS:,}, as in Excel)", "export only the columns needed")])
