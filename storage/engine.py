"""Engines and units of work for SQLite (default) and PostgreSQL.

SQLite rules, set on every connection: WAL journal (readers never block the writer), a busy
timeout (`config.busy_timeout_ms()`, default 30 s: a writer waits for another rather than failing),
foreign keys on, and write units of work that start with ``BEGIN IMMEDIATE`` so two writers
serialise at the start instead of one failing halfway with "database is locked". A SQLite file is
never created by connecting to it: a mistyped path is an error, and only `storage.schema.upgrade`
(``scorecard db upgrade``) creates the file (`Database.create_file`).

PostgreSQL (``postgresql+psycopg://``) writes at READ COMMITTED; the repositories lock the assessment
row they write under (``FOR SHARE`` / ``FOR UPDATE``) so that finalising and saving cannot interleave.

A read unit of work is one transaction that sees one state of the database from its first
statement to its end, whatever commits meanwhile: SQLite (WAL) keeps the snapshot of its first
read; PostgreSQL reads at REPEATABLE READ (a read-only transaction there never fails with a
serialisation error). A report or dashboard assembled in one `read()` therefore never mixes states.
A lock waited for longer than the same busy timeout (``lock_timeout``) is an error, not a hang.

Faults a user can act on (missing, read-only, locked, unreachable) become a
`storage.faults.DatabaseUnavailableError` whatever statement met them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

import config
from errors import Problem, ScorecardError
from storage import faults

SQLITE_BUSY_MS = 30_000
"""The default busy timeout (config.busy_timeout_ms)."""


def make_engine(url: str, busy_ms: int | None = None) -> Engine:
    """An engine for `url` with the project's connection rules (see module docstring)."""
    parsed = make_url(url)
    busy_ms = config.busy_timeout_ms() if busy_ms is None else busy_ms
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(url, sqlite_path(parsed), busy_ms)
    elif parsed.get_backend_name() == "postgresql":
        if parsed.get_driver_name() not in ("psycopg", ""):
            raise ScorecardError(
                f"unsupported PostgreSQL driver '{parsed.get_driver_name()}'",
                [Problem("SCORECARD_DB_URL", "use postgresql+psycopg://user@host:port/database")],
            )
        url = str(parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False))
        engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10,
                               connect_args={"options": f"-c lock_timeout={int(busy_ms)}"})
    else:
        raise ScorecardError(
            f"unsupported database '{parsed.get_backend_name()}'",
            [Problem("SCORECARD_DB_URL", "use sqlite:///path/to/file.db or postgresql+psycopg://...")],
        )
    _translate_faults(engine, sqlite_path(parsed), busy_ms)
    return engine


def sqlite_path(parsed: URL) -> Path | None:
    """The file of a SQLite URL (also in the ``file:...?uri=true`` form); None for in-memory or others."""
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    name = parsed.database
    if parsed.query.get("uri") == "true" and name.startswith("file:"):
        name = name.removeprefix("file:")
        if name.startswith("//"):  # file://localhost/path or file:///path
            name = "/" + name[2:].partition("/")[2]
    return None if name in ("", ":memory:") else Path(name)


def _translate_faults(engine: Engine, path: Path | None, busy_ms: int) -> None:
    where = str(path) if path is not None else engine.url.render_as_string(hide_password=True)

    @event.listens_for(engine, "handle_error")
    def _on_error(context) -> None:
        if context.is_pre_ping:  # the pool handles a dropped connection itself
            return
        error = faults.translate(context.original_exception, where=where, sqlite_path=path, busy_ms=busy_ms)
        if error is not None:
            raise error from context.original_exception


def _sqlite_engine(url: str, path: Path | None, busy_ms: int) -> Engine:
    engine = create_engine(url, connect_args={"timeout": busy_ms / 1000})

    @event.listens_for(engine, "do_connect")
    def _refuse_missing_file(dialect, connection_record, cargs, cparams) -> None:
        if path is not None and not path.exists():
            raise faults.missing_database(path)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (the driver's implicit BEGIN would be
        # DEFERRED and could fail mid-transaction under a concurrent writer).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


class Database:
    """One engine plus the two kinds of unit of work the repositories use."""

    def __init__(self, url: str, *, busy_ms: int | None = None) -> None:
        self.url = url
        self.engine = make_engine(url, busy_ms)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self.sqlite_file = sqlite_path(self.engine.url)
        """The SQLite database file (None for PostgreSQL or an in-memory database)."""
        self.writer = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        """Engine whose transactions begin IMMEDIATE on SQLite (for units of work that write)."""
        self.reader = self.engine if self.is_sqlite else self.engine.execution_options(isolation_level="REPEATABLE READ")
        """Engine whose transactions see one snapshot of the database (for units of work that read)."""
        self.schema_checked = False

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading: one transaction, one consistent state (see the module docstring);
        rolled back at the end."""
        with Session(self.reader, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits when the block ends and rolls back on any exception."""
        with Session(self.writer, expire_on_commit=False) as session, session.begin():
            yield session

    def create_file(self, *, make_folder: bool = False) -> bool:
        """SQLite: create an empty database file if there is none (True when created). The folder
        must exist unless `make_folder`. Only the schema upgrade calls this."""
        path = self.sqlite_file
        if path is None or path.exists():
            return False
        if make_folder:
            path.parent.mkdir(parents=True, exist_ok=True)
        elif not path.parent.is_dir():
            raise faults.missing_database(path)
        try:
            sqlite3.connect(path).close()
        except sqlite3.Error as exc:
            raise faults.translate(exc, where=str(path), sqlite_path=path, busy_ms=0) or exc from None
        return True

    def dispose(self) -> None:
        self.engine.dispose()


@lru_cache(maxsize=8)
def _database_for(url: str) -> Database:
    return Database(url)


def get_database(url: str | None = None) -> Database:
    """The process-wide Database for `url` (default: `config.database_url()`)."""
    return _database_for(url or config.database_url())
