"""Where the assessor is in the questionnaire: filter, section and question, kept across reruns,
reloads and shared links.

The place lives in session state (QUESTION_KEY, SECTION_KEY, FILTER_KEY) and is mirrored in the URL
as ``?section=…&question=…`` (read once when a session starts, so a reload or a shared link opens
the same question). The filter ("Unanswered", "To confirm", …) combines with the section ("All
sections" or one). Changing the filter or the section keeps the current question when it still
matches, else moves to the first one that does; answering a question never moves the assessor
away from it, even when it stops matching the filter (it leaves the list at the next move).
Every picker is a `ui.components.choice.stable_choice`: its labels carry counts and states that
change with each answer.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from catalog.models import Question, Questionnaire
from services.questionnaire_progress import QuestionnaireProgress
from ui.components.choice import stable_choice

QUESTION_KEY = "qn.question"
SECTION_KEY = "qn.section"
FILTER_KEY = "qn.filter"
REFIT_KEY = "qn.refit"
"""Set by the filter and section pickers: move to the first matching question if the current one
does not match any more."""
ALL_SECTIONS = "__all__"
FILTERS = ("All", "Unanswered", "To confirm", "Marked for review", "Capped by evidence")


def restore_from_url(questions: list[Question]) -> None:
    """At a session's first run, take the place from the URL's ``section`` and ``question``."""
    if QUESTION_KEY in st.session_state:
        return
    ids = {q.id: q for q in questions}
    wanted = st.query_params.get("question")
    section = st.query_params.get("section")
    if wanted in ids:
        st.session_state[QUESTION_KEY] = wanted
        st.session_state[SECTION_KEY] = section if section in (ids[wanted].section, ALL_SECTIONS) else ids[wanted].section
    elif section and any(q.section == section for q in questions):
        st.session_state[SECTION_KEY] = section
        st.session_state[QUESTION_KEY] = next(q.id for q in questions if q.section == section)


def write_url(question: Question) -> None:
    """Mirror the place in the URL (only when it changed: each write is a message to the browser)."""
    section = st.session_state.get(SECTION_KEY, question.section)
    if st.query_params.get("question") != question.id:
        st.query_params["question"] = question.id
    if st.query_params.get("section") != section:
        st.query_params["section"] = section


def go_to(question: Question) -> None:
    """Callback of the navigation buttons: show `question`; a section filter follows it."""
    st.session_state[QUESTION_KEY] = question.id
    if st.session_state.get(SECTION_KEY) != ALL_SECTIONS:
        st.session_state[SECTION_KEY] = question.section


def _refit() -> None:
    st.session_state[REFIT_KEY] = True


def matcher(filt: str, prog: QuestionnaireProgress, capped: set[str]) -> Callable[[Question], bool]:
    return {"All": lambda q: True,
            "Unanswered": lambda q: prog.by_question[q.id].unanswered > 0,
            "To confirm": lambda q: prog.by_question[q.id].to_confirm > 0,
            "Marked for review": lambda q: prog.by_question[q.id].flagged > 0,
            "Capped by evidence": lambda q: q.id in capped}[filt]


def question_list(questionnaire: Questionnaire, questions: list[Question], prog: QuestionnaireProgress,
                  capped: set[str]) -> list[Question]:
    """Draw the filter, section and question pickers; returns the questions listed (for
    Previous/Next). The current question is always among them."""
    counts = {"Unanswered": prog.overall.unanswered, "To confirm": prog.overall.to_confirm,
              "Marked for review": prog.overall.flagged}
    filt = stable_choice("selectbox", "Show", FILTERS, FILTER_KEY,
                         {f: f"{f} ({counts[f]})" if f in counts else f for f in FILTERS}, on_pick=_refit)
    sections = [s for s in questionnaire.sections if prog.by_section.get(s.id) and prog.by_section[s.id].applicable]
    options = [ALL_SECTIONS, *(s.id for s in sections)]
    labels = {ALL_SECTIONS: "All sections"}
    for s in sections:
        sp = prog.by_section[s.id]
        labels[s.id] = f"{s.title} — {sp.answered}/{sp.applicable}" + (f" · {sp.to_confirm} to confirm" if sp.to_confirm else "")
    section = stable_choice("selectbox", "Section", options, SECTION_KEY, labels, on_pick=_refit)
    keep = matcher(filt, prog, capped)
    in_section = [q for q in questions if section == ALL_SECTIONS or q.section == section]
    current = st.session_state.get(QUESTION_KEY)
    shown = [q for q in in_section if keep(q) or q.id == current]
    if st.session_state.pop(REFIT_KEY, False) or current not in {q.id for q in shown}:
        matching = [q for q in in_section if keep(q)]
        if current not in {q.id for q in matching}:
            shown = matching
            if matching:
                st.session_state[QUESTION_KEY] = matching[0].id
    if section != ALL_SECTIONS:
        sp = prog.by_section[section]
        st.progress(sp.fraction, text=f"{sp.answered} of {sp.applicable} answers confirmed in this section"
                    + (f" · {sp.to_confirm} to confirm" if sp.to_confirm else ""))
    else:
        st.caption(f"{len(shown)} question(s) across all sections")
    if not shown:
        st.info("No question matches this filter" + (" in this section." if section != ALL_SECTIONS else "."))
        return []
    labels = {q.id: f"{_icon(prog, q, capped)} **{q.id}** {_short(q.text)}" for q in shown}
    stable_choice("radio", "Questions", [q.id for q in shown], QUESTION_KEY, labels, label_visibility="collapsed")
    return shown


def _icon(prog: QuestionnaireProgress, question: Question, capped: set[str]) -> str:
    qp = prog.by_question[question.id]
    mark = (":green[:material/check_circle:]" if qp.complete
            else ":orange[:material/history:]" if qp.to_confirm and not qp.unanswered
            else ":orange[:material/timelapse:]" if qp.answered or qp.to_confirm
            else ":gray[:material/radio_button_unchecked:]")
    return (mark + (" :red[:material/flag:]" if qp.flagged else "")
            + (" :violet[:material/rule:]" if question.id in capped else ""))


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
