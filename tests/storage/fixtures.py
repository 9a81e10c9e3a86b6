"""Database fixtures shared by tests/storage, tests/services and tests/demo (import * in conftest).

`db` is parametrized over SQLite and PostgreSQL; each test gets its own fresh database at the head
schema, copied from a template migrated once per session (a CREATE DATABASE ... TEMPLATE on
PostgreSQL, a file copy on SQLite), so migrations run once but no test sees another's rows.
`empty_url` gives an empty database (no schema) for migration tests.

Under pytest-xdist every worker has its own template and databases on the one throwaway server:
their names carry the worker id (``scorecard_test_gw0_…``), so a leftover names its worker.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from storage.engine import Database
from storage.schema import upgrade
from storage.throwaway import create_database, drop_database, fresh_database, postgres_server

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
"""This test process's xdist worker id (gw0, gw1, …), or "main" when the suite runs in one process."""
DATABASE_PREFIX = f"scorecard_test_{WORKER}"
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="session")
def pg_template(pg_server: str) -> Iterator[str]:
    url = create_database(pg_server, prefix=f"scorecard_template_{WORKER}")
    template = Database(url)
    upgrade(template)
    template.dispose()
    yield make_url(url).database
    drop_database(pg_server, url)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    template = Database(f"sqlite:///{path}")
    upgrade(template)
    with template.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    template.dispose()
    return path


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh database at the head schema, on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "scorecard.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    server = request.getfixturevalue("pg_server")
    with fresh_database(server, template=request.getfixturevalue("pg_template"), prefix=DATABASE_PREFIX) as url:
        yield url


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    yield database
    database.dispose()


@pytest.fixture(params=BACKENDS)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of an empty database (no tables), on each backend (for SQLite: an empty file)."""
    if request.param == "sqlite":
        path = tmp_path / "empty.db"
        sqlite3.connect(path).close()
        yield f"sqlite:///{path}"
        return
    with fresh_database(request.getfixturevalue("pg_server"), prefix=DATABASE_PREFIX) as url:
        yield url
