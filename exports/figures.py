"""The report's figures by name, built from a ReportContext: the board PDF draws them through the
chart browser (exports.pdf), the dashboard on screen (ui.components.dashboard_figures). Kept apart
from exports.pdf so drawing the dashboard does not import weasyprint (~1 s)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import plotly.graph_objects as go

from exports import board_size, charts, plan_charts
from exports.context import ReportContext


def report_figures(context: ReportContext, names: Iterable[str] | None = None, *,
                   screen: bool = False) -> dict[str, go.Figure]:
    """The report's figures by name (the names the template's <img src="chart:NAME"> use), or
    only those in `names`, in that order (building a figure costs ~25 ms, so a part's are built
    first). `screen`: for the dashboard, where the path to target gets its full size, title and a
    legend above the plot (the PDF's compact one keeps its legend on the right, which on a phone
    leaves the plot a few pixels wide)."""
    envs = context.environments
    goals = board_size.goal_sites(context.goals, board_size.site_weights(context))
    builders: dict[str, Callable[[], go.Figure]] = {
        "overall": lambda: charts.overall_chart(context.headline, envs),
        "trend": lambda: charts.trend_chart(context.trend),
        "path": lambda: plan_charts.path_to_target_chart(context.trend, context.plan, compact=not screen),
        "functions": lambda: charts.function_chart(context.functions, envs, "CSF 2.0 functions: verified maturity"),
        "categories": lambda: charts.function_chart(context.categories, envs, "CSF 2.0 categories: verified maturity",
                                                    bar_px=12),
        "cpg": lambda: charts.cpg_heatmap(goals.rows, envs, subset=goals.short),
        "scenarios": lambda: charts.scenario_chart(context.scenarios, envs),
        "exceptions": lambda: charts.exception_ageing_chart(context.exceptions, context.age_bands),
        "exercises": lambda: charts.exercise_chart(context.exercises, exercise_targets(context)),
    }
    if context.meta.kind == "enterprise":
        shown = board_size.sites(context.sites)
        builders["sites"] = lambda: charts.site_chart(shown.rows, subset=shown.short)
    return {name: builders[name]() for name in (builders if names is None else names) if name in builders}


def exercise_targets(context: ReportContext) -> dict[str, float]:
    """Green thresholds of the exercise time metrics, by ExerciseRow attribute."""
    by_name = {m.name: m.green for m in context.metrics if m.green is not None}
    return {f"{phase}_minutes": by_name[f"exercise_{phase}_minutes_median"]
            for phase in ("detect", "escalate", "contain", "recover")
            if f"exercise_{phase}_minutes_median" in by_name}
