"""Hostile and careless files, generated here (nothing binary is committed). Each one broke or
fooled a reader before the one table reader (`tabular`) existed; the comment says how.

Workbooks are written part by part (zip + hand-written sheet XML), because the shapes that hurt
(a cell at XFD1048576, a date cell no date can hold) are exactly what spreadsheet libraries
refuse to write.
"""

from __future__ import annotations

import io
import re
import zipfile

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
          '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>')
_ROOT_RELS = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
              f'Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_BOOK = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_DOC}"><sheets>'
         '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
_BOOK_RELS = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_RELS}">'
              f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
              f'<Relationship Id="rId2" Type="{_DOC}/styles" Target="styles.xml"/></Relationships>')
# Style 1 shows a number as a date (format 14), style 2 as a duration (format 46).
_STYLES = (f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{_MAIN}"><cellXfs count="3"><xf numFmtId="0"/>'
           '<xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="46" applyNumberFormat="1"/></cellXfs></styleSheet>')
HEADER = ("asset_id", "name")


def cell(ref: str, value: str | float, style: int | None = None) -> str:
    """One cell: text as an inline string, numbers as numbers."""
    styled = f' s="{style}"' if style is not None else ""
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"{styled}><is><t>{value}</t></is></c>'
    return f'<c r="{ref}"{styled}><v>{value!r}</v></c>'


def workbook(*cells: str, dimension: str | None = None) -> bytes:
    """A one-sheet workbook holding `cells` (each from `cell`), rows in the order given."""
    rows: dict[int, list[str]] = {}
    for text in cells:
        rows.setdefault(int(re.search(r'r="[A-Z]+(\d+)"', text)[1]), []).append(text)
    body = "".join(f'<row r="{r}">{"".join(c)}</row>' for r, c in rows.items())
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">{dim}<sheetData>{body}</sheetData></worksheet>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("[Content_Types].xml", _TYPES), ("_rels/.rels", _ROOT_RELS), ("xl/workbook.xml", _BOOK),
                           ("xl/_rels/workbook.xml.rels", _BOOK_RELS), ("xl/styles.xml", _STYLES),
                           ("xl/worksheets/sheet1.xml", sheet)):
            archive.writestr(name, text)
    return out.getvalue()


def _header(*extra: str) -> tuple[str, ...]:
    return (cell("A1", HEADER[0]), cell("B1", HEADER[1]), cell("A2", "P-1"), cell("B2", "Press"), *extra)


def corner_cell() -> bytes:
    """A header and one cell at XFD1048576: the engine allocated A1:XFD1048576 (512 GB) and the
    process aborted."""
    return workbook(*_header(cell("XFD1048576", "x")))


def mid_sheet_cell() -> bytes:
    """1.4 KB, a stray cell at M500000: 6.5 million cells padded from A1 (1.3 GB)."""
    return workbook(*_header(cell("M500000", "x")))


def far_cell() -> bytes:
    """A single cell at XFD1048576: padding it from A1 panicked the engine."""
    return workbook(cell("XFD1048576", "asset_id"))


def date_panic() -> bytes:
    """A date-formatted cell holding -1e308: the engine's date arithmetic panics (PanicException,
    a BaseException that `except Exception` misses)."""
    return workbook(*_header(cell("C2", -1e308, style=1)))


def duration_overflow() -> bytes:
    """A duration-formatted cell holding 1e308: OverflowError inside the engine."""
    return workbook(*_header(cell("C2", 1e308, style=2)))


def huge_dimension(data: bytes, stray: bool = False) -> bytes:
    """`data` with every sheet's <dimension> claiming A1:XFD1048576 (openpyxl's read-only mode
    padded every row to 16,384 columns and spun for minutes); with `stray`, the sheets also get
    a real cell there."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                content = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', content)
                if stray:
                    content = content.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr">'
                                                               b"<is><t>x</t></is></c></row></sheetData>")
            target.writestr(info, content)
    return out.getvalue()


WORKBOOKS = {
    "corner.xlsx": corner_cell,
    "mid-sheet.xlsx": mid_sheet_cell,
    "far-cell.xlsx": far_cell,
    "date-panic.xlsx": date_panic,
    "duration-overflow.xlsx": duration_overflow,
}


# --- Delimited text ------------------------------------------------------------------------------

def blank_lines(megabytes: float = 10) -> bytes:
    """A header and blank lines: 10 MB reached 4.5 GB (a row per line, every column per row)."""
    return b"asset_id,name\n" + b"\n" * int(megabytes * 1024**2)


def delimiter_lines(megabytes: float = 2) -> bytes:
    """Rows of delimiters only: every byte a cell."""
    return b"asset_id,name,site,owner\n" + b",,,\n" * int(megabytes * 1024**2 / 4)


def short_lines(megabytes: float = 2) -> bytes:
    """A wide header, then rows of one cell each: a million short rows."""
    return b"asset_id,name,site,owner,zone,criticality,vendor,model\n" + b"x\n" * int(megabytes * 1024**2 / 2)


def unterminated_quote(rows: int = 2000) -> bytes:
    """A quote opened on row 2 and never closed: every row below became one cell, 'all valid'."""
    body = "".join(f"A{i},Pump {i},Plant North\n" for i in range(rows))
    return ('asset_id,name,site\nA-0,"Press 12,Plant North\n' + body).encode()


def late_cp1252() -> bytes:
    """UTF-8 text (München) with one Windows-1252 byte after the first 64 KB: the whole file was
    re-decoded as Windows-1252 (München → MÃ¼nchen) and said 'all valid'."""
    rows = "".join(f"A{i},Presse {i},München\n" for i in range(4000))
    return ("asset_id,name,site\n" + rows).encode() + "Z-1,Bäckerei,Köln\n".encode("cp1252")


def late_nul() -> bytes:
    """A NUL byte after the first 8 KB (only those were sniffed): it stayed in the text."""
    rows = "".join(f"A{i},Pump {i},Plant North\n" for i in range(2000))
    return ("asset_id,name,site\n" + rows).encode() + b"Z-1,Pu\x00mp,Plant North\n"


TEXTS = {
    "blank-lines.csv": blank_lines,
    "delimiters.csv": delimiter_lines,
    "short-rows.csv": short_lines,
    "open-quote.csv": unterminated_quote,
    "late-cp1252.csv": late_cp1252,
    "late-nul.csv": late_nul,
}
