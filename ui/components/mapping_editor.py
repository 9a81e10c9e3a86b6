"""Map a file's unrecognised columns and values in the page, pick a preset, undo assumptions.

The mapping being edited lives in session state per (assessment, dataset) as
``{"columns": {header: field or None}, "values": {field: {value in file: canonical}}, "preset": id}``
(a header mapped to None is ignored); it starts from the mapping stored with the last import of
this dataset (this or an earlier quarter), is sent with the import and stored with it — which is
how it carries to next quarter. Headers and values from the file are user text: they are shown
escaped, never as Markdown.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from evidence.schemas import DatasetSchema, header_key
from services.evidence_presets import list_presets
from ui.text import md

IGNORE = "— not used —"
KEEP = "— leave as is —"
NO_PRESET = "— no preset —"



def mapping_key(assessment_id: int, dataset: str) -> str:
    return f"ev.mapping.{assessment_id}.{dataset}"


def auto_matches(schema: DatasetSchema, headers: list[str]) -> dict[str, str]:
    """Field → header for the headers the dataset recognises by name or synonym."""
    index = schema.header_index()
    found: dict[str, str] = {}
    for header in headers:
        field = index.get(header_key(header))
        if field and field not in found:
            found[field] = header
    return found


def column_editor(schema: DatasetSchema, key: str, headers: list[str], disabled: bool,
                  matched: dict[str, str] | None = None) -> None:
    """A selectbox per column of the file that no field recognises: which field does it hold?
    `matched` (field → header, as the file was read) counts as recognised too (a preset's columns)."""
    mapping = st.session_state[key]
    auto = {f: h for f, h in {**auto_matches(schema, headers), **(matched or {})}.items() if h not in mapping["columns"]}
    free = [h for h in headers if h not in auto.values()]
    if not free:
        return
    fields = [f.name for f in schema.fields if f.name not in auto]
    st.markdown("**Columns not recognised** — which field does each hold?")
    cols = st.columns(3)
    for i, header in enumerate(free):
        current = mapping["columns"].get(header)
        options = [IGNORE, *fields]
        cols[i % 3].selectbox(f"'{md(header)}'", options, index=options.index(current) if current in options else 0,
                              key=f"{key}.col.{header}", disabled=disabled, on_change=_set_column, args=(key, header),
                              format_func=lambda f: f if f == IGNORE else f"{f}{' (required)' if schema.field(f).required else ''}")


def _set_column(key: str, header: str) -> None:
    field = st.session_state[f"{key}.col.{header}"]
    columns = {h: f for h, f in st.session_state[key]["columns"].items() if h != header and f != field}
    columns[header] = None if field == IGNORE else field
    st.session_state[key] = {**st.session_state[key], "columns": columns}


def value_editor(schema: DatasetSchema, key: str, unrecognised: dict[str, list[tuple[str, int]]],
                 disabled: bool) -> None:
    """A selectbox per unrecognised value of an enumeration or yes/no field."""
    if not unrecognised:
        return
    st.markdown("**Values** — what do your codes mean?")
    for field, found in unrecognised.items():
        spec = schema.field(field)
        allowed: list[Any] = list(spec.allowed) if spec.kind == "enum" else [True, False]
        with st.container(border=True):
            st.caption(f"{field}: {len(found)} value(s) not recognised (allowed: "
                       f"{', '.join(map(str, allowed)) if spec.kind == 'enum' else 'yes/no'})")
            cols = st.columns(4)
            for i, (value, rows) in enumerate(found):
                cols[i % 4].selectbox(f"'{md(value)}' ({rows} row{'s' if rows != 1 else ''})", [KEEP, *allowed],
                                      key=f"{key}.val.{field}.{value}", disabled=disabled,
                                      format_func=lambda v: ("yes" if v is True else "no" if v is False else str(v)),
                                      on_change=_set_value, args=(key, field, value))


def _set_value(key: str, field: str, value: str) -> None:
    chosen = st.session_state[f"{key}.val.{field}.{value}"]
    values = {f: dict(t) for f, t in st.session_state[key]["values"].items()}
    table = values.setdefault(field, {})
    if chosen == KEEP:
        table.pop(value, None)
    else:
        table[value] = chosen
    st.session_state[key] = {**st.session_state[key], "values": values}


def preset_picker(dataset: str, key: str) -> None:
    """A selectbox of the built-in presets of `dataset` (tool exports), with how to export and
    what the tool cannot supply."""
    presets = {p.id: p for p in list_presets(dataset)}
    if not presets:
        return
    mapping = st.session_state[key]
    options = [NO_PRESET, *presets]
    current = mapping.get("preset")
    st.selectbox("Preset (the export of a tool)", options, index=options.index(current) if current in options else 0,
                 key=f"{key}.preset", on_change=_set_preset, args=(key,),
                 format_func=lambda p: p if p == NO_PRESET else f"{presets[p].name} ({p})")
    chosen = presets.get(mapping.get("preset") or "")
    if chosen is not None:
        st.caption(md(f"Export: {chosen.export.rstrip('.')}. File: {chosen.file.rstrip('.')}."))
        for line in chosen.cannot_supply:
            st.caption(":material/info: " + md(line))


def _set_preset(key: str) -> None:
    chosen = st.session_state[f"{key}.preset"]
    st.session_state[key] = {**st.session_state[key], "preset": None if chosen == NO_PRESET else chosen}


def assumption_editor(key: str, assumed: dict[str, str], disabled: bool) -> None:
    """Each column matched by a generic header name, with a button that undoes the assumption
    (the column is then ignored, and may be mapped to another field)."""
    if not assumed:
        return
    st.markdown("**Assumed** — columns matched by a generic header name; check each one")
    for field, header in assumed.items():
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.markdown(f"Column '{md(header)}' is read as **{md(field)}**.")
        right.button("Not this field", key=f"{key}.undo.{header}", disabled=disabled, on_click=_undo, args=(key, header),
                     icon=":material/undo:")


def _undo(key: str, header: str) -> None:
    columns = {**st.session_state[key]["columns"], header: None}
    st.session_state[key] = {**st.session_state[key], "columns": columns}
