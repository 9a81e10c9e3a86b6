"""What every use case runs against: the database, the loaded content (catalog) and the clock.

The edges build one `Context` and pass it as the first argument of every service function that
reads or writes stored data or content, before the actor: `list_assessments(ctx, actor, site=…)`.
The app builds it once per process and database (ui/state.py `context()`), the CLI once per
command (commands/common.py `context()`), tests and benchmarks with their own database, catalog
and, where a date matters, a fixed clock. Services never pick a database, a content folder or the
time themselves.

`read()` is one read transaction: everything read inside it is one consistent state of the
database (storage.engine: SQLite keeps the snapshot of its first read, PostgreSQL reads at
REPEATABLE READ), so a report or dashboard assembled from one `read()` never mixes states.
`write()` is one transaction that commits at the end of the block or rolls back on any error.
The schema is checked against the code once per database and process, at the first unit of work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy.orm import Session

import config
from catalog.content_catalog import Catalog
from catalog.loader import load_catalog
from services.database import checked, configured_database
from storage.engine import Database

Clock = Callable[[], datetime]
"""Returns the current time, timezone-aware."""


def system_clock() -> datetime:
    """The time stamped on changes: now, in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Context:
    """The database, the content and the clock the services use (see the module docstring)."""

    db: Database
    catalog: Catalog
    clock: Clock = system_clock

    def now(self) -> datetime:
        """The time stamped on changes and on reports (timezone-aware)."""
        return self.clock()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """One read transaction: a consistent state of the database; rolled back at the end."""
        with checked(self.db).read() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: commits when the block ends, rolls back on any exception."""
        with checked(self.db).write() as session:
            yield session


@lru_cache(maxsize=4)
def _catalog_of(root: str) -> Catalog:
    return load_catalog(Path(root))


def get_catalog() -> Catalog:
    """The catalog of the configured content folder (SCORECARD_CONTENT_DIR), loaded once per
    process and folder."""
    return _catalog_of(str(config.content_dir()))


def configured_context(clock: Clock = system_clock) -> Context:
    """The configured database (SCORECARD_DB_URL) and content folder (SCORECARD_CONTENT_DIR);
    both are loaded once per process and value, so calling this again is cheap."""
    return Context(configured_database(), get_catalog(), clock)
