"""Board PDF: ReportContext → HTML (Jinja2, autoescaped) → PDF bytes (weasyprint).

The charts are the dashboard's plotly figures (`exports.charts`) drawn to SVG by the process's
long-lived browser (`exports.svg`) and embedded as vector images. Paper is A4 or US Letter;
headings h1/h2 become the PDF outline; title, author and subject are set from the report meta;
fonts are the system's DejaVu faces, embedded (subset) by weasyprint.

Charts and layout overlap: a chart's size is known before it is drawn (CHART_WIDTH_PX × the
figure's height), so weasyprint lays the pages out around `LazyChart` placeholders while the
browser draws, and each SVG is fetched (through the same TemplateOnlyFetcher) only when its page
is painted. The browser works in its own process, so on two cores the charts cost almost nothing
once it is open; a cold start (Chromium, ~2–4 s) overlaps the layout too.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from weasyprint import HTML
from weasyprint.svg import SVG

from errors import Problem, ScorecardError
from exports import charts
from exports.context import PAPERS, ReportContext
from exports.fetcher import CHART_SCHEME, TEMPLATES, TemplateOnlyFetcher
from exports.formatting import FILTERS
from exports.svg import SvgRenderer, figure_height

CHART_WIDTH_PX = 680
"""Figures are laid out at this width, then scaled to the text column (vector, so no blur)."""
PAGE_SIZE = {"a4": "A4", "letter": "letter"}


@dataclass(frozen=True)
class RenderedPdf:
    pdf: bytes
    html: str
    fetcher: TemplateOnlyFetcher


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    return env


ENVIRONMENT = _environment()


def report_figures(context: ReportContext) -> dict:
    """The report's figures by name (the names the template's <img src="chart:NAME"> use)."""
    envs = context.environments
    figures = {
        "overall": charts.overall_chart(context.headline, envs),
        "trend": charts.trend_chart(context.trend),
        "functions": charts.function_chart(context.functions, envs, "CSF 2.0 functions: verified maturity"),
        "categories": charts.function_chart(context.categories, envs, "CSF 2.0 categories: verified maturity",
                                           bar_px=12),
        "cpg": charts.cpg_heatmap(context.goals, envs),
        "scenarios": charts.scenario_chart(context.scenarios, envs),
        "exceptions": charts.exception_ageing_chart(context.exceptions, context.age_bands),
        "exercises": charts.exercise_chart(context.exercises, exercise_targets(context)),
    }
    if context.meta.kind == "enterprise":
        figures["sites"] = charts.site_chart(context.sites)
    return figures


def exercise_targets(context: ReportContext) -> dict[str, float]:
    """Green thresholds of the exercise time metrics, by ExerciseRow attribute."""
    by_name = {m.name: m.green for m in context.metrics if m.green is not None}
    return {f"{phase}_minutes": by_name[f"exercise_{phase}_minutes_median"]
            for phase in ("detect", "escalate", "contain", "recover")
            if f"exercise_{phase}_minutes_median" in by_name}


def render_html(context: ReportContext, paper: str = "a4") -> str:
    _check_paper(paper)
    template = ENVIRONMENT.get_template("report.html")
    return template.render(c=context, page_size=PAGE_SIZE[paper], roadmap_limit=15)


def html_to_pdf(html: str, charts_svg: dict[str, bytes]) -> tuple[bytes, TemplateOnlyFetcher]:
    """weasyprint alone: the step the benchmark compares the whole pipeline with."""
    fetcher = TemplateOnlyFetcher(charts_svg)
    document = HTML(string=html, base_url=TEMPLATES.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(), fetcher


def render_report(context: ReportContext, paper: str = "a4") -> RenderedPdf:
    """The PDF with the HTML it came from and the fetcher's record (for tests).

    The browser draws the charts while Jinja renders the HTML and weasyprint lays out the pages;
    painting the first chart waits for the drawing (and re-raises its error, if any).
    """
    figures = report_figures(context)
    pending = SvgRenderer.shared().submit(figures, CHART_WIDTH_PX)
    html = render_html(context, paper)
    fetcher = TemplateOnlyFetcher(pending)
    placeholders = {f"{CHART_SCHEME}{name}": LazyChart(f"{CHART_SCHEME}{name}", CHART_WIDTH_PX,
                                                       figure_height(fig), fetcher)
                    for name, fig in figures.items()}
    document = HTML(string=html, base_url=TEMPLATES.as_uri() + "/", url_fetcher=fetcher)
    pdf = document.write_pdf(cache=placeholders)
    return RenderedPdf(pdf=pdf, html=html, fetcher=fetcher)


def render_pdf(context: ReportContext, paper: str = "a4") -> bytes:
    """The board PDF as bytes; `paper` is 'a4' or 'letter'."""
    return render_report(context, paper).pdf


def prepare() -> None:
    """Start the chart browser now, in the background, for a PDF that is about to be requested
    (e.g. while its ReportContext is read from storage); returns at once."""
    SvgRenderer.shared().start()


class LazyChart:
    """A chart image whose size is known before its SVG exists (weasyprint's image interface).

    weasyprint takes images from the `cache` mapping given to write_pdf before it would fetch
    them; layout only asks `get_intrinsic_size`, and `draw` (at paint time) fetches the SVG
    through the fetcher, which waits for the browser, and draws it with weasyprint's SVG renderer.
    Unlike weasyprint's SVGImage, a failure here is raised, never logged and skipped. The image
    protocol and `weasyprint.svg.SVG` are weasyprint 70's (pinned); tests/exports/test_pdf_charts.py
    fails if a chart stops being drawn.
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
        self._svg.draw(stream, concrete_width, concrete_height, self.url, _SvgDrawContext(style.font_config))


class _SvgDrawContext:
    """What weasyprint's SVG renderer asks of the layout context while drawing: the fonts, the
    hyphenation cache, and image loading, which charts never need and which is refused."""

    def __init__(self, font_config) -> None:
        self.font_config = font_config
        self.dictionaries: dict = {}

    def get_image_from_uri(self, url: str, **_) -> None:
        raise ValueError(f"refused to load {url!r} from inside a chart")


def _check_paper(paper: str) -> None:
    if paper not in PAPERS:
        raise ScorecardError(
            f"unknown paper size '{paper}'", [Problem("--paper", f"got {paper!r}", "use a4 or letter")]
        )
