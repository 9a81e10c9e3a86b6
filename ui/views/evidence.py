"""Journey 2: evidence per dataset — template, upload, mapping, validation, import, metrics.

Reading and validating happen on upload (cached per file and mapping); importing is an explicit
button because it replaces the dataset's evidence for the assessment. A file with problems is
imported only when the user chooses to keep the valid rows.
"""

from __future__ import annotations

import hashlib
import re

import pandas as pd
import streamlit as st

from errors import EvidenceError
from evidence.schemas import DATASETS, get_schema
from evidence.validated_dataset import ValidatedDataset
from services import evidence_files as evidence_service
from services.evidence_imports import import_evidence, site_time_zone
from services.mapping_files import (
    columns_can_be_mapped,
    file_headers,
    mapping_parts,
    mapping_text,
    parse,
    previous_mapping,
    unrecognised_values,
)
from ui import state
from ui.components.assessment_data import load_detail, metrics_for, scorecard_for
from ui.components.errors import guard, show_error
from ui.components.evidence_metrics import capped_questions, metric_table
from ui.components.header import assessment_header, no_assessment
from ui.components.mapping_editor import (
    assumption_editor,
    column_editor,
    mapping_key,
    preset_picker,
    value_editor,
)
from ui.text import md

DATASET_KEY = "ev.dataset"
LOCATION = re.compile(r"^(?P<file>.*?) row (?P<row>\d+)(?:, column '(?P<column>.*)')?$")
FILE_TYPES = ["csv", "txt", "tsv", "log", "xlsx", "xlsm"]


@st.cache_resource(show_spinner="Reading the file…", max_entries=4)
def _validate(sha: str, name: str, dataset: str, text: str, preset: str | None, time_zone: str,
              _data: bytes) -> tuple[ValidatedDataset, dict]:
    mapping = parse(text, dataset, preset)
    result = evidence_service.check_file(_data, dataset, mapping=mapping, name=name, time_zone=time_zone)
    return result, unrecognised_values(_data, name, dataset, mapping)


@guard()
def render() -> None:
    actor = state.current_actor()
    assessment_id = state.selected_assessment_id()
    if assessment_id is None:
        no_assessment()
        return
    detail = load_detail(actor, assessment_id)
    a = detail.assessment
    card = scorecard_for(actor, detail)
    assessment_header(detail, None, title="Evidence")
    writable = not a.is_final and actor.may_edit_site(a.site_name)
    if a.is_final:
        st.info("This assessment is final: its evidence is read-only. An admin can reopen it on the Admin page.",
                icon=":material/lock:")
    current = {e.dataset: e for e in detail.evidence}  # imports are in id order: the last one counts
    dataset = st.segmented_control("Dataset", list(DATASETS), key=DATASET_KEY, required=True, default="asset_inventory",
                                   format_func=lambda d: ("✓ " if d in current else "") + DATASETS[d].title)
    schema = get_schema(dataset)
    st.caption(schema.description)
    if dataset in current:
        item = current[dataset]
        st.caption(f":material/task: In use: **{md(item.file_name)}**, {item.row_count} rows, imported by "
                   f"{md(item.imported_by)} on {item.imported_at:%Y-%m-%d %H:%M} UTC (SHA-256 {item.sha256[:12]}…)")
    _templates(dataset)
    if writable:
        _upload(assessment_id, dataset)
    message = st.session_state.pop("ev.imported", None)
    if message:
        st.success(message, icon=":material/check:")
    catalog = state.catalog()
    definitions = catalog.metric_definitions()
    st.markdown("#### Metrics from this dataset")
    metric_table(dataset, definitions, metrics_for(actor, detail))
    st.markdown("#### Questions these metrics check")
    capped_questions(dataset, definitions, catalog.questionnaire(a.questionnaire_id), card)


def _templates(dataset: str) -> None:
    st.markdown("#### 1 · Template")
    left, right, fields = st.columns([1, 1, 2.5], vertical_alignment="center")
    left.download_button("CSV template", evidence_service.template(dataset), file_name=f"{dataset}.csv",
                         mime="text/csv", icon=":material/download:", width="stretch")
    right.download_button("XLSX template", evidence_service.template(dataset, xlsx=True), file_name=f"{dataset}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          icon=":material/download:", width="stretch")
    with fields.popover("Fields of this dataset", icon=":material/table_chart:"):
        schema = get_schema(dataset)
        st.dataframe(pd.DataFrame([{"Field": f.name, "Type": f.kind, "Required": "yes" if f.required else "",
                                    "Allowed": ", ".join(f.allowed), "Meaning": f.description} for f in schema.fields]),
                     hide_index=True, width="stretch")


def _upload(assessment_id: int, dataset: str) -> None:
    st.markdown("#### 2 · Upload")
    key = mapping_key(assessment_id, dataset)
    round_ = st.session_state.get(f"{key}.round", 0)
    if key not in st.session_state:
        stored = previous_mapping(state.context(), state.current_actor(), assessment_id, dataset)
        columns, values = mapping_parts(stored.text) if stored else ({}, {})
        st.session_state[key] = {"columns": columns, "values": values, "preset": stored.preset if stored else None,
                                 "from": f"{stored.as_of} (#{stored.assessment_id})" if stored else ""}
    mapping = st.session_state[key]
    if mapping["from"] and (mapping["columns"] or mapping["values"] or mapping.get("preset")):
        st.caption(f":material/history: Using the mapping saved with the import of {mapping['from']}.")
    preset_picker(dataset, key)
    upload = st.file_uploader("CSV, TSV, text, Zeek log or XLSX file", type=FILE_TYPES,
                              key=f"ev.upload.{assessment_id}.{dataset}.{round_}")
    if upload is None:
        return
    data = upload.getvalue()
    text = mapping_text(mapping["columns"], mapping["values"])
    preset = mapping.get("preset")
    try:
        result, unrecognised = _validate(hashlib.sha256(data).hexdigest(), upload.name, dataset, text, preset,
                                         site_time_zone(state.context(), assessment_id), data)
    except EvidenceError as error:
        show_error(error)
        if columns_can_be_mapped(error):  # the file was read: offer to map its columns (never for a refused file)
            with guard():
                column_editor(get_schema(dataset), key, file_headers(data, upload.name), disabled=False)
        return
    _report(result)
    assumption_editor(key, result.assumed, disabled=False)
    column_editor(get_schema(dataset), key, [*result.columns.values(), *result.ignored_columns, *result.mapped_away],
                  disabled=False, matched=result.columns)
    value_editor(get_schema(dataset), key, unrecognised, disabled=False)
    if text:
        st.download_button("Download this mapping (YAML)", text.encode(), file_name=f"{dataset}-mapping.yaml",
                           mime="application/yaml", icon=":material/download:")
    st.markdown("#### 3 · Import")
    keep = False
    if not result.ok:
        keep = st.checkbox(f"Keep only the valid rows (import {result.kept_rows}, leave out {result.invalid_rows})",
                           key=f"{key}.keep", disabled=result.kept_rows == 0)
        if not keep:
            st.caption("Or fix the rows listed above in your file and upload it again.")
    if st.button("Import", type="primary", icon=":material/upload:", disabled=not (result.ok or keep)):
        with guard():
            stored = import_evidence(state.context(), state.current_actor(), assessment_id, dataset, data, name=upload.name,
                                     mapping=text.encode() if text else None, mapping_name=f"{dataset}-mapping.yaml",
                                     keep_valid=keep, preset=preset)
            st.session_state["ev.imported"] = (f"Imported {stored.row_count} rows of {md(upload.name)}"
                                               + (" (mapping saved for next quarter)" if text or preset else "") + ".")
            st.session_state[f"{key}.round"] = round_ + 1
            st.rerun()


def _report(result: ValidatedDataset) -> None:
    if result.ok:
        st.success(f"{result.total_rows} rows, all valid.", icon=":material/check_circle:")
        for note in result.notes():
            if not note.startswith("assumed:"):  # assumptions are listed with their undo buttons
                st.caption(md(note))
    else:
        st.error(f"{result.problem_count} problem(s) in {result.invalid_rows} of {result.total_rows} rows; "
                 f"{_rows(result.kept_rows)} valid.", icon=":material/error:")
        rows = []
        for p in result.listed_problems():
            found = LOCATION.match(p.location)
            rows.append({"Row": int(found["row"]) if found else None, "Column": (found["column"] or "") if found else "",
                         "Problem": p.message, "What is allowed": p.hint,
                         **({} if found else {"Where": p.location})})
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                     height=min(38 + 35 * len(rows), 320),
                     column_config={"Row": st.column_config.NumberColumn(format="%d", width="small")})
    if not result.ok:
        for note in result.notes():
            if not note.startswith("assumed:"):
                st.caption(md(note))
    for w in result.warnings:
        st.caption(":material/info: " + md(str(w)))
    if result.ignored_columns:
        st.caption("Columns not used: " + md(", ".join(result.ignored_columns)))


def _rows(n: int) -> str:
    return "1 row is" if n == 1 else f"{n} rows are"
