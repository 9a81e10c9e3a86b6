"""Drawing the shared plotly figures (exports.charts) on screen.

The figures are laid out for an A4 page; on a screen or a projector they get larger type, and
the mode bar keeps only the download-as-image button. The figure itself is not changed in ways
the PDF depends on: the same function draws both.

Building a plotly figure costs 10–50 ms (property validation; a CPG grid of many sites far more),
most of a dashboard rerun, so a view builds its figures once per data version through `cached`
(the dashboard: each figure on first use, `DashboardFigures`) and reuses them on every rerun.
Streamlit copies a figure when sending it (`to_dict`), so a cached figure is never mutated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

import plotly.graph_objects as go
import streamlit as st

from exports.context import ReportContext
from exports.figures import report_figures
from ui.components.cache_keys import digest
from ui.text import md

SCALES = {"categories": 1.3, "cpg": 1.3}
TOP_MARGIN = 12
"""Top margin (px) of a figure on screen: its title is drawn by Streamlit above it (`draw`), and a
legend above the plot widens the margin itself (plotly makes room for a legend outside the plot,
however many lines it wraps onto on a phone)."""
SCREEN_FONT = 14
CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d", "zoom2d", "pan2d",
                                                           "zoomIn2d", "zoomOut2d", "autoScale2d"]}


def for_screen(fig: go.Figure, *, scale: float = 1.15) -> go.Figure:
    """Larger type and height for a screen. Annotations (heatmap cells, totals) and small axis
    labels grow with it; patterned bars keep their colour under the pattern. The title moves out
    of the figure into `layout.meta["title"]` and `draw` shows it as a heading: it wraps on a
    narrow screen where plotly would cut it, and a legend above the plot, which wraps onto more
    lines there, can never print over it."""
    title = fig.layout.title.text
    fig.update_layout(font={"size": SCREEN_FONT}, height=int((fig.layout.height or 300) * scale),
                      title_text=None, margin={"t": TOP_MARGIN})
    if title:
        fig.update_layout(meta={"title": title})
    notes = fig.layout.to_plotly_json().get("annotations")
    if notes:
        # Edited as plain dicts and assigned once: touching each plotly Annotation object finds its
        # place in the list by a linear scan, so a per-note loop is quadratic (a CPG heatmap of
        # many sites has thousands of cell labels).
        fig.layout.annotations = [_at_least(note, SCREEN_FONT - 2) for note in notes]
    for axis in (fig.layout.xaxis, fig.layout.yaxis):
        if axis.tickfont and axis.tickfont.size and axis.tickfont.size < SCREEN_FONT - 1:
            axis.tickfont.size = SCREEN_FONT - 1
    for trace in fig.data:
        if "text" in (getattr(trace, "mode", None) or "").split("+"):  # cell words drawn as a text trace
            size = trace.textfont.size
            if size is None or (not isinstance(size, tuple) and size < SCREEN_FONT - 2):
                trace.textfont.size = SCREEN_FONT - 2
        pattern = getattr(getattr(trace, "marker", None), "pattern", None)
        if pattern is not None and pattern.shape:
            pattern.fillmode = "overlay"
    return fig


def _at_least(note: dict, size: int) -> dict:
    font = dict(note.get("font") or {})
    font["size"] = max(font.get("size") or size, size)
    return {**note, "font": font}


@st.cache_resource(show_spinner=False, max_entries=160)
def _cached(key: str, _build: Callable[[], dict[str, go.Figure]]) -> dict[str, go.Figure]:
    return _build()


def cached(key: tuple, build: Callable[[], dict[str, go.Figure]]) -> dict[str, go.Figure]:
    """The figures `build` makes, built once per `key` (which must name the data version and every
    input of `build`) and already sized for the screen."""
    return _cached(digest(key), build)


def draw(fig: go.Figure, key: str) -> None:
    """A figure already prepared with `for_screen`, under its title."""
    title = screen_title(fig)
    config = CONFIG
    if title:
        st.markdown(f"##### {md(title)}")
        # The downloaded image has no title of its own now: its file name carries it.
        config = {**CONFIG, "toImageButtonOptions": {"filename": title.replace(":", " -")}}
    st.plotly_chart(fig, key=key, config=config, theme=None)


def screen_title(fig: go.Figure) -> str:
    """The title `for_screen` took out of the figure ("" when it had none)."""
    meta = fig.layout.meta
    return str(meta.get("title") or "") if isinstance(meta, dict) else ""


class DashboardFigures(Mapping[str, go.Figure]):
    """The board PDF's figures (exports.figures.report_figures) sized for the screen, each built on
    first use and cached under `key` (which must name the data version and the environment): the
    dashboard draws only the open tab's charts, so a figure of a closed tab is never built."""

    def __init__(self, key: tuple, context: ReportContext) -> None:
        self._key = digest(key)
        self._context = context

    def __getitem__(self, name: str) -> go.Figure:
        if name not in FIGURE_NAMES:
            raise KeyError(name)
        return _cached(f"{self._key}:{name}", lambda: {name: _screen_figure(self._context, name)})[name]

    def __iter__(self) -> Iterator[str]:
        return iter(FIGURE_NAMES)

    def __len__(self) -> int:
        return len(FIGURE_NAMES)


FIGURE_NAMES = ("overall", "trend", "path", "functions", "categories", "cpg", "scenarios", "exceptions",
                "exercises", "sites")
"""The names exports.figures.report_figures builds ("sites" on the enterprise view only)."""


def _screen_figure(context: ReportContext, name: str) -> go.Figure:
    built = report_figures(context, [name], screen=True)
    if name not in built:
        raise KeyError(f"no figure {name!r} for a {context.meta.kind} view")
    return for_screen(built[name], scale=SCALES.get(name, 1.15))
