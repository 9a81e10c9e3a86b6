"""App shell: page config, who is acting, the local-mode banner, the selector and navigation.

Each page is a `render()` function in ui/views/<name>.py (views, not a pages/ folder: AppTest
skips reruns there). The shell checks the database schema once per process and turns any
ScorecardError into a message, never a traceback.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import streamlit as st

import config
from errors import ScorecardError
from services.database import ensure_schema_current
from ui import auth, state
from ui.components.errors import show_error
from ui.components.selector import sidebar_selector

PAGES = (
    ("Home", ":material/home:", "home"),
    ("Questionnaire", ":material/checklist:", "questionnaire"),
    ("Evidence", ":material/upload_file:", "evidence"),
    ("Dashboard", ":material/dashboard:", "dashboard"),
    ("Trends", ":material/trending_up:", "trends"),
    ("Reports", ":material/description:", "reports"),
    ("Admin", ":material/admin_panel_settings:", "admin"),
)
"""(title, icon, name): the view is `render()` of ui/views/<name>.py, imported when first shown, so
one view's import error stays on its own page."""


# Less empty space above the first heading: every view starts with its own compact header.
STYLE = "<style>.stMainBlockContainer { padding-top: 2.2rem; }</style>"


@st.cache_resource(show_spinner=False)
def _schema_checked(url: str) -> bool:
    """Once per process and database: upgrade an embedded SQLite, or say what to run."""
    ensure_schema_current()
    return True


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


def run() -> None:
    st.set_page_config(page_title="Resilience Scorecard", page_icon=":material/shield:", layout="wide")
    try:
        _schema_checked(config.database_url())
        actor = state.current_actor()
    except ScorecardError as error:
        st.title("Resilience Scorecard")
        show_error(error)
        st.stop()
    current = st.navigation([page(path) for *_, path in PAGES])
    st.html(STYLE)
    _banner(actor)
    sidebar_selector(actor)
    current.run()


def _banner(actor) -> None:
    with st.sidebar:
        if auth.shared_mode():
            st.caption(f"Signed in as **{actor.user}** · {actor.role}")
            auth.sign_out_button()
        else:
            st.info(f"Local mode: single user **{actor.user}** (admin), reachable only from this computer "
                    "(127.0.0.1).", icon=":material/lock:")
