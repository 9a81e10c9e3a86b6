"""CIO dashboard (journey 3): one assessment, a site's latest assessment or the enterprise.

The site comes from the sidebar selector; the environment filter narrows every figure, table and
headline to IT or OT. Completion, confidence and status sit above the numbers, with a banner when
they are not a result yet. Everything is drawn from the same view-model as the board PDF.
"""

from __future__ import annotations

import streamlit as st

import config
from services.access import Actor
from services.assessments import list_assessments
from services.dashboard import for_environment, tiles
from ui import state
from ui.components import dashboard_headline as headline
from ui.components import dashboard_sections as sections
from ui.components.dashboard_data import load_context, version
from ui.components.dashboard_figures import cached, dashboard_figures, draw
from ui.components.dashboard_tiles import metric_tiles
from ui.components.errors import guard
from ui.components.plan_line import plan_line
from ui.text import md

VIEW_KEY = "dashboard.view"
ENV_KEY = "dashboard.environment"
BOTH = "IT + OT"


@guard()
def render() -> None:
    actor = state.current_actor()
    site, assessment_id = state.selected_site(), state.selected_assessment_id()
    site_label = md(site or "Enterprise-wide")  # segmented-control options render Markdown
    options = {"enterprise": "Enterprise", "site": f"{site_label}: latest", "assessment": "Selected assessment"}
    if VIEW_KEY not in st.session_state:
        st.session_state[VIEW_KEY] = _default_view(actor)
    top = st.columns([3, 2])
    view = top[0].segmented_control("Show", list(options), format_func=options.get, key=VIEW_KEY,
                                    required=True)
    if view == "assessment" and assessment_id is None:
        st.info("No assessment selected: pick a site and an assessment in the sidebar.", icon=":material/arrow_back:")
        return
    data = version()
    context = load_context(actor, view, assessment_id=assessment_id, site=site, data=data)
    environment = _environment_filter(top[1], context.environments)
    context = for_environment(context, environment)
    key = f"dash-{view}-{environment or 'all'}"
    figs = cached(("dashboard", config.database_url(), data, view, assessment_id, site, environment),
                  lambda: dashboard_figures(context))

    headline.heading(context, environment)
    headline.basis_note(context)
    headline.show_verdict(context)
    headline.figures(context)
    left, right = st.columns(2, gap="medium")
    with left:
        draw(figs["overall"], f"{key}-overall")
    with right:
        draw(figs["trend"], f"{key}-trend")
    if environment is None:
        draw(figs["path"], f"{key}-path")
        plan_line(context)
    else:
        st.caption("The path to target is projected for IT and OT together: choose IT + OT to see it "
                   "(the Plan page has the what-if).")

    st.markdown("#### Resilience metrics")
    metric_tiles(tiles(context), key)

    names = ["CSF functions", "CPG 2.0 goals", "Scenario readiness", "Top gaps & owners", "Exceptions & exercises"]
    if context.meta.kind == "enterprise":
        names.append("Sites compared")
    tabs = st.tabs(names)
    with tabs[0]:
        sections.csf(context, figs, key)
    with tabs[1]:
        sections.cpg(context, figs, key)
    with tabs[2]:
        sections.scenarios(context, figs, key)
    with tabs[3]:
        sections.gaps(context, key)
    with tabs[4]:
        sections.exceptions_and_exercises(context, figs, key)
    if context.meta.kind == "enterprise":
        with tabs[5]:
            sections.sites(context, figs, key)


def _default_view(actor: Actor) -> str:
    """The enterprise when there is an enterprise-wide assessment to headline it, else the site."""
    return "enterprise" if list_assessments(state.context(), actor, enterprise=True) else "site"


def _environment_filter(column, environments: tuple[str, ...]) -> str | None:
    """IT + OT, IT or OT (only the environments in scope); None means both."""
    if len(environments) < 2:
        column.segmented_control("Environment", [environments[0]], default=environments[0],
                                 key=f"{ENV_KEY}.single", disabled=True)
        return None
    choice = column.segmented_control("Environment", [BOTH, *environments], default=BOTH, key=ENV_KEY,
                                      required=True)
    return None if choice in (None, BOTH) else choice
