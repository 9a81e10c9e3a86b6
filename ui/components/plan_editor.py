"""The editing part of the Plan view (an assessment that is not final, for those who may write its
site): add or change an action and what it promises, set when the overall target is due, and
import an edited Plan sheet. Values go to the services as typed; the rules that judge them are
services.action_fields', the same as the CLI's and the workbook import's.
"""

from __future__ import annotations

import streamlit as st

from exports.context import ReportContext
from scoring.plan_model import promises_text
from services import answers, assessments, plan_edits, plan_import
from services.access import Actor
from storage.records import FINDING_STATUSES, Assessment, Finding
from ui import state
from ui.components.errors import guard

NEW = 0
EVERY = "every environment"
SAVED_KEY = "plan.saved"


def editor_panel(actor: Actor, assessment: Assessment, context: ReportContext) -> None:
    st.markdown("##### Change the plan")
    saved = st.session_state.pop(SAVED_KEY, None)
    if saved:
        st.success(saved, icon=":material/check_circle:")
    if assessment.is_final:
        st.info("This assessment is final, so its plan is read-only. Plan in the next assessment: copy this one "
                "forward on Home (open actions are carried with what they promise).", icon=":material/lock:")
        return
    if not actor.may_edit_site(assessment.site_name):
        st.caption("Your role may read this plan but not change it.")
        return
    action_tab, target_tab, import_tab = st.tabs(["Add or change an action", "Target due date",
                                                  "Import an edited Plan sheet"])
    with action_tab:
        _action_form(actor, assessment)
    with target_tab:
        _target_due(actor, assessment)
    with import_tab:
        _import(actor, assessment)


def _action_form(actor: Actor, assessment: Assessment) -> None:
    found = {f.id: f for f in assessments.load_assessment(state.context(), actor, assessment.id).findings}
    labels = {NEW: "New action", **{i: f"#{i} {f.title[:70]}" for i, f in found.items()}}
    chosen = st.selectbox("Action", list(labels), format_func=labels.get, key=f"plan.edit.pick.{assessment.id}")
    current = found.get(chosen)
    questionnaire = state.catalog().questionnaire(assessment.questionnaire_id)
    metrics = ["", *sorted(state.catalog().metric_definitions())]
    envs = [EVERY, *(["IT", "OT"] if assessment.scope == "IT+OT" else [assessment.scope])]
    key = f"plan.edit.{assessment.id}.{chosen}.{current.version if current else 0}"
    with st.form(key), guard():
        left, right = st.columns(2)
        question_ids = [q.id for q in questionnaire.questions]
        question = left.selectbox("Question", question_ids, disabled=current is not None,
                                  index=question_ids.index(current.question_id) if current else 0)
        env = right.selectbox("Environment", envs, disabled=current is not None,
                              index=envs.index(current.environment) if current and current.environment in envs else 0)
        title = st.text_input("Action", value=current.title if current else "")
        left, mid, right = st.columns(3)
        owner = left.text_input("Owner", value=current.owner if current else "")
        due = mid.date_input("Due", value=current.due_date if current else None)
        status = right.selectbox("Status", FINDING_STATUSES,
                                 index=FINDING_STATUSES.index(current.status) if current else 0,
                                 format_func=lambda s: s.replace("_", " "))
        promises = st.text_area("Levels it brings answers to", value=_promises(current), height=68,
                                help="QUESTION [IT|OT] LEVEL, separated by ';', e.g. ACC-01 OT 4; REM-02 4 "
                                     "(no environment: every one).")
        left, mid, right, last = st.columns(4)
        metric = left.selectbox("Evidence it produces (metric)", metrics,
                                index=metrics.index(current.evidence_metric) if current and current.evidence_metric else 0,
                                format_func=lambda m: m or "none")
        value = mid.number_input("Value it reaches", value=current.evidence_value if current else None, min_value=0.0)
        cost = right.number_input("Cost", value=current.cost if current else None, min_value=0.0, step=1000.0)
        effort = last.number_input("Effort (person-days)", value=current.effort_days if current else None,
                                   min_value=0.0)
        notes = st.text_area("Notes", value=current.notes if current else "", height=68)
        if st.form_submit_button("Save action", icon=":material/save:"):
            fields = {"title": title, "owner": owner, "due_date": due, "status": status, "notes": notes,
                      "promises": promises, "evidence_metric": metric or None, "evidence_value": value,
                      "cost": cost, "effort_days": effort}
            _save(actor, assessment, current, question, None if env == EVERY else env, fields)


def _save(actor: Actor, assessment: Assessment, current: Finding | None, question: str, env: str | None,
          fields: dict) -> None:
    if current is None:
        title, owner, due, notes = (fields.pop(k) for k in ("title", "owner", "due_date", "notes"))
        answers.add_finding(state.context(), actor, assessment.id, question_id=question, environment=env, title=title, owner=owner,
                            due_date=due, notes=notes, plan=fields)
    else:
        answers.update_finding(state.context(), actor, assessment.id, current.id, fields, expected_version=current.version)
    st.session_state[SAVED_KEY] = "Action saved; the projection above includes it."
    st.rerun()


def _promises(current: Finding | None) -> str:
    return promises_text(current.promises) if current else ""


def _target_due(actor: Actor, assessment: Assessment) -> None:
    profile = state.catalog().questionnaire(assessment.questionnaire_id).target_profile.due_date
    st.caption("When the overall target is due; the plan's verdict (on track, at risk, off track) is read "
               "against it. " + (f"The questionnaire's target profile says {profile.isoformat()}." if profile
                                 else "The questionnaire's target profile sets no date."))
    with st.form(f"plan.target.{assessment.id}", border=False), guard():
        due = st.date_input("Overall target due", value=assessment.target_due_date)
        if st.form_submit_button("Save date", icon=":material/event:"):
            plan_edits.set_target_due(state.context(), actor, assessment.id, due)
            st.session_state[SAVED_KEY] = "Target due date saved."
            st.rerun()


def _import(actor: Actor, assessment: Assessment) -> None:
    st.caption("Edit the Plan sheet of this assessment's analyst workbook (Reports page) and import it here. "
               "A row without an ID adds an action; a sheet with any problem changes nothing.")
    upload = st.file_uploader("Edited workbook (.xlsx)", type=["xlsx"], key=f"plan.import.{assessment.id}")
    if upload is not None and st.button("Import the plan", icon=":material/upload:", key=f"plan.import.go.{assessment.id}"):
        with guard():
            done = plan_import.import_plan(state.context(), actor, assessment.id, data=upload.getvalue(), name=upload.name)
            st.success(f"{done.changed} action(s) changed, {done.added} added, {done.unchanged} unchanged.",
                       icon=":material/check_circle:")
