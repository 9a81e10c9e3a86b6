"""Resilience metrics as tiles: value in its unit, RAG status as a word and a symbol (never colour
alone), the change since the previous finalised assessment, and a sparkline of the history.

Status badges say their status in a word and a symbol (● ◐ ○ –), so colour is never the only cue;
green status is drawn green, amber orange, red red, missing grey. Changes read blue (better) or
orange (worse), the colour-blind-safe pair of the charts, with ▲/▼ and a word.
"""

from __future__ import annotations

import streamlit as st

from services.dashboard import Tile
from ui.text import md

PER_ROW = 5
ORDER = {"red": 0, "amber": 1, "missing": 2, "green": 3}
"""Tiles needing attention first; catalog order within a status."""
BADGE = {
    "green": ":green-badge[● Green]",
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
    ordered = sorted(tiles, key=lambda t: ORDER.get(t.status, 2))
    attention = [t for t in ordered if t.status != "green"]
    green = [t for t in ordered if t.status == "green"]
    st.caption(f"{len(attention)} of {len(tiles)} metrics need attention (red, amber or missing); "
               "hover a name for its thresholds.")
    _grid(attention, key)
    if green:
        # Drawn only when opened: each tile is several elements, and a browser takes ~40 ms per tile
        # to lay them out, on every dashboard open.
        box = st.expander(f"{len(green)} metric{'s' if len(green) != 1 else ''} on green", expanded=not attention,
                          key=f"{key}-green", on_change="rerun")
        if box.open:
            with box:
                _grid(green, key)


def _grid(tiles: list[Tile], key: str) -> None:
    for start in range(0, len(tiles), PER_ROW):
        cols = st.columns(PER_ROW)
        for col, tile in zip(cols, tiles[start:start + PER_ROW], strict=False):
            with col:
                _tile(tile, f"{key}-{tile.name}")


def _tile(tile: Tile, key: str) -> None:
    with st.container(border=True, key=key):
        # The label as text (it wraps) rather than st.metric's one-line, truncated label.
        st.markdown(f"**{_plain(tile.label)}**", help=tile.rule)
        st.metric(tile.label, tile.value, label_visibility="collapsed",
                  chart_data=list(tile.history) if len(tile.history) > 1 else None, chart_type="line")
        trend = TREND[tile.trend] + (f" ({tile.change})" if tile.change else "")
        colour = DELTA_COLOUR.get(tile.trend, "gray")
        st.markdown(f"{BADGE.get(tile.status, tile.status)} :{colour}[{trend}]" if trend else BADGE.get(tile.status, ""))
        st.caption(_plain(tile.rule))
        if tile.status == "missing" and tile.missing_reason:
            st.caption(md(f"Why: {tile.missing_reason}"))



def _plain(text: str) -> str:
    """Content text shown as markdown: no brackets or markup characters."""
    return text.replace("[", "(").replace("]", ")").replace("*", "").replace("_", " ")
