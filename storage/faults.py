"""Database faults the user can act on, as a `DatabaseUnavailableError` saying what, where and what
to do: a missing database file or folder, a read-only database, a lock held longer than the busy
timeout, a file that is not a database, a full disk, an unreachable or refusing PostgreSQL server.

`storage.engine` hooks `translate` into every engine (SQLAlchemy's ``handle_error`` event), so the
repositories, the CLI and the app get the same message whichever statement met the fault. Errors
not listed here are bugs and stay loud.
"""

from __future__ import annotations

import getpass
from pathlib import Path

import config
from errors import Problem, ScorecardError

SETTING = "SCORECARD_DB_URL"


class DatabaseUnavailableError(ScorecardError):
    """The database cannot be read or written right now; nothing was saved."""


def missing_database(path: Path) -> DatabaseUnavailableError:
    """No SQLite file at `path`: a mistyped setting must not silently start an empty database."""
    folder = path.parent
    why = "the file does not exist" if folder.is_dir() else f"the folder {folder} does not exist"
    if config.default_database_url() == f"sqlite:///{path}":
        hint = "create it with: scorecard db upgrade (make run does this before starting the app)"
    else:
        hint = (f"check the path in {SETTING}; to start a new, empty database there, create the folder if needed "
                "and run: scorecard db upgrade")
    return DatabaseUnavailableError(f"no database at {path}", [Problem(SETTING, why, hint)])


def translate(error: BaseException, *, where: str, sqlite_path: Path | None, busy_ms: int) -> ScorecardError | None:
    """The user-facing error for a driver exception, or None when it is not a known fault."""
    sqlstate = getattr(error, "sqlstate", None)
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if sqlite_path is not None:
        return _sqlite(text.lower(), text, sqlite_path, busy_ms)
    return _postgres(sqlstate, text, where, busy_ms, type(error).__name__)


def _sqlite(lowered: str, text: str, path: Path, busy_ms: int) -> ScorecardError | None:
    user = _user()
    if "readonly database" in lowered or "read-only" in lowered:
        return _fault(f"the database {path} is read-only: nothing was saved", str(path), text,
                      f"give the account running Resilience Scorecard ({user}) write access to the file and its "
                      f"folder (SQLite also writes {path.name}-wal and {path.name}-shm beside it), or point "
                      f"{SETTING} at a writable copy")
    if "locked" in lowered or "busy" in lowered:
        return _locked(str(path), text, busy_ms, "an sqlite3 shell or backup tool with an open transaction, "
                                                  "or a stuck scorecard command")
    if "unable to open database file" in lowered:
        if not path.parent.is_dir():
            return missing_database(path)
        return _fault(f"cannot open the database {path}", str(path), text,
                      f"check that the account running Resilience Scorecard ({user}) may read and write the file, "
                      f"its folder and its -wal/-shm files, and that {SETTING} names the right file")
    if "not a database" in lowered or "malformed" in lowered:
        return _fault(f"{path} is not a usable SQLite database", str(path), text,
                      f"check that {SETTING} names the scorecard database; restore it from a backup if it is damaged")
    if "disk i/o error" in lowered or "disk is full" in lowered:
        return _fault(f"the disk holding {path} failed or is full: nothing was saved", str(path), text,
                      "free space on that disk or check its health, then try again")
    return None


def _postgres(sqlstate: str | None, text: str, where: str, busy_ms: int, kind: str) -> ScorecardError | None:
    if sqlstate == "25006":
        return _fault(f"the database {where} accepts no writes: nothing was saved", where, text,
                      f"point {SETTING} at the primary server, or turn off default_transaction_read_only")
    if sqlstate == "55P03":
        return _locked(where, text, busy_ms, "a long transaction in another session (see pg_stat_activity)")
    if sqlstate == "42501":
        return _fault(f"the database role may not do this in {where}", where, text,
                      "grant the scorecard role ownership of its database (see docs/deployment.md), or run: "
                      "scorecard db upgrade as that role")
    if sqlstate == "3D000":
        return _fault(f"the database {where} does not exist", where, text,
                      f"create it (createdb) and run: scorecard db upgrade, or check the name in {SETTING}")
    if sqlstate in ("28P01", "28000"):
        return _fault(f"the database server refused the login to {where}", where, text,
                      f"check the user and password in {SETTING}")
    if sqlstate is None and kind == "OperationalError":
        return _fault(f"cannot reach the database server {where}", where, text,
                      f"check that PostgreSQL is running and reachable from this host, and that {SETTING} is right")
    return None


def _locked(where: str, text: str, busy_ms: int, holders: str) -> DatabaseUnavailableError:
    return _fault(f"the database {where} stayed locked by another writer for more than {busy_ms / 1000:g} s: "
                  "nothing was saved", where, text,
                  f"try again in a moment; if it persists, end what holds the lock ({holders}); "
                  "SCORECARD_BUSY_TIMEOUT_MS sets how long a write waits")


def _fault(summary: str, where: str, text: str, hint: str) -> DatabaseUnavailableError:
    return DatabaseUnavailableError(summary, [Problem(where, text, hint)])


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (containers)
        return "the service account"
