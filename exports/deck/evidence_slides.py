"""The deck's evidence and decision slides: the resilience metrics that need attention, scenario
readiness, accepted risk (open exceptions by age), and the top risks with the decisions asked of
the board.

Figures are the ReportContext's (the JSON report's) as the PDF shows them; a RAG status is written
with its word and symbol as well as its colour (exports.formatting.rag).
"""

from __future__ import annotations

from exports.charts import ENV_STYLE, GREY, INK, ORANGE, RATING_STYLE, VERMILLION
from exports.context import ReportContext
from exports.deck.native import Bars, Scale, bar_chart
from exports.deck.style import CONTENT, Box, bullets, halves, new_slide, notes, table, text_box
from exports.formatting import day, days, rag, score, status

JSON = "JSON report (scorecard report … --format json)"
RAG_ORDER = ("green", "amber", "red", "missing")
RAG_STYLE = {
    # status: (colour, pattern): Okabe–Ito bluish green, orange, vermillion and grey, each with its own
    # pattern so the order reads without colour.
    "green": ("#009E73", ""), "amber": (ORANGE, "/"), "red": (VERMILLION, "x"), "missing": (GREY, "."),
}
ATTENTION = ("red", "amber", "missing")
METRIC_ROWS = 12
EXCEPTION_ROWS = 8
COUNT = Scale(low=0, high=None, step=None, number_format="0;-0;;", title="")


def metrics_slide(prs, c: ReportContext) -> None:
    counts = [sum(1 for m in c.metrics if m.status == s) for s in RAG_ORDER]
    attention = sorted((m for m in c.metrics if m.status in ATTENTION), key=lambda m: ATTENTION.index(m.status))
    takeaway = (f"{counts[2]} red, {counts[1]} amber and {counts[3]} without evidence, of {len(c.metrics)} metrics."
                if c.metrics else "No resilience metric measured: no evidence file imported.")
    slide = new_slide(prs, c, "Resilience metrics that need attention", takeaway)
    left, right = halves(split=0.3)
    bar_chart(slide, left, "metric-status", [rag(s) for s in RAG_ORDER],
              [Bars("Metrics", counts, INK, points=[RAG_STYLE[s] for s in RAG_ORDER])],
              scale=Scale(low=0, high=None, step=None, number_format="0", title="Metrics"), horizontal=False)
    if attention:
        shown = attention[:METRIC_ROWS]
        rows, fills = [], {}
        for r, m in enumerate(shown):
            colour, _ = RAG_STYLE[m.status]
            fills[r, 2] = (colour.lstrip("#"), "FFFFFF" if m.status == "red" else INK)
            rows.append([m.label, m.display, rag(m.status), m.rule, status(m.trend)])
        table(slide, Box(right.left, right.top, right.width, 0.3 * (len(rows) + 1)),
              ["Metric", "Value", "Status", "Target", "Trend"], rows,
              [3.2, 1.0, 1.1, 2.3, 1.0], size=10, fills=fills)
        if len(attention) > len(shown):
            text_box(slide, Box(right.left, CONTENT.top + CONTENT.height - 0.35, right.width, 0.35),
                     f"and {len(attention) - len(shown)} more in the PDF's metric table and the workbook.", size=10,
                     colour="555555")
    else:
        text_box(slide, right, "Every measured metric is green.", size=14)
    notes(slide, "Each metric is computed from the imported evidence rows up to the as-of date and rated against "
                 "the thresholds of questionnaires/resilience-metrics.yaml (docs/evidence.md); missing means no "
                 "evidence to compute it."
                 + (" Enterprise: pooled from every site's rows by the metric's rule (sum, max, median of all rows, "
                    "total numerator over total denominator), never weighted." if c.meta.kind == "enterprise" else ""),
          [f"Bars: the number of metrics[] with each status in the {JSON}.",
           "Table: metrics[] with status red, amber or missing: label, display (the value as every output "
           "prints it), status, rule, trend."])


def scenarios_slide(prs, c: ReportContext) -> None:
    rows = c.scenarios
    scored = [r for r in rows if r.readiness is not None]
    least = min(scored, key=lambda r: r.readiness) if scored else None
    slide = new_slide(prs, c, "Scenario readiness",
                      f"Least ready: {least.name} at {score(least.readiness)} of 5." if least else "No scenario scored yet.")
    series = []
    for env in c.environments:
        colour, pattern = ENV_STYLE[env]
        series.append(Bars(env, [r.it if env == "IT" else r.ot for r in rows], colour, pattern))
    bar_chart(slide, CONTENT, "scenarios", [r.name for r in rows], series,
              scale=Scale(title="Readiness (0–5)"))
    notes(slide, "Readiness is the plain mean of the verified levels of the scenario's answered questions, per "
                 "environment; each scenario also lists its metrics with their RAG status "
                 "(docs/methodology.md, rule 9).",
          [f"Bars: scenarios[].it and scenarios[].ot in the {JSON}; overall: scenarios[].readiness.",
           "The status of each scenario's metrics: scenarios[].metrics."])


def exceptions_slide(prs, c: ReportContext) -> None:
    rows = c.exceptions
    high = [e for e in rows if e.high_risk]
    oldest = max((e.age_days for e in high), default=None)
    slide = new_slide(prs, c, "Accepted risk: open exceptions by age",
                      f"{len(rows)} open exception(s), {len(high)} rated high or critical"
                      + (f"; the oldest high-risk one has been open {days(oldest)}." if oldest is not None else "."))
    left, right = halves(split=0.5)
    bands, counts = exception_counts(c)
    bar_chart(slide, left, "exceptions", bands, [
        Bars(rating.capitalize(), counts[rating], colour, pattern)
        for rating, (colour, pattern) in RATING_STYLE.items()
    ], scale=Scale(low=0, high=None, step=None, number_format="0;-0;;", title="Open exceptions"),
        horizontal=False, stacked=True)
    if high:
        shown = high[:EXCEPTION_ROWS]
        sites = c.meta.kind == "enterprise"
        rows = [[e.exception_id, e.title, *([e.site] if sites else []), days(e.age_days),
                 f"overdue by {days(e.review_overdue_days)}" if e.review_overdue_days else day(e.review_date)]
                for e in shown]
        table(slide, Box(right.left, right.top, right.width, 0.3 * (len(rows) + 1)),
              ["Exception", "Title", *(["Site"] if sites else []), "Open", "Review"], rows,
              [1.25, 2.6, *([1.4] if sites else []), 0.95, 1.4], size=10)
    else:
        text_box(slide, right, "No open high-risk exception.", size=14)
    notes(slide, "Open exceptions of the evidence up to the as-of date; age = as-of date − opened, in days, "
                 "banded as the PDF bands them; high risk = rated critical or high (the rows the exception "
                 "metrics count).",
          [f"Bars: exceptions[] counted by age_band and risk_rating in the {JSON}; bands: age_bands.",
           "Table: the oldest exceptions[] with high_risk true: exception_id, title, site, age_days, review_date, "
           "review_overdue_days.",
           "Oldest: metric high_risk_exception_age_max_days (metrics[])."])


def exception_counts(c: ReportContext) -> tuple[list[str], dict[str, list[int]]]:
    """The age bands and, per risk rating, the number of open exceptions in each band."""
    bands = list(c.age_bands)
    return bands, {rating: [sum(1 for e in c.exceptions if e.age_band == b and e.risk_rating == rating) for b in bands]
                   for rating in RATING_STYLE}


def decisions_slide(prs, c: ReportContext) -> None:
    slide = new_slide(prs, c, "Top risks and decisions asked of the board",
                      "Derived from the ranked gaps, the open exceptions and the verdict: none typed in by hand.")
    left, right = halves(split=0.5)
    text_box(slide, Box(left.left, left.top, left.width, 0.4), "Biggest risks", size=16, bold=True)
    bullets(slide, Box(left.left, left.top + 0.45, left.width, left.height - 0.45),
            [(i.title, i.detail) for i in c.risks], size=16, empty="No gap between verified and target maturity.")
    text_box(slide, Box(right.left, right.top, right.width, 0.4), "Decisions asked of the board", size=16, bold=True)
    bullets(slide, Box(right.left, right.top + 0.45, right.width, right.height - 0.45),
            [(i.title, i.detail) for i in c.decisions], size=16, empty="No decision required this period.")
    notes(slide, "Risks are the top gaps ranked by priority = gap × question weight × consequence, one per question "
                 "(docs/methodology.md, rule 7). Decisions come from the top risks (owner and funding; an action "
                 "past due says overdue), high-risk exceptions open over 90 days, and completion or confidence "
                 "below the verdict's floors.",
          [f"Risks: risks[] (title, detail) in the {JSON}; the ranked gaps behind them: roadmap[].",
           "Decisions: decisions[] (title, detail); actions and owners: findings[]."])
