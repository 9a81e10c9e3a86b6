"""The answer inputs of one (question, environment): current level or N/A with a reason, target,
notes, marked-for-review, and what evidence says about the claim.

Every change is saved at once by the widget's callback (no Save button). Widget keys carry the
response's stored version, so after any save — ours or another assessor's — the widgets are
redrawn from the database. A refused save (conflict, final assessment, no permission) is kept in
session state and shown by the view as a message, never a traceback.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from catalog.models import Environment, Question, Questionnaire
from errors import ScorecardError
from exports.formatting import metric_value
from scoring.model import CapApplied, ResponseScore
from services.answers import save_response
from storage.records import StoredResponse, TargetOverride
from ui import state
from ui.text import md

ERROR_KEY = "scorecard.save_error"
LEVELS = [0, 1, 2, 3, 4, 5, "NA"]
ENV_TITLE = {"IT": "IT — office and enterprise systems", "OT": "OT — plant floor and control systems"}


def _widget_key(assessment_id: int, question_id: str, env: str, field: str, version: int) -> str:
    return f"ans:{assessment_id}:{question_id}:{env}:{field}:v{version}"


def _save(assessment_id: int, question_id: str, env: str, field: str, key: str, version: int, stored_na: bool) -> None:
    """Widget callback: pass the widget's value to the autosave, which reads it by the answer rules
    (scoring.response_input). N/A is saved together with its reason: choosing N/A only shows the
    reason box, and the reason typed there saves both."""
    value = st.session_state.get(key)
    if field == "current" and value == "NA" and not stored_na:
        st.session_state.pop(ERROR_KEY, None)
        return
    if field == "na_reason" and not stored_na:
        if not (value or "").strip():
            return
        changes: dict[str, Any] = {"current": "NA", "na_reason": value}
    else:
        changes = {field: value}
    try:
        save_response(state.context(), state.current_actor(), assessment_id, question_id, env, changes,
                      expected_version=version)
    except ScorecardError as error:
        st.session_state[ERROR_KEY] = error
        return
    st.session_state.pop(ERROR_KEY, None)
    st.toast(f"Saved {question_id} · {env}", icon=":material/check:")


def answer_inputs(assessment_id: int, questionnaire: Questionnaire, question: Question, env: Environment,
                  response: StoredResponse | None, score: ResponseScore | None,
                  override: TargetOverride | None, *, disabled: bool) -> None:
    """Draw the inputs of one environment inside a bordered box."""
    version = response.version if response else 0
    stored_na = bool(response and response.na)

    def bind(field: str) -> dict[str, Any]:
        key = _widget_key(assessment_id, question.id, env, field, version)
        return {"key": key, "on_change": _save, "disabled": disabled,
                "args": (assessment_id, question.id, env, field, key, version, stored_na)}

    with st.container(border=True):
        st.markdown(f"**{ENV_TITLE[env]}**")
        current = "NA" if stored_na else (response.current if response else None)
        chosen = st.segmented_control(
            "Current level", LEVELS, default=current, format_func=lambda v: "N/A" if v == "NA" else str(v),
            **bind("current"),
            help="The level in place today, from the descriptions on the left. N/A when the practice "
                 "cannot apply here (say why). Click the selected level again to clear it.",
        )
        if chosen == "NA":
            st.text_input("Why is it not applicable?", value=response.na_reason if stored_na else "",
                          **bind("na_reason"),
                          placeholder="e.g. no wireless in this plant")
            if not stored_na:
                st.caption(":orange[:material/warning: N/A is saved once you say why the practice does not "
                           "apply here.]")
            elif not response.na_reason:
                st.caption(":orange[:material/warning: Give a reason: reviewers need it to accept N/A.]")
        default = questionnaire.default_target(question, env)
        st.selectbox(
            "Target level", [None, 0, 1, 2, 3, 4, 5], index=[None, 0, 1, 2, 3, 4, 5].index(response.target if response else None),
            format_func=lambda v: f"Profile default ({default})" if v is None else str(v),
            **bind("target"),
        )
        if override is not None:
            due = f", due {override.due_date.isoformat()}" if override.due_date else ""
            st.caption(f":material/flag: Agreed target **{override.target}**{due} (set by {md(override.set_by)}"
                       f"{': ' + md(override.reason) if override.reason else ''}) — it replaces the target above in the scores.")
        _verification(question, response, score)
        st.text_area("Notes", value=response.notes if response else "", height=80, **bind("notes"),
                     placeholder="What you saw, who you spoke to, documents checked")
        st.toggle("Marked for review", value=bool(response and response.flagged), **bind("flagged"))
        if response is not None:
            carried = " · carried from the previous assessment" if response.carried else ""
            st.caption(f"Saved by {md(response.updated_by)}, {response.updated_at:%Y-%m-%d %H:%M} UTC{carried}")


def cap_sentence(cap: CapApplied) -> str:
    """A cap in words: 'Critical assets fully documented is 40% (below 50 → up to 1): the evidence
    supports at most level 1.' (metric label and unit from the content's metric definitions)."""
    definition = state.catalog().metric_definitions().get(cap.metric)
    if definition is None:
        return cap.reason
    return (f"{definition.label} is {metric_value(cap.value, definition.unit)} ({cap.threshold}): "
            f"the evidence supports at most level {cap.cap_level}.")


def _verification(question: Question, response: StoredResponse | None, score: ResponseScore | None) -> None:
    """Claimed vs verified, with every cap's reason in words."""
    if score is None or score.state == "unanswered":
        return
    if score.state == "na":
        return
    if score.caps and score.verified is not None and score.claimed is not None and score.verified < score.claimed:
        lines = "\n".join(f"- {cap_sentence(c)}" for c in score.caps if c.verified < c.claimed)
        st.warning(f"**Claimed {score.claimed}, verified {score.verified}** — evidence does not support the claim:\n{lines}",
                   icon=":material/rule:")
    elif score.verified_by_evidence:
        st.success(f"**Verified {score.verified}** — the evidence supports this level.", icon=":material/verified:")
    elif question.metrics:
        st.caption(f":material/help: Claimed {score.claimed}, not verified yet: evidence for "
                   f"{', '.join(question.metrics)} has not been uploaded (see Evidence).")
