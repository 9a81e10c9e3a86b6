"""Schema versions: upgrade with Alembic, and check on start that the database is current.

The migrations live in `storage/migrations/versions/` and are run programmatically (no alembic.ini);
``scorecard db upgrade`` calls `upgrade`, the only code that creates a SQLite file. On start the app
calls `ensure_schema_current`: an existing embedded SQLite database is upgraded in place (a
single-user install has nobody else to ask), a missing one is an error; a PostgreSQL database
behind a shared deployment is never altered implicitly, the error says to run
``scorecard db upgrade``.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from errors import Problem, ScorecardError
from storage.engine import Database

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    """The newest revision the code knows."""
    return ScriptDirectory.from_config(_config()).get_current_head() or ""


def current_revision(db: Database) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(db: Database, revision: str = "head", *, make_folder: bool = False) -> str:
    """Create or upgrade the schema to `revision`; return the revision reached. The only code that
    creates a SQLite file (in an existing folder, or creating it when `make_folder`)."""
    db.create_file(make_folder=make_folder)
    cfg = _config()
    # The writer begins IMMEDIATE on SQLite: two processes upgrading at once run one after the other.
    with db.writer.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)
    return current_revision(db) or ""


def ensure_schema_current(db: Database, *, auto_upgrade_sqlite: bool = True) -> None:
    """Raise a clear ScorecardError unless the schema is at the code's head revision.

    An embedded SQLite database is upgraded instead when `auto_upgrade_sqlite` is true.
    """
    head = head_revision()
    current = current_revision(db)
    if current == head:
        return
    known = {rev.revision for rev in ScriptDirectory.from_config(_config()).walk_revisions()}
    if current is not None and current not in known:
        raise ScorecardError(
            f"the database is at schema revision '{current}', newer than this version of the app knows",
            [Problem(_where(db), f"this app expects revision '{head}'", "upgrade the application")],
        )
    if db.is_sqlite and auto_upgrade_sqlite:
        upgrade(db)
        return
    state = "empty" if current is None else f"at revision '{current}'"
    raise ScorecardError(
        f"the database schema is {state}; this version needs revision '{head}'",
        [Problem(_where(db), "the schema is not current", "run: scorecard db upgrade")],
    )


def _where(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=True)
