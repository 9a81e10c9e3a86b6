"""Plotly figures of the path to target, shared by the dashboard, the Plan view and the board PDF
(exports.charts' palette and rules: every series differs by colour, dash and marker as well, so
the chart reads in greyscale; maturity axes run 0–5).

The time axis is real dates, labelled by calendar quarter, so a target's due date sits where it
falls between quarter ends.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import plotly.graph_objects as go

from exports.charts import BLUE, INK, LINE_STYLES, ORANGE, VERMILLION, _empty, _fmt, _layout
from exports.context import TrendRow
from exports.plan_context import PlanPoint, PlanSection, TargetRow

STATUS_WORDS = {"on_track": "on track", "at_risk": "at risk", "off_track": "off track"}
MARGIN_DAYS = 45
COMPACT_HEIGHT_PX = 200


def path_to_target_chart(trend: Sequence[TrendRow], plan: PlanSection | None, compact: bool = False) -> go.Figure:
    """Verified history (finalised points, then the report's own), the plan's projection from
    there, and the overall target as a line ending at its due date, with the verdict.
    `compact`: for the board PDF's summary, where it prints 36 mm high: 680 × 200 px with no
    title (the line under it says what it is) and the legend on the right, so its text prints at
    about 6 pt instead of 4."""
    title = "Path to target: verified maturity"
    points = plan.points if plan else ()
    if not trend and not points:
        return _empty(title, "No verified score yet")
    traces = [go.Scatter(name="Verified", x=[t.as_of for t in trend], y=[t.overall.verified for t in trend],
                         mode="lines+markers", line={"color": BLUE, "width": 2.5}, marker={"symbol": "circle", "size": 8},
                         hovertemplate="%{x|%Y-%m-%d}: %{y:.2f}<extra>verified</extra>")]
    if len(points) > 1:
        # Only the last projected value is labelled: quarterly labels collide with the target's.
        traces.append(go.Scatter(
            name="Projected (plan)", x=[p.on for p in points], y=[p.verified for p in points],
            mode="lines+markers+text", text=[""] * (len(points) - 1) + [_fmt(points[-1].verified)],
            textposition="bottom center", line={"color": ORANGE, "width": 2.5, "dash": "dash"},
            # no marker on the first point: it is today's verified score, marked by the verified line
            marker={"symbol": "diamond", "size": [0] + [9] * (len(points) - 1)}, cliponaxis=False,
            hovertemplate="%{x|%Y-%m-%d}: %{y:.2f}<extra>projected</extra>"))
    fig = go.Figure(traces)
    dates = [t.as_of for t in trend] + [p.on for p in points]
    headline = plan.headline if plan else None
    target = headline.target if headline else (points[0].target if points else trend[-1].overall.target)
    if headline is not None:
        dates.append(headline.due)
    start, end = min(dates) - timedelta(days=MARGIN_DAYS), max(dates) + timedelta(days=MARGIN_DAYS)
    if target is not None:
        _target_line(fig, target, headline, start, end)
    if headline is not None and headline.reached_on is not None and headline.reached_on != plan.today:
        reached = next((p for p in points if p.on == headline.reached_on), None)
        if reached is not None and reached.verified is not None:
            fig.add_trace(go.Scatter(name=f"Reached {_quarter(reached.on)}", x=[reached.on], y=[reached.verified],
                                     mode="markers", marker={"symbol": "star", "size": 15, "color": INK},
                                     hoverinfo="skip"))
    ticks = _quarter_ends(start, end)
    fig.update_xaxes(type="date", range=[start, end], tickvals=ticks, ticktext=[_quarter(d) for d in ticks])
    fig.update_yaxes(range=[0, 5.3], dtick=1, title="Verified maturity (0–5)")
    if compact:
        _layout(fig, "", COMPACT_HEIGHT_PX)
        fig.update_layout(legend={"orientation": "v", "x": 1.01, "y": 0.5, "yanchor": "middle", "xanchor": "left",
                                  "font": {"size": 10}}, margin={"l": 10, "r": 10, "t": 8, "b": 24})
        return fig.update_yaxes(title="Verified (0–5)")
    return _layout(fig, title, 300)


def _target_line(fig: go.Figure, target: float, headline: TargetRow | None, start: date, end: date) -> None:
    """The target as a dotted line ending at its due date (a tick marks the date); the legend
    names it with its date and verdict, so no label sits on the lines."""
    stop = headline.due if headline else end
    name = (f"Target {target:.2f}, no due date" if headline is None
            else f"Target {target:.2f} due {headline.due.isoformat()}: {STATUS_WORDS.get(headline.status, headline.status)}")
    fig.add_trace(go.Scatter(name=name, x=[start, stop], y=[target, target], mode="lines",
                             line={"color": VERMILLION if headline and headline.status != "on_track" else INK,
                                   "width": 2, "dash": "dot"}, hoverinfo="skip"))
    if headline is not None:
        fig.add_trace(go.Scatter(name="Due date", x=[headline.due], y=[target], mode="markers", showlegend=False,
                                 marker={"symbol": "line-ns", "size": 22, "line": {"width": 3, "color": INK}},
                                 hovertemplate=f"due {headline.due.isoformat()}<extra></extra>"))


def plan_comparison_chart(plans: Sequence[tuple[str, Sequence[PlanPoint]]], target: TargetRow | None) -> go.Figure:
    """Several plans' projected verified score side by side (`plans`: (name, points) each), with
    the overall target line to its due date."""
    title = "Plans compared: projected verified maturity"
    if not plans or not any(points for _, points in plans):
        return _empty(title, "No plan to compare")
    traces = []
    for index, (name, points) in enumerate(plans):
        colour, dash, symbol = LINE_STYLES[index % len(LINE_STYLES)]
        traces.append(go.Scatter(name=name, x=[p.on for p in points], y=[p.verified for p in points],
                                 mode="lines+markers", line={"color": colour, "dash": dash, "width": 2.5},
                                 marker={"symbol": symbol, "size": 9}))
    fig = go.Figure(traces)
    dates = [p.on for _, points in plans for p in points] + ([target.due] if target else [])
    start, end = min(dates) - timedelta(days=MARGIN_DAYS), max(dates) + timedelta(days=MARGIN_DAYS)
    if target is not None and target.target is not None:
        _target_line(fig, target.target, target, start, end)
    ticks = _quarter_ends(start, end)
    fig.update_xaxes(type="date", range=[start, end], tickvals=ticks, ticktext=[_quarter(d) for d in ticks])
    fig.update_yaxes(range=[0, 5.3], dtick=1, title="Verified maturity (0–5)")
    return _layout(fig, title, 320)


def _quarter(day: date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def _quarter_ends(start: date, end: date) -> list[date]:
    """Quarter ends between two dates; every other one when there are more than eight."""
    out, year, quarter = [], start.year, (start.month - 1) // 3
    while True:
        month = quarter * 3 + 3
        last = (date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)) - timedelta(days=1)
        if last > end:
            break
        if last >= start:
            out.append(last)
        quarter += 1
        if quarter == 4:
            year, quarter = year + 1, 0
    return out[::2] if len(out) > 8 else out
