"""Read an evidence file into a `RawTable`: the one table reader (`tabular`) plus the dataset's
header rules.

`tabular` does the reading (size and hostile-file checks, encoding, delimiter, sheet, used range,
malformed rows); this module says what a header of the dataset looks like (`evidence.headers`:
the row naming the most fields, or the mapping's `header_row`), which columns to keep (those
matched to a field) and which to read as text whatever they look like (text fields: "007" stays
"007"). Reading errors become EvidenceErrors.
"""

from __future__ import annotations

from pathlib import Path

from errors import EvidenceError, TableError
from evidence.headers import find_header_row, match_columns, score_row
from evidence.mapping import Mapping
from evidence.schemas import DatasetSchema
from evidence.table import RawTable
from tabular import limits
from tabular.reader import open_table
from tabular.table import HeaderRule


def check_header(source: bytes | Path, schema: DatasetSchema, mapping: Mapping, label: str,
                 sheet: str | None = None) -> None:
    """EvidenceError unless the file opens as a table whose header matches the dataset; the rows
    below the header are not read (cheap whatever the file's size)."""
    try:
        opened = open_table(source, label, sheet=sheet)
        _header_and_match(opened, schema, mapping)
    except TableError as exc:
        raise EvidenceError(exc.summary, exc.problems) from None


def _header_and_match(opened, schema: DatasetSchema, mapping: Mapping):
    rule = HeaderRule(score=lambda cells: score_row(cells, schema, mapping),
                      pick=lambda rows, where: find_header_row(rows, schema, mapping, where))
    header = opened.header(rule, max(limits.HEADER_SEARCH_ROWS, mapping.header_row or 0))
    return header, match_columns(header.cells, schema, mapping, opened.where)


def read_raw_table(source: bytes | Path, schema: DatasetSchema, mapping: Mapping, label: str,
                   sheet: str | None = None) -> RawTable:
    """The matched columns of the file's table; EvidenceError when it cannot be read or matched."""
    try:
        opened = open_table(source, label, sheet=sheet)
        header, match = _header_and_match(opened, schema, mapping)
        text = [p for name, p in match.positions.items() if schema.field(name).kind == "text"]
        table = opened.read(header, match.positions.values(), text)
    except TableError as exc:
        raise EvidenceError(exc.summary, exc.problems) from None
    columns = {name: table.columns[p] for name, p in match.positions.items()}
    return RawTable(columns, table.rows, match, header.row, sheet=table.sheet, encoding=table.encoding,
                    delimiter=table.delimiter, parse_problems=table.problems, parse_problem_rows=table.problem_rows,
                    parse_problem_count=table.problem_count)
