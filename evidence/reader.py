"""Read an evidence file into a `RawTable`: the one table reader (`tabular`) plus the dataset's
header rules.

`tabular` does the reading (size and hostile-file checks, encoding, delimiter, sheet, used range,
malformed rows, Zeek logs); this module says what a header of the dataset looks like
(`evidence.headers`: the row naming the most fields, or the mapping's `header_row`), which columns
to keep (those matched to a field, and those the mapping's rules name) and which to read as text
whatever they look like (text fields: "007" stays "007"). Reading errors become EvidenceErrors.
"""

from __future__ import annotations

from pathlib import Path

from errors import EvidenceError, Problem, TableError
from evidence.headers import (
    HeaderError,
    column_positions,
    find_header_row,
    match_columns,
    score_row,
)
from evidence.mapping import Mapping
from evidence.plausibility import check_kind_columns, kind_headers
from evidence.schemas import DatasetSchema
from evidence.table import RawTable
from evidence.timeline import TIMELINE_FIELDS
from tabular import limits
from tabular.reader import open_table
from tabular.table import HeaderRule


def check_header(source: bytes | Path, schema: DatasetSchema, mapping: Mapping, label: str,
                 sheet: str | None = None) -> None:
    """EvidenceError unless the file opens as a table whose header matches the dataset; the rows
    below the header are not read (cheap whatever the file's size)."""
    try:
        opened = open_table(source, label, sheet=sheet, encoding=mapping.encoding)
        _header_and_match(opened, schema, mapping)
    except TableError as exc:
        raise EvidenceError(exc.summary, exc.problems) from None


def _header_and_match(opened, schema: DatasetSchema, mapping: Mapping):
    rule = HeaderRule(score=lambda cells: score_row(cells, schema, mapping),
                      pick=lambda rows, where: find_header_row(rows, schema, mapping, where))
    header = opened.header(rule, max(limits.HEADER_SEARCH_ROWS, mapping.header_row or 0))
    provided = TIMELINE_FIELDS if mapping.timeline is not None else frozenset()
    try:
        return header, match_columns(header.cells, schema, mapping, opened.where, provided)
    except HeaderError:
        if schema.name == "restore_tests":  # a backup job report lacks restore columns: say what it is
            _refuse_backup_jobs(opened, header)
        raise


def read_raw_table(source: bytes | Path, schema: DatasetSchema, mapping: Mapping, label: str,
                   sheet: str | None = None) -> RawTable:
    """The matched columns of the file's table; EvidenceError when it cannot be read or matched."""
    try:
        opened = open_table(source, label, sheet=sheet, encoding=mapping.encoding)
        header, match = _header_and_match(opened, schema, mapping)
        named = mapping.extra_headers()
        optional = mapping.optional_headers()
        if schema.name == "restore_tests":  # read to tell restores from backup jobs (evidence.plausibility)
            kinds = [(h,) for h in kind_headers(header.cells) if (h,) not in named]
            named, optional = named + kinds, optional | set(kinds)
        extra = column_positions(header.cells, named, opened.where, optional)
        for rule in mapping.where:
            if rule.optional and rule.header not in extra:
                match.warnings.append(Problem(opened.where, f"where: no column '{rule.header}', so its filter ({rule.describe()}) "
                                                            "is not applied"))
        text = [p for name, p in match.positions.items() if schema.field(name).kind == "text"] + list(extra.values())
        table = opened.read(header, set(match.positions.values()) | set(extra.values()), text)
    except TableError as exc:
        raise EvidenceError(exc.summary, exc.problems) from None
    columns = {name: table.columns[p] for name, p in match.positions.items()}
    return RawTable(columns, table.rows, match, header.row, sheet=table.sheet, encoding=table.encoding,
                    delimiter=table.delimiter, parse_problems=table.problems, parse_problem_rows=table.problem_rows,
                    parse_problem_count=table.problem_count, extras={n: table.columns[p] for n, p in extra.items()},
                    extra_headers={n: str(header.cells[p]).strip() for n, p in extra.items()},
                    file_format=getattr(opened, "file_format", None))


def _refuse_backup_jobs(opened, header) -> None:
    """Raise the backup-job refusal when the file's job-kind columns name backup jobs."""
    positions = {text: p for p, cell in enumerate(header.cells) if (text := str(cell).strip()) in kind_headers(header.cells)}
    if positions:
        table = opened.read(header, set(positions.values()), list(positions.values()))
        check_kind_columns({h: table.columns[p] for h, p in positions.items()}, table.rows, opened.where)
