"""The app's pages: each is a `render()` function in ui/views/<name>.py (views, not a pages/
folder: AppTest skips reruns there), and `page(name)` gives its st.Page for navigation and links.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import streamlit as st

PAGES = (
    ("Home", ":material/home:", "home"),
    ("Questionnaire", ":material/checklist:", "questionnaire"),
    ("Evidence", ":material/upload_file:", "evidence"),
    ("Dashboard", ":material/dashboard:", "dashboard"),
    ("Trends", ":material/trending_up:", "trends"),
    ("Plan", ":material/flag:", "plan"),
    ("Reports", ":material/description:", "reports"),
    ("Admin", ":material/admin_panel_settings:", "admin"),
)
"""(title, icon, name): the view is `render()` of ui/views/<name>.py, imported when first shown, so
one view's import error stays on its own page."""


def _view(name: str) -> Callable[[], None]:
    def render() -> None:
        importlib.import_module(f"ui.views.{name}").render()

    render.__name__ = name
    return render


def page(name: str) -> st.Page:
    """The st.Page of a view by its URL path (for st.page_link and st.switch_page)."""
    for title, icon, path in PAGES:
        if path == name:
            return st.Page(_view(path), title=title, icon=icon, url_path=path, default=(path == "home"))
    raise KeyError(name)
