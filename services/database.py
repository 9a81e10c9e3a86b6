"""The database the services use, the clock they stamp changes with, and the start-up check.

Every service function takes `db=None` (the configured database, `config.database_url()`) so
tests and benchmarks can pass their own.
"""

from __future__ import annotations

from datetime import UTC, datetime

import config
from storage import schema
from storage.engine import Database, get_database


def database(db: Database | None = None) -> Database:
    """`db`, or the configured database; checked against the code's schema once per process."""
    target = db or get_database()
    if not getattr(target, "schema_checked", False):
        schema.ensure_schema_current(target)
        target.schema_checked = True
    return target


def utcnow() -> datetime:
    """The time stamped on changes (timezone-aware UTC)."""
    return datetime.now(UTC)


def ensure_schema_current(db: Database | None = None) -> None:
    """Call on app start: upgrades an embedded SQLite, else says to run `scorecard db upgrade`."""
    database(db)


def upgrade_database(db: Database | None = None) -> tuple[str | None, str]:
    """`scorecard db upgrade`: create the database if needed, upgrade it, return (revision before,
    revision after). A SQLite file is created only in an existing folder, except the default
    embedded database, whose `data/` folder is made on first use."""
    target = db or get_database()
    default = target.url == config.default_database_url()
    created = target.create_file(make_folder=default)
    before = None if created else schema.current_revision(target)
    return before, schema.upgrade(target)


def schema_status(db: Database | None = None) -> dict[str, str | None]:
    target = db or get_database()
    return {"url": target.engine.url.render_as_string(hide_password=True),
            "current": schema.current_revision(target), "head": schema.head_revision()}
