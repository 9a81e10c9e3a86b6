"""Journey 6: administration — lifecycle of the selected assessment, content and its validation,
thresholds and targets, and the audit log (viewer and export).

Every action goes through a service that checks the role; buttons are only disabled for
convenience, the services refuse anyway.
"""

from __future__ import annotations

import streamlit as st

from services.access import Actor
from services.assessments import (
    finalize_assessment,
    reopen_assessment,
    send_back_to_draft,
    submit_for_review,
)
from storage.records import Assessment
from ui import state
from ui.components.admin_panels import audit_panel, content_panel, targets_panel, thresholds_panel
from ui.components.assessment_data import load_detail
from ui.components.assessment_delete import delete_panel
from ui.components.errors import guard
from ui.components.header import assessment_header
from ui.text import md


@guard()
def render() -> None:
    actor = state.current_actor()
    st.markdown("### Admin")
    if not actor.is_admin:
        st.caption(f"You are {md(actor.user)} ({actor.role}): you can read everything here; changes need an admin "
                   "(status changes of your own sites need the assessor role).")
    tabs = st.tabs(["Assessment status", "Content", "Thresholds and targets", "Audit log"])
    assessment_id = state.selected_assessment_id()
    detail = load_detail(actor, assessment_id) if assessment_id is not None else None
    with tabs[0]:
        if detail is None:
            st.info("Select an assessment in the sidebar to change its status.")
        else:
            assessment_header(detail, None, title="Assessment status")
            _lifecycle(actor, detail.assessment, detail.snapshot)
            delete_panel(actor, detail.assessment)
    with tabs[1], guard():
        content_panel(detail.assessment.questionnaire_id if detail else None)
    with tabs[2], guard():
        thresholds_panel(detail)
        if detail is not None:
            targets_panel(actor, detail)
    with tabs[3], guard():
        audit_panel(actor, assessment_id)


def _lifecycle(actor: Actor, a: Assessment, snapshot) -> None:
    message = st.session_state.pop("admin.done", None)
    if message:
        st.success(message, icon=":material/check:")
    st.markdown("Draft → in review → final. A final assessment is read-only everywhere (storage refuses writes); "
                "its scores are frozen in a snapshot used by the trends. Reopening is an audited admin action.")
    if a.status == "final":
        if snapshot is not None:
            st.caption(f"Finalised by {md(a.finalised_by)} on {a.finalised_at:%Y-%m-%d %H:%M} UTC · snapshot: verified "
                       f"{'—' if snapshot.verified is None else f'{snapshot.verified:.2f}'}, completion {snapshot.completion:.0%}")
        reason = st.text_input("Reason for reopening (goes into the audit log)", key=f"admin.reason.{a.id}")
        if st.button("Reopen as draft", icon=":material/lock_open:", disabled=not actor.is_admin or not reason.strip()):
            with guard():
                reopen_assessment(state.context(), actor, a.id, reason=reason)
                _done(f"Assessment #{a.id} reopened as a draft; its snapshot left the trends.")
        return
    left, right = st.columns(2)
    with left, st.container(border=True):
        if a.status == "draft":
            st.markdown("**Submit for review** when every answer is given and checked.")
            if st.button("Submit for review", icon=":material/rate_review:", disabled=not actor.may_edit_site(a.site_name)):
                with guard():
                    submit_for_review(state.context(), actor, a.id)
                    _done(f"Assessment #{a.id} is in review.")
        else:
            st.markdown("**Send back to draft** to change answers found wanting in review.")
            if st.button("Back to draft", icon=":material/undo:", disabled=not actor.may_edit_site(a.site_name)):
                with guard():
                    send_back_to_draft(state.context(), actor, a.id)
                    _done(f"Assessment #{a.id} is a draft again.")
    with right, st.container(border=True):
        st.markdown("**Finalise**: scores the assessment, stores the snapshot and makes it read-only.")
        sure = st.checkbox("I have reviewed the answers and the evidence", key=f"admin.sure.{a.id}", disabled=not actor.is_admin)
        if st.button("Finalise", type="primary", icon=":material/verified:", disabled=not (actor.is_admin and sure)):
            with guard():
                finalize_assessment(state.context(), actor, a.id)
                _done(f"Assessment #{a.id} is final.")


def _done(message: str) -> None:
    st.session_state["admin.done"] = message
    st.rerun()
