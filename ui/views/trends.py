"""Trends and comparison (journey 4): functions, CPG % implemented and metrics over quarters; the
plants side by side; what changed in the selected assessment since the previous finalised one.

Only finalised assessments make a trend (their snapshots); a draft shows up under "What changed".
"""

from __future__ import annotations

import streamlit as st

import config
from exports import charts
from services.trend_comparisons import ENTERPRISE, ROLLUP
from ui import state
from ui.components import trend_sections as sections
from ui.components.dashboard_data import load_changes, load_series, load_side_by_side, version
from ui.components.dashboard_figures import cached, draw, for_screen
from ui.components.errors import guard

SERIES_KEY = "trends.series"


@guard()
def render() -> None:
    actor = state.current_actor()
    data = version()
    st.markdown("### Trends and comparison")
    st.caption("Finalised assessments only, one point per quarter. Scores are verified maturity 0–5.")
    tab_trend, tab_sites, tab_changes = st.tabs(["Over time", "Sites side by side", "What changed"])
    with tab_trend:
        _over_time(actor, data)
    with tab_sites:
        rows = load_side_by_side(actor, data)
        sections.side_by_side(rows, state.catalog(), ("sites", config.database_url(), data))
    with tab_changes:
        assessment_id = state.selected_assessment_id()
        if assessment_id is None:
            st.info("Pick an assessment in the sidebar to see what changed since the one before it.",
                    icon=":material/arrow_back:")
        else:
            sections.changes(load_changes(actor, assessment_id, data))


def _over_time(actor, data) -> None:
    from services.sites import list_sites

    choices = {ROLLUP: "All sites combined (maturity weighted by criticality, metrics pooled)",
               ENTERPRISE: "Enterprise-wide (shared IT)"}
    choices.update({s.name: s.name for s in list_sites(state.context(), actor)})
    if st.session_state.get(SERIES_KEY) not in choices:
        site = state.selected_site()
        st.session_state[SERIES_KEY] = site if site in choices else ROLLUP
    choice = st.selectbox("Series", list(choices), format_func=choices.get, key=SERIES_KEY)
    found = load_series(actor, choice, data)
    if not found.rows:
        st.info("No finalised assessment in this series yet: trends start when an assessment is finalised "
                "(Admin page).", icon=":material/info:")
        return
    key = f"trend-{choice}"
    titles = sections.function_titles(state.catalog(), found.rows)
    figs = cached(("trends", config.database_url(), data, choice), lambda: {
        "overall": for_screen(charts.trend_chart(found.rows)),
        "cpg": for_screen(charts.cpg_trend_chart(found.rows)),
        "functions": for_screen(charts.function_trend_chart(found.rows, titles)),
    })
    left, right = st.columns(2, gap="medium")
    with left:
        draw(figs["overall"], f"{key}-overall")
    with right:
        draw(figs["cpg"], f"{key}-cpg")
    draw(figs["functions"], f"{key}-functions")
    sections.metrics_over_time(found, state.catalog(), ("trends-metrics", config.database_url(), data, choice), key)
    sections.series_table(found)
