"""The path-to-target slide: shown only when the report carries a plan with projected points.

`projection_of(context)` turns the report's verified history (`trend`) and the plan's projection
(`plan.points`, `plan.headline`) into the `Projection` the slide draws: one period per recorded
quarter, then one per projected quarter end; the plan's first point is today's verified score, so
the recorded and projected lines meet there. No plan, or a plan without points: no slide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from pptx.enum.chart import XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE

from exports.charts import BLUE, INK, SKY
from exports.context import ReportContext
from exports.deck.native import Line, line_chart
from exports.deck.style import CONTENT, new_slide, notes
from exports.formatting import day, score

JSON = "JSON report (scorecard report … --format json)"


@dataclass(frozen=True)
class Projection:
    """What the slide draws: per period, the recorded verified maturity (None for future periods)
    and the projected one (None where there is no projection), the target, the period in which
    the projection reaches it ("" when it does not) and the method in words."""

    periods: Sequence[str]
    recorded: Sequence[float | None]
    projected: Sequence[float | None]
    target: float | None
    reaches_target: str
    method: str
    due: date | None = None
    """When the target is due (None: no due date)."""


def projection_of(context: ReportContext) -> Projection | None:
    """The history and the plan's projection as one series of periods, or None (no slide)."""
    plan = context.plan
    if plan is None or len(plan.points) < 2:
        return None
    history = [row for row in context.trend if row.as_of < plan.today]
    today, future = plan.points[0], plan.points[1:]
    periods = [row.label for row in history] + [_quarter(today.on)] + [p.label for p in future]
    recorded = [row.overall.verified for row in history] + [today.verified] + [None] * len(future)
    projected = [None] * len(history) + [today.verified] + [p.verified for p in future]
    headline = plan.headline
    target = headline.target if headline is not None else today.target
    reached = next((p.label for p in plan.points if headline is not None and p.on == headline.reached_on), "")
    if headline is not None and headline.reached_on == today.on:
        reached = _quarter(today.on)
    due = f", due {day(headline.due)}" if headline is not None else ""
    method = (f"Verified maturity recorded at each finalised assessment, then projected per quarter end as if "
              f"each action of the plan were done by its due date (overdue actions slip by the site's average "
              f"delay). Target {score(target)}{due}." if target is not None else
              "Verified maturity recorded, then projected per quarter end as the plan's actions are done.")
    return Projection(periods, recorded, projected, target, reached, method, due=headline.due if headline else None)


def _quarter(day: date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def path_slide(prs, c: ReportContext, p: Projection) -> None:
    target = f"The target {score(p.target)}" + (f" due {day(p.due)}" if p.due else "") if p.target is not None else ""
    if p.reaches_target:
        when = f"{target} is reached in {p.reaches_target} at this pace." if target else (
            f"At this pace the target is reached in {p.reaches_target}.")
    else:
        last = next((v for v in reversed(p.projected) if v is not None), None)
        ends = f" (projected {score(last)} in {p.periods[-1]})" if last is not None else ""
        when = f"{target} is not reached within the plan{ends}." if target else (
            "At this pace the target is not reached within the projection.")
    slide = new_slide(prs, c, "Path to target", when)
    meet = next(i for i, v in enumerate(p.projected) if v is not None)  # today: both lines start here
    line_chart(slide, CONTENT, "path", list(p.periods), [
        Line("Target", [p.target] * len(p.periods), INK, MSO_LINE_DASH_STYLE.ROUND_DOT, XL_MARKER_STYLE.NONE),
        Line("Projected verified", list(p.projected), SKY, MSO_LINE_DASH_STYLE.DASH, XL_MARKER_STYLE.SQUARE,
             labels=True, quiet=(meet,)),
        Line("Verified", list(p.recorded), BLUE, labels=True),
    ])
    notes(slide, p.method, [f"Projected points: plan.points[].verified; target and due date: plan.headline; in the {JSON}.",
                            "Recorded points: trend[].overall.verified, then today's verified score."])
