"""The configured database, the schema check every unit of work passes, and the schema commands.

Use cases reach the database through `services.context.Context`; the functions here act on a
database itself (`scorecard db upgrade|status`, the app's start-up check).
"""

from __future__ import annotations

import config
from storage import schema
from storage.engine import Database, get_database


def configured_database() -> Database:
    """The process-wide Database of `config.database_url()` (SCORECARD_DB_URL)."""
    return get_database()


def checked(db: Database) -> Database:
    """`db`, checked against the code's schema once per process (an embedded SQLite is upgraded)."""
    if not getattr(db, "schema_checked", False):
        schema.ensure_schema_current(db)
        db.schema_checked = True
    return db


def ensure_schema_current(db: Database) -> None:
    """Call on app start: upgrades an embedded SQLite, else says to run `scorecard db upgrade`."""
    checked(db)


def upgrade_database(db: Database) -> tuple[str | None, str]:
    """`scorecard db upgrade`: create the database if needed, upgrade it, return (revision before,
    revision after). A SQLite file is created only in an existing folder, except the default
    embedded database, whose `data/` folder is made on first use."""
    default = db.url == config.default_database_url()
    created = db.create_file(make_folder=default)
    before = None if created else schema.current_revision(db)
    return before, schema.upgrade(db)


def schema_status(db: Database) -> dict[str, str | None]:
    return {"url": db.engine.url.render_as_string(hide_password=True),
            "current": schema.current_revision(db), "head": schema.head_revision()}
