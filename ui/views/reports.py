"""Reports (journey 5): the board PDF, the analyst workbook, the board deck (PPTX) and the OSCAL
assessment results and POA&M of the enterprise, a site or one assessment, and the offline
questionnaire workbook (export, import with a diff before applying).

The report files are made from the same cached view-model as the dashboard, so what the CIO saw on
screen is what the board reads.
"""

from __future__ import annotations

import streamlit as st

from services import reports
from services.assessments import get_assessment, list_assessments
from ui import state
from ui.components.dashboard_data import load_context, version
from ui.components.errors import guard
from ui.components.report_files import file_name, prepare_and_download
from ui.components.report_questionnaire import questionnaire_workbook_panel
from ui.text import md

SUBJECT_KEY = "reports.subject"
PAPER_KEY = "reports.paper"
PAPERS = {"a4": "A4", "letter": "US Letter"}


@guard()
def render() -> None:
    actor = state.current_actor()
    site, assessment_id = state.selected_site(), state.selected_assessment_id()
    data = version()
    # Start the chart browser and the PDF layout worker while the user picks what to print, so the
    # first PDF does not wait for their start-up (returns at once; a no-op once they run).
    reports.prepare_pdf()
    st.markdown("### Reports")
    st.caption("The board PDF, the analyst workbook, the board deck and the OSCAL documents carry the same numbers "
               "as the dashboard. Files are made on request and take a few seconds.")
    # Segmented-control options render Markdown: the site name is escaped.
    options = {"enterprise": "Enterprise", "site": f"{md(site or 'Enterprise-wide')}: latest final",
               "assessment": "Selected assessment"}
    if SUBJECT_KEY not in st.session_state:
        st.session_state[SUBJECT_KEY] = "enterprise" if list_assessments(state.context(), actor, enterprise=True) else "site"
    left, right = st.columns([3, 1])
    subject = left.segmented_control("Report on", list(options), format_func=options.get, key=SUBJECT_KEY,
                                     required=True)
    paper = right.segmented_control("Paper", list(PAPERS), format_func=PAPERS.get, key=PAPER_KEY, default="a4",
                                    required=True)
    if subject == "assessment" and assessment_id is None:
        st.info("No assessment selected: pick a site and an assessment in the sidebar.", icon=":material/arrow_back:")
    else:
        _board_files(actor, subject, assessment_id, site, paper, data)
    st.divider()
    if assessment_id is None:
        st.info("Pick an assessment in the sidebar to export or import its questionnaire workbook.",
                icon=":material/arrow_back:")
        return
    questionnaire_workbook_panel(actor, get_assessment(state.context(), actor, assessment_id), data)


def _board_files(actor, subject: str, assessment_id: int | None, site: str | None, paper: str, data) -> None:
    context = load_context(actor, subject, assessment_id=assessment_id, site=site, data=data)
    m = context.meta
    st.markdown(f"#### {md(m.subject)} · {m.scope} · as of {m.as_of:%d %b %Y}")
    status = {"draft": "Draft — the PDF carries a DRAFT watermark", "in_review": "In review — watermarked",
              "final": "Final"}.get(m.status, m.status)
    st.caption(f"Status: {status}. Completion {context.headline.completion:.0%}, "
               f"confidence {context.headline.confidence:.0%}.")
    key = (subject, assessment_id, site, data)
    stem = (m.subject if m.kind != "enterprise" else f"{m.organisation} enterprise", m.as_of.isoformat())
    pdf_col, xlsx_col = st.columns(2, gap="large")
    with pdf_col:
        st.markdown("**Board report (PDF)**")
        st.caption("Cover, executive summary, CSF and CPG scores, metrics, scenarios, roadmap with owners, "
                   "exceptions, exercises" + (", site comparison" if m.kind == "enterprise" else "")
                   + ", and the appendix.")
        prepare_and_download("board PDF", (*key, paper), file_name(*stem, "board-report", paper, ext="pdf"), "pdf",
                             lambda: _made(actor, subject, site, context, "pdf", paper), widget_key="board-pdf",
                             icon=":material/picture_as_pdf:")
    with xlsx_col:
        st.markdown("**Analyst workbook (XLSX)**")
        st.caption("Every number behind the report as filterable sheets: scores, CPG goals, responses with cap "
                   "reasons, metrics, gaps & roadmap, POA&M, exceptions, exercises, trend, audit.")
        prepare_and_download("analyst workbook", key, file_name(*stem, "analyst-workbook", ext="xlsx"), "xlsx",
                             lambda: _made(actor, subject, site, context, "xlsx"), widget_key="analyst-xlsx",
                             icon=":material/table_chart:")
    deck_col, oscal_col = st.columns(2, gap="large")
    with deck_col:
        st.markdown("**Board deck (PPTX)**")
        st.caption("8–10 editable 16:9 slides with native charts (Edit Data opens their numbers) and speaker "
                   "notes giving the method and source of every figure.")
        prepare_and_download("board deck", key, file_name(*stem, "board-deck", ext="pptx"), "pptx",
                             lambda: reports.render(state.context(), context, "pptx"), widget_key="board-pptx",
                             icon=":material/slideshow:")
    with oscal_col:
        st.markdown("**OSCAL for GRC platforms (JSON)**")
        st.caption("Assessment results (findings per CSF subcategory and CPG goal, evidence observations) and the "
                   "POA&M of the open actions, citing NIST's CSF 2.0 OSCAL catalog.")
        prepare_and_download("OSCAL assessment results", key, file_name(*stem, "oscal-assessment-results", ext="json"),
                             "json", lambda: reports.render(state.context(), context, "oscal-ar"), widget_key="oscal-ar",
                             icon=":material/data_object:")
        prepare_and_download("OSCAL POA&M", key, file_name(*stem, "oscal-poam", ext="json"), "json",
                             lambda: reports.render(state.context(), context, "oscal-poam"), widget_key="oscal-poam",
                             icon=":material/checklist:")


def _made(actor, subject: str, site: str | None, context, fmt: str, paper: str = "a4") -> bytes:
    """The file of the report on screen. A site's or the enterprise's PDF and workbook come through
    `reports.report`, which keeps them in the database until the view changes (services.stored_views):
    the next user asking for the same file gets it at once. Others are rendered from `context`."""
    if fmt in reports.STORED_FORMATS and (subject == "enterprise" or (subject == "site" and site)):
        return reports.report(state.context(), actor, fmt, paper, site=site if subject == "site" else None,
                              enterprise=subject == "enterprise")
    return reports.render(state.context(), context, fmt, paper)
