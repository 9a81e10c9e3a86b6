"""One part of the board report laid out by weasyprint around chart placeholders, painted later.

A chart's size is known before it is drawn (CHART_WIDTH_PX × the figure's height), so a part can
be laid out while the browser is still drawing; its SVGs are needed only when its pages are
painted (`Document.write_pdf`). Used alike by this process and by the layout worker
(`exports.pdf_worker`), which receives the SVGs after its layout is done.
"""

from __future__ import annotations

from xml.etree import ElementTree

from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.svg import SVG

from exports.fetcher import CHART_SCHEME, TEMPLATES, TemplateOnlyFetcher
from exports.svg_text import draw_runs_whole

ChartSizes = dict[str, tuple[int, int]]
"""Chart name → (width, height) in CSS pixels, as the browser draws it."""


def lay_out(html: str, chart_sizes: ChartSizes, fetcher: TemplateOnlyFetcher) -> Document:
    """Pages of `html`, with each `chart:NAME` image a LazyChart of its known size."""
    placeholders = {f"{CHART_SCHEME}{name}": LazyChart(f"{CHART_SCHEME}{name}", width, height, fetcher)
                    for name, (width, height) in chart_sizes.items()}
    document = HTML(string=html, base_url=TEMPLATES.as_uri() + "/", url_fetcher=fetcher)
    return document.render(cache=placeholders)


class ChartsLater:
    """The SVGs of a part, handed over once the browser has drawn them (TemplateOnlyFetcher's
    pending-charts interface); asking before they are set is a programming error."""

    def __init__(self) -> None:
        self._svgs: dict[str, bytes] | None = None

    def set(self, svgs: dict[str, bytes]) -> None:
        self._svgs = dict(svgs)

    def result(self) -> dict[str, bytes]:
        if self._svgs is None:
            raise RuntimeError("a chart was painted before its SVG was handed over")
        return self._svgs


class LazyChart:
    """A chart image whose size is known before its SVG exists (weasyprint's image interface).

    weasyprint takes images from the `cache` mapping given to render before it would fetch them;
    layout only asks `get_intrinsic_size`, and `draw` (at paint time) fetches the SVG through the
    fetcher, which waits for the browser, and draws it with weasyprint's SVG renderer, text runs
    whole (`exports.svg_text`). Unlike weasyprint's SVGImage, a failure here is raised, never
    logged and skipped. The image protocol and `weasyprint.svg.SVG` are weasyprint 70's (pinned);
    tests/exports/test_pdf_charts.py fails if a chart stops being drawn.
    """

    def __init__(self, url: str, width_px: int, height_px: int, fetcher: TemplateOnlyFetcher) -> None:
        self.url, self.width, self.height, self._fetcher = url, width_px, height_px, fetcher
        self._svg: SVG | None = None

    def get_intrinsic_size(self, image_resolution, font_size):
        return self.width, self.height, self.width / self.height

    def draw(self, stream, concrete_width, concrete_height, style) -> None:
        if self._svg is None:
            tree = ElementTree.fromstring(self._fetcher.fetch(self.url).read())
            self._svg = SVG(tree, self.url, style.font_config, self._fetcher)
            draw_runs_whole(self._svg)
        self._svg.draw(stream, concrete_width, concrete_height, self.url, _SvgDrawContext(style.font_config))


class _SvgDrawContext:
    """What weasyprint's SVG renderer asks of the layout context while drawing: the fonts, the
    hyphenation cache, and image loading, which charts never need and which is refused."""

    def __init__(self, font_config) -> None:
        self.font_config = font_config
        self.dictionaries: dict = {}

    def get_image_from_uri(self, url: str, **_) -> None:
        raise ValueError(f"refused to load {url!r} from inside a chart")
