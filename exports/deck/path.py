"""The path-to-target slide: shown only when the report context carries a projection.

The hook: `projection_of(context)` returns `context.projection` when the ReportContext has one
(the path-to-target projection of issue #17) and None otherwise, which leaves the slide out. The
slide reads the projection through the `Projection` protocol below; a projection whose fields are
named differently is adapted in `projection_of`, the one place to change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pptx.enum.chart import XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE

from exports.charts import BLUE, INK, SKY
from exports.context import ReportContext
from exports.deck.native import Line, line_chart
from exports.deck.style import CONTENT, new_slide, notes

JSON = "JSON report (scorecard report … --format json)"


class Projection(Protocol):
    """What the slide needs of a projection: per period, the recorded verified maturity (None for
    future periods) and the projected one (None where there is no projection), the target, when
    the projection reaches it, and the method in words."""

    periods: Sequence[str]
    recorded: Sequence[float | None]
    projected: Sequence[float | None]
    target: float | None
    reaches_target: str
    """The period label in which the projected verified maturity reaches the target, or ""."""
    method: str


def projection_of(context: ReportContext) -> Projection | None:
    """The context's projection, or None (no path-to-target slide)."""
    return getattr(context, "projection", None)


def path_slide(prs, c: ReportContext, p: Projection) -> None:
    when = f"At this pace the target is reached in {p.reaches_target}." if p.reaches_target else (
        "At this pace the target is not reached within the projection.")
    slide = new_slide(prs, c, "Path to target", when)
    line_chart(slide, CONTENT, "path", list(p.periods), [
        Line("Target", [p.target] * len(p.periods), INK, MSO_LINE_DASH_STYLE.ROUND_DOT, XL_MARKER_STYLE.NONE),
        Line("Projected verified", list(p.projected), SKY, MSO_LINE_DASH_STYLE.DASH, XL_MARKER_STYLE.SQUARE,
             labels=True),
        Line("Verified", list(p.recorded), BLUE, labels=True),
    ])
    notes(slide, p.method, [f"Lines: projection (periods, recorded, projected, target) in the {JSON}.",
                            "Recorded points: trend[].overall.verified."])
