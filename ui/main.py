"""App shell: page config and navigation between views."""

from __future__ import annotations

import streamlit as st

from errors import ScorecardError
from services.content import get_catalog


def run() -> None:
    st.set_page_config(page_title="Resilience Scorecard", layout="wide")
    st.title("Resilience Scorecard")
    try:
        catalog = get_catalog()
    except ScorecardError as error:
        st.error(error.summary)
        with st.expander("Details"):
            st.code("\n".join(error.lines()))
        return
    st.subheader("Frameworks")
    st.dataframe(
        [{"id": f.id, "name": f.name, "version": f.version, "nodes": len(f.nodes)} for f in catalog.frameworks.values()],
        hide_index=True,
    )
    st.subheader("Questionnaires")
    st.dataframe(
        [{"id": q.id, "name": q.name, "version": q.version, "questions": len(q.questions)} for q in catalog.questionnaires.values()],
        hide_index=True,
    )
