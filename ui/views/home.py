"""Home: pick an assessment from the list, start a new one (empty or a copy of the site's latest),
or add a site (admin).

Creating is an explicit action with a button (it makes a record); answering is autosaved.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from services.access import Actor
from services.assessments import copy_assessment, create_assessment, list_assessments
from services.sites import add_site, list_sites
from storage.records import CRITICALITIES, Assessment
from ui import state
from ui.components.errors import guard
from ui.components.selector import STATUS_LABEL
from ui.text import md

SCOPES = ("IT+OT", "IT", "OT")
EMPTY, COPY = "Empty questionnaire", "Copy of the latest assessment"


def quarter_end(day: date) -> date:
    """Last day of the calendar quarter containing `day`."""
    first_of_next = date(day.year + (day.month > 9), (((day.month - 1) // 3 + 1) * 3) % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


@guard()
def render() -> None:
    actor = state.current_actor()
    st.markdown("### Resilience Scorecard")
    st.caption("Cyber resilience of office IT and plant OT, measured against NIST CSF 2.0 and CISA CPG 2.0. "
               "Pick an assessment to continue, or start a new one.")
    assessments = list_assessments(state.context(), actor)
    left, right = st.columns([3.4, 1.6], gap="large")
    with left:
        _assessment_table(assessments)
    with right:
        _new_assessment(actor, assessments)
        if actor.is_admin:
            _new_site(actor)


def _assessment_table(assessments: list[Assessment]) -> None:
    st.markdown("#### Assessments")
    if not assessments:
        st.info("No assessment yet. Start one on the right (an admin adds the sites first).")
        return
    # Latest first within each site; enterprise-wide first (the order of the sidebar's site list).
    ordered = sorted(assessments, key=lambda a: (a.as_of, a.id), reverse=True)
    ordered.sort(key=lambda a: a.site_name or "")
    table = pd.DataFrame([{
        "#": a.id, "Site": a.site_name or "Enterprise-wide", "As of": a.as_of, "Scope": a.scope,
        "Status": STATUS_LABEL[a.status], "Assessor": a.assessor,
    } for a in ordered])
    st.dataframe(table, hide_index=True, width="stretch", on_select=functools.partial(_open, ordered),
                 selection_mode="single-row",
                 key="home.table", height=min(38 + 35 * len(table), 560),
                 column_config={"As of": st.column_config.DateColumn(format="YYYY-MM-DD", width="small"),
                                "#": st.column_config.NumberColumn(width="small"),
                                "Scope": st.column_config.TextColumn(width="small"),
                                "Status": st.column_config.TextColumn(width="small")})
    st.caption("Select a row to open that assessment in the Questionnaire, Evidence and Dashboard views.")


def _open(ordered: list[Assessment]) -> None:
    """Selection callback: the chosen row becomes the selected assessment of every view."""
    rows = st.session_state["home.table"].selection.rows
    if rows:
        chosen = ordered[rows[0]]
        state.select_assessment(chosen.id, site=chosen.site_name, rerun=False)


def _new_assessment(actor: Actor, assessments: list[Assessment]) -> None:
    st.markdown("#### Start an assessment")
    sites = [s.name for s in list_sites(state.context(), actor)]
    options = [*sites, state.ENTERPRISE_OPTION]
    selected = state.selected_site() or (state.ENTERPRISE_OPTION if state.selected_assessment_id() else None)
    if st.session_state.get("home.site") not in options and selected in options:
        st.session_state["home.site"] = selected
    with st.container(border=True):
        site = st.selectbox("Site", options, format_func=lambda o: "Enterprise-wide (corporate IT)" if o == state.ENTERPRISE_OPTION else o,
                            key="home.site")
        site_name = None if site == state.ENTERPRISE_OPTION else site
        previous = [a for a in assessments if a.site_name == site_name]
        latest = max(previous, key=lambda a: (a.as_of, a.id)) if previous else None
        start = st.radio("Start from", [COPY, EMPTY] if latest else [EMPTY], horizontal=True, key="home.start",
                         format_func=lambda o: f"Copy of {latest.as_of.isoformat()} (#{latest.id})" if o == COPY and latest else o)
        if start == COPY and latest is not None:
            st.caption(f"Copies the answers, notes, targets and open findings of {md(latest.label)} (#{latest.id}); "
                       "carried answers are marked until someone edits them.")
            scope = latest.scope
        else:
            scope = st.segmented_control("Scope", SCOPES, default="IT+OT", key="home.scope", required=True)
        default_day = quarter_end(date.today())
        if latest is not None and latest.as_of >= default_day:
            default_day = quarter_end(latest.as_of + timedelta(days=1))
        as_of = st.date_input("As of", value=default_day, key="home.as_of", format="YYYY-MM-DD",
                              help="The date the assessment describes (usually the quarter's last day)")
        can_create = actor.may_edit_site(site_name)
        if st.button("Create assessment", type="primary", disabled=not can_create, icon=":material/add:"):
            with guard():
                if start == COPY and latest is not None:
                    created = copy_assessment(state.context(), actor, latest.id, as_of=as_of)
                else:
                    created = create_assessment(state.context(), actor, site=site_name, scope=scope, as_of=as_of)
                st.session_state["home.created"] = created.id
                state.select_assessment(created.id, site=created.site_name)
        if not can_create:
            st.caption(f"You ({actor.role}) cannot create assessments for this site.")
    created_id = st.session_state.pop("home.created", None)
    if created_id is not None:
        st.success(f"Assessment #{created_id} created and selected. Open Questionnaire to answer it.", icon=":material/check:")


def _new_site(actor: Actor) -> None:
    with st.expander("Add a site (admin)", icon=":material/factory:"), \
            st.form("home.site_form", clear_on_submit=True, border=False):
            name = st.text_input("Name", placeholder="e.g. Plant Monterrey")
            country = st.text_input("Country", placeholder="e.g. MX")
            criticality = st.selectbox("Criticality for production", CRITICALITIES, index=1)
            time_zone = st.text_input("Time zone", value="UTC", help="IANA name, e.g. Europe/Berlin or America/Chicago: "
                                      "evidence date-times with an offset are converted to it before their date is taken.")
            if st.form_submit_button("Add site"):
                with guard():
                    added = add_site(state.context(), actor, name, country=country, criticality=criticality,
                                     time_zone=time_zone)
                    st.success(f"Site {md(added.name)} added.")
