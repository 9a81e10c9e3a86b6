"""App shell: page config, who is acting, the local-mode banner, the selector and navigation.

Each page is a `render()` function in ui/views/<name>.py (ui.navigation lists them). The shell
checks the database schema once per process and turns any ScorecardError into a message, never a
traceback.
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

import config
from config import tune_garbage_collector
from errors import ScorecardError
from services.database import ensure_schema_current
from ui import auth, serving, state
from ui.components.errors import show_error
from ui.components.selector import sidebar_selector
from ui.deployment import ServiceRefused
from ui.navigation import PAGES, page
from ui.text import md

_LOG = logging.getLogger(__name__)
tune_garbage_collector()  # once per process: this module is imported by the first script run

FAVICON = Path(__file__).parent / "assets" / "favicon.svg"
"""Served by the app itself: a ``:material/…:`` page icon makes every browser fetch it from Google."""

# Less empty space above the first heading: every view starts with its own compact header. On a
# phone a row of choices (a segmented control or pills) wraps instead of running off the screen.
STYLE = ("<style>.stMainBlockContainer { padding-top: 2.2rem; }"
         " @media (max-width: 640px) { [data-testid='stButtonGroup'] > div { flex-wrap: wrap; }"
         " [data-testid='stButtonGroup'] button { flex: 0 1 auto; } }</style>")


@st.cache_resource(show_spinner=False)
def _schema_checked(url: str) -> bool:
    """Once per process and database: upgrade an embedded SQLite, or say what to run."""
    ensure_schema_current(state.context().db)
    return True


def run() -> None:
    st.set_page_config(page_title="Resilience Scorecard", page_icon=FAVICON, layout="wide")
    try:
        # Who is asking comes first: a refused deployment must not even touch the database.
        actor = state.current_actor()
        _schema_checked(config.database_url())
    except ServiceRefused as error:
        _refusal_page(error)
        st.stop()
    except ScorecardError as error:
        st.title("Resilience Scorecard")
        show_error(error)
        auth.sign_out_button()  # e.g. signed in with an account that has no role: try another
        st.stop()
    current = st.navigation([page(path) for *_, path in PAGES])
    st.html(STYLE)
    _banner(actor)
    sidebar_selector(actor)
    current.run()
    _freeze_startup_heap()


def _freeze_startup_heap() -> None:
    """After the process's first run, freeze what that run loaded too (the content catalog,
    Streamlit's and plotly's internals; `tune_garbage_collector` froze what the imports made):
    those objects live as long as the process, and every full collection would scan them again
    (~100 ms, holding the interpreter while a click waits). Once per process; garbage is collected
    first so none is kept."""
    if getattr(_freeze_startup_heap, "done", False):
        return
    _freeze_startup_heap.done = True
    config.freeze_long_lived()


def _refusal_page(error: ServiceRefused) -> None:
    """The whole page when the deployment refuses service: what is wrong, where, what to do."""
    _LOG.error("refusing to serve: %s", error)
    st.title("Resilience Scorecard is not available")
    show_error(error)
    st.caption("Every visitor sees this page until the configuration is fixed (it is also in the server "
               "log). Reload the page after fixing it.")


def _banner(actor) -> None:
    """Who is acting; in local mode also where the server really listens."""
    with st.sidebar:
        if auth.shared_mode():
            st.caption(f"Signed in as **{md(actor.user)}** · {actor.role}")
            auth.sign_out_button()
            return
        endpoints = auth.local_endpoints()
        where = f"the server listens only on {serving.describe(endpoints)}" if endpoints else "no network address is served"
        st.info(f"Local mode: single user **{md(actor.user)}** ({actor.role}), reachable only from this computer "
                f"({md(where)}).", icon=":material/lock:")
