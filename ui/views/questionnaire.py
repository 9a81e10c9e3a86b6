"""Journey 1: answer the questionnaire section by section.

Left: filter, section (with its progress) and the section's questions with their state. Right:
the selected question — its text, guidance, the six level descriptions, and per environment the
answer inputs (ui.components.answer_form), which save every change at once. The header shows
overall progress, marked-for-review count, claimed/verified/target and "Next unanswered".
"""

from __future__ import annotations

import streamlit as st

from catalog.models import Question, Questionnaire
from errors import ScorecardError
from scoring.model import Scope
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

QUESTION_KEY = "qn.question"
SECTION_KEY = "qn.section"
FILTER_KEY = "qn.filter"
FILTERS = ("All", "Unanswered", "Marked for review", "Capped by evidence")


def _go(question: Question) -> None:
    """Callback of the navigation buttons: show `question` (and its section)."""
    st.session_state[QUESTION_KEY] = question.id
    st.session_state[SECTION_KEY] = question.section
    st.session_state[FILTER_KEY] = "All"


def _first_of_section(questionnaire: Questionnaire) -> None:
    section = st.session_state.get(SECTION_KEY)
    st.session_state[QUESTION_KEY] = next(q.id for q in questionnaire.questions if q.section == section)


@guard()
def render() -> None:
    actor = state.current_actor()
    assessment_id = state.selected_assessment_id()
    if assessment_id is None:
        no_assessment()
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
    if st.session_state.get(QUESTION_KEY) not in by_id:
        st.session_state[QUESTION_KEY] = questions[0].id
        st.session_state[SECTION_KEY] = questions[0].section

    assessment_header(detail, card, title="Questionnaire")
    writable = not a.is_final and actor.may_edit_site(a.site_name)
    if a.is_final:
        st.info("This assessment is final and read-only. An admin can reopen it on the Admin page.", icon=":material/lock:")
    elif not writable:
        st.info(f"You ({actor.role}) can read this assessment but not change it.", icon=":material/visibility:")
    if questionnaire.version != a.questionnaire_version:
        st.warning(f"This assessment was started with questionnaire version {a.questionnaire_version}; "
                   f"version {questionnaire.version} is loaded now.")
    _progress_row(prog, questionnaire, scope, responses)
    error = st.session_state.pop(ERROR_KEY, None)
    if isinstance(error, ScorecardError):
        show_error(error)

    nav, main = st.columns([1.15, 3], gap="large")
    with nav:
        shown = _question_list(questionnaire, questions, prog, scores)
    with main:
        question = by_id[st.session_state[QUESTION_KEY]]
        _question(a.id, questionnaire, question, scope, responses, scores, overrides, shown, writable)


def _progress_row(prog, questionnaire: Questionnaire, scope: Scope, responses) -> None:
    overall = prog.overall
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    left.progress(overall.fraction, text=f"**{overall.answered} of {overall.applicable}** answers given "
                  f"({overall.fraction:.0%}) · {overall.flagged} marked for review")
    target = next_unanswered(questionnaire, scope, responses, st.session_state.get(QUESTION_KEY))
    right.button("Next unanswered", icon=":material/skip_next:", type="primary", width="stretch",
                 disabled=target is None, on_click=_go, args=(questionnaire.question(target),) if target else None,
                 help="Jump to the next question with an unanswered environment")


def _icon(qp, flagged: bool, capped: bool) -> str:
    mark = (":green[:material/check_circle:]" if qp.complete
            else ":orange[:material/timelapse:]" if qp.answered else ":gray[:material/radio_button_unchecked:]")
    return mark + (" :red[:material/flag:]" if flagged else "") + (" :violet[:material/rule:]" if capped else "")


def _question_list(questionnaire: Questionnaire, questions: list[Question], prog, scores) -> list[Question]:
    """Filter, section and question pickers; returns the questions listed (for Previous/Next)."""
    capped = {s.question_id for s in scores.values() if s.claimed is not None and s.verified is not None and s.verified < s.claimed}
    filt = st.selectbox("Show", FILTERS, key=FILTER_KEY)
    if filt == "All":
        sections = [s for s in questionnaire.sections if prog.by_section.get(s.id) and prog.by_section[s.id].applicable]
        if st.session_state.get(SECTION_KEY) not in {s.id for s in sections}:
            st.session_state[SECTION_KEY] = sections[0].id
        st.selectbox("Section", [s.id for s in sections], key=SECTION_KEY, on_change=_first_of_section,
                     args=(questionnaire,), format_func=lambda sid: _section_label(questionnaire, sid, prog))
        sp = prog.by_section[st.session_state[SECTION_KEY]]
        st.progress(sp.fraction, text=f"{sp.answered} of {sp.applicable} answers given in this section")
        shown = [q for q in questions if q.section == st.session_state[SECTION_KEY]]
    else:
        keep = {"Unanswered": lambda q: not prog.by_question[q.id].complete,
                "Marked for review": lambda q: prog.by_question[q.id].flagged > 0,
                "Capped by evidence": lambda q: q.id in capped}[filt]
        shown = [q for q in questions if keep(q)]
        st.caption(f"{len(shown)} question(s) across all sections")
    if not shown:
        st.info("No question matches this filter.")
        return [questions[0]]
    if st.session_state.get(QUESTION_KEY) not in {q.id for q in shown}:
        st.session_state[QUESTION_KEY] = shown[0].id
    labels = {q.id: f"{_icon(prog.by_question[q.id], prog.by_question[q.id].flagged > 0, q.id in capped)} "
                    f"**{q.id}** {_short(q.text)}" for q in shown}
    st.radio("Questions", [q.id for q in shown], key=QUESTION_KEY, format_func=labels.get, label_visibility="collapsed")
    return shown


def _section_label(questionnaire: Questionnaire, section_id: str, prog) -> str:
    sp = prog.by_section[section_id]
    title = next(s.title for s in questionnaire.sections if s.id == section_id)
    return f"{title} — {sp.answered}/{sp.applicable}"


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _question(assessment_id: int, questionnaire: Questionnaire, question: Question, scope: Scope, responses,
              scores, overrides, shown: list[Question], writable: bool) -> None:
    ids = [q.id for q in shown]
    position = ids.index(question.id) if question.id in ids else 0
    section = next(s.title for s in questionnaire.sections if s.id == question.section)
    head, prev_col, next_col = st.columns([4, 1.2, 1.2], vertical_alignment="bottom")
    head.caption(f"{section} · question {position + 1} of {len(shown)}")
    prev_col.button("Previous", icon=":material/chevron_left:", width="stretch", disabled=position == 0,
                    on_click=_go, args=(shown[position - 1],) if position > 0 else None)
    next_col.button("Next", icon=":material/chevron_right:", width="stretch", disabled=position >= len(shown) - 1,
                    on_click=_go, args=(shown[position + 1],) if position < len(shown) - 1 else None)
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
        for env in envs:
            answer_inputs(assessment_id, questionnaire, question, env, responses.get((question.id, env)),
                          scores.get((question.id, env)), overrides.get((question.id, env)), disabled=not writable)


def _levels(question: Question, envs, responses) -> str:
    """The six level descriptions, each marked with the environments that claim it."""
    lines = []
    for level, text in sorted(question.levels.items()):
        claims = [env for env in envs
                  if (r := responses.get((question.id, env))) is not None and not r.na and r.current == level]
        badges = " ".join(f":blue-badge[{env} claims {level}]" for env in claims)
        lines.append(f"- **{level}** — {text} {badges}".rstrip())
    return "\n".join(lines)
