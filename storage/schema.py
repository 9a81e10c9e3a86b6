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
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from errors import Problem, ScorecardError
from storage.engine import Database

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
NEWEST_FILE = max(path.name.split("_", 1)[0] for path in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
"""The revision of the newest migration file (`NNNN_name.py`, revision "NNNN"): the start-up check
compares the database with it without loading Alembic (~0.1-0.2 s of every start). Alembic's own
head (`head_revision`) decides whenever they differ; tests/storage/test_schema.py checks they agree."""


def _config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    """The newest revision the code knows, as Alembic reads the migrations."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head() or ""


def current_revision(db: Database) -> str | None:
    """The revision the database is at (Alembic's version table), or None for an empty database."""
    with db.engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        found = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(found) > 1:
        raise ScorecardError("the database records several schema revisions",
                             [Problem(_where(db), ", ".join(sorted(found)), "restore it from a backup")])
    return found[0] if found else None


def upgrade(db: Database, revision: str = "head", *, make_folder: bool = False) -> str:
    """Create or upgrade the schema to `revision`; return the revision reached. The only code that
    creates a SQLite file (in an existing folder, or creating it when `make_folder`)."""
    from alembic import command

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
    current = current_revision(db)
    if current == NEWEST_FILE:
        return
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config())
    head = script.get_current_head() or ""
    if current == head:
        return
    known = {rev.revision for rev in script.walk_revisions()}
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
