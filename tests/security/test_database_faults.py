"""#11.10: a read-only database, a lock held longer than the busy timeout and a missing database or
folder give a clear error (what, where, what to do) in the services, the CLI and the app, never a
traceback; and a mistyped SQLite path never starts a new, empty database (only `db upgrade` does).

The tests run as root, which SQLite lets write any file whatever its mode, so a read-only SQLite
database is opened read-only (``?mode=ro``): SQLite refuses the write the same way (SQLITE_READONLY)
as for a file the service account may not write. PostgreSQL is made read-only for real
(``default_transaction_read_only``), as on a standby server.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from cli import scorecard
from errors import ScorecardError
from services.assessments import create_assessment, get_assessment
from services.context import Context, get_catalog
from services.sites import add_site, list_sites
from storage.engine import Database
from tests.services.helpers import ADMIN, CONTENT
from tests.ui.conftest import go

ROOT = Path(__file__).resolve().parents[2]


def _cli(monkeypatch, url: str, *args: str):
    monkeypatch.setenv("SCORECARD_DB_URL", url)
    monkeypatch.setenv("SCORECARD_CONTENT_DIR", str(CONTENT))
    result = CliRunner().invoke(scorecard, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def test_a_mistyped_sqlite_path_is_refused_and_creates_nothing(tmp_path, monkeypatch) -> None:
    typo = tmp_path / "scorcard.db"
    listed = _cli(monkeypatch, f"sqlite:///{typo}", "site", "list")
    assert listed.exit_code == 1 and f"no database at {typo}" in listed.output
    assert "the file does not exist" in listed.output and "scorecard db upgrade" in listed.output
    assert not typo.exists() and list(tmp_path.iterdir()) == []
    status = _cli(monkeypatch, f"sqlite:///{typo}", "db", "status")
    assert status.exit_code == 1 and not typo.exists()
    created = _cli(monkeypatch, f"sqlite:///{typo}", "db", "upgrade")
    assert created.exit_code == 0 and "upgraded from empty" in created.output and typo.exists()
    assert _cli(monkeypatch, f"sqlite:///{typo}", "site", "list").exit_code == 0


def test_a_missing_folder_is_named_and_not_created(tmp_path, monkeypatch) -> None:
    path = tmp_path / "srv" / "scorecard" / "scorecard.db"
    for args in (("site", "list"), ("db", "upgrade")):
        result = _cli(monkeypatch, f"sqlite:///{path}", *args)
        assert result.exit_code == 1, args
        assert f"no database at {path}" in result.output and f"the folder {path.parent} does not exist" in result.output
    assert not (tmp_path / "srv").exists()


def read_only(db_url: str) -> str:
    """Make the database read-only for new connections (see the module docstring); its URL then."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        return f"sqlite:///file:{url.database}?mode=ro&uri=true"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{url.database}" SET default_transaction_read_only = on'))
    admin.dispose()
    return db_url


def test_a_read_only_database_refuses_writes_clearly_and_still_reads(db, ctx, db_url) -> None:
    add_site(ctx, ADMIN, "Plant North", country="DE", criticality="high")
    db.dispose()
    read_only_url = read_only(db_url)
    read_only_db = Context(Database(read_only_url), ctx.catalog)
    with pytest.raises(ScorecardError) as raised:
        add_site(read_only_db, ADMIN, "Plant South", country="MX", criticality="low")
    message = str(raised.value)
    assert "nothing was saved" in message and ("read-only" in message or "accepts no writes" in message)
    where = db.sqlite_file if db.is_sqlite else make_url(read_only_url).database
    assert str(where) in message  # where
    assert "write access" in message or "primary server" in message  # what to do
    assert [s.name for s in list_sites(read_only_db, ADMIN)] == ["Plant North"]
    read_only_db.db.dispose()


def _hold_the_write_lock(db_url: str):
    """Another process's transaction holding the lock a write needs, until closed."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        holder = sqlite3.connect(url.database, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        return holder.close
    engine = create_engine(url)
    connection = engine.connect()
    connection.execute(text("LOCK TABLE sites IN ACCESS EXCLUSIVE MODE"))

    def release() -> None:
        connection.close()
        engine.dispose()
    return release


def test_a_lock_held_longer_than_the_busy_timeout_is_a_clear_error(ctx, db_url, monkeypatch) -> None:
    add_site(ctx, ADMIN, "Plant North", country="DE", criticality="high")
    monkeypatch.setenv("SCORECARD_BUSY_TIMEOUT_MS", "300")
    impatient = Context(Database(db_url), ctx.catalog)
    list_sites(impatient, ADMIN)  # schema checked before the lock is taken
    release = _hold_the_write_lock(db_url)
    try:
        with pytest.raises(ScorecardError) as raised:
            add_site(impatient, ADMIN, "Plant South", country="MX", criticality="low")
    finally:
        release()
    message = str(raised.value)
    assert "stayed locked by another writer for more than 0.3 s: nothing was saved" in message
    assert "try again" in message and "SCORECARD_BUSY_TIMEOUT_MS" in message
    add_site(impatient, ADMIN, "Plant South", country="MX", criticality="low")  # works again once released
    impatient.db.dispose()


def test_the_cli_says_what_where_and_what_to_do(db_url, monkeypatch) -> None:
    result = _cli(monkeypatch, read_only(db_url), "site", "add", "Plant West", "--country", "DE", "--criticality", "low")
    assert result.exit_code == 1 and "nothing was saved" in result.output


def _app(url: str, monkeypatch, **query: str) -> AppTest:
    """The real app.py on `url` (the shipped content), after its first run."""
    monkeypatch.setenv("SCORECARD_DB_URL", url)
    monkeypatch.delenv("SCORECARD_CONTENT_DIR", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _shown(markdown: str) -> str:
    """The text a reader sees of escaped Markdown (ui.text.md puts a backslash before punctuation)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def test_the_app_shows_a_missing_database_as_a_message(tmp_path, monkeypatch) -> None:
    typo = tmp_path / "scorcard.db"
    at = _app(f"sqlite:///{typo}", monkeypatch)
    assert any(f"no database at {typo}" in _shown(e.value) for e in at.error)
    assert not typo.exists()


def test_the_app_shows_a_read_only_database_as_a_message(sqlite_template, tmp_path, monkeypatch) -> None:
    path = tmp_path / "scorecard.db"
    shutil.copyfile(sqlite_template, path)
    writable = Context(Database(f"sqlite:///{path}"), get_catalog())
    add_site(writable, ADMIN, "Plant Test", country="DE", criticality="high")
    draft = create_assessment(writable, ADMIN, site="Plant Test", scope="IT", as_of=date(2026, 9, 30))
    at = _app(f"sqlite:///file:{path}?mode=ro&uri=true", monkeypatch, assessment=str(draft.id))
    go(at, "admin")
    next(b for b in at.main.button if b.label == "Submit for review").click().run()
    assert not at.exception
    assert any("is read-only: nothing was saved" in _shown(e.value) for e in at.main.error)
    assert get_assessment(writable, ADMIN, draft.id).status == "draft"
    writable.db.dispose()
