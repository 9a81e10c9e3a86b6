"""Audit entries in words for people: "level 2 → 3; status open → in progress" instead of raw JSON,
and "assessment #12" instead of the assessment's UUID. The stored entry and the CSV/JSON exports
keep the exact values; this is only how a screen or a report prints them.

Rules: a change (old and new) lists each field whose value differs as `label old → new`; a creation
lists the fields that carry a value; a removal lists what was removed. Field labels are the words
the app uses (`current` is the level, `na` is N/A); internal keys (row ids, file digests) are left
out; long text is shortened to `TEXT_CHARS` with an ellipsis; empty values read "—".
"""

from __future__ import annotations

from typing import Any

TEXT_CHARS = 60
LABELS = {
    "current": "level", "target": "target", "na": "N/A", "na_reason": "N/A reason", "notes": "notes",
    "flagged": "marked for review", "status": "status", "due_date": "due", "owner": "owner", "title": "title",
    "reason": "reason", "as_of": "as of", "scope": "scope", "name": "name", "criticality": "criticality",
    "country": "country", "dataset": "dataset", "file_name": "file", "rows": "rows",
    "copied_from_id": "copied from assessment", "time_zone": "time zone",
}
HIDDEN = {"site_id", "sha256", "id", "uid", "version"}
UUID_ENTITIES = {"assessment", "status"}


def value_text(value: Any) -> str:
    """One value as a reader sees it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(value_text(v) for v in value) or "—"
    text = " ".join(str(value).split())
    if text in ("in_progress", "in_review", "not_implemented"):
        text = text.replace("_", " ")
    return text if len(text) <= TEXT_CHARS else text[: TEXT_CHARS - 1] + "…"


def _fields(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k not in HIDDEN}
    return {} if value is None else {"value": value}


def change_text(old: Any, new: Any) -> str:
    """The entry's change in words (see the module docstring)."""
    before, after = _fields(old), _fields(new)
    if before and after:
        moved = [f"{LABELS.get(k, k.replace('_', ' '))} {value_text(before.get(k))} → {value_text(after.get(k))}"
                 for k in sorted(set(before) | set(after), key=_order) if before.get(k) != after.get(k)]
        return "; ".join(moved) or "no change"
    fields = after or before
    shown = [f"{LABELS.get(k, k.replace('_', ' '))} {value_text(v)}" for k, v in sorted(fields.items(), key=lambda kv: _order(kv[0]))
             if v not in (None, "", False)]
    text = "; ".join(shown) or "—"
    return text if after else f"removed: {text}"


def subject_text(entity: str, key: str, assessment_id: int | None) -> str:
    """What the entry is about: a response's "GOV-01/OT" as it is; an assessment's UUID as its number."""
    if entity in UUID_ENTITIES and assessment_id is not None:
        return f"assessment #{assessment_id}"
    return key


def _order(key: str) -> tuple[int, str]:
    keys = list(LABELS)
    return (keys.index(key) if key in keys else len(keys), key)
