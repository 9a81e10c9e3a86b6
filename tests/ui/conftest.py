"""AppTest fixtures: a fresh SQLite database per test (copied from a template migrated once per
session), one site with a draft IT+OT assessment, and `open_page` to run the real app.py on a
given view with a given actor.

The shipped content is used (the app loads it like in production).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from services.access import Actor
from services.assessments import create_assessment
from services.context import Context, get_catalog
from services.sites import add_site
from storage.engine import Database
from tests.storage.fixtures import sqlite_template  # noqa: F401 - fixture
from ui.auth import ACTOR_OVERRIDE

ROOT = Path(__file__).resolve().parents[2]
ADMIN = Actor(user="ada", role="admin", all_sites=True)
ASSESSOR = Actor(user="ben", role="assessor", sites=frozenset({"Plant Test"}))
VIEWER = Actor(user="vic", role="viewer")
AS_OF = date(2026, 9, 30)
ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
"""A Markdown backslash escape of ASCII punctuation."""


@pytest.fixture
def ui_db(sqlite_template, tmp_path, monkeypatch) -> Iterator[Database]:  # noqa: F811 - fixture argument
    path = tmp_path / "scorecard.db"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("SCORECARD_DB_URL", url)
    monkeypatch.delenv("SCORECARD_CONTENT_DIR", raising=False)
    database = Database(url)
    yield database
    database.dispose()


@pytest.fixture
def ctx(ui_db) -> Context:
    """The services context of the app under test: its database and the shipped content."""
    return Context(ui_db, get_catalog())


@pytest.fixture
def draft(ui_db):
    """Plant Test with a draft IT+OT assessment (the app uses the configured database: ui_db)."""
    ctx = Context(ui_db, get_catalog())
    add_site(ctx, ADMIN, "Plant Test", country="DE", criticality="high")
    return create_assessment(ctx, ADMIN, site="Plant Test", scope="IT+OT", as_of=AS_OF)


@pytest.fixture
def open_page() -> Callable[..., AppTest]:
    def _open(page: str, *, actor: Actor | None = ADMIN, assessment_id: int | None = None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        if actor is not None:
            at.session_state[ACTOR_OVERRIDE] = actor
        if assessment_id is not None:
            at.query_params["assessment"] = str(assessment_id)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        if page != "home":
            go(at, page)
        return at

    return _open


def go(at: AppTest, page: str) -> AppTest:
    """Show `page` (a view's URL path). AppTest.switch_page only knows file pages; callable pages
    registered by st.navigation are found by the hash of their url_path."""
    at._page_hash = calc_hash(page)  # noqa: SLF001 - see docstring
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(elements) -> list[str]:
    """The elements' text as a reader sees it: Markdown backslash escapes (ui.text.md) removed."""
    return [shown(str(e.value)) for e in elements]


def raw_texts(elements) -> list[str]:
    """The elements' Markdown source, escapes included."""
    return [str(e.value) for e in elements]


def shown(markdown: str) -> str:
    """`markdown` without its backslash escapes and invisible word joiners (what a reader sees of
    escaped user text, see ui.text.md)."""
    return ESCAPE.sub(r"\1", markdown).replace("\u2060", "")
