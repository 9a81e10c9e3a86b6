"""The offline questionnaire workbook: export it for an assessment, and import it back in two
steps — check (every cell validated, the changes listed) and apply (one audited change). Answers
changed in the app since the export and differently in the workbook are listed apart as conflicts
and keep the app's values unless the user ticks the box to overwrite them. The import is refused
with a clear message for a final assessment, a viewer, or a workbook made for another assessment;
nothing is written before "Apply", and after it the page shows the result, not the old preview.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from services import questionnaire_workbook
from services.access import Actor
from services.questionnaire_changes import WorkbookImport
from storage.records import Assessment
from ui import state
from ui.components.errors import guard
from ui.components.report_files import file_name, prepare_and_download
from ui.text import md

CHECKED_KEY = "reports.workbook_checked"
APPLIED_KEY = "reports.workbook_applied"
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
                             lambda: questionnaire_workbook.export_workbook(state.context(), actor, assessment.id),
                             widget_key="questionnaire-workbook", icon=":material/table_view:")
    with import_col:
        upload = _upload(assessment)
    if upload is not None:  # the preview takes the full width: conflicts need room for who and when
        _preview(actor, assessment, upload)


def _upload(assessment: Assessment):
    if assessment.is_final:
        st.info("This assessment is final, so answers cannot be imported into it. An admin can reopen it "
                "on the Admin page.", icon=":material/lock:")
        return None
    applied = st.session_state.pop(APPLIED_KEY, None)
    if applied:
        st.success(applied, icon=":material/check_circle:")
    upload = st.file_uploader("Import a filled-in workbook (.xlsx)", type=["xlsx"], key=f"qw-upload-{assessment.id}")
    if upload is None:
        st.session_state.pop(CHECKED_KEY, None)
    return upload


def _preview(actor: Actor, assessment: Assessment, upload) -> None:
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
        _changed_in_app(result)
        return
    if result.responses_changed():
        show_diff(result)
    overwrite = False
    if result.conflicts:
        show_conflicts(result)
        count = result.conflicting_responses()
        overwrite = st.checkbox(f"Overwrite the app's values with the workbook's for "
                                f"{'this answer' if count == 1 else f'these {count} answers'}",
                                key=f"qw-overwrite-{assessment.id}-{digest[:12]}")
    _changed_in_app(result)
    count = result.responses_changed(with_conflicts=overwrite)
    if count == 0:
        st.info("Nothing to apply unless you choose to overwrite the conflicting answers.", icon=":material/info:")
    elif st.button(f"Apply {_answers(count, 'changed answer')}", key="qw-apply", type="primary",
                   icon=":material/done_all:"):
        _apply(actor, assessment.id, data, upload.name, overwrite, result)


def show_diff(result: WorkbookImport) -> None:
    rows = [{"Question": c.question_id, "Env": c.environment, "Field": FIELD_LABEL.get(c.field, c.field),
             "Stored": _text(c.old), "Workbook": _text(c.new), "Where": c.location}
            for c in result.changes if not c.conflict]
    st.markdown(f"**{_answers(result.responses_changed())} would change** ({len(rows)} field(s)). Check, then apply.")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="qw-diff")


def show_conflicts(result: WorkbookImport) -> None:
    """Answers changed in the app after the export and differently in the workbook."""
    st.warning(f"**{_answers(result.conflicting_responses())} changed in the app after this workbook was "
               "exported** and the workbook has other values. They keep the app's values unless you choose "
               "below to overwrite them.", icon=":material/sync_problem:")
    rows = [{"Question": c.question_id, "Env": c.environment, "Field": FIELD_LABEL.get(c.field, c.field),
             "In the app": _text(c.old), "Workbook": _text(c.new), "App change": c.conflict, "Where": c.location}
            for c in result.conflicts]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="qw-conflicts")


def _changed_in_app(result: WorkbookImport) -> None:
    if not result.changed_in_app:
        return
    shown = ", ".join(result.changed_in_app[:12]) + (" …" if len(result.changed_in_app) > 12 else "")
    st.caption(f"{_answers(len(result.changed_in_app))} changed in the app since the export and left alone in "
               f"the workbook keep the app's values: {shown}.")


def _answers(count: int, noun: str = "answer") -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _text(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@guard()
def _check(actor: Actor, assessment_id: int, data: bytes, name: str) -> WorkbookImport | None:
    with st.spinner("Checking every cell of the workbook…"):
        return questionnaire_workbook.import_workbook(state.context(), actor, assessment_id, data, name=name, dry_run=True)


@guard()
def _apply(actor: Actor, assessment_id: int, data: bytes, name: str, overwrite: bool,
           checked: WorkbookImport) -> None:
    """Apply what the preview showed; if the stored answers moved since, the service refuses and
    the next run checks the workbook again."""
    st.session_state.pop(CHECKED_KEY, None)
    result = questionnaire_workbook.import_workbook(state.context(), actor, assessment_id, data, name=name, apply_conflicts=overwrite,
                                                    expected=checked)
    count = result.responses_changed(with_conflicts=overwrite)
    st.session_state[APPLIED_KEY] = f"Imported {_answers(count, 'changed answer')} from {md(name)} as one audited change."
    st.rerun()
