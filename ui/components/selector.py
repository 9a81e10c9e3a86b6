"""The sidebar selector of site and assessment, drawn by the shell on every page.

Views read the result through `ui.state.selected_assessment_id()` / `selected_site()`.
"""

from __future__ import annotations

import streamlit as st

from services.access import Actor
from services.assessments import get_assessment, list_assessments
from services.sites import list_sites
from storage.records import Assessment
from ui import state
from ui.components.errors import guard

STATUS_LABEL = {"draft": "draft", "in_review": "in review", "final": "final"}


def assessment_label(a: Assessment) -> str:
    return f"{a.as_of.isoformat()} · {a.scope} · {STATUS_LABEL[a.status]} (#{a.id})"


def site_label(option: str) -> str:
    return "Enterprise-wide" if option == state.ENTERPRISE_OPTION else option


def sidebar_selector(actor: Actor) -> None:
    """Site and assessment selectboxes in the sidebar; keeps the URL's ?assessment= in step."""
    state.apply_pending_selection()
    with st.sidebar, guard():
        _from_url(actor)
        options = [state.ENTERPRISE_OPTION, *(s.name for s in list_sites(state.context(), actor))]
        if st.session_state.get(state.SITE_KEY) not in options:
            st.session_state[state.SITE_KEY] = options[1] if len(options) > 1 else options[0]
        site = st.selectbox("Site", options, format_func=site_label, key=state.SITE_KEY)
        site_name = None if site == state.ENTERPRISE_OPTION else site
        found = list_assessments(state.context(), actor, site=site_name, enterprise=site_name is None)
        found.sort(key=lambda a: (a.as_of, a.id), reverse=True)
        by_id = {a.id: a for a in found}
        if not found:
            st.session_state.pop(state.ASSESSMENT_KEY, None)
            st.caption("No assessment for this site yet — create one on Home.")
            st.query_params.pop("assessment", None)
            return
        if st.session_state.get(state.ASSESSMENT_KEY) not in by_id:
            st.session_state[state.ASSESSMENT_KEY] = found[0].id
        chosen = st.selectbox("Assessment", list(by_id), format_func=lambda i: assessment_label(by_id[i]),
                              key=state.ASSESSMENT_KEY)
        st.query_params["assessment"] = str(chosen)


def _from_url(actor: Actor) -> None:
    """An ?assessment=ID from the URL also selects its site (once, at the session's start)."""
    if not st.session_state.pop("scorecard.from_url", False):
        return
    assessment = get_assessment(state.context(), actor, st.session_state[state.ASSESSMENT_KEY])
    st.session_state[state.SITE_KEY] = state.site_option(assessment)
