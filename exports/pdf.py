"""Board PDF: ReportContext → HTML (Jinja2, autoescaped) → PDF bytes (weasyprint).

The charts are the dashboard's plotly figures (`exports.charts`) drawn to SVG by the process's
long-lived browser (`exports.svg`) and embedded as vector images. Paper is A4 or US Letter;
headings h1/h2 become the PDF outline; title, author and subject are set from the report meta;
fonts are the system's DejaVu faces, embedded (subset) by weasyprint.
"""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from weasyprint import HTML

from errors import Problem, ScorecardError
from exports import charts
from exports.context import PAPERS, ReportContext
from exports.fetcher import TEMPLATES, TemplateOnlyFetcher
from exports.formatting import FILTERS
from exports.svg import SvgRenderer

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

    The browser draws the charts while Jinja renders the HTML; weasyprint starts only once the
    SVGs are in. (Overlapping weasyprint itself with the drawing was measured slower: both need
    the GIL, and the browser's message loop starves behind weasyprint's layout.)
    """
    pending = SvgRenderer.shared().submit(report_figures(context), CHART_WIDTH_PX)
    html = render_html(context, paper)
    pdf, fetcher = html_to_pdf(html, pending.result())
    return RenderedPdf(pdf=pdf, html=html, fetcher=fetcher)


def render_pdf(context: ReportContext, paper: str = "a4") -> bytes:
    """The board PDF as bytes; `paper` is 'a4' or 'letter'."""
    return render_report(context, paper).pdf


def _check_paper(paper: str) -> None:
    if paper not in PAPERS:
        raise ScorecardError(
            f"unknown paper size '{paper}'", [Problem("--paper", f"got {paper!r}", "use a4 or letter")]
        )
