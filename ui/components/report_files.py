"""Producing report files in the app: a "Prepare" button renders the file (seconds, with a
spinner), then a download button offers it. Rendering is an explicit click because the PDF takes
a few seconds; the prepared file is kept in the session for the same subject, paper and data
version only, so a stale file is never offered after the data changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from ui.components.errors import guard

PREPARED_KEY = "reports.prepared"
MIME = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "json": "application/json",
}


@dataclass(frozen=True)
class Prepared:
    key: tuple
    data: bytes
    file_name: str


def file_name(*parts: str, ext: str) -> str:
    """A safe file name: words joined by '-', only letters, digits, '-', '_' and '.'."""
    text = "-".join(p for p in parts if p)
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-._")
    return f"{text or 'report'}.{ext}"


def prepare_and_download(label: str, key: tuple, name: str, ext: str, make: Callable[[], bytes], *,
                         widget_key: str, icon: str) -> None:
    """The Prepare button, and the download button once the file for `key` is ready."""
    store: dict[str, Prepared] = st.session_state.setdefault(PREPARED_KEY, {})
    ready = store.get(widget_key)
    if ready is not None and ready.key != key:
        ready = None
    if st.button(f"Prepare {label}", key=f"{widget_key}-prepare", icon=icon, width="stretch",
                 type="secondary" if ready else "primary"):
        ready = _make(label, key, name, make)
        if ready is not None:
            store[widget_key] = ready
    if ready is not None:
        st.download_button(f"Download {ready.file_name} ({len(ready.data) / 1024:,.0f} KB)", ready.data,
                           file_name=ready.file_name, mime=MIME[ext], key=f"{widget_key}-download",
                           icon=":material/download:", type="primary", width="stretch", on_click="ignore")


@guard()
def _make(label: str, key: tuple, name: str, make: Callable[[], bytes]) -> Prepared | None:
    with st.spinner(f"Preparing the {label}…"):
        return Prepared(key=key, data=make(), file_name=name)
