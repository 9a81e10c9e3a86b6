"""The one way to read a table from a file: CSV/TSV/TXT or XLSX, bytes or path, same limits.

    source = open_table(data_or_path, "inventory.xlsx", sheet=None, encoding=None)
    header = source.header(HeaderRule(score=...))      # the consumer says what a header looks like
    table = source.read(header, positions={0, 3})      # cells of the rows below it, by position

    table = read_table(data, "answers.csv", rule)       # the same in one call, every column

The file name decides the format (.csv .tsv .txt .log: delimited text; .xlsx .xlsm: workbook); bytes
without a name are told apart by content. A text file that starts with Zeek's `#separator` line is
read as a Zeek log, and a `.log` of JSON objects as a JSON log (`tabular.zeek`). Size is checked before anything is read. Errors are
`TableError`s naming the file, row, line, byte or sheet.
"""

from __future__ import annotations

import operator
from collections.abc import Collection
from itertools import chain, islice, repeat
from pathlib import Path

import numpy as np
import pandas as pd

from errors import Problem, TableError
from tabular import limits, safety
from tabular.delimited import DelimitedFile
from tabular.encoding import UTF16_BOMS, codec, scan_text, utf16_to_utf8
from tabular.table import Cell, Header, HeaderRule, Table
from tabular.workbook import Workbook, engine_guard
from tabular.zeek import JsonLog, ZeekLog, is_json_lines, is_zeek

TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".log")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
LARGE_TEXT_BYTES = 8 * 1024 * 1024
"""A text file at least this large is parsed from disk, never copied into memory."""


def open_table(source: bytes | Path, name: str | None = None, *, sheet: str | None = None,
               encoding: str | None = None, formulas: bool = False) -> DelimitedFile | SheetFile | ZeekLog | JsonLog:
    """Check the file and open it for reading; `name` (default: the path's name) labels every
    message. `sheet` names a workbook's sheet (default: the first); `encoding` declares a text
    file's encoding; `formulas` reads formula cells of a workbook as their text."""
    label = name or (source.name if isinstance(source, Path) else "upload")
    data = _content(source, label)
    if is_workbook(data, label):
        return SheetFile(data if isinstance(data, bytes) else data.read_bytes(), label, sheet, formulas)
    if sheet is not None:
        raise TableError("a sheet was named for a CSV file", [Problem(label, f"CSV files have no sheets (asked for '{sheet}')")])
    head = _start(data)
    if is_zeek(head) or is_json_lines(head, label):
        return _log(data, head, label, encoding)
    return DelimitedFile(data, label, encoding)


def _start(data: bytes | Path) -> bytes:
    if isinstance(data, bytes):
        return data[: limits.SAMPLE_BYTES]
    with data.open("rb") as handle:
        return handle.read(limits.SAMPLE_BYTES)


def _log(data: bytes | Path, head: bytes, label: str, encoding: str | None) -> ZeekLog | JsonLog:
    """A Zeek TSV or JSON log, after the same byte checks as any text file."""
    safety.check_text(head, label)
    if head[:2] in UTF16_BOMS:
        data = utf16_to_utf8(data, label)
    scan = scan_text(data, label, encoding)
    raw = data if isinstance(data, bytes) else data.read_bytes()
    text = raw.decode(codec(scan.encoding, scan.bom))
    return ZeekLog(text, label, scan.encoding) if is_zeek(head) else JsonLog(text, label, scan.encoding)


def read_table(source: bytes | Path, name: str | None = None, rule: HeaderRule | None = None, **options) -> Table:
    """Every column of the table below the header `rule` finds (default: the row with the most
    non-blank cells among the first 30)."""
    opened = open_table(source, name, **options)
    return opened.read(opened.header(rule or HeaderRule()))


def is_workbook(data: bytes | Path, label: str) -> bool:
    """Whether the file is read as a workbook; refuses names that are neither format."""
    suffix = Path(label).suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        return True
    if suffix in TEXT_SUFFIXES:
        return False
    if suffix == ".xls":
        raise TableError(f"{label}: legacy .xls is not supported", [Problem(label, "save it as .xlsx or CSV")])
    if suffix:
        raise TableError(f"{label}: unsupported file type", [Problem(
            label, f"'{suffix}' files cannot be read", f"use {', '.join(TEXT_SUFFIXES + WORKBOOK_SUFFIXES)}")])
    if isinstance(data, bytes):
        return data[:4] == b"PK\x03\x04"
    with data.open("rb") as handle:
        return handle.read(4) == b"PK\x03\x04"


def _content(source: bytes | Path, label: str) -> bytes | Path:
    """The file's bytes, or for a large text file on disk its path (parsed from disk)."""
    if isinstance(source, bytes):
        safety.check_size(len(source), label)
        return source
    path = Path(source)
    try:
        size = path.stat().st_size
        safety.check_size(size, label)
        if size >= LARGE_TEXT_BYTES and Path(label).suffix.lower() in TEXT_SUFFIXES:
            return path
        return path.read_bytes()
    except OSError as exc:
        raise TableError(f"cannot read {label}", [Problem(str(path), exc.strerror or str(exc))]) from None


class SheetFile:
    """One sheet of a workbook, read row by row from the top (rows above the data are empty)."""

    def __init__(self, data: bytes, label: str, sheet: str | None, formulas: bool) -> None:
        self.label = label
        self.encoding = None
        self._sheet = Workbook(data, label).sheet(sheet, formulas=formulas)
        self.where = self._sheet.where
        self._cells = self._sheet.cells()
        self._next = self._sheet.first_row  # number of the row `_cells` yields next
        self._head: list[tuple[int, list]] = []

    @property
    def sheet(self) -> str:
        return self._sheet.name

    def header(self, rule: HeaderRule, search_rows: int = limits.HEADER_SEARCH_ROWS) -> Header:
        """The header among the sheet's first `search_rows` rows (from row 1, empty ones too)."""
        pad = [None] * self._sheet.first_column
        empty = min(search_rows, self._sheet.first_row - 1) if self._sheet.width else 0
        self._head += [(n, []) for n in range(len(self._head) + 1, empty + 1)]
        with engine_guard(self.label):
            for cells in islice(self._cells, max(0, search_rows - len(self._head))):
                self._head.append((self._next, pad + cells))
                self._next += 1
        if not self._head:
            raise TableError(f"{self.where} is empty", [Problem(self.where, "the sheet has no rows",
                                                                "put the header in the first rows of the sheet")])
        index = rule.index([cells for _, cells in self._head], self.where)
        return Header(index, self._head[index][1] if index < len(self._head) else [])

    def read(self, header: Header, positions: Collection[int] | None = None,
             text_positions: Collection[int] | None = None) -> Table:
        """The rows below `header`: cells at `positions` (default: every column of the sheet), as
        Excel typed them (`text_positions` is for delimited files). Rows are taken from the
        engine and picked in C (map over an itemgetter); blank rows are dropped with numpy."""
        first = self._sheet.first_column
        wanted = sorted(positions) if positions is not None else list(range(first + self._sheet.width))
        inside = [p for p in wanted if first <= p < first + self._sheet.width]
        # Rows already read for the header search, then the rest: consecutive rows ending at _next.
        above = [cells[first:] for _, cells in self._head[header.index + 1 :] if cells]
        start = self._next - len(above)
        grid = np.empty((0, len(inside)), dtype=object)
        numbers = np.zeros(0, dtype=np.int64)
        if inside:
            take = operator.itemgetter(*[p - first for p in inside])
            with engine_guard(self.label):
                picked = list(map(take, chain(above, self._cells)))
            grid = np.empty((len(picked), len(inside)), dtype=object)
            if len(inside) == 1:
                grid[:, 0] = picked
                filled = np.fromiter(map(operator.ne, picked, repeat("")), dtype=bool, count=len(picked))
            else:
                if picked:
                    grid[:] = picked
                blanks = np.fromiter(map(operator.methodcaller("count", ""), picked), dtype=np.int64, count=len(picked))
                filled = blanks < len(inside)
            numbers = start + np.flatnonzero(filled).astype(np.int64)
            if not filled.all():
                grid = grid[filled]
        # Each column contiguous (a copy of the grid's strided column): conversion reads it faster.
        columns = {p: pd.Series(np.ascontiguousarray(grid[:, inside.index(p)]) if p in inside
                                else np.full(len(grid), None, dtype=object), dtype=object, copy=False) for p in wanted}
        return Table(self.label, header, numbers, columns, sheet=self.sheet)


def rows_of(table: Table) -> list[tuple[int, list[Cell]]]:
    """The header row and the body rows of `table` as (row number, cells), for row-wise readers."""
    return [(table.header.row, list(table.header.cells)), *table.records()]
