"""Drawing the shared plotly figures (exports.charts) on screen.

The figures are laid out for an A4 page; on a screen or a projector they get larger type, and
the mode bar keeps only the download-as-image button. The figure itself is not changed in ways
the PDF depends on: the same function draws both.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

SCREEN_FONT = 14
TITLE_FONT = 17
CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d", "zoom2d", "pan2d",
                                                           "zoomIn2d", "zoomOut2d", "autoScale2d"]}


def for_screen(fig: go.Figure, *, scale: float = 1.15) -> go.Figure:
    """Larger type and height for a screen; annotations (heatmap cells, totals) grow with it."""
    fig.update_layout(font={"size": SCREEN_FONT}, title_font={"size": TITLE_FONT},
                      height=int((fig.layout.height or 300) * scale))
    for note in fig.layout.annotations or ():
        size = note.font.size if note.font and note.font.size else SCREEN_FONT - 2
        note.font.size = max(size, SCREEN_FONT - 2)
    return fig


def show(fig: go.Figure, key: str, *, scale: float = 1.15) -> None:
    st.plotly_chart(for_screen(fig, scale=scale), key=key, config=CONFIG, theme=None)
