"""Journey 1: answer the questionnaire section by section.

Left: filter, section (with its progress) and the section's questions with their state
(ui.components.question_nav, which also keeps the place in the URL). Right: the selected
question — its text, guidance, the six level descriptions, and per environment the answer inputs
(ui.components.answer_form), which save every change at once. The header shows confirmed
progress (carried answers are "to confirm" until edited or confirmed unchanged, per question or
per section), marked-for-review count, claimed/verified/target and "Next unanswered".

The view runs as one `st.fragment`: answering reruns only the view, not the app's shell.
"""

from __future__ import annotations

import streamlit as st

from catalog.models import Question, Questionnaire
from errors import ScorecardError
from scoring.model import Scope
from services.assessments import confirm_responses
from services.questionnaire_progress import (
    environments_of,
    next_unanswered,
    progress,
    responses_by_pair,
)
from ui import state
from ui.components.answer_form import ERROR_KEY, answer_inputs
from ui.components.assessment_data import load_detail, scorecard_for
from ui.components.errors import guard, show_error
from ui.components.header import assessment_header, no_assessment
from ui.components.level_keys import enable_level_keys
from ui.components.question_nav import (
    ALL_SECTIONS,
    QUESTION_KEY,
    SECTION_KEY,
    go_to,
    question_list,
    restore_from_url,
    write_url,
)


def render() -> None:
    if state.selected_assessment_id() is None:
        no_assessment()
        return
    _page()


@st.fragment
@guard()
def _page() -> None:
    """The whole view as one fragment: an answer, a filter or a move reruns this view only, not
    the app's shell (sign-in, navigation, the sidebar's site and assessment lists)."""
    actor = state.current_actor()
    assessment_id = state.selected_assessment_id()
    if assessment_id is None:
        return
    detail = load_detail(actor, assessment_id)
    a = detail.assessment
    catalog = state.catalog()
    questionnaire = catalog.questionnaire(a.questionnaire_id)
    scope = Scope(a.scope)
    responses = responses_by_pair(detail.responses)
    prog = progress(questionnaire, scope, responses)
    card = scorecard_for(actor, detail)
    scores = {(r.question_id, r.environment): r for r in card.responses}
    overrides = {(t.question_id, t.environment): t for t in detail.targets}
    questions = [q for q in questionnaire.questions if environments_of(q, scope)]
    by_id = {q.id: q for q in questions}
    restore_from_url(questions)
    if st.session_state.get(QUESTION_KEY) not in by_id:
        st.session_state[QUESTION_KEY] = questions[0].id
        st.session_state[SECTION_KEY] = questions[0].section

    assessment_header(detail, card, title="Questionnaire", compact=True)
    writable = not a.is_final and actor.may_edit_site(a.site_name)
    if a.is_final:
        st.info("This assessment is final and read-only. An admin can reopen it on the Admin page.", icon=":material/lock:")
    elif not writable:
        st.info(f"You ({actor.role}) can read this assessment but not change it.", icon=":material/visibility:")
    if questionnaire.version != a.questionnaire_version:
        st.warning(f"This assessment was started with questionnaire version {a.questionnaire_version}; "
                   f"version {questionnaire.version} is loaded now.")
    _progress_row(prog, questionnaire, scope, responses, by_id)
    error = st.session_state.pop(ERROR_KEY, None)
    if isinstance(error, ScorecardError):
        show_error(error)

    capped = {s.question_id for s in scores.values() if s.claimed is not None and s.verified is not None and s.verified < s.claimed}
    nav, main = st.columns([1.15, 3], gap="large")
    with nav:
        shown = question_list(questionnaire, questions, prog, capped)
        if writable:
            _confirm_section(a.id, questionnaire, questions, scope, prog, responses)
    question = by_id[st.session_state[QUESTION_KEY]]
    write_url(question)
    with main:
        _question(a.id, questionnaire, question, scope, responses, scores, overrides, shown or [question], writable)


def _progress_row(prog, questionnaire: Questionnaire, scope: Scope, responses, by_id: dict[str, Question]) -> None:
    overall = prog.overall
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    to_confirm = f" · **{overall.to_confirm} carried to confirm**" if overall.to_confirm else ""
    left.progress(overall.fraction, text=f"**{overall.answered} of {overall.applicable}** answers confirmed "
                  f"({overall.fraction:.0%}){to_confirm} · {overall.flagged} marked for review")
    current = by_id[st.session_state[QUESTION_KEY]]
    target = next_unanswered(questionnaire, scope, responses, current.id, section=current.section)
    right.button("Next unanswered", icon=":material/skip_next:", type="primary", width="stretch",
                 disabled=target is None, on_click=go_to, args=(by_id[target],) if target else None,
                 help="The next question with an answer missing or carried and not confirmed: "
                      "first in this section, then in the following ones")


def _confirm(assessment_id: int, pairs: list[tuple[str, str]]) -> None:
    """Callback: confirm carried answers unchanged; a refusal is shown as a message."""
    try:
        done = confirm_responses(state.context(), state.current_actor(), assessment_id, pairs)
    except ScorecardError as error:
        st.session_state[ERROR_KEY] = error
        return
    st.toast(f"Confirmed {done} carried answer{'s' if done != 1 else ''} unchanged", icon=":material/done_all:")


def _carried_pairs(questions: list[Question], scope: Scope, responses) -> list[tuple[str, str]]:
    return [(q.id, env) for q in questions for env in environments_of(q, scope)
            if (r := responses.get((q.id, env))) is not None and r.carried and (r.na or r.current is not None)]


def _confirm_section(assessment_id: int, questionnaire: Questionnaire, questions: list[Question], scope: Scope, prog,
                     responses) -> None:
    section = st.session_state.get(SECTION_KEY)
    if section in (None, ALL_SECTIONS) or not prog.by_section[section].to_confirm:
        return
    pairs = _carried_pairs([q for q in questions if q.section == section], scope, responses)
    title = next(s.title for s in questionnaire.sections if s.id == section)
    st.button(f"Confirm {len(pairs)} unchanged", icon=":material/done_all:",
              on_click=_confirm, args=(assessment_id, pairs), width="stretch", key=f"qn.confirm_section:{section}",
              help=f"All {len(pairs)} carried answers of {title} stay as they are, confirmed by you; "
                   "they then count as complete")


def _question(assessment_id: int, questionnaire: Questionnaire, question: Question, scope: Scope, responses,
              scores, overrides, shown: list[Question], writable: bool) -> None:
    ids = [q.id for q in shown]
    position = ids.index(question.id) if question.id in ids else 0
    section = next(s.title for s in questionnaire.sections if s.id == question.section)
    head, prev_col, next_col = st.columns([4, 1.2, 1.2], vertical_alignment="bottom")
    head.caption(f"{section} · question {position + 1} of {len(shown)}")
    prev_col.button("Previous", icon=":material/chevron_left:", width="stretch", disabled=position == 0,
                    on_click=go_to, args=(shown[position - 1],) if position > 0 else None)
    next_col.button("Next", icon=":material/chevron_right:", width="stretch", disabled=position >= len(shown) - 1,
                    on_click=go_to, args=(shown[position + 1],) if position < len(shown) - 1 else None)
    st.markdown(f"#### {question.id} · {question.text}")
    refs = " · ".join(filter(None, [
        f"CSF {', '.join(question.csf)}" if question.csf else "",
        f"CPG {', '.join(question.cpg)}" if question.cpg else "",
        f"weight {question.weight}", f"consequence {question.consequence}/5",
    ]))
    st.caption(refs)
    envs = environments_of(question, scope)
    text_col, answer_col = st.columns([1, 1], gap="large")
    with text_col:
        st.markdown("**Maturity levels**")
        st.markdown(_levels(question, envs, responses))
        with st.expander("Guidance — what to look for", expanded=True, icon=":material/lightbulb:"):
            st.markdown(question.guidance)
            if question.evidence_requested:
                st.markdown("**Evidence to ask for**\n" + "\n".join(f"- {e}" for e in question.evidence_requested))
            if question.consequence_note:
                st.caption(f"Why it matters: {question.consequence_note}")
    with answer_col:
        carried = _carried_pairs([question], scope, responses)
        if carried and writable:
            st.button("Confirm unchanged", icon=":material/done_all:", type="primary", width="stretch",
                      on_click=_confirm, args=(assessment_id, carried), key=f"qn.confirm:{question.id}",
                      help="The carried answer" + ("s" if len(carried) > 1 else "") + " of this question stay as "
                           "they are, confirmed by you")
        for env in envs:
            answer_inputs(assessment_id, questionnaire, question, env, responses.get((question.id, env)),
                          scores.get((question.id, env)), overrides.get((question.id, env)), disabled=not writable)
        enable_level_keys()


def _levels(question: Question, envs, responses) -> str:
    """The six level descriptions, each marked with the environments that claim it."""
    lines = []
    for level, text in sorted(question.levels.items()):
        claims = [env for env in envs
                  if (r := responses.get((question.id, env))) is not None and not r.na and r.current == level]
        badges = " ".join(f":blue-badge[{env} claims {level}]" for env in claims)
        lines.append(f"- **{level}** — {text} {badges}".rstrip())
    return "\n".join(lines)
