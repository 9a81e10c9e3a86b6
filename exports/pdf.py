"""Board PDF: ReportContext → HTML (Jinja2, autoescaped) → PDF bytes (weasyprint).

The charts are the dashboard's plotly figures (`exports.charts`) drawn to SVG by the process's
long-lived browser (`exports.svg`) and embedded as vector images. Paper is A4 or US Letter;
headings h1/h2 become the PDF outline; title, author and subject are set from the report meta;
fonts are the system's DejaVu faces, embedded (subset) by weasyprint.

weasyprint is single-threaded Python, so a long report would take one core's time for every page.
The report is made in two parts at once, with the browser drawing the charts alongside:
- part "front" (cover to roadmap) is laid out here, part "back" (exceptions ageing to the end of
  the appendix) by the worker process (`exports.pdf_worker`);
- both are laid out around chart placeholders of known size (`exports.pdf_layout`) while the
  browser draws; the front is painted page by page as its charts arrive, and the back gets its
  SVGs as soon as the browser has drawn them;
- the parts are joined with one outline and "Page N of M" is stamped on every page but the cover
  (`exports.pdf_join`), since neither part knows the other's page count while it is laid out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import plotly.graph_objects as go
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from weasyprint import HTML

from errors import Problem, ScorecardError
from exports import charts, plan_charts
from exports.context import PAPERS, ReportContext
from exports.fetcher import CHART_SCHEME, TEMPLATES, TemplateOnlyFetcher
from exports.formatting import FILTERS
from exports.pdf_join import join_parts
from exports.pdf_layout import ChartSizes, lay_out
from exports.pdf_worker import PdfWorker
from exports.svg import SvgRenderer, figure_height

CHART_WIDTH_PX = 680
"""Figures are laid out at this width, then scaled to the text column (vector, so no blur)."""
PAGE_SIZE = {"a4": "A4", "letter": "letter"}
PARTS = ("front", "back")
_CHART_IMAGE = re.compile(r'src="' + CHART_SCHEME + r'(\w+)"')


@dataclass(frozen=True)
class RenderedPdf:
    """The joined PDF, the HTML of each part, this process's fetcher (with every chart drawn for
    the report) and every URL either part's fetcher served or refused."""

    pdf: bytes
    html: dict[str, str]
    fetcher: TemplateOnlyFetcher
    served: tuple[str, ...]
    refused: tuple[str, ...]


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


def report_figures(context: ReportContext, names: Iterable[str] | None = None) -> dict[str, go.Figure]:
    """The report's figures by name (the names the template's <img src="chart:NAME"> use), or
    only those in `names`, in that order (building a figure costs ~25 ms, so a part's are built
    first)."""
    envs = context.environments
    builders: dict[str, Callable[[], go.Figure]] = {
        "overall": lambda: charts.overall_chart(context.headline, envs),
        "trend": lambda: charts.trend_chart(context.trend),
        "path": lambda: plan_charts.path_to_target_chart(context.trend, context.plan, compact=True),
        "functions": lambda: charts.function_chart(context.functions, envs, "CSF 2.0 functions: verified maturity"),
        "categories": lambda: charts.function_chart(context.categories, envs, "CSF 2.0 categories: verified maturity",
                                                    bar_px=12),
        "cpg": lambda: charts.cpg_heatmap(context.goals, envs),
        "scenarios": lambda: charts.scenario_chart(context.scenarios, envs),
        "exceptions": lambda: charts.exception_ageing_chart(context.exceptions, context.age_bands),
        "exercises": lambda: charts.exercise_chart(context.exercises, exercise_targets(context)),
    }
    if context.meta.kind == "enterprise":
        builders["sites"] = lambda: charts.site_chart(context.sites)
    return {name: builders[name]() for name in (builders if names is None else names) if name in builders}


def exercise_targets(context: ReportContext) -> dict[str, float]:
    """Green thresholds of the exercise time metrics, by ExerciseRow attribute."""
    by_name = {m.name: m.green for m in context.metrics if m.green is not None}
    return {f"{phase}_minutes": by_name[f"exercise_{phase}_minutes_median"]
            for phase in ("detect", "escalate", "contain", "recover")
            if f"exercise_{phase}_minutes_median" in by_name}


def render_html(context: ReportContext, paper: str = "a4", part: str = "front") -> str:
    """The HTML of one part of the report: "front" (cover to roadmap) or "back" (exceptions
    ageing to the end of the appendix)."""
    _check_paper(paper)
    if part not in PARTS:
        raise ValueError(f"unknown report part {part!r}; expected one of {PARTS}")
    template = ENVIRONMENT.get_template("report.html")
    return template.render(c=context, page_size=PAGE_SIZE[paper], part=part, roadmap_limit=15)


def page_numbers_pdf(pages: int, paper: str = "a4") -> bytes:
    """`pages` pages carrying only "Page N of M" (none on the cover), to stamp on the joined report."""
    html = ENVIRONMENT.get_template("page_numbers.html").render(pages=pages, page_size=PAGE_SIZE[paper])
    return html_to_pdf(html, {})[0]


def html_to_pdf(html: str, charts_svg: dict[str, bytes]) -> tuple[bytes, TemplateOnlyFetcher]:
    """weasyprint alone on one document: the step the benchmark compares the whole pipeline with."""
    fetcher = TemplateOnlyFetcher(charts_svg)
    document = HTML(string=html, base_url=TEMPLATES.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(), fetcher


def chart_names(html: str) -> list[str]:
    """The charts a part shows, in order (its <img src="chart:NAME"> elements)."""
    return _CHART_IMAGE.findall(html)


def render_report(context: ReportContext, paper: str = "a4") -> RenderedPdf:
    """The PDF with the HTML it came from and the fetchers' record (for tests).

    The back part goes to the worker first and the charts to the browser (front ones first, in
    page order), then the front part is laid out here. Each part is painted as its charts arrive;
    a chart the browser could not draw raises its error."""
    prepare()  # a cold browser and worker start while the figures are built
    html = {part: render_html(context, paper, part) for part in ("back", "front")}
    back_figures = report_figures(context, chart_names(html["back"]))
    back = PdfWorker.shared().lay_out(html["back"], _sizes(back_figures))
    try:
        front_figures = report_figures(context, chart_names(html["front"]))
        pending = SvgRenderer.shared().submit({**front_figures, **back_figures}, CHART_WIDTH_PX)
        back.paint_when_drawn(pending)
        fetcher = TemplateOnlyFetcher(pending)
        front = lay_out(html["front"], _sizes(front_figures), fetcher)
        front_pdf = front.write_pdf()  # each chart is awaited only when its page is painted
    except BaseException:
        back.cancel()
        raise
    # Drawn while the worker may still be painting the back part.
    numbers = page_numbers_pdf(len(front.pages) + back.page_count(), paper)
    back_part = back.result()
    pdf = join_parts([front_pdf, back_part.pdf], numbers)
    return RenderedPdf(pdf=pdf, html=html, fetcher=fetcher,
                       served=(*fetcher.served, *back_part.served), refused=(*fetcher.refused, *back_part.refused))


def _sizes(figures: dict[str, go.Figure]) -> ChartSizes:
    return {name: (CHART_WIDTH_PX, figure_height(fig)) for name, fig in figures.items()}


def render_pdf(context: ReportContext, paper: str = "a4") -> bytes:
    """The board PDF as bytes; `paper` is 'a4' or 'letter'."""
    return render_report(context, paper).pdf


def prepare() -> None:
    """Start the chart browser and the layout worker now, in the background, for a PDF that is
    about to be requested (e.g. while its ReportContext is read from storage); returns at once."""
    SvgRenderer.shared().start()
    PdfWorker.shared().start()


def _check_paper(paper: str) -> None:
    if paper not in PAPERS:
        raise ScorecardError(
            f"unknown paper size '{paper}'", [Problem("--paper", f"got {paper!r}", "use a4 or letter")]
        )
