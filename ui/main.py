"""App shell: page config, who is acting, the local-mode banner, the selector and navigation.

Each page is a `render()` function in ui/views/<name>.py (ui.navigation lists them). The shell
checks the database schema once per process and turns any ScorecardError into a message, never a
traceback.
"""

from __future__ import annotations

import streamlit as st

import config
from errors import ScorecardError
from services.database import ensure_schema_current
from ui import auth, state
from ui.components.errors import show_error
from ui.components.selector import sidebar_selector
from ui.navigation import PAGES, page

# Less empty space above the first heading: every view starts with its own compact header.
STYLE = "<style>.stMainBlockContainer { padding-top: 2.2rem; }</style>"


@st.cache_resource(show_spinner=False)
def _schema_checked(url: str) -> bool:
    """Once per process and database: upgrade an embedded SQLite, or say what to run."""
    ensure_schema_current(state.context().db)
    return True


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
