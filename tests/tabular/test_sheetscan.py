"""The used range measured from the sheet XML must be what the XLSX engine would allocate."""

from __future__ import annotations

import io
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from tabular import sheetscan
from tabular.sheetscan import UsedRange, column_letters
from tests.security.hostile import cell, workbook


def _measure(data: bytes, fast_only: bool = False) -> UsedRange | None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if fast_only:
            return sheetscan._fast(sheetscan._inflate(archive, "xl/worksheets/sheet1.xml"))
        return sheetscan.measure(archive, "xl/worksheets/sheet1.xml", stop_after=10**9)


def _engine_box(data: bytes) -> tuple:
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    return sheet.start, sheet.end


def _with_sheet(xml: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook(cell("A1", "x")))) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, xml if info.filename == "xl/worksheets/sheet1.xml" else source.read(info))
    return out.getvalue()


# Cells anywhere on the grid, but within 60 x 60 of each other: the engine (the oracle here)
# allocates the whole box, and a wide one would abort this process.
SPREAD = st.lists(st.tuples(st.integers(0, 59), st.integers(0, 59)), min_size=1, max_size=12, unique=True)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 1_048_576 - 60), st.integers(0, 16_384 - 60), SPREAD)
def test_the_fast_scan_finds_the_engines_box(top, left, spread) -> None:
    positions = [(top + r, left + c) for r, c in spread]
    data = workbook(*(cell(f"{column_letters(c)}{r + 1}", "v") for r, c in positions))
    found = _measure(data, fast_only=True)
    (top, left), (bottom, right) = _engine_box(data)
    assert found == UsedRange(len(positions), top, bottom, left, right)


def test_letters_and_numbers_of_every_width() -> None:
    assert [column_letters(i) for i in (0, 25, 26, 701, 702, 16383)] == ["A", "Z", "AA", "ZZ", "AAA", "XFD"]
    refs = ["A1", "Z9", "AA10", "AZ99", "ZZ100", "AAA1000", "XFD1048576", "C1000000"]
    found = _measure(workbook(*(cell(r, 1.0) for r in refs)), fast_only=True)
    assert found.reference() == "A1:XFD1048576" and found.cells == len(refs)


def test_cells_without_references_are_placed_as_the_engine_places_them() -> None:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    xml = (f'<worksheet xmlns="{main}"><sheetData><row r="3"><c><v>1</v></c><c><v>2</v></c></row>'
           '<row><c r="e4"><v>3</v></c><c><v>4</v></c></row></sheetData></worksheet>')
    data = _with_sheet(xml)
    assert _measure(data, fast_only=True) is None  # the fast path does not vouch: the exact one decides
    (top, left), (bottom, right) = _engine_box(data)
    assert _measure(data) == UsedRange(4, top, bottom, left, right) == UsedRange(4, 2, 3, 0, 5)


def test_prefixed_elements_and_apostrophes_go_the_exact_way() -> None:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    xml = (f"<x:worksheet xmlns:x='{main}'><x:sheetData><x:row r='2'><x:c r='B2'><x:v>5</x:v></x:c>"
           "<x:c r='XFD9'><x:v>6</x:v></x:c></x:row></x:sheetData></x:worksheet>")
    assert _measure(_with_sheet(xml)) == UsedRange(2, 1, 8, 1, 16383)


def test_references_beyond_excel_are_reported_as_such() -> None:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    found = _measure(_with_sheet(f'<worksheet xmlns="{main}"><sheetData><row r="1"><c r="AAAA1"><v>1</v></c>'
                                 '</row></sheetData></worksheet>'))
    assert found.beyond_excel()


def test_the_exact_path_stops_counting_past_the_limit() -> None:
    data = workbook(*(cell(f"A{r}", 1.0) for r in range(1, 200)))
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("xl/worksheets/sheet1.xml") as stream:
        assert sheetscan._exact(stream, stop_after=10).cells > 10


def test_large_sheets_span_several_blocks(monkeypatch) -> None:
    monkeypatch.setattr(sheetscan, "BLOCK_BYTES", 1000)  # references cut across block ends
    data = workbook(*(cell(f"{column_letters(r % 30)}{r}", "value") for r in range(1, 3000)))
    assert _measure(data, fast_only=True) == UsedRange(2999, 0, 2998, 0, 29)
