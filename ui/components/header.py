"""The heading every assessment view starts with: which assessment, its status, the key figures."""

from __future__ import annotations

import streamlit as st

from exports.formatting import score, share
from scoring.model import Scorecard
from services.assessment_records import AssessmentDetail
from ui.navigation import page
from ui.text import md

STATUS_BADGE = {"draft": ":orange-badge[Draft]", "in_review": ":blue-badge[In review]", "final": ":green-badge[Final]"}


def assessment_header(detail: AssessmentDetail, card: Scorecard | None, *, title: str) -> None:
    a = detail.assessment
    st.markdown(f"### {title} — {md(a.site_name or 'Enterprise-wide')}")
    st.caption(f"{a.scope} · as of {a.as_of:%d %b %Y} · {STATUS_BADGE[a.status]} · assessor {md(a.assessor)} · "
               f"questionnaire {a.questionnaire_id} v{a.questionnaire_version}"
               + (" · :red-badge[Unverified import]" if a.unverified else ""))
    if card is None:
        return
    o = card.overall
    cols = st.columns(5)
    cols[0].metric("Completion", share(o.completion), help="Answered or N/A, of all applicable answers")
    cols[1].metric("Claimed", score(o.claimed), help="Mean maturity as answered (0–5)")
    cols[2].metric("Verified", score(o.verified), help="After evidence caps (0–5)")
    cols[3].metric("Target", score(o.target), help="Agreed or profile target (0–5)")
    cols[4].metric("Confidence", share(o.confidence), help="Answers whose evidence metrics are all present")


def no_assessment() -> None:
    st.info("No assessment selected. Pick a site and an assessment in the sidebar, or create one on Home.",
            icon=":material/arrow_back:")
    st.page_link(page("home"), label="Go to Home", icon=":material/home:")
