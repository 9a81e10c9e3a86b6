"""Throwaway PostgreSQL servers and databases for tests and benchmarks.

`postgres_server()` gives the URL of a server: ``SCORECARD_TEST_PG_URL`` when the test command set
it, else a private cluster started with the same shell functions `make test` uses
(``scripts/postgres.sh``), stopped again when the context ends. `fresh_database()` creates a
database with a random name (after `prefix`) on that server, optionally as a copy of a template,
and drops it after.
"""

from __future__ import annotations

import os
import secrets
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "postgres.sh"


@contextmanager
def postgres_server() -> Iterator[str]:
    """The URL of a PostgreSQL server's maintenance database (``.../postgres``)."""
    url = os.environ.get("SCORECARD_TEST_PG_URL")
    if url:
        yield url
        return
    started = subprocess.run(
        ["bash", "-c", f'source "{SCRIPT}" && start_test_postgres && echo "$SCORECARD_TEST_PG_URL" && echo "$PG_TEST_DIR"'],
        capture_output=True, text=True, check=False,
    )
    if started.returncode != 0:
        raise RuntimeError(f"could not start a throwaway PostgreSQL: {started.stderr.strip()}")
    url, directory = started.stdout.split()[-2:]
    try:
        yield url
    finally:
        subprocess.run(["bash", "-c", f'source "{SCRIPT}" && PG_TEST_DIR="{directory}" && stop_test_postgres'],
                       capture_output=True, check=False)


def create_database(server_url: str, prefix: str = "scorecard_test", template: str | None = None) -> str:
    """Create a database with a random name; return its URL."""
    name = f"{prefix}_{secrets.token_hex(6)}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            clause = f" TEMPLATE {template}" if template else ""
            connection.execute(text(f"CREATE DATABASE {name}{clause}"))
    finally:
        admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, database_url: str) -> None:
    name = make_url(database_url).database
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    finally:
        admin.dispose()


@contextmanager
def fresh_database(server_url: str, template: str | None = None, prefix: str = "scorecard_test") -> Iterator[str]:
    url = create_database(server_url, prefix=prefix, template=template)
    try:
        yield url
    finally:
        drop_database(server_url, url)
