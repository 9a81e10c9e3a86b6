"""Resilience metrics as tiles: value in its unit, RAG status as a word and a symbol (never colour
alone), the change since the previous finalised assessment, and a sparkline of the history.

Status colours follow the colour-blind-safe convention of the charts: blue for green status,
orange for amber, red for red, grey for missing.
"""

from __future__ import annotations

import streamlit as st

from services.dashboard import Tile

PER_ROW = 4
BADGE = {
    "green": ":blue-badge[● Green]",
    "amber": ":orange-badge[◐ Amber]",
    "red": ":red-badge[○ Red]",
    "missing": ":gray-badge[– Missing]",
}
TREND = {"better": "▲ better", "worse": "▼ worse", "same": "= same", "new": "new", "missing": ""}
DELTA_COLOUR = {"better": "blue", "worse": "orange"}


def metric_tiles(tiles: tuple[Tile, ...], key: str) -> None:
    if not tiles:
        st.info("No evidence imported for this assessment, so there are no measured metrics. "
                "Import evidence on the Evidence page.", icon=":material/info:")
        return
    for start in range(0, len(tiles), PER_ROW):
        cols = st.columns(PER_ROW)
        for col, tile in zip(cols, tiles[start:start + PER_ROW], strict=False):
            with col:
                _tile(tile, f"{key}-{tile.name}")


def _tile(tile: Tile, key: str) -> None:
    with st.container(border=True, key=key):
        delta = f"{TREND[tile.trend]} ({tile.change})" if tile.change else (TREND[tile.trend] or None)
        st.metric(tile.label, tile.value, delta=delta, delta_color=DELTA_COLOUR.get(tile.trend, "gray"),
                  delta_arrow="off", help=tile.rule,
                  chart_data=list(tile.history) if len(tile.history) > 1 else None, chart_type="line")
        rule = tile.rule.replace("[", "(").replace("]", ")")
        st.markdown(f"{BADGE.get(tile.status, tile.status)} :gray[{rule}]")
