"""The streamed analyst workbook (exports.sheet_stream) against the reference writer (every cell an
openpyxl cell, `render_workbook(..., stream_tables=False)`): for the same context, both read back
with openpyxl and with python-calamine give the same sheets, values, types, number formats, fonts,
fills, alignment, quote prefixes, column widths and hidden columns, frozen panes, filters,
conditional formats and package parts (charts included). LibreOffice opens it when installed."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook

from exports.cells import Column, write_table
from exports.context import AuditEntry
from exports.sheet_stream import StreamedWorkbook
from exports.xlsx import render_workbook
from tests.exports import fixtures

AWKWARD_TEXT = (
    "  leading and trailing spaces  ", "tab\tinside", "line\nbreak", "carriage\r\nreturn", "\r=1+1",
    "AT&T <pump> & \"valve\" 'ok'", "control\x00\x07\x1fchars", "\x01", "x" * 40_000, "émoji 🏭 ünïcode",
    "-", "=", "@", "+", " ", "",
)
"""Text that tests the encoding: white space XML would drop, escapes, characters XML cannot hold,
text past Excel's 32,767 characters, formula-like starts (quote prefix) and empty text."""


def _awkward(context):
    """The fixture's context plus audit rows carrying AWKWARD_TEXT and a time with a zone."""
    extra = tuple(AuditEntry(datetime(2026, 9, 22, 8, i % 60), "eve", f"response Q-{i}", "notes", text, text[::-1])
                  for i, text in enumerate(AWKWARD_TEXT))
    zoned = AuditEntry(datetime(2026, 9, 23, 7, 30, tzinfo=UTC), "zed", "response Z", "notes", "", "zoned")
    return replace(context, audit=(*context.audit, *extra, zoned))


def _cell_facts(cell) -> tuple:
    font, fill, align = cell.font, cell.fill, cell.alignment
    return (cell.value, cell.data_type, cell.number_format, bool(font.b), font.sz, font.color and font.color.rgb,
            fill.fill_type, fill.fgColor.rgb, bool(align.wrap_text), align.vertical, bool(cell.quotePrefix))


def _rules(ws) -> list[tuple]:
    return sorted((str(cf.sqref), rule.type, tuple(rule.formula or ()), rule.dxf and rule.dxf.fill and rule.dxf.fill.fgColor.rgb,
                   rule.colorScale and tuple(c.rgb for c in rule.colorScale.color))
                  for cf in ws.conditional_formatting for rule in cf.rules)


def differences(reference: bytes, streamed: bytes) -> list[str]:
    """Every way the streamed workbook differs from the reference one (empty when they agree)."""
    found: list[str] = []
    with zipfile.ZipFile(io.BytesIO(reference)) as a, zipfile.ZipFile(io.BytesIO(streamed)) as b:
        if sorted(a.namelist()) != sorted(b.namelist()):
            found.append(f"package parts: {sorted(set(a.namelist()) ^ set(b.namelist()))}")
    old, new = load_workbook(io.BytesIO(reference)), load_workbook(io.BytesIO(streamed))
    if old.sheetnames != new.sheetnames:
        found.append(f"sheets: {old.sheetnames} != {new.sheetnames}")
    for name in (n for n in old.sheetnames if n in new.sheetnames):
        x, y = old[name], new[name]
        for what, left, right in (
            ("size", (x.max_row, x.max_column), (y.max_row, y.max_column)),
            ("frozen panes", x.freeze_panes, y.freeze_panes),
            ("filter", x.auto_filter.ref, y.auto_filter.ref),
            ("columns", {k: (d.width, d.hidden) for k, d in x.column_dimensions.items()},
             {k: (d.width, d.hidden) for k, d in y.column_dimensions.items()}),
            ("conditional formats", _rules(x), _rules(y)),
            ("charts", len(x._charts), len(y._charts)),  # noqa: SLF001 - openpyxl keeps read charts there
        ):
            if left != right:
                found.append(f"{name}: {what} {left!r} != {right!r}")
        for row_x, row_y in zip(x.iter_rows(), y.iter_rows(), strict=False):
            for cx, cy in zip(row_x, row_y, strict=False):
                if _cell_facts(cx) != _cell_facts(cy):
                    found.append(f"{name}!{cx.coordinate}: {_cell_facts(cx)!r} != {_cell_facts(cy)!r}")
    calamine_old = CalamineWorkbook.from_filelike(io.BytesIO(reference))
    calamine_new = CalamineWorkbook.from_filelike(io.BytesIO(streamed))
    for name in (n for n in calamine_old.sheet_names if n in calamine_new.sheet_names):
        rows_x = calamine_old.get_sheet_by_name(name).to_python(skip_empty_area=False)
        rows_y = calamine_new.get_sheet_by_name(name).to_python(skip_empty_area=False)
        if rows_x != rows_y:
            first = next((i for i, (p, q) in enumerate(zip(rows_x, rows_y, strict=False)) if p != q), None)
            found.append(f"{name} (calamine): {len(rows_x)} vs {len(rows_y)} rows, first different row {first}")
    return found


def _both(context) -> tuple[bytes, bytes]:
    return render_workbook(context, stream_tables=False), render_workbook(context)


@pytest.mark.parametrize("kind", ["enterprise", "site", "assessment"])
def test_streamed_workbook_equals_the_reference(kind):
    reference, streamed = _both(_awkward(fixtures.context(kind)))
    assert differences(reference, streamed) == []


@pytest.mark.parametrize("which", ["enterprise", "plant"])
def test_streamed_demo_workbook_equals_the_reference(demo_reports, which):
    """The demo organisation's workbooks: a plan, a path to target, every sheet filled."""
    reference, streamed = _both(demo_reports[1][which])
    assert differences(reference, streamed) == []
    book = load_workbook(io.BytesIO(streamed))
    assert book["Plan"].column_dimensions["B"].hidden
    assert book["Responses"].max_row > 100


def test_the_comparison_sees_a_lost_column_sheet_or_format():
    reference, streamed = _both(fixtures.context("enterprise"))

    def broken(change) -> bytes:
        book = load_workbook(io.BytesIO(streamed))
        change(book)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    def drop_number_format(book):
        book["Functions"]["C2"].number_format = "General"

    assert any("Responses" in d for d in differences(reference, broken(lambda b: b["Responses"].delete_cols(4))))
    assert any("sheets" in d for d in differences(reference, broken(lambda b: b.remove(b["Exercises"]))))
    assert any("Functions!C2" in d for d in differences(reference, broken(drop_number_format)))


def test_awkward_text_reads_back_as_written():
    book = load_workbook(io.BytesIO(render_workbook(_awkward(fixtures.context("enterprise")))))
    written = {row[4] for row in book["Audit"].iter_rows(min_row=2, values_only=True)}
    assert "  leading and trailing spaces  " in written and "carriage\r\nreturn" in written
    assert "controlchars" in written and "x" * 32767 in written and "AT&T <pump> & \"valve\" 'ok'" in written
    quoted = next(c for c in book["Audit"]["E"] if c.value == "\r=1+1")
    assert quoted.quotePrefix and quoted.data_type == "s"
    zoned = next(row for row in book["Audit"].iter_rows(min_row=2, values_only=True) if row[1] == "zed")
    assert zoned[0] == datetime(2026, 9, 23, 7, 30)


def test_error_words_stay_text():
    """Text such as "#N/A" stays text (openpyxl's cells would store it as an Excel error value)."""
    book = StreamedWorkbook()
    write_table(book.active, [Column("Notes")], [["#N/A"], ["#REF!"]])
    back = load_workbook(io.BytesIO(book.to_bytes())).active
    assert [(c.value, c.data_type) for c in back["A"][1:]] == [("#N/A", "s"), ("#REF!", "s")]


def test_a_cell_outside_the_tables_is_refused_not_lost():
    book = StreamedWorkbook()
    write_table(book.active, [Column("A")], [[1]])
    book.active["C5"] = "stray"
    with pytest.raises(ValueError, match="outside its tables"):
        book.to_bytes()


def test_sheets_renamed_or_removed_after_their_tables():
    book = StreamedWorkbook()
    write_table(book.active, [Column("A")], [[1]])
    book.active.title = "Renamed"
    gone = book.create_sheet("Gone")
    write_table(gone, [Column("B")], [[2]])
    book.remove(gone)
    back = load_workbook(io.BytesIO(book.to_bytes()))
    assert back.sheetnames == ["Renamed"] and [c.value for c in back["Renamed"]["A"]] == ["A", 1]


def test_rows_go_down_the_sheet_only():
    book = StreamedWorkbook()
    last = write_table(book.active, [Column("A")], [[1], [2]])
    with pytest.raises(ValueError, match="row 2 written after row 3"):
        write_table(book.active, [Column("B")], [[3]], start_row=last - 1)


def test_the_reference_writer_still_makes_plain_cells():
    book = Workbook()
    write_table(book.active, [Column("A", number_format="0.00")], [[1.5]])
    assert book.active["A2"].value == 1.5 and book.active["A2"].number_format == "0.00"


def _libreoffice_pdfs(workbooks: dict[str, bytes], folder) -> dict[str, bytes | None]:
    """Each workbook converted to PDF by one LibreOffice headless run (one start, one fresh
    profile), by name; None for one it could not load."""
    for name, workbook in workbooks.items():
        (folder / f"{name}.xlsx").write_bytes(workbook)
    subprocess.run(["libreoffice", f"-env:UserInstallation=file://{folder / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder / "pdf"), *(str(folder / f"{name}.xlsx") for name in workbooks)],
                   check=True, capture_output=True, timeout=300)
    return {name: (pdf.read_bytes() if (pdf := folder / "pdf" / f"{name}.pdf").exists() else None) for name in workbooks}


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_streamed_workbook(tmp_path, demo_reports):
    reference, streamed = _both(demo_reports[1]["enterprise"])
    pdfs = _libreoffice_pdfs({"reference": reference, "streamed": streamed}, tmp_path)
    if pdfs["reference"] is None:
        pytest.skip("this LibreOffice opens no workbook (its Calc part is not installed)")
    pdf = pdfs["streamed"]
    assert pdf is not None and pdf.startswith(b"%PDF") and len(pdf) > 10_000
