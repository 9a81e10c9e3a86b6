"""Board PDF: opened with pypdf and checked for sections, numbers, layout features and safety."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from pypdf import PdfReader

from errors import ScorecardError
from exports.context import Score3, ScoreRow
from exports.fetcher import TEMPLATES, TemplateOnlyFetcher
from exports.pdf import html_to_pdf, render_html, render_report
from tests.exports import fixtures
from tests.pdf_text import page_texts
from tests.pdf_text import text as pdf_text

SECTIONS = ["Executive summary", "CSF 2.0 functions and categories", "Categories", "CISA CPG 2.0 goals",
            "Resilience metrics", "Scenario readiness", "Roadmap: top gaps", "Exceptions ageing",
            "Exercise performance", "Appendix", "A. Methodology in plain words", "B. Confidence and completion",
            "C. Every cap applied", "D. Assessor notes and N/A reasons", "E. Full subcategory table"]


def _reader(report) -> PdfReader:
    return PdfReader(io.BytesIO(report.pdf))


def _text(report) -> str:
    """All pages' text with whitespace runs collapsed (wrapped lines read as one)."""
    return re.sub(r"\s+", " ", pdf_text(report.pdf))


def _outline_titles(reader: PdfReader) -> list[str]:
    titles: list[str] = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


def test_every_section_is_in_text_and_outline(site_report):
    text = _text(site_report)
    for title in SECTIONS:
        assert title in text, title
    assert _outline_titles(_reader(site_report)) == SECTIONS
    assert "Site comparison" not in text


def test_fixture_numbers_appear(site_report):
    text = _text(site_report)
    for expected in ["2.41", "3.50", "2.83", "+0.31", "33.3 %", "88 %", "60 %", "IT 100.0 %", "OT 0.0 %",
                     "M. Durand", "2026-12-15", "425", "72.5 %", "governed_access_pct", "≥ 70 → up to 2",
                     "Ransomware on the plant network", "Windows XP HMI on press line 2", "1,440",
                     "6 answered, 1 N/A of 8", "Assign an owner and budget to close REC-01",
                     "Missing because no restore_tests evidence: import the restore tests file"]:
        assert expected in text, expected


def test_page_size_metadata_fonts_and_running_header(site_report, letter_final_report):
    a4, letter = _reader(site_report), _reader(letter_final_report)
    assert [round(float(v)) for v in a4.pages[0].mediabox[2:]] == [595, 842]
    assert [round(float(v)) for v in letter.pages[0].mediabox[2:]] == [612, 792]
    meta = a4.metadata
    assert meta.title.startswith("Cyber resilience report · Lyon <b>Pressing</b>")
    assert meta.author == "Claire <i>Dupont</i>"
    assert "Lyon <b>Pressing</b>" in meta.subject
    fonts = {}
    for page in a4.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"] if "/DescendantFonts" in font else font["/FontDescriptor"]
            fonts[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
    assert any("DejaVu" in name for name in fonts)
    page3 = page_texts(site_report.pdf)[2]
    assert "Acme Components · Lyon <b>Pressing</b> · 2026-09-30" in page3
    assert re.search(r"Page 3 of \d+", page3)


def test_draft_is_watermarked_and_final_is_not(site_report, letter_final_report):
    draft_pages = page_texts(site_report.pdf)
    assert "DRAFT" in draft_pages[0] and "This report is a draft" in draft_pages[0]
    assert all("DRAFT — not approved" in p for p in draft_pages[1:])
    final_text = _text(letter_final_report)
    assert "DRAFT" not in final_text and "not approved" not in final_text


def test_enterprise_report_compares_sites(enterprise_report):
    text = _text(enterprise_report)
    assert "Site comparison" in _outline_titles(_reader(enterprise_report))
    assert "Porto Assembly" in text and "-0.15" in text
    assert "IN REVIEW" in text


def test_user_text_is_escaped_and_fetches_nothing(site_report):
    text = _text(site_report)
    assert "Lyon <b>Pressing</b>" in text
    assert "Assessor note: Golden images exist for 2 of 9 PLCs" in text
    # As text: the REC-01 note in the roadmap, and the GOV-01 and REC-01 notes in appendix D (a
    # line may wrap inside the URL, so whitespace is ignored).
    assert re.sub(r"\s", "", text).count('<imgsrc="file:///etc/passwd">') == 3
    assert '<imgsrc="https://evil.example/x.png"><script>alert(1)</script>' in re.sub(r"\s", "", text)
    assert "Action: @SUM(1,1)" in text and "=cmd|' /C calc'!A0" in text
    for html in site_report.html.values():
        assert "&lt;img" in html and '<img src="file:///etc/passwd">' not in html
    served = site_report.served
    assert site_report.refused == ()
    assert all(u.startswith("chart:") or u == (TEMPLATES / "report.css").as_uri() for u in served)
    assert sorted(u for u in served if u.startswith("chart:")) == sorted(f"chart:{name}" for name in site_report.fetcher.charts)
    assert len(site_report.fetcher.charts) == 8


def test_appendix_notes_show_each_question_once_with_every_note(site_report):
    """Appendix D groups by question: GOV-01 has notes in IT and OT, its text is printed once."""
    text = _text(site_report)
    notes = text[text.index("D. Assessor notes and N/A reasons"):text.index("E. Full subcategory table")]
    assert notes.count("Is OT cyber risk owned by a named executive?") == 1
    assert notes.count("GOV-01") == 1
    gov = notes[notes.index("GOV-01"):notes.index("IAM-01")]
    assert '<img src="file:///etc/passwd">' in gov and "=cmd|' /C calc'!A0" in gov
    assert "MFA on all VPNs" in notes and "N/A: Backups are run by the group data centre" in notes
    assert "Golden images exist for 2 of 9 PLCs" in notes


def test_fetcher_is_a_second_wall_even_for_unescaped_markup():
    html = ('<html><body><p>x</p><img src="file:///etc/passwd"><img src="https://evil.example/a.png">'
            '<img src="data:image/svg+xml,%3Csvg%3E%3C/svg%3E"><img src="/etc/hostname">'
            '<link rel="stylesheet" href="ftp://evil.example/x.css"><img src="chart:unknown"></body></html>')
    pdf, fetcher = html_to_pdf(html, {})
    assert pdf.startswith(b"%PDF")
    assert fetcher.served == []
    assert set(fetcher.refused) == {"file:///etc/passwd", "https://evil.example/a.png",
                                    "data:image/svg+xml,%3Csvg%3E%3C/svg%3E", "file:///etc/hostname",
                                    "ftp://evil.example/x.css", "chart:unknown"}


def test_fetcher_serves_template_files_only(tmp_path):
    fetcher = TemplateOnlyFetcher({"a": b"<svg/>"})
    assert fetcher((TEMPLATES / "report.css").as_uri()).read().startswith(b"/*")
    assert fetcher("chart:a").read() == b"<svg/>"
    outside = tmp_path / "secret.css"
    outside.write_text("x")
    link = TEMPLATES.parent / "templates" / ".." / "pdf.py"
    for url in (outside.as_uri(), link.as_uri(), "file://otherhost/etc/passwd", "http://localhost/report.css"):
        with pytest.raises(ValueError):
            fetcher(url)


def test_long_tables_repeat_their_header_on_every_page():
    base = fixtures.context("site")
    rows = tuple(ScoreRow(f"XX.YY-{i:03d}", f"Subcategory number {i}", "subcategory", Score3(2, 2, 3),
                          Score3(2, 2, 3), Score3(2, 2, 3), 2) for i in range(150))
    report = render_report(replace(base, subcategories=rows), "a4")
    pages = page_texts(report.pdf)
    start = next(i for i, p in enumerate(pages) if "E. Full subcategory table" in p)
    continued = pages[start + 1:]
    assert len(continued) >= 2
    for page in continued:
        assert "Subcategory" in page and "Claimed" in page and "OT" in page
    # No row is cut across a page edge: every id appears exactly once, whole.
    ids = re.findall(r"XX\.YY-\d{3}", "\n".join(pages[start:]))
    assert sorted(ids) == [f"XX.YY-{i:03d}" for i in range(150)]


def test_unknown_paper_is_a_clear_error():
    with pytest.raises(ScorecardError, match="unknown paper size 'a3'"):
        render_html(fixtures.context(), "a3")
