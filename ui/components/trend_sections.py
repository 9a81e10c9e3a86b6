"""Parts of the Trends view: metric small multiples, the series table, sites side by side and
"what changed" tables. Changes read ▲ better / ▼ worse in words, not colour alone.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from catalog.content_catalog import Catalog
from exports import charts
from exports.context import SiteRow, TrendRow
from services.trend_comparisons import Change, Changes, Series
from ui.components.dashboard_figures import cached, draw, for_screen
from ui.text import md

METRICS_PER_ROW = 2
DIRECTION = {True: "▲ better", False: "▼ worse", None: ""}


def function_titles(catalog: Catalog, rows: tuple[TrendRow, ...] | tuple[SiteRow, ...]) -> dict[str, str]:
    """CSF function id → title, for the functions present in `rows`, in framework order."""
    present = {fid for r in rows for fid in r.functions}
    names: dict[str, str] = {}
    for framework in catalog.frameworks.values():
        for node in framework.of_kind("function"):
            if node.id in present and node.id not in names:
                names[node.id] = node.title.title() if node.title.isupper() else node.title
    for fid in sorted(present - set(names)):
        names[fid] = fid
    return names


def metrics_over_time(found: Series, catalog: Catalog, cache_key: tuple, key: str) -> None:
    definitions = catalog.metric_definitions()
    names = [n for n in definitions if any(found.metrics.get(r.label, {}).get(n) is not None for r in found.rows)]
    if not names:
        st.info("No metric values recorded in this series.")
        return
    st.markdown("#### Resilience metrics over time")
    chosen = st.multiselect("Metrics", names, default=names[:6], format_func=lambda n: definitions[n].label,
                            key=f"{key}-metric-choice")
    figs = cached(cache_key, lambda: {
        n: for_screen(charts.metric_trend_chart(definitions[n].label, definitions[n].unit, found.metric_points(n)),
                      scale=1.0)
        for n in names
    })
    for start in range(0, len(chosen), METRICS_PER_ROW):
        cols = st.columns(METRICS_PER_ROW)
        for col, name in zip(cols, chosen[start:start + METRICS_PER_ROW], strict=False):
            with col:
                draw(figs[name], f"{key}-m-{name}")


def series_table(found: Series) -> None:
    rows, previous = [], None
    for r in found.rows:
        o = r.overall
        change = None if previous is None or o.verified is None or previous.overall.verified is None \
            else round(o.verified - previous.overall.verified, 2)
        rows.append({"Quarter": r.label, "As of": r.as_of.isoformat(), "Verified": _n(o.verified),
                     "Change": change, "Claimed": _n(o.claimed), "Target": _n(o.target),
                     "CPG %": None if r.cpg_implemented_pct is None else round(r.cpg_implemented_pct)})
        previous = r
    with st.expander("The series as a table"):
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                     column_config={"Change": st.column_config.NumberColumn(format="%+.2f")})


def side_by_side(rows: tuple[SiteRow, ...], catalog: Catalog, cache_key: tuple) -> None:
    if not rows:
        st.info("No finalised assessment yet, so there is nothing to compare.", icon=":material/info:")
        return
    figs = cached(cache_key, lambda: {
        "overall": for_screen(charts.site_chart(rows)),
        "functions": for_screen(charts.site_function_chart(rows, function_titles(catalog, rows))),
    })
    st.caption("Each site's latest finalised assessment. Change is against that site's previous one.")
    left, right = st.columns(2, gap="medium")
    with left:
        draw(figs["overall"], "sites-overall")
    with right:
        draw(figs["functions"], "sites-functions")
    titles = function_titles(catalog, rows)
    table = [{"Site": r.name, "Criticality": r.criticality, "As of": r.as_of.isoformat() if r.as_of else "",
              "Verified": _n(r.overall.verified), "Change": _n(r.delta_verified), "Claimed": _n(r.overall.claimed),
              "Target": _n(r.overall.target), "CPG %": None if r.cpg_implemented_pct is None
              else round(r.cpg_implemented_pct), "Completion": f"{r.completion:.0%}",
              "Confidence": f"{r.confidence:.0%}", **{fid: _n(r.functions.get(fid)) for fid in titles}}
             for r in rows]
    st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch",
                 column_config={"Change": st.column_config.NumberColumn(format="%+.2f")})


def changes(found: Changes) -> None:
    if not found.previous_label:
        st.info(f"{md(found.current_label)}: there is no earlier finalised assessment of this site to compare with.",
                icon=":material/info:")
        return
    st.markdown(f"#### {md(found.current_label)} compared with {md(found.previous_label)}")
    if found.provisional:
        st.warning("**Provisional:** the assessment compared is not final; its answers may still change, so these "
                   "differences are not results.", icon=":material/pending:")
    better = sum(1 for c in found.responses if c.better is True)
    worse = sum(1 for c in found.responses if c.better is False)
    cols = st.columns(4)
    cols[0].metric("Answers changed", len(found.responses))
    cols[1].metric("Verified level up", better)
    cols[2].metric("Verified level down", worse)
    cols[3].metric("CPG goal statuses changed", len(found.goals))
    _table("Scores", found.summary, "Area")
    _table("Resilience metrics", found.metrics, None)
    _table("CPG 2.0 goal status", found.goals, "Env")
    _table("Answers", found.responses, "Env")


def _table(title: str, items: tuple[Change, ...], area: str | None) -> None:
    st.markdown(f"##### {title}")
    if not items:
        st.caption("No change.")
        return
    rows = [{**({area: c.area} if area else {}), "Item": c.item, "Before": c.before, "Now": c.after,
             "Direction": DIRECTION[c.better]} for c in items]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                 column_config={"Item": st.column_config.TextColumn(width="large")})


def _n(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
