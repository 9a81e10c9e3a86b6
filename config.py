"""Settings read from the environment, in one place. Nothing else reads os.environ for settings.

- ``SCORECARD_CONTENT_DIR``: a folder with ``frameworks/`` and ``questionnaires/`` to load instead of
  the shipped ones (default: the project's own folders).
- ``SCORECARD_DB_URL``: SQLAlchemy URL (default: SQLite file ``data/scorecard.db`` under the project).
- ``SCORECARD_MAX_UPLOAD_MB``: largest evidence file accepted, in megabytes (default 200).
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent


def content_dir() -> Path:
    """Folder holding ``frameworks/`` and ``questionnaires/``."""
    return Path(os.environ.get("SCORECARD_CONTENT_DIR") or PROJECT_ROOT)


def database_url() -> str:
    """The database to use; SQLite under ``data/`` unless ``SCORECARD_DB_URL`` says otherwise."""
    url = os.environ.get("SCORECARD_DB_URL")
    if url:
        return url
    path = PROJECT_ROOT / "data" / "scorecard.db"
    return f"sqlite:///{path}"


def max_upload_bytes() -> int:
    """Largest evidence file accepted, in bytes."""
    megabytes = float(os.environ.get("SCORECARD_MAX_UPLOAD_MB") or 200)
    return int(megabytes * 1024 * 1024)
