"""Workbooks through the one reader: sheets, used-range limits, engine failures, formulas, rows."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from errors import TableError
from tabular import limits
from tabular.reader import open_table, read_table
from tabular.table import HeaderRule
from tabular.workbook import Workbook
from tests.security.hostile import cell, corner_cell, date_panic, workbook


def _book(rows: list[list], **sheets: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    for title, other in sheets.items():
        ws = wb.create_sheet(title)
        for row in other:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_rows_keep_excel_numbers_types_and_column_positions() -> None:
    data = _book([[], ["Title"], [None, "id", "when", "n"], [None, "A-1", None, 4], [None, None, None, None], [None, "A-2", "x", 2.5]])
    table = read_table(data, "t.xlsx", HeaderRule(score=lambda cells: int("id" in cells)))
    assert table.header.row == 3 and table.header.cells[1:] == ["id", "when", "n"]
    assert list(table.rows) == [4, 6]  # the empty row 5 is left out, numbers kept
    assert list(table.records()) == [(4, ["", "A-1", "", 4.0]), (6, ["", "A-2", "x", 2.5])]  # A is in the used range (A2)
    assert table.where == "t.xlsx sheet 'Sheet'"


def test_named_sheet_and_an_unknown_one() -> None:
    data = _book([["notes"]], Data=[["id"], ["A1"]])
    assert read_table(data, "t.xlsx", sheet="Data").sheet == "Data"
    with pytest.raises(TableError) as caught:
        open_table(data, "t.xlsx", sheet="Nope")
    assert caught.value.problems[0].hint == "sheets: Sheet, Data"


def test_a_used_range_over_the_limit_is_refused_before_loading(monkeypatch) -> None:
    monkeypatch.setattr(limits, "FREE_SHEET_CELLS", 10)
    monkeypatch.setattr(limits, "SHEET_CELLS_PER_BYTE", 0)
    data = workbook(cell("A1", "id"), cell("C4", "x"))
    with pytest.raises(TableError) as caught:
        Workbook(data, "t.xlsx").sheet()
    assert caught.value.problems[0].message.startswith("its used range A1:C4 spans 12 cells (2 written); the limit")


def test_cells_under_a_namespace_prefix_count_too() -> None:
    """A prefixed sheet hides its cells from the tag count; the exact scan still finds them."""
    data = corner_cell()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"<", b"<x:").replace(b"<x:/", b"</x:").replace(b"<x:?", b"<?")
                content = content.replace(b'xmlns="', b'xmlns:x="')
            target.writestr(info, content)
    with pytest.raises(TableError, match="is too large") as caught:
        Workbook(out.getvalue(), "t.xlsx").sheet()
    assert "A1:XFD1048576" in caught.value.problems[0].message


def test_an_engine_panic_is_an_error_not_a_crash() -> None:
    sheet = Workbook(date_panic(), "p.xlsx").sheet()
    with pytest.raises(TableError) as caught:
        list(sheet.rows())
    assert "the XLSX reader failed on this file" in caught.value.problems[0].message


def test_formulas_read_as_typed_when_asked() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["n", "double", "link"])
    for n in (1, 2, 3):
        ws.append([n, f"=A{n + 1}*2", None])
    ws["C2"] = '=HYPERLINK("x")'
    out = io.BytesIO()
    wb.save(out)
    rows = dict(Workbook(out.getvalue(), "f.xlsx").sheet(formulas=True).rows())
    assert rows[2] == [1.0, "=A2*2", '=HYPERLINK("x")'] and rows[4][1] == "=A4*2"
    plain = dict(Workbook(out.getvalue(), "f.xlsx").sheet().rows())
    assert plain[2][2] == ""  # no cached value: openpyxl writes formulas without results


def test_shared_formulas_are_translated_to_each_cell() -> None:
    sheet = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             b'<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f t="shared" ref="B1:B3" si="0">A1*2</f><v>2</v></c></row>'
             b'<row r="2"><c r="A2"><v>2</v></c><c r="B2"><f t="shared" si="0"/><v>4</v></c></row>'
             b'<row r="3"><c r="A3"><v>3</v></c><c r="B3"><f t="shared" si="0"/><v>6</v></c></row></sheetData></worksheet>')
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook(cell("A1", 1.0))), "r") as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, sheet if info.filename == "xl/worksheets/sheet1.xml" else source.read(info))
    rows = dict(Workbook(out.getvalue(), "s.xlsx").sheet(formulas=True).rows())
    assert [rows[n][1] for n in (1, 2, 3)] == ["=A1*2", "=A2*2", "=A3*2"]


def test_the_upload_limit_applies_to_workbooks_opened_directly(monkeypatch) -> None:
    monkeypatch.setenv("SCORECARD_MAX_UPLOAD_MB", "0.001")
    with pytest.raises(TableError, match="too large"):
        Workbook(_book([["id"], *[[f"A{i}"] for i in range(500)]]), "big.xlsx")


def test_a_sheet_without_cells_is_empty() -> None:
    with pytest.raises(TableError, match="is empty"):
        read_table(workbook(), "e.xlsx")
