"""The offline questionnaire workbook: export it for an assessment, and import it back in two
steps — check (every cell validated, the changes listed) and apply (one audited change). The
import is refused with a clear message for a final assessment, a viewer, or a workbook made for
another assessment; nothing is written before "Apply".
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from exports.questionnaire_import import WorkbookImport
from services import questionnaire_workbook
from services.access import Actor
from storage.records import Assessment
from ui.components.errors import guard
from ui.components.report_files import file_name, prepare_and_download
from ui.text import md

CHECKED_KEY = "reports.workbook_checked"
FIELD_LABEL = {"current": "Current", "na": "N/A", "na_reason": "N/A reason", "target": "Target", "notes": "Notes"}


def questionnaire_workbook_panel(actor: Actor, assessment: Assessment, data_version: tuple) -> None:
    st.markdown("#### Offline questionnaire workbook")
    st.caption(f"For {md(assessment.label)} (#{assessment.id}). One sheet per section, drop-downs for the levels, "
               "the level descriptions beside each question. Answer in Excel, then import it back here.")
    export_col, import_col = st.columns(2, gap="large")
    with export_col:
        name = file_name(assessment.site_name or "enterprise", assessment.scope.replace("+", "-"),
                         assessment.as_of.isoformat(), "questionnaire", ext="xlsx")
        prepare_and_download("questionnaire workbook", ("questionnaire", assessment.id, data_version), name, "xlsx",
                             lambda: questionnaire_workbook.export_workbook(actor, assessment.id),
                             widget_key="questionnaire-workbook", icon=":material/table_view:")
    with import_col:
        _import(actor, assessment)


def _import(actor: Actor, assessment: Assessment) -> None:
    if assessment.is_final:
        st.info("This assessment is final, so answers cannot be imported into it. An admin can reopen it "
                "on the Admin page.", icon=":material/lock:")
        return
    upload = st.file_uploader("Import a filled-in workbook (.xlsx)", type=["xlsx"], key=f"qw-upload-{assessment.id}")
    if upload is None:
        st.session_state.pop(CHECKED_KEY, None)
        return
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    checked = st.session_state.get(CHECKED_KEY)
    if checked is None or checked[0] != (assessment.id, digest):
        result = _check(actor, assessment.id, data, upload.name)
        if result is None:
            return
        checked = ((assessment.id, digest), result)
        st.session_state[CHECKED_KEY] = checked
    result: WorkbookImport = checked[1]
    if not result.changes:
        st.success("The workbook matches the stored answers: nothing to import.", icon=":material/check:")
        return
    show_diff(result)
    if st.button(f"Apply {len(result.responses)} changed answer{'s' if len(result.responses) != 1 else ''}",
                 key="qw-apply", type="primary", icon=":material/done_all:"):
        _apply(actor, assessment.id, data, upload.name)


def show_diff(result: WorkbookImport) -> None:
    rows = [{"Question": c.question_id, "Env": c.environment, "Field": FIELD_LABEL.get(c.field, c.field),
             "Stored": _text(c.old), "Workbook": _text(c.new), "Where": c.location} for c in result.changes]
    st.markdown(f"**{len(result.responses)} answer(s) would change** ({len(rows)} field(s)). Check, then apply.")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="qw-diff")


def _text(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@guard()
def _check(actor: Actor, assessment_id: int, data: bytes, name: str) -> WorkbookImport | None:
    with st.spinner("Checking every cell of the workbook…"):
        return questionnaire_workbook.import_workbook(actor, assessment_id, data, name=name, dry_run=True)


@guard()
def _apply(actor: Actor, assessment_id: int, data: bytes, name: str) -> None:
    result = questionnaire_workbook.import_workbook(actor, assessment_id, data, name=name)
    st.session_state.pop(CHECKED_KEY, None)
    st.toast(f"Imported {len(result.responses)} changed answer(s) from {md(name)}.", icon=":material/check_circle:")
    st.success(f"Imported {len(result.responses)} changed answer(s) as one audited change.",
               icon=":material/check_circle:")
