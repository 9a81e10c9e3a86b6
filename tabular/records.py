"""Read a delimited text file record by record (Python's csv module, streaming): the exact path.

It is taken when the fast path (`tabular.delimited`) cannot vouch for its read, and it is the
arbiter of what a row is: each record is one row (title and blank records count), and a record
is refused, with its row number, when

- it has more non-blank cells than the header has cells (an unquoted delimiter in a value);
- it has fewer cells than the header names (a missing delimiter would shift every later value);
- a quoted cell of it runs over lines that look like rows of their own (as many delimiters as a
  row): a quote left open swallows the rows below it.

Refused rows are listed (the first `limits.MAX_ROW_PROBLEMS`) and counted, never kept. Kept cells
are gathered into Arrow text chunks (empty cells null), so memory follows the kept text, not the
number of lines: a file of blank lines costs nothing.
"""

from __future__ import annotations

import csv
import io
from array import array
from pathlib import Path

import numpy as np
import pyarrow as pa

from errors import Problem, TableError
from tabular import limits
from tabular.encoding import TextScan, codec
from tabular.table import Header, Table, text_of


def read_records(source: bytes | Path, label: str, scan: TextScan, header: Header, wanted: list[int]) -> Table:
    """The cells at `wanted` of the rows below `header`, in the encoding `scan` found."""
    width, named = len(header.cells), header.width
    columns = {p: _TextColumn() for p in wanted}
    rows = array("q")
    problems: list[Problem] = []
    problem_rows: list[int] = []
    count = 0
    raw = io.BytesIO(source) if isinstance(source, bytes) else source.open("rb")
    with io.TextIOWrapper(raw, encoding=codec(scan.encoding, scan.bom), newline="") as stream:
        reader = csv.reader(stream, delimiter=header.delimiter)
        number, last_line, above = 0, 0, header.index + 1
        try:
            for number, record in enumerate(reader, start=1):
                first_line, last_line = last_line + 1, reader.line_num
                if number <= above or not "".join(record).strip():
                    continue  # the header and what is above it; blank rows
                problem = _record_problem(record, header, width, named, first_line, last_line)
                if problem is not None:
                    count += 1
                    if len(problems) < limits.MAX_ROW_PROBLEMS:
                        problems.append(Problem(f"{label} row {number}", *problem))
                        problem_rows.append(number)
                    continue
                rows.append(number)
                for p, column in columns.items():
                    column.append(record[p] if p < len(record) else "")
        except csv.Error as exc:
            raise TableError(f"{label} cannot be read as CSV", [Problem(
                f"{label} row {number + 1}, line {last_line + 1}", str(exc),
                "a quote is probably left open on that row: close it, or double quotes inside a value (\"\")")]) from None
    numbers = np.frombuffer(rows, dtype=np.int64).copy() if rows else np.zeros(0, dtype=np.int64)
    return Table(label, header, numbers, {p: c.finish() for p, c in columns.items()}, encoding=scan.encoding,
                 problems=problems, problem_rows=problem_rows, problem_count=count)


def _record_problem(record: list[str], header: Header, width: int, named: int, first_line: int, last_line: int) -> tuple[str, str] | None:
    """(message, hint) when the record was not split into the header's cells, else None."""
    if last_line > first_line:
        for position, cell in enumerate(record):
            swallowed = [line for line in cell.split("\n")[1:] if line.count(header.delimiter) >= max(1, named - 1)]
            if swallowed:
                name = text_of(header.cells[position]) if position < len(header.cells) else f"#{position + 1}"
                return (f"the quoted cell in column '{name}' runs from line {first_line} to line {last_line} and takes in "
                        f"{len(swallowed)} line(s) that look like rows of their own",
                        "a closing quote is probably missing; a quote inside a value must be doubled (\"\")")
    if any(c.strip() for c in record[width:]):
        return f"{len(record)} cells but the header has {width}", "a delimiter inside a value must be quoted"
    if len(record) < named:
        return (f"{len(record)} cells but the header has {named}",
                "every row needs a cell for each column: a missing delimiter would shift the values after it")
    return None


class _TextColumn:
    """Text cells gathered row by row into Arrow chunks (empty cells are null)."""

    CHUNK = 65536

    def __init__(self) -> None:
        self.pending: list[str | None] = []
        self.chunks: list[pa.Array] = []

    def append(self, cell: str) -> None:
        self.pending.append(cell or None)
        if len(self.pending) >= self.CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self.pending:
            self.chunks.append(pa.array(self.pending, type=pa.large_string()))
            self.pending = []

    def finish(self) -> pa.ChunkedArray:
        self._flush()
        return pa.chunked_array(self.chunks, type=pa.large_string())


