"""Plan (journey 6): when do we reach the target, and what does each plan buy?

For the selected assessment or the enterprise: the actions in roadmap order (verified maturity
bought per unit of cost) with a tick per action and an optional budget ceiling; the projected path
to target of the ticked actions, the targets' verdicts and the CPG goals that change status; save
the selection as a named plan and compare two plans side by side. Editing actions, the target's
due date and importing an edited Plan sheet are below (an assessment that is not final).
Everything comes from services (services.plans, plan_edits, plan_import, answers).
"""

from __future__ import annotations

import streamlit as st

from services.assessments import get_assessment
from ui import state
from ui.components import plan_editor, plan_whatif
from ui.components.dashboard_data import version
from ui.components.errors import guard
from ui.components.plan_data import load_plan_context, load_projector

SUBJECT_KEY = "plan.subject"


@guard()
def render() -> None:
    actor = state.current_actor()
    assessment_id = state.selected_assessment_id()
    st.markdown("### Plan: path to target")
    st.caption("Projected verified maturity if each open action finishes on its due date, scored by the "
               "same rules as the assessment. Untick actions or set a budget to see what a smaller plan buys.")
    options = {"assessment": "Selected assessment", "enterprise": "Enterprise"}
    if SUBJECT_KEY not in st.session_state:
        st.session_state[SUBJECT_KEY] = "assessment" if assessment_id is not None else "enterprise"
    subject = st.segmented_control("Plan of", list(options), format_func=options.get, key=SUBJECT_KEY,
                                   required=True)
    if subject == "assessment" and assessment_id is None:
        st.info("No assessment selected: pick a site and an assessment in the sidebar.", icon=":material/arrow_back:")
        return
    target_id = assessment_id if subject == "assessment" else None
    data = version()
    context = load_plan_context(actor, target_id, data)
    projector = load_projector(actor, target_id, data)
    plan_whatif.what_if_panel(actor, context, projector, target_id, data)
    if target_id is not None:
        st.divider()
        plan_editor.editor_panel(actor, get_assessment(state.context(), actor, target_id), context)
