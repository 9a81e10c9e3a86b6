"""Charts in the PDF: laid out at their known size before they are drawn, then really drawn."""

from __future__ import annotations

from xml.etree import ElementTree

from exports.pdf import CHART_WIDTH_PX, report_figures
from exports.svg import figure_height
from tests.exports import fixtures
from tests.pdf_text import text as pdf_text


def test_placeholder_size_is_the_size_the_browser_draws(site_report):
    figures = report_figures(fixtures.context("site", "draft"))
    drawn = site_report.fetcher.charts
    # Every figure but the dashboard's trend: the summary shows the path to target, which draws
    # the same verified history with the plan's projection.
    assert set(drawn) == set(figures) - {"trend"}
    for name, svg in drawn.items():
        root = ElementTree.fromstring(svg)
        assert (float(root.get("width")), float(root.get("height"))) == (CHART_WIDTH_PX, figure_height(figures[name]))


def test_every_chart_is_fetched_once_and_drawn_as_vector_text(site_report):
    served = [u for u in site_report.served if u.startswith("chart:")]
    assert sorted(served) == sorted(f"chart:{name}" for name in site_report.fetcher.charts)
    text = pdf_text(site_report.pdf)
    assert "CSF 2.0 functions: verified maturity" in text  # the chart's own title, drawn as text
