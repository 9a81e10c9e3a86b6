"""Admin: delete an assessment that should not exist (created by mistake, a forged or unwanted
bundle import). The service checks the role and audits the deletion with the reason."""

from __future__ import annotations

import streamlit as st

from services.access import Actor
from services.assessments import delete_assessment
from storage.records import Assessment
from ui import state
from ui.components.errors import guard


def delete_panel(actor: Actor, a: Assessment) -> None:
    with st.expander("Delete this assessment", icon=":material/delete:"):
        st.text("Removes the assessment with its answers, targets, findings, evidence and score, final or not. "
                "The audit log keeps its history and records the deletion with your reason.")
        if a.unverified:
            st.warning("This assessment was imported from a bundle whose signature could not be verified.",
                       icon=":material/gpp_maybe:")
        reason = st.text_input("Reason for deleting (goes into the audit log)", key=f"admin.delete.reason.{a.id}")
        typed = st.text_input(f"Type the assessment number ({a.id}) to confirm", key=f"admin.delete.confirm.{a.id}")
        ready = actor.is_admin and bool(reason.strip()) and typed.strip() == str(a.id)
        if st.button("Delete assessment", icon=":material/delete_forever:", disabled=not ready):
            with guard():
                gone = delete_assessment(state.context(), actor, a.id, reason=reason)
                st.session_state["admin.done"] = f"Assessment #{gone.id} ({gone.label}) was deleted."
                st.rerun()
