"""SVG text runs drawn whole (exports.svg_text): which runs qualify, and that they are still drawn."""

from __future__ import annotations

from xml.etree import ElementTree

from weasyprint.svg import SVG

from exports.fetcher import TemplateOnlyFetcher
from exports.pdf_layout import ChartsLater, lay_out
from exports.svg_text import WholeText, draw_runs_whole
from tests.pdf_text import page_texts

SVG_TEXT = b"""<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120">
<text x="10" y="20" font-family="'DejaVu Sans'" font-size="12px">Plain run one</text>
<text x="10" y="40" font-size="12px"><tspan x="10" dy="0em">Line A</tspan><tspan x="10" dy="1.3em">Line B</tspan></text>
<text x="10 20 30" y="80" font-size="12px">abc</text>
<text x="10" y="100" rotate="10" font-size="12px">tilted</text>
<text x="150" y="100" letter-spacing="2px" font-size="12px">spaced</text>
</svg>"""


def _texts(svg: SVG) -> dict[str, object]:
    found, stack = {}, [svg.tree]
    while stack:
        node = stack.pop()
        children = list(node)
        if node.tag in ("text", "tspan") and node.text:
            found[str(node.text)] = node.text
        stack.extend(children)
    return found


def test_only_runs_without_per_letter_positions_are_drawn_whole():
    svg = SVG(ElementTree.fromstring(SVG_TEXT), "chart:t", None, TemplateOnlyFetcher({}))
    assert draw_runs_whole(svg) == 3
    texts = _texts(svg)
    assert all(isinstance(texts[t], WholeText) for t in ("Plain run one", "Line A", "Line B"))
    assert not any(isinstance(texts[t], WholeText) for t in ("abc", "tilted", "spaced"))
    assert list(WholeText("Line A")) == ["Line A"]


def test_whole_runs_are_painted_as_text_in_the_pdf():
    charts = ChartsLater()
    charts.set({"t": SVG_TEXT})
    fetcher = TemplateOnlyFetcher(charts)
    html = '<html><body><img src="chart:t" style="width: 300px"></body></html>'
    pdf = lay_out(html, {"t": (300, 120)}, fetcher).write_pdf()
    text = page_texts(pdf)[0]
    for run in ("Plain run one", "Line A", "Line B"):
        assert run in text
    assert fetcher.served == ["chart:t"]
