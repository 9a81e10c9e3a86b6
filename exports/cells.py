"""Writing cells that stay data: formula-injection-safe text and table sheets (openpyxl).

Rule: a string that starts with `=`, `+`, `-`, `@`, tab or carriage return is stored as a text
cell (never a formula) and marked with Excel's quote prefix, so re-editing it in Excel keeps it
text too. Control characters that XML cannot hold are dropped. Numbers, dates and booleans are
written as themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import datetime

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, get_time_format
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from exports.sheet_stream import ColumnStyles, StreamedWorkbook

RISKY_FIRST = ("=", "+", "-", "@", "\t", "\r")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="0B4F8A")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")

SCORE = "0.00"
SHARE = "0%"
PCT_VALUE = '0.0" %"'
INTEGER = "0"
DAY = "yyyy-mm-dd"
STAMP = "yyyy-mm-dd hh:mm"


@dataclass(frozen=True)
class Column:
    """A table column: header, width in characters, Excel number format, wrap long text."""

    header: str
    width: float = 14
    number_format: str | None = None
    wrap: bool = False


def is_risky(text: str) -> bool:
    return text.startswith(RISKY_FIRST)


def write(ws: Worksheet, row: int, column: int, value):
    """Write one value; user text can never become a formula."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell = ws.cell(row=row, column=column)
        cell.value = value
        if value and is_risky(value):
            cell.data_type = "s"  # openpyxl infers 'f' for a leading '='; force text
            cell.quotePrefix = True
        return cell
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
    return ws.cell(row=row, column=column, value=value)


def write_table(
    ws: Worksheet, columns: Sequence[Column], rows: Iterable[Sequence], *, start_row: int = 1
) -> int:
    """Header + rows, frozen header, autofilter, widths and formats; returns the last row written.

    On a sheet of an `exports.sheet_stream.StreamedWorkbook` the header and rows are kept as XML
    text (the same cells and formats, written about 10× faster); elsewhere they are openpyxl cells.
    """
    for index, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = col.width
    book = ws.parent
    if isinstance(book, StreamedWorkbook):
        sheet = book.sheet_rows(ws)
        sheet.add(start_row, [col.header for col in columns], [_header_styles(ws, index)
                                                               for index in range(1, len(columns) + 1)], ())
        last = sheet.add_all(start_row + 1, rows, [_column_styles(ws, index, col)
                                                   for index, col in enumerate(columns, start=1)], RISKY_FIRST)
        last = max(last, start_row)
    else:
        last = _write_cells(ws, columns, rows, start_row)
    ws.freeze_panes = f"A{start_row + 1}"
    ws.auto_filter.ref = f"A{start_row}:{get_column_letter(len(columns))}{max(last, start_row + 1)}"
    return last


def _style_id(ws: Worksheet, *, font: Font | None = None, fill: PatternFill | None = None,
              alignment: Alignment | None = None, number_format: str | None = None,
              quote_prefix: bool = False) -> int:
    """The index of a cell format in the workbook's formats (registered there if new)."""
    cell = WriteOnlyCell(ws)
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    if alignment:
        cell.alignment = alignment
    if number_format:
        cell.number_format = number_format
    if quote_prefix:
        cell.quotePrefix = True
    return cell.style_id


def _header_styles(ws: Worksheet, index: int) -> ColumnStyles:
    header = _style_id(ws, font=HEADER_FONT, fill=HEADER_FILL, alignment=WRAP)
    return ColumnStyles(get_column_letter(index), header, header, header, lambda _kind: header)


def _column_styles(ws: Worksheet, index: int, col: Column) -> ColumnStyles:
    """A data column's formats as `_write_cells` gives them: its alignment on every cell, its
    number format on values that are not text, the quote prefix on text that starts like a
    formula, and a date or time in a column without a number format gets openpyxl's default."""
    align = WRAP if col.wrap else TOP
    dated: dict[type, int] = {}

    def date_style(kind: type) -> int:
        if kind not in dated:
            dated[kind] = _style_id(ws, alignment=align, number_format=col.number_format or get_time_format(kind))
        return dated[kind]

    return ColumnStyles(get_column_letter(index), _style_id(ws, alignment=align),
                        _style_id(ws, alignment=align, quote_prefix=True),
                        _style_id(ws, alignment=align, number_format=col.number_format), date_style)


def _write_cells(ws: Worksheet, columns: Sequence[Column], rows: Iterable[Sequence], start_row: int) -> int:
    """The table as openpyxl cells (any workbook; the reference the streamed sheets are tested against)."""
    for index, col in enumerate(columns, start=1):
        cell = ws.cell(row=start_row, column=index, value=col.header)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
    last = start_row
    # A cell's style is registered in the workbook (hashed and looked up) on every assignment: for
    # a sheet of tens of thousands of rows that was most of the workbook's time. Each column has
    # at most four styles (number or text, quote prefix or not), so each is made once and copied.
    styles: dict[tuple[int, bool, bool], StyleArray] = {}
    for last, values in enumerate(rows, start=start_row + 1):
        for index, (col, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = write(ws, last, index, value)
            key = (index, isinstance(value, str), bool(cell.quotePrefix))
            style = styles.get(key)
            if style is None:
                if col.number_format and not isinstance(value, str):
                    cell.number_format = col.number_format
                cell.alignment = WRAP if col.wrap else TOP
                styles[key] = copy(cell._style)  # noqa: SLF001 - openpyxl's own way to copy a style
            else:
                cell._style = copy(style)  # noqa: SLF001
    return last
