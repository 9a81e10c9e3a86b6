"""Plotly figures shared by the dashboard and the board PDF: one function per chart.

Each function takes plain rows from a ReportContext and returns a `go.Figure`. Readability rules:
the Okabe–Ito colour-blind-safe palette; every series also differs by fill pattern, line dash or
marker shape, and bars carry their value as a direct label, so the chart still reads in greyscale.
Maturity axes run 0–5. A figure with nothing to show says so in the plot instead of staying blank.

Plotly reads a subset of HTML in every text (``<br>``, ``<b>``, ``<a href>``, ``<span style>``): user
text (site names) goes through `_text` so it stays text — a ``style="fill:url(http://…)"`` in a
site name would otherwise make every viewer's browser fetch that address.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from evidence.tally import Tally
from exports.context import (
    ExceptionRow,
    ExerciseRow,
    GoalRow,
    Headline,
    ScenarioRow,
    ScoreRow,
    SiteRow,
    TrendRow,
)
from exports.formatting import metric_value

# Okabe & Ito (2008), the palette designed for colour-vision deficiency.
BLUE, ORANGE, SKY, GREEN, YELLOW, VERMILLION, PURPLE, GREY = (
    "#0072B2", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#D55E00", "#CC79A7", "#999999",
)
INK = "#222222"
DARK = {BLUE, VERMILLION, "#0B4F8A"}
FONT = "DejaVu Sans"
ENV_STYLE = {"IT": (BLUE, ""), "OT": (ORANGE, "/")}
STATUS_STYLE = {
    # status: (z value, colour, cell label). Implemented is green-family; darker = better, in steps
    # a greyscale print or a deuteranope still tells apart (grey ≈ 93, 147, 200, 247 of 255), and
    # every cell also carries its status as a symbol and a word (the symbols of GOAL_SYMBOLS).
    "implemented": (3, "#1A6B3C", "Implemented"),
    "in_progress": (2, "#3E9BD1", "In progress"),
    "not_implemented": (1, "#F4C06A", "Not implemented"),
    "not_assessed": (0, "#F7F7F7", "Not assessed"),
}
GOAL_SYMBOLS = {"implemented": "●", "in_progress": "◐", "not_implemented": "○", "not_assessed": "–"}
DARK_STATES = {"implemented", "in_progress"}
RATING_STYLE = {
    "critical": (VERMILLION, "x"), "high": (ORANGE, "/"), "medium": (SKY, "."), "low": (GREY, ""),
}
SHORT_STATUS = {"implemented": "Impl.", "in_progress": "In prog.", "not_implemented": "Not impl.",
                "not_assessed": "–"}
"""Cell marks of a CPG grid too narrow for words (the status shapes the report's tables use)."""
LOG_TICKS = [1, 10, 60, 240, 1440, 10080]
LOG_LABELS = ["1 min", "10 min", "1 h", "4 h", "1 day", "1 week"]
PHASES = (
    ("detect_minutes", "Detect", BLUE, ""),
    ("escalate_minutes", "Escalate", SKY, "."),
    ("contain_minutes", "Contain", ORANGE, "/"),
    ("recover_minutes", "Recover", VERMILLION, "x"),
)


def _layout(fig: go.Figure, title: str, height: int, **extra) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 14}},
        font={"family": FONT, "size": 11, "color": INK},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        height=height,
        margin={"l": 10, "r": 20, "t": 60, "b": 30},
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "xanchor": "left"},
        bargap=0.25,
        **extra,
    )
    fig.update_xaxes(showline=True, linecolor="#888888", gridcolor="#E5E5E5", automargin=True)
    fig.update_yaxes(showline=True, linecolor="#888888", gridcolor="#E5E5E5", automargin=True)
    return fig


def _empty(title: str, message: str, height: int = 160) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
                       font={"size": 13})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title, height)


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _bar(name, categories, values, colour, pattern, *, orientation="h", text=None) -> go.Bar:
    """A bar series: horizontal (categories on y) or vertical (categories on x).

    Value labels sit inside the bar at its base when they fit (targets are marked near the bar
    end, so the two never collide), else outside; dark fills get white labels. The pattern is
    drawn over the bar's colour (`fillmode="overlay"`): with plotly's default ("replace") a pattern
    colour of its own leaves the bar white under the hatching.
    """
    x, y = (values, categories) if orientation == "h" else (categories, values)
    inside = "#FFFFFF" if colour in DARK else INK
    return go.Bar(
        name=name, x=x, y=y, orientation=orientation,
        marker={"color": colour, "line": {"color": INK, "width": 0.6},
                "pattern": {"shape": pattern, "fillmode": "overlay", "fgcolor": INK, "fgopacity": 0.4, "size": 8,
                            "solidity": 0.15}},
        text=text if text is not None else [_fmt(v) for v in values],
        textposition="auto", insidetextanchor="start", cliponaxis=False,
        insidetextfont={"color": inside}, outsidetextfont={"color": INK},
    )


def _target_marks(categories, values) -> go.Scatter:
    """Targets as a thick vertical tick on horizontal bars."""
    return go.Scatter(
        name="Target", x=values, y=categories, mode="markers",
        marker={"symbol": "line-ns", "size": 18, "line": {"width": 3, "color": INK}, "color": INK},
    )


def overall_chart(headline: Headline, environments: Sequence[str]) -> go.Figure:
    """Claimed vs verified bars and the target mark, overall and per environment."""
    labels = ["Overall", *environments]
    triples = [headline.overall, *(headline.by_environment.get(e) for e in environments)]
    labels.reverse(), triples.reverse()
    fig = go.Figure([
        _bar("Claimed", labels, [t.claimed if t else None for t in triples], SKY, "/"),
        _bar("Verified", labels, [t.verified if t else None for t in triples], BLUE, ""),
        _target_marks(labels, [t.target if t else None for t in triples]),
    ])
    fig.update_xaxes(range=[0, 5.4], dtick=1, title="Maturity (0–5)")
    return _layout(fig, "Claimed, verified and target maturity", 260, barmode="group")


def function_chart(rows: Sequence[ScoreRow], environments: Sequence[str], title: str,
                   bar_px: int = 22) -> go.Figure:
    """Verified score per node and environment, target as a mark; used for functions and categories
    (`bar_px` is the thickness of one bar: smaller for the long category list, to fit a page)."""
    if not rows:
        return _empty(title, "No scored areas")
    labels = [f"{r.id} {r.title}" if len(r.title) <= 28 else f"{r.id} {r.title[:26]}…" for r in rows][::-1]
    rows = list(rows)[::-1]
    traces = []
    # Horizontal groups draw their first trace at the bottom: add OT first so IT sits on top.
    for env in reversed(environments):
        colour, pattern = ENV_STYLE[env]
        values = [(r.it if env == "IT" else r.ot) for r in rows]
        traces.append(_bar(f"{env} verified", labels, [v.verified if v else None for v in values], colour, pattern))
    traces.append(_target_marks(labels, [r.combined.target for r in rows]))
    fig = go.Figure(traces)
    fig.update_xaxes(range=[0, 5.4], dtick=1, title="Verified maturity (0–5)")
    height = 110 + len(rows) * (bar_px * len(environments) + 10)
    return _layout(fig, title, height, barmode="group", legend_traceorder="reversed")


def cpg_heatmap(goals: Sequence[GoalRow], environments: Sequence[str], *, subset: str = "") -> go.Figure:
    """CPG goal status per environment: colour by status, and the status word in every cell.

    In an enterprise report (goals carry `sites`) the grid is goal × site: first the worst status
    over all sites per environment, then one column per site (its worst over its environments), so
    a goal not implemented at any plant shows. With many columns the cell words are abbreviated,
    with more than eight they become the status shapes (● ◐ ○ –).
    Drawn with rectangles and text rather than go.Heatmap, because plotly exports heatmaps as an
    embedded bitmap; rectangles stay vector in the PDF. The cell words are the second trace.
    """
    if not goals:
        return _empty("CISA CPG 2.0 goals: status by environment", "No CPG goals in this questionnaire")
    sites = [site for site, _ in goals[0].sites]
    columns = [(f"All sites<br>{env}" if sites else env, env) for env in environments]
    columns += [(_wrap(site), site) for site in sites]
    title = "CISA CPG 2.0 goals: status by site and environment" if sites else "CISA CPG 2.0 goals: status by environment"
    title += f" ({subset})" if subset else ""
    short, narrow = len(columns) > 3, len(columns) > 8
    goals = list(goals)[::-1]
    shapes, words, word_colours, hover_x, hover_y, hover_text = [], [], [], [], [], []
    for row, goal in enumerate(goals):
        by_site = dict(goal.sites)
        for col, (_, key) in enumerate(columns):
            if key in environments and col < len(environments):
                state = (goal.status_it if key == "IT" else goal.status_ot) or "not_assessed"
            else:
                state = by_site.get(key) or "not_assessed"
            _, colour, label = STATUS_STYLE[state]
            outline = {"width": 0.8, "color": "#999999", "dash": "dot"} if state == "not_assessed" else {"width": 0}
            shapes.append({"type": "rect", "x0": col + 0.03, "x1": col + 0.97, "y0": row + 0.06,
                           "y1": row + 0.94, "fillcolor": colour, "line": outline, "layer": "below"})
            word = GOAL_SYMBOLS[state] if narrow else SHORT_STATUS[state] if short else label
            words.append(word if word == GOAL_SYMBOLS[state] else f"{GOAL_SYMBOLS[state]} {word}")
            word_colours.append("#FFFFFF" if state in DARK_STATES else INK)
            hover_x.append(col + 0.5), hover_y.append(row + 0.5)
            hover_text.append(f"{goal.id} · {_text(key)}: {label}")
    # One layout update (per-cell add_shape calls cost ~10 ms each); invisible points give the
    # interactive dashboard a hover label per cell. The words are one text trace, not annotations:
    # plotly handles a list of annotations in quadratic time (hundreds of cells with many sites).
    fig = go.Figure(
        [go.Scatter(x=hover_x, y=hover_y, text=hover_text, mode="markers", opacity=0,
                    hovertemplate="%{text}<extra></extra>", showlegend=False),
         go.Scatter(x=hover_x, y=hover_y, text=words, mode="text", textfont={"size": 12, "color": word_colours},
                    hoverinfo="skip", showlegend=False)],
        layout={"shapes": shapes},
    )
    # Goal names wrap onto a second line rather than being cut off (the longest CPG 2.0 title has 61
    # characters); only a name longer than two lines gets an ellipsis.
    width = 34 if short else 44
    labels = [_wrap(f"{g.id.split(':')[-1]} {g.title}", width) for g in goals]
    fig.update_xaxes(range=[0, len(columns)], tickvals=[i + 0.5 for i in range(len(columns))],
                     ticktext=[label for label, _ in columns], side="top", showline=False, showgrid=False,
                     zeroline=False, tickfont={"size": 10})
    fig.update_yaxes(range=[0, len(goals)], tickvals=[i + 0.5 for i in range(len(goals))], ticktext=labels,
                     showline=False, showgrid=False, zeroline=False, tickfont={"size": 10})
    fig = _layout(fig, title, (120 if sites else 90) + 23 * len(goals))
    if sites:
        fig.update_layout(margin={"t": 130 if narrow else 100})  # room for the site names turned upright
    return fig


def _wrap(name: str, width: int = 12) -> str:
    """A site name on up to two lines of about `width` characters, for a narrow column head."""
    words, lines = name.split(), [""]
    for word in words:
        if lines[-1] and len(lines[-1]) + 1 + len(word) > width:
            lines.append(word)
        else:
            lines[-1] = f"{lines[-1]} {word}".strip()
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    return "<br>".join(_text(line if len(line) <= width + 4 else line[: width + 2] + "…") for line in lines)


def _text(value: str) -> str:
    """User text for a plotly label: its ``& < >`` as entities, so no tag of it is read."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def trend_chart(trend: Sequence[TrendRow]) -> go.Figure:
    """Target, claimed and verified per period. A provisional last point (a draft or in-review
    assessment, shown only when asked for) is not joined to the finalised line: it hangs off it
    as a hollow grey mark on a dotted stub, its axis label says "draft", and its value label says
    "provisional"."""
    title = "Overall maturity over time"
    final = [t for t in trend if not t.provisional]
    draft = trend[-1] if trend and trend[-1].provisional else None
    if len(final) < 2 and draft is None:
        return _empty(title, "Trend appears after the second finalised assessment")
    if not final:
        return _empty(title, "No finalised assessment yet: the draft is not a trend")
    x = [t.label for t in final]
    # Direct labels on the verified line only (below it): target and claimed often sit within a
    # few hundredths of it and their labels would overprint; the target is named once, at the end.
    series = (
        ("Target", [t.overall.target for t in final], INK, "dot", "diamond-open", False),
        ("Claimed", [t.overall.claimed for t in final], SKY, "dash", "square", False),
        ("Verified", [t.overall.verified for t in final], BLUE, "solid", "circle", True),
    )
    # The last verified label goes on the side away from the target, and the target's label on
    # the other side of its own mark, so the two never print over each other.
    last_verified, last_target = final[-1].overall.verified, final[-1].overall.target
    above = last_verified is not None and last_target is not None and last_verified >= last_target
    positions = ["bottom center"] * (len(x) - 1) + ["top center" if above else "bottom center"]
    fig = go.Figure([
        go.Scatter(name=name, x=x, y=y, mode="lines+markers+text" if labelled else "lines+markers",
                   text=[_fmt(v) for v in y] if labelled else None, textposition=positions if labelled else None,
                   line={"color": c, "dash": dash, "width": 2.5}, marker={"symbol": sym, "size": 8},
                   cliponaxis=False)
        for name, y, c, dash, sym, labelled in series
    ])
    if draft is not None:
        label = f"{draft.label} draft"
        fig.add_trace(go.Scatter(
            name="Draft (provisional)", x=[x[-1], label], y=[last_verified, draft.overall.verified],
            mode="lines+markers+text", text=["", f"{_fmt(draft.overall.verified)} provisional"],
            textposition="top center", line={"color": GREY, "dash": "dot", "width": 2},
            marker={"symbol": ["circle", "circle-open"], "size": [0, 11], "color": GREY, "line": {"width": 2.5}},
            cliponaxis=False))
        fig.update_xaxes(categoryorder="array", categoryarray=[*x, label])
    if last_target is not None:
        fig.add_annotation(x=x[-1], y=last_target, text=f"target {last_target:.2f}", showarrow=False,
                           xanchor="left" if draft is None else "right", xshift=10 if draft is None else -10,
                           yanchor="top" if above else "bottom", yshift=-4 if above else 4, font={"size": 12})
    fig.update_yaxes(range=[0, 5.3], dtick=1, title="Maturity (0–5)")
    fig.update_xaxes(type="category")
    return _layout(fig, title, 280)


def scenario_chart(rows: Sequence[ScenarioRow], environments: Sequence[str]) -> go.Figure:
    title = "Scenario readiness (mean verified maturity of the scenario's questions)"
    if not rows:
        return _empty(title, "No scenarios defined")
    rows = list(rows)[::-1]
    labels = [r.name if len(r.name) <= 44 else r.name[:42] + "…" for r in rows]
    traces = []
    for env in reversed(environments):
        colour, pattern = ENV_STYLE[env]
        traces.append(_bar(env, labels, [r.it if env == "IT" else r.ot for r in rows], colour, pattern))
    fig = go.Figure(traces)
    fig.update_xaxes(range=[0, 5.4], dtick=1, title="Readiness (0–5)")
    return _layout(fig, title, 100 + len(rows) * (22 * len(environments) + 10), barmode="group",
                   legend_traceorder="reversed")


def exception_ageing_chart(rows: Sequence[ExceptionRow], bands: Sequence[str]) -> go.Figure:
    """Open exceptions per age band, stacked by risk rating."""
    title = "Open exceptions by age and risk rating"
    if not rows:
        return _empty(title, "No open exceptions")
    traces = []
    for rating, (colour, pattern) in RATING_STYLE.items():
        counts = [sum(1 for r in rows if r.age_band == b and r.risk_rating == rating) for b in bands]
        if any(counts):
            traces.append(_bar(rating.capitalize(), list(bands), counts, colour, pattern, orientation="v",
                               text=[str(c) if c else "" for c in counts]))
    fig = go.Figure(traces)
    for trace in fig.data:
        trace.textposition = "inside"
        trace.insidetextanchor = "middle"
        trace.textfont = {"color": INK, "size": 12}
        trace.marker.pattern.solidity = 0.12
    totals = [sum(1 for r in rows if r.age_band == b) for b in bands]
    for band, total in zip(bands, totals, strict=True):
        if total:
            fig.add_annotation(x=band, y=total, text=f"<b>{total}</b>", showarrow=False, yshift=10)
    fig.update_yaxes(title="Open exceptions", rangemode="tozero", tickformat="d",
                     range=[0, max(totals) * 1.15 + 0.5])
    fig.update_layout(uniformtext={"minsize": 10, "mode": "hide"})  # hide labels of slivers; totals stay
    return _layout(fig, title, 280, barmode="stack")


def exercise_chart(rows: Sequence[ExerciseRow], targets: dict[str, float] | None = None) -> go.Figure:
    """Per response phase: the median minutes over the exercises shown (the rows the exercise
    metrics pool, so the same medians) and the latest exercise's time, with the metric's green
    threshold as the target mark. Log scale: detection takes minutes, recovery days. `targets`
    maps the ExerciseRow attribute (e.g. detect_minutes) to minutes.
    """
    title = "Exercise performance: minutes per response phase"
    if not rows:
        return _empty(title, "No exercises recorded")
    latest = max(rows, key=lambda r: r.date)
    names, medians, counts, last = [], [], [], []
    for attr, name, _, _ in PHASES:
        values = sorted(v for r in rows if (v := getattr(r, attr)) is not None)
        names.append(name)
        counts.append(len(values))
        medians.append(_median(values))
        last.append(getattr(latest, attr))
    names, medians, counts, last = names[::-1], medians[::-1], counts[::-1], last[::-1]
    fig = go.Figure([
        _bar(f"Latest ({latest.date.isoformat()})", names, last, SKY, "/",
             text=[_minutes(v) for v in last]),
        _bar("Median of exercises", names, medians, BLUE, "",
             text=[_minutes(v) + (f" (n={n})" if v is not None else "") for v, n in zip(medians, counts, strict=True)]),
    ])
    if targets:
        phase_targets = [targets.get(attr) for attr, _, _, _ in PHASES][::-1]
        fig.add_trace(_target_marks(names, phase_targets))
    fig.update_xaxes(type="log", title="Time (log scale)", tickvals=LOG_TICKS, ticktext=LOG_LABELS,
                     range=[0, 4.1])
    return _layout(fig, title, 300, barmode="group", legend_traceorder="reversed")


def _median(values: list[float]) -> float | None:
    """The median by the exercise metrics' own rule (evidence.tally), so chart and table agree."""
    return Tally.distribution(np.asarray(values, dtype=float)).value


def _minutes(value: float | None) -> str:
    return metric_value(value, "minutes")


def site_chart(rows: Sequence[SiteRow], *, subset: str = "") -> go.Figure:
    """Claimed, verified and target per site; `subset` says which sites these are when not all
    (exports.board_size)."""
    title = "Sites compared: claimed, verified and target" + (f" ({subset})" if subset else "")
    if not rows:
        return _empty(title, "No sites to compare")
    rows = list(rows)[::-1]
    labels = [_text(r.name if len(r.name) <= 30 else r.name[:28] + "…") for r in rows]
    fig = go.Figure([
        _bar("Claimed", labels, [r.overall.claimed for r in rows], SKY, "/"),
        _bar("Verified", labels, [r.overall.verified for r in rows], BLUE, ""),
        _target_marks(labels, [r.overall.target for r in rows]),
    ])
    fig.update_xaxes(range=[0, 5.4], dtick=1, title="Maturity (0–5)")
    return _layout(fig, title, 110 + len(rows) * 54, barmode="group")


# --- Trends and comparison (the app's Trends view) ------------------------------------------------

LINE_STYLES = (
    # (colour, dash, marker): colour, dash and marker all differ, so lines stay apart in greyscale.
    (BLUE, "solid", "circle"), (ORANGE, "dash", "square"), (GREEN, "dot", "diamond"),
    (VERMILLION, "dashdot", "triangle-up"), (PURPLE, "longdash", "x"), (SKY, "longdashdot", "star"),
    (INK, "solid", "cross"), (YELLOW, "dash", "hexagon"),
)
BAR_STYLES = ((BLUE, ""), (ORANGE, "/"), (GREEN, "x"), (VERMILLION, "."), (PURPLE, "\\"), (SKY, "+"),
              (GREY, "-"), (YELLOW, "|"))


def function_trend_chart(trend: Sequence[TrendRow], titles: dict[str, str]) -> go.Figure:
    """Verified maturity of each CSF function per period (one line per function, `titles` by id)."""
    title = "CSF 2.0 functions over time: verified maturity"
    if len(trend) < 2:
        return _empty(title, "Trend appears after the second finalised assessment")
    x = [t.label for t in trend]
    traces = []
    for index, (fid, name) in enumerate(titles.items()):
        colour, dash, symbol = LINE_STYLES[index % len(LINE_STYLES)]
        traces.append(go.Scatter(name=f"{fid} {name}", x=x, y=[t.functions.get(fid) for t in trend],
                                 mode="lines+markers", line={"color": colour, "dash": dash, "width": 2.5},
                                 marker={"symbol": symbol, "size": 9}, connectgaps=False))
    fig = go.Figure(traces)
    fig.update_yaxes(range=[0, 5.3], dtick=1, title="Verified maturity (0–5)")
    fig.update_xaxes(type="category")
    return _layout(fig, title, 340)


def cpg_trend_chart(trend: Sequence[TrendRow]) -> go.Figure:
    """% of assessed CISA CPG 2.0 goals implemented, per period, as labelled bars (0–100 %)."""
    title = "CISA CPG 2.0 goals implemented over time"
    if not trend:
        return _empty(title, "No finalised assessment yet")
    x = [t.label for t in trend]
    values = [t.cpg_implemented_pct for t in trend]
    fig = go.Figure([_bar("% implemented", x, values, BLUE, "", orientation="v",
                          text=["" if v is None else f"{v:.0f} %" for v in values])])
    fig.update_yaxes(range=[0, 110], dtick=20, title="% of assessed goals", ticksuffix=" %")
    fig.update_xaxes(type="category")
    return _layout(fig, title, 280, showlegend=False)


def metric_trend_chart(label: str, unit: str, points: Sequence[tuple[str, float | None]]) -> go.Figure:
    """One resilience metric per period (`points` are (period label, value) in time order).

    Percentages use a 0–100 axis so a small wiggle does not look like a collapse.
    """
    if not any(v is not None for _, v in points):
        return _empty(label, "No value recorded yet", height=220)
    x = [p for p, _ in points]
    y = [v for _, v in points]
    known = [i for i, v in enumerate(y) if v is not None]
    # Label the first and the latest value only: six labels in a small chart collide.
    text = ["" if i not in (known[0], known[-1]) else metric_value(v, unit) for i, v in enumerate(y)]
    fig = go.Figure([go.Scatter(name=label, x=x, y=y, mode="lines+markers+text", text=text,
                                textposition="top center", line={"color": BLUE, "width": 2.5},
                                marker={"size": 8}, cliponaxis=False, connectgaps=False)])
    if unit == "pct":
        fig.update_yaxes(range=[0, 112], ticksuffix=" %")
    else:
        top = max(v for v in y if v is not None)
        fig.update_yaxes(range=[0, top * 1.25 + 1], rangemode="tozero")
    fig.update_xaxes(type="category")
    _layout(fig, label, 240, showlegend=False)
    fig.update_layout(margin={"l": 10, "r": 30, "t": 44, "b": 20})
    return fig


def site_function_chart(rows: Sequence[SiteRow], titles: dict[str, str]) -> go.Figure:
    """Sites side by side per CSF function: verified maturity, one bar series per site."""
    title = "Sites compared by CSF 2.0 function: verified maturity"
    if not rows:
        return _empty(title, "No sites to compare")
    labels = [f"{fid}<br>{name}" if len(name) <= 14 else f"{fid}<br>{name[:12]}…" for fid, name in titles.items()]
    traces = []
    for index, row in enumerate(rows):
        colour, pattern = BAR_STYLES[index % len(BAR_STYLES)]
        traces.append(_bar(_text(row.name), labels, [row.functions.get(fid) for fid in titles], colour, pattern,
                           orientation="v"))
    fig = go.Figure(traces)
    for trace in fig.data:
        # Too many bars for value labels (the table beside it has the numbers); the pattern is
        # drawn over the site's colour so both colour and pattern identify the site.
        trace.text = None
        trace.marker.pattern.fillmode = "overlay"
        trace.hovertemplate = "%{fullData.name}<br>%{x}: %{y:.2f}<extra></extra>"
    fig.update_yaxes(range=[0, 5.2], dtick=1, title="Verified maturity (0–5)")
    _layout(fig, title, 380, barmode="group")
    fig.update_layout(legend={"orientation": "h", "x": 0, "y": -0.18, "yanchor": "top", "xanchor": "left"},
                      margin={"l": 10, "r": 20, "t": 50, "b": 30})
    return fig
