"""Stored views (revision 0008): report view-models kept by key, newest first, at most KEPT.

A cache table: a row is written once under a key and never changed (the key names exactly what
the payload was built from), any row may be deleted at any time, and readers treat a missing row
as "build it". Writing the same key twice (two processes building the same view at once) keeps
the first row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.tables import StoredViewRow

KEPT = 48
"""Rows kept: the views in use (enterprise, each site looked at) and their PDFs and workbooks.
At 200 sites an enterprise view is ~4 MB compressed, so the table stays within ~200 MB."""


def get(session: Session, key: str) -> bytes | None:
    """The payload stored under `key`, or None."""
    return session.scalar(select(StoredViewRow.payload).where(StoredViewRow.key == key))


def put(session: Session, key: str, view: str, payload: bytes, now: datetime) -> None:
    """Store `payload` under `key` unless a row has it already, then drop all but the KEPT newest."""
    if session.scalar(select(StoredViewRow.key).where(StoredViewRow.key == key)) is None:
        session.add(StoredViewRow(key=key, view=view, created_at=now, payload=payload))
        session.flush()
    newest = select(StoredViewRow.key).order_by(StoredViewRow.created_at.desc(), StoredViewRow.key).limit(KEPT)
    session.execute(delete(StoredViewRow).where(StoredViewRow.key.not_in(newest)))


def clear(session: Session) -> int:
    """Delete every stored view; returns how many there were."""
    return session.execute(delete(StoredViewRow)).rowcount or 0
