"""Session state shared by every view: the services context, the actor, the selected site and
assessment, the catalog.

The selection lives in session state (source of truth) and is mirrored in the URL as
``?assessment=ID`` so a reload or a shared link opens the same assessment. `select_assessment`
may be called from any view; it takes effect at the next run of the sidebar selector (it reruns
the script when called during a run, and simply waits when called from a widget callback).

Site convention: `selected_site()` is the site name, or None for the enterprise-wide
assessments (the services' convention: ``site=None`` means enterprise-wide).
"""

from __future__ import annotations

import streamlit as st

from catalog.content_catalog import Catalog
from services.access import Actor
from services.context import Context, configured_context
from storage.records import Assessment
from ui.auth import resolve_actor

ASSESSMENT_KEY = "scorecard.assessment_id"
SITE_KEY = "scorecard.site"
PENDING_KEY = "scorecard.pending_assessment"
ENTERPRISE_OPTION = "__enterprise__"
"""The site selector's value for the enterprise-wide assessments (site None)."""


def context() -> Context:
    """The context every service call of the app runs in: the configured database and content
    folder (each loaded once per process and value, so this is cheap on every run) and the system
    clock."""
    return configured_context()


def catalog() -> Catalog:
    """The loaded content (the context's), shared by all sessions: content files do not change
    while the app runs."""
    return context().catalog


def current_actor() -> Actor:
    """Who is acting: local admin, or the signed-in user with the role from the roles config."""
    return resolve_actor()


def selected_assessment_id() -> int | None:
    value = st.session_state.get(ASSESSMENT_KEY)
    return value if isinstance(value, int) else None


def selected_site() -> str | None:
    """The selected site's name; None for the enterprise-wide assessments (or nothing selected)."""
    value = st.session_state.get(SITE_KEY)
    return None if value in (None, ENTERPRISE_OPTION) else value


def select_assessment(assessment_id: int, *, site: str | None = None, rerun: bool = True) -> None:
    """Make `assessment_id` (of `site`, None = enterprise-wide) the selection of every view."""
    st.session_state[PENDING_KEY] = (assessment_id, site if site is not None else ENTERPRISE_OPTION)
    if rerun:
        st.rerun()


def apply_pending_selection() -> None:
    """Called by the sidebar selector before it draws its widgets (their state may change then)."""
    pending = st.session_state.pop(PENDING_KEY, None)
    if pending is not None:
        st.session_state[ASSESSMENT_KEY], st.session_state[SITE_KEY] = pending
        return
    if ASSESSMENT_KEY not in st.session_state:
        raw = st.query_params.get("assessment")
        # ASCII digits only ("²".isdigit() is true) and within SQL's 64-bit integer range.
        if raw and raw.isascii() and raw.isdigit() and 0 < int(raw) < 2**63:
            st.session_state[ASSESSMENT_KEY] = int(raw)
            st.session_state["scorecard.from_url"] = True


def site_option(assessment: Assessment) -> str:
    return assessment.site_name or ENTERPRISE_OPTION
