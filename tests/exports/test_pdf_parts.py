"""The report made in two parts at once (exports.pdf): page numbers, outline, appendix D by report
kind, and the layout worker's fallback when its process is gone."""

from __future__ import annotations

import io
import re

import pikepdf
import pytest

from exports.pdf import (
    CHART_WIDTH_PX,
    PARTS,
    chart_names,
    render_html,
    render_report,
    report_figures,
)
from exports.pdf_worker import PdfWorker, render_part
from exports.svg import figure_height
from tests.exports import fixtures
from tests.pdf_text import page_texts


def _pages(pdf: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", page) for page in page_texts(pdf)]


def _outline(pdf: bytes) -> dict[str, int]:
    """Outline title → 0-based page index of its target."""
    found: dict[str, int] = {}
    with pikepdf.open(io.BytesIO(pdf)) as document, document.open_outline() as outline:
        def walk(items):
            for item in items:
                found[str(item.title)] = pikepdf.Page(item.destination[0]).index
                walk(item.children)
        walk(outline.root)
    return found


def test_every_page_but_the_cover_is_numbered_in_order(site_report, enterprise_report):
    for report in (site_report, enterprise_report):
        pages = _pages(report.pdf)
        assert not re.search(r"Page \d+ of", pages[0])
        for number, text in enumerate(pages[1:], start=2):
            assert f"Page {number} of {len(pages)}" in text, (number, text[-120:])


def test_outline_targets_the_page_of_each_heading_across_both_parts(enterprise_report):
    pages = _pages(enterprise_report.pdf)
    targets = _outline(enterprise_report.pdf)
    for title in ("Executive summary", "Roadmap: top gaps", "Exceptions ageing", "Site comparison",
                  "C. Every cap applied", "E. Full subcategory table"):
        assert title in pages[targets[title]], title
    assert targets["Roadmap: top gaps"] < targets["Exceptions ageing"] < targets["Appendix"]


def test_parts_split_the_sections_and_the_charts(site_report):
    front, back = site_report.html["front"], site_report.html["back"]
    assert "Executive summary" in front and "Roadmap: top gaps" in front and "Appendix" not in front
    assert "Exceptions ageing" in back and "E. Full subcategory table" in back and "Roadmap" not in back
    assert set(chart_names(front)).isdisjoint(chart_names(back))
    assert sorted(chart_names(front) + chart_names(back)) == sorted(site_report.fetcher.charts)
    for html in site_report.html.values():  # each part carries the running header and watermark
        assert 'class="running running-title"' in html and 'class="watermark"' in html
    assert list(site_report.html) == ["back", "front"] and set(PARTS) == set(site_report.html)


def test_enterprise_appendix_lists_na_reasons_and_says_where_the_notes_are(enterprise_report, site_report):
    text = " ".join(_pages(enterprise_report.pdf))
    appendix_d = text[text.index("D. N/A reasons"):text.index("E. Full subcategory table")]
    assert "N/A: Backups are run by the group data centre" in appendix_d
    assert "each site's report and in the workbook" in appendix_d
    assert "Golden images exist for 2 of 9 PLCs" not in appendix_d  # a note, not an N/A reason
    assert "D. Assessor notes and N/A reasons" in " ".join(_pages(site_report.pdf))


def test_a_worker_killed_mid_part_means_the_part_is_made_here_and_a_new_worker_is_started(site_report):
    context = fixtures.context("site", "draft")
    html = render_html(context, "a4", "back")
    sizes = {name: (CHART_WIDTH_PX, figure_height(fig)) for name, fig in report_figures(context).items()
             if name in chart_names(html)}
    worker = PdfWorker.shared()
    worker.start()
    killed = worker.process
    job = worker.lay_out(html, sizes)
    killed.kill()
    killed.wait()
    job.paint(site_report.fetcher.charts)
    part = job.result()
    assert _pages(part.pdf) == _pages(render_part(html, sizes, site_report.fetcher.charts).pdf)
    assert part.served and part.refused == ()
    again = render_report(context, "a4")
    assert worker.process is not None and worker.process.pid != killed.pid
    assert _pages(again.pdf) == _pages(site_report.pdf)


def test_unknown_part_is_refused():
    with pytest.raises(ValueError, match="unknown report part"):
        render_html(fixtures.context(), "a4", "middle")
