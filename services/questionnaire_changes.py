"""What an imported questionnaire workbook changes: the workbook compared with what was exported
and with the answers stored now, so a stale workbook never silently reverts a later edit.

A row's answer has three parts, taken from the workbook or kept from the app independently
(`exports.questionnaire_workbook.PARTS`): current with its N/A reason, target, notes. Per part:
- the workbook shows it as exported (same fingerprint) → nothing: a change made in the app since
  the export stays, and text the export had to clean (control characters) is no change;
- the workbook's value is the stored one → nothing;
- the workbook changed it and the app did not (the stored version is the exported one, or the
  stored part still has the exported fingerprint) → a change, applied;
- the workbook changed it and so did the app → a conflict: listed with who changed it in the app
  and when, and applied only when the user chooses to.
A row without a readable export state (a workbook of format 1, or hidden cells altered) has every
part that differs from the stored answer as a conflict. The parts taken from the workbook are
judged with `scoring.response_input.combine` over the stored answer (an N/A needs a reason).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from exports.questionnaire_workbook import PARTS, StoredAnswer, exported_cells, fingerprints
from scoring.response_input import FieldProblem, ResponseValues, combine, parse_cells

VALUE_FIELDS = {"answer": ("current", "na", "na_reason"), "target": ("target",), "notes": ("notes",)}
"""The response fields each part sets."""


@dataclass(frozen=True)
class WorkbookRow:
    """One checked row: its pair, location, cells read by `parse_cells`, and its export state."""

    question_id: str
    environment: str
    where: str
    parsed: dict[str, Any]
    version: int | None
    """The stored version when the workbook was exported (0 = not answered); None = unknown."""
    exported: dict[str, str] | None
    """The fingerprint of each part as exported; None = unknown."""


@dataclass(frozen=True)
class Change:
    question_id: str
    environment: str
    field: str
    old: Any
    new: Any
    location: str
    conflict: str = ""
    """Empty for a change the import applies; else how the app changed this answer after the
    export (then it is applied only when the user chooses to)."""


@dataclass(frozen=True)
class WorkbookImport:
    """What the workbook would change, field by field, conflicts included."""

    changes: tuple[Change, ...]
    changed_in_app: tuple[str, ...] = ()
    """Answers ("GOV-01 (IT)") changed in the app since the export where the workbook leaves the
    app's values as they are."""

    @property
    def conflicts(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.conflict)

    def responses_changed(self, *, with_conflicts: bool = False) -> int:
        """How many answers the import writes."""
        return len(self._by_response(with_conflicts))

    def conflicting_responses(self) -> int:
        return len({(c.question_id, c.environment) for c in self.conflicts})

    def items(self, *, with_conflicts: bool = False) -> list[dict[str, Any]]:
        """The changes as storage items: question_id, environment and only the changed fields
        (storage keeps the others), without the conflicts unless `with_conflicts`."""
        return list(self._by_response(with_conflicts).values())

    def _by_response(self, with_conflicts: bool) -> dict[tuple[str, str], dict[str, Any]]:
        items: dict[tuple[str, str], dict[str, Any]] = {}
        for change in self.changes:
            if change.conflict and not with_conflicts:
                continue
            key = (change.question_id, change.environment)
            item = items.setdefault(key, {"question_id": change.question_id, "environment": change.environment})
            item[change.field] = change.new
        return items


def compare_rows(rows: list[WorkbookRow], stored: Mapping[tuple[str, str], StoredAnswer]
                 ) -> tuple[WorkbookImport, list[tuple[str, FieldProblem]]]:
    """The import of checked rows over the stored answers, and the rule problems by location."""
    changes: list[Change] = []
    kept: list[str] = []
    problems: list[tuple[str, FieldProblem]] = []
    for row in rows:
        answer = stored.get((row.question_id, row.environment))
        taken, conflicting, app_only = _parts(row, answer)
        if app_only:
            kept.append(f"{row.question_id} ({row.environment})")
        if not taken:
            continue
        before = ResponseValues.of(answer.response) if answer else None
        values, found = combine({f: row.parsed[f] for part in taken for f in PARTS[part]}, before)
        problems.extend((row.where, p) for p in found)
        if values is None:
            continue
        old = before or ResponseValues()
        why = _conflict(row, answer) if conflicting else ""
        for part in taken:
            changes.extend(Change(row.question_id, row.environment, f, getattr(old, f), getattr(values, f), row.where,
                                  why if part in conflicting else "")
                           for f in VALUE_FIELDS[part] if getattr(values, f) != getattr(old, f))
    return WorkbookImport(changes=tuple(changes), changed_in_app=tuple(kept)), problems


def _parts(row: WorkbookRow, answer: StoredAnswer | None) -> tuple[list[str], set[str], bool]:
    """(parts the workbook changes, those of them that conflict, whether the app changed a part the
    workbook left alone)."""
    now, _ = parse_cells(exported_cells(answer.response if answer else None))
    stored_print, workbook_print = fingerprints(now), fingerprints(row.parsed)
    app_moved_row = row.version is not None and row.version != (answer.version if answer else 0)
    taken: list[str] = []
    conflicting: set[str] = set()
    app_only = False
    for part in PARTS:
        exported = row.exported[part] if row.exported is not None else None
        app_moved = exported is None or (app_moved_row and stored_print[part] != exported)
        if workbook_print[part] == exported:
            app_only = app_only or app_moved
            continue
        if workbook_print[part] == stored_print[part]:
            continue
        taken.append(part)
        if app_moved:
            conflicting.add(part)
    return taken, conflicting, app_only


def _conflict(row: WorkbookRow, answer: StoredAnswer | None) -> str:
    if row.version is None:
        return "the workbook does not record the answer it was exported with"
    if answer is None:
        return f"removed in the app after the export (version {row.version})"
    when = f" on {answer.updated_at:%Y-%m-%d %H:%M} UTC" if answer.updated_at else ""
    return f"changed in the app by {answer.updated_by or 'someone'}{when} after the export " \
           f"(version {row.version} → {answer.version})"
