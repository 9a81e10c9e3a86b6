"""Engines and units of work for SQLite (default) and PostgreSQL.

SQLite rules, set on every connection: WAL journal (readers never block the writer), a busy
timeout of `SQLITE_BUSY_MS` milliseconds (a writer waits for another rather than failing), foreign
keys on, and write units of work that start with ``BEGIN IMMEDIATE`` so two writers serialise at
the start instead of one failing halfway with "database is locked".

PostgreSQL (``postgresql+psycopg://``) runs at READ COMMITTED; the repositories lock the assessment
row they write under (``FOR SHARE`` / ``FOR UPDATE``) so that finalising and saving cannot interleave.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

import config
from errors import Problem, ScorecardError

SQLITE_BUSY_MS = 30_000


def make_engine(url: str) -> Engine:
    """An engine for `url` with the project's connection rules (see module docstring)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database)
    if parsed.get_backend_name() == "postgresql":
        if parsed.get_driver_name() not in ("psycopg", ""):
            raise ScorecardError(
                f"unsupported PostgreSQL driver '{parsed.get_driver_name()}'",
                [Problem("SCORECARD_DB_URL", "use postgresql+psycopg://user@host:port/database")],
            )
        url = str(parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False))
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    raise ScorecardError(
        f"unsupported database '{parsed.get_backend_name()}'",
        [Problem("SCORECARD_DB_URL", "use sqlite:///path/to/file.db or postgresql+psycopg://...")],
    )


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (the driver's implicit BEGIN would be
        # DEFERRED and could fail mid-transaction under a concurrent writer).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
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

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self.writer = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        """Engine whose transactions begin IMMEDIATE on SQLite (for units of work that write)."""
        self.schema_checked = False

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; rolled back at the end."""
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits when the block ends and rolls back on any exception."""
        with Session(self.writer, expire_on_commit=False) as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


@lru_cache(maxsize=8)
def _database_for(url: str) -> Database:
    return Database(url)


def get_database(url: str | None = None) -> Database:
    """The process-wide Database for `url` (default: `config.database_url()`)."""
    return _database_for(url or config.database_url())
