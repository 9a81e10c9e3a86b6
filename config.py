"""Settings read from the environment, in one place. Nothing else reads os.environ for settings.
At the end, the one setting of the Python runtime itself: the garbage collector's
(`tune_garbage_collector`, applied by each entry point).

- ``SCORECARD_CONTENT_DIR``: a folder with ``frameworks/`` and ``questionnaires/`` to load instead of
  the shipped ones (default: the project's own folders).
- ``SCORECARD_DB_URL``: SQLAlchemy URL (default: SQLite file ``data/scorecard.db`` under the project).
- ``SCORECARD_BUSY_TIMEOUT_MS``: how long a write waits for another writer's lock before it gives up
  with a clear error, in milliseconds (default 30000; SQLite busy timeout, PostgreSQL lock_timeout).
- ``SCORECARD_MAX_UPLOAD_MB``: largest evidence file accepted, in megabytes (default 200).
- ``SCORECARD_BUNDLE_KEY``: the organisation's Ed25519 private key file (PEM, made by
  ``scorecard bundle keygen``) that signs exported bundles; its public key is trusted on import.
- ``SCORECARD_BUNDLE_TRUSTED_KEYS``: further public key files (PEM) whose bundles are accepted,
  separated by ``:`` (``;`` on Windows), e.g. the keys of plants that export to headquarters.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

from errors import Problem, ScorecardError

PROJECT_ROOT = Path(__file__).resolve().parent


def content_dir() -> Path:
    """Folder holding ``frameworks/`` and ``questionnaires/``."""
    return Path(os.environ.get("SCORECARD_CONTENT_DIR") or PROJECT_ROOT)


def default_database_url() -> str:
    """The embedded SQLite database of a single-user install (``data/scorecard.db``)."""
    return f"sqlite:///{PROJECT_ROOT / 'data' / 'scorecard.db'}"


def database_url() -> str:
    """The database to use; SQLite under ``data/`` unless ``SCORECARD_DB_URL`` says otherwise."""
    return os.environ.get("SCORECARD_DB_URL") or default_database_url()


def busy_timeout_ms() -> int:
    """Milliseconds a write waits for another writer's lock before failing (default 30 s)."""
    return int(_number("SCORECARD_BUSY_TIMEOUT_MS", 30_000))


def max_upload_bytes() -> int:
    """Largest evidence file accepted, in bytes."""
    return int(_number("SCORECARD_MAX_UPLOAD_MB", 200) * 1024 * 1024)


def bundle_key_file() -> Path | None:
    """The private key that signs bundles (``SCORECARD_BUNDLE_KEY``), or None when not set."""
    value = os.environ.get("SCORECARD_BUNDLE_KEY")
    return Path(value).expanduser() if value else None


def trusted_bundle_key_files() -> list[Path]:
    """Public keys of other installations whose bundles are accepted (``SCORECARD_BUNDLE_TRUSTED_KEYS``)."""
    value = os.environ.get("SCORECARD_BUNDLE_TRUSTED_KEYS") or ""
    return [Path(part).expanduser() for part in value.split(os.pathsep) if part.strip()]


def _number(name: str, default: float) -> float:
    text = os.environ.get(name) or ""
    if not text.strip():
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise ScorecardError(f"the setting {name} is not a positive number",
                             [Problem(name, f"'{text}'", f"unset it for the default ({default:g}) or give a number")])
    return value


# --- The Python runtime ----------------------------------------------------------------------------
#
# The garbage collector: building an enterprise report allocates millions of short-lived objects
# (scores, rows, view-model records) on top of a heap of tens of thousands of long-lived ones
# (Streamlit, pandas, plotly, the catalog). With CPython's default thresholds (700, 10, 10) the full
# collections that follow scan that whole heap again and again: a third of the CPU time of an
# enterprise build at 20 sites (bench/scale_data.py). `gc.freeze()` moves everything alive at start-up out
# of the collector's sight (it is never garbage: modules, classes, the loaded catalog), and a larger
# first-generation threshold makes collections rarer; reference cycles are still collected, later.
# Measured: the enterprise view-model of 20 sites 3.3 → 2.2 s of CPU.

GC_THRESHOLDS = (20_000, 50, 100)
"""Allocations before a young collection, then young collections per middle one, and middle per full."""

_tuned = False


def tune_garbage_collector() -> None:
    """Freeze what is alive now and raise the collection thresholds; only the first call acts."""
    global _tuned
    if _tuned:
        return
    _tuned = True
    freeze_long_lived()
    gc.set_threshold(*GC_THRESHOLDS)


def freeze_long_lived() -> None:
    """Move every object alive now out of the collector's sight, garbage collected first so none
    is kept: for what lives as long as the process (modules, the catalog, a framework's internals)."""
    gc.collect()
    gc.freeze()
