"""CIO dashboard (journey 3): one assessment, a site's latest assessment or the enterprise.

The site comes from the sidebar selector; the environment filter narrows every figure, table and
headline to IT or OT. Completion, confidence and status sit above the numbers, with a banner when
they are not a result yet. Everything is drawn from the same view-model as the board PDF.

Speed as a CIO feels it (issue 14): the view runs as one `st.fragment`, so the Show control, the
environment filter and the tabs rerun the dashboard only, not the app's shell; the view-model is
cached per view version and narrowed to an environment in memory, its figures are cached per
(version, environment); only the open tab's section is drawn (a browser draws every plotly chart
it is sent, hidden or not); and charts and tiles keep their element keys across environments, so
the browser updates them in place instead of building them again.
"""

from __future__ import annotations

import streamlit as st

import config
from errors import NotFoundError
from services.access import Actor
from services.assessments import list_assessments
from services.dashboard import for_environment, tiles
from ui import state
from ui.components import dashboard_headline as headline
from ui.components import dashboard_sections as sections
from ui.components.dashboard_data import dashboard_version, load_context
from ui.components.dashboard_figures import DashboardFigures, draw
from ui.components.dashboard_tiles import metric_tiles
from ui.components.errors import guard
from ui.components.plan_line import plan_line
from ui.text import md

VIEW_KEY = "dashboard.view"
ENV_KEY = "dashboard.environment"
TAB_KEY = "dashboard.tab"
VIEW_PARAM = "show"
"""The URL's name for the view (?show=enterprise, site or assessment), kept in step with it."""
BOTH = "IT + OT"


def render() -> None:
    _dashboard()


@st.fragment
@guard()
def _dashboard() -> None:
    """The whole view as one fragment: a change of view, environment or tab reruns the dashboard
    only (a change in the sidebar reruns the app and so this too)."""
    actor = state.current_actor()
    site, assessment_id = state.selected_site(), state.selected_assessment_id()
    site_label = md(site or "Enterprise-wide")  # segmented-control options render Markdown
    options = {"enterprise": "Enterprise", "site": f"{site_label}: latest final", "assessment": "Selected assessment"}
    if VIEW_KEY not in st.session_state:  # the session's first run: the URL's view, else the default
        shown = st.query_params.get(VIEW_PARAM)
        st.session_state[VIEW_KEY] = shown if shown in options else _default_view(actor)
    headline.narrow_screen_style()
    top = st.container(key="dash-top").columns([3, 2])
    view = top[0].segmented_control("Show", list(options), format_func=options.get, key=VIEW_KEY,
                                    required=True)
    if st.query_params.get(VIEW_PARAM) != view:  # a link or bookmark opens this very view
        st.query_params[VIEW_PARAM] = view
    if view == "assessment" and assessment_id is None:
        st.info("No assessment selected: pick a site and an assessment in the sidebar.", icon=":material/arrow_back:")
        return
    data = dashboard_version(view, assessment_id, site)
    try:
        context = load_context(actor, view, assessment_id=assessment_id, site=site, data=data)
    except NotFoundError as error:  # e.g. a site with only a draft: its draft is no result yet
        st.info(f"{md(error.summary)}: " + "; ".join(md(p.hint) for p in error.problems) + ".",
                icon=":material/hourglass_empty:")
        return
    environment = _environment_filter(top[1], context.environments)
    context = for_environment(context, environment)
    key = f"dash-{view}"  # the same for every environment: the browser updates charts in place
    figs = DashboardFigures(("dashboard", config.database_url(), data, view, assessment_id, site, environment),
                            context)

    headline.heading(context, environment)
    headline.answer(context)
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
    with st.container(key="dash-tiles"):
        metric_tiles(tiles(context), key)

    _sections(context, figs, key)


SECTIONS = {
    "CSF functions": sections.csf,
    "CPG 2.0 goals": sections.cpg,
    "Scenario readiness": sections.scenarios,
    "Top gaps & owners": lambda context, figs, key: sections.gaps(context, key),
    "Exceptions & exercises": sections.exceptions_and_exercises,
    "Sites compared": sections.sites,
}


def _sections(context, figs, key: str) -> None:
    """The detail sections as tabs; only the open one is drawn (choosing another reruns the view)."""
    names = [name for name in SECTIONS if name != "Sites compared" or context.meta.kind == "enterprise"]
    tabs = st.container(key="dash-body").tabs(names, key=TAB_KEY, on_change="rerun")
    for name, tab in zip(names, tabs, strict=True):
        if tab.open:
            with tab:
                SECTIONS[name](context, figs, key)


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
