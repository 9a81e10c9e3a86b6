"""The heading every assessment view starts with: which assessment, its status, the key figures."""

from __future__ import annotations

import streamlit as st

from scoring.model import Scorecard
from services.assessments import AssessmentDetail
from ui.text import md

STATUS_BADGE = {"draft": ":orange-badge[Draft]", "in_review": ":blue-badge[In review]", "final": ":green-badge[Final]"}


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def assessment_header(detail: AssessmentDetail, card: Scorecard | None, *, title: str) -> None:
    a = detail.assessment
    st.markdown(f"### {title} — {md(a.site_name or 'Enterprise-wide')}")
    st.caption(f"{a.scope} · as of {a.as_of:%d %b %Y} · {STATUS_BADGE[a.status]} · assessor {md(a.assessor)} · "
               f"questionnaire {a.questionnaire_id} v{a.questionnaire_version}")
    if card is None:
        return
    o = card.overall
    cols = st.columns(5)
    cols[0].metric("Completion", f"{o.completion:.0%}", help="Answered or N/A, of all applicable answers")
    cols[1].metric("Claimed", _fmt(o.claimed), help="Mean maturity as answered (0–5)")
    cols[2].metric("Verified", _fmt(o.verified), help="After evidence caps (0–5)")
    cols[3].metric("Target", _fmt(o.target), help="Agreed or profile target (0–5)")
    cols[4].metric("Confidence", f"{o.confidence:.0%}", help="Answers whose evidence metrics are all present")


def no_assessment() -> None:
    st.info("No assessment selected. Pick a site and an assessment in the sidebar, or create one on Home.",
            icon=":material/arrow_back:")
    from ui.main import page

    st.page_link(page("home"), label="Go to Home", icon=":material/home:")
