"""Reading and exporting the audit log (anyone may read it; nobody may change it)."""

from __future__ import annotations

import csv
import io

from services.access import Actor
from services.context import Context
from storage import audit
from storage.jsontext import dumps
from storage.records import AuditEntry

COLUMNS = ("id", "at", "user", "assessment_id", "entity", "entity_key", "action", "old_value", "new_value")


def list_audit(ctx: Context, actor: Actor, *, assessment_id: int | None = None, entity: str | None = None,
               limit: int | None = None) -> list[AuditEntry]:
    """Entries oldest first; `limit` keeps the newest `limit` ones."""
    with ctx.read() as session:
        return audit.list_entries(session, assessment_id=assessment_id, entity=entity, limit=limit)


def audit_csv(entries: list[AuditEntry]) -> bytes:
    """The entries as UTF-8 CSV (old/new values as JSON text); cells that a spreadsheet would take
    for a formula are prefixed with an apostrophe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for e in entries:
        cells = [e.id, e.at.isoformat(), e.user, e.assessment_id or "", e.entity, e.entity_key, e.action,
                 "" if e.old_value is None else dumps(e.old_value), "" if e.new_value is None else dumps(e.new_value)]
        writer.writerow([_safe(c) for c in cells])
    return buffer.getvalue().encode("utf-8")


def audit_json(entries: list[AuditEntry]) -> list[dict]:
    return [e.model_dump(mode="json") for e in entries]


def _safe(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
