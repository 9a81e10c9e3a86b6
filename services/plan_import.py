"""`scorecard plan import`: apply an edited Plan sheet of an analyst workbook to an assessment.

Rules, like every import: every problem is reported at once with its row and column, and a sheet
with any problem writes nothing.
- A row with an ID edits that action of the assessment; a row without one adds an action (its
  Question is required, Env is optional: blank = every environment in scope).
- Every cell is read by the rules of services.action_fields; promises and the question and
  environment by the rules of the app (they must apply to the assessment).
- A row whose values equal the stored ones changes nothing (so importing a workbook twice is
  harmless). A row that changes an action does so only at the version the workbook was written at
  (hidden column Version): an action changed in the app since then is a conflict, reported, never
  overwritten. The question and environment of an existing action do not change (add a new action
  instead). A new row equal in question, environment and title to an existing action is that
  action, added by an earlier import of the same workbook: it is not added twice.
- The changes are written in one transaction, each audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from errors import Problem, ScorecardError
from exports.xlsx_plan import PLAN_SHEET
from scoring.model import Scope
from services.access import Actor, require_site_write
from services.action_fields import action_target_problems, promise_problems, read_action
from services.context import Context
from services.plan_sheet import PlanSheetRow, read_plan_sheet
from storage import assessments as store
from storage import findings
from storage.records import Finding

PLACE_FIELDS = ("question_id", "environment")


@dataclass(frozen=True)
class PlanImport:
    """What an import did: actions changed, added and left as they were."""

    changed: int
    added: int
    unchanged: int


def import_plan(ctx: Context, actor: Actor, assessment_id: int, path: Path | None = None, *,
                data: bytes | None = None, name: str | None = None) -> PlanImport:
    """Apply the Plan sheet of the workbook at `path` (or `data`, called `name`)."""
    catalog = ctx.catalog
    if data is None:
        data = Path(path).read_bytes()
    name = name or (Path(path).name if path else "workbook")
    rows, headers = read_plan_sheet(data, name)
    with ctx.write() as session:
        assessment = store.get(session, assessment_id)
        require_site_write(actor, assessment.site_name, "import plans")
        store.lock_writable(session, assessment_id)
        questionnaire = catalog.questionnaire(assessment.questionnaire_id)
        scope = Scope(assessment.scope)
        stored = {str(f.id): f for f in findings.list_for(session, assessment_id)}
        reader = _Reader(name, headers, catalog, questionnaire, scope, stored)
        plans = [reader.read(row) for row in rows]
        seen: dict[str, int] = {}
        for row in rows:
            if row.action_id is not None and row.action_id in seen:
                reader.problem(row, "ID", f"action {row.action_id} is also in row {seen[row.action_id]}",
                               "keep one row per action")
            seen.setdefault(row.action_id or "", row.number)
        if reader.problems:
            raise ScorecardError(f"the plan in {name} was not imported", reader.problems)
        changed = added = unchanged = 0
        now = ctx.now()
        for finding, values in plans:
            if finding is None:
                place = {f: values.pop(f) for f in PLACE_FIELDS}
                findings.add(session, assessment_id, question_id=place["question_id"],
                             environment=place["environment"], title=values.pop("title"),
                             owner=values.pop("owner", ""), due_date=values.pop("due_date", None),
                             status=values.pop("status", None) or "open", notes=values.pop("notes", ""),
                             plan=values, user=actor.user, now=now)
                added += 1
            elif values:
                findings.change(session, assessment_id, finding.id, values, expected_version=finding.version,
                                user=actor.user, now=now)
                changed += 1
            else:
                unchanged += 1
        return PlanImport(changed=changed, added=added, unchanged=unchanged)


class _Reader:
    """Reads rows against the stored actions, collecting problems located by row and column."""

    def __init__(self, name, headers, catalog, questionnaire, scope, stored: dict[str, Finding]) -> None:
        self.name, self.headers, self.questionnaire, self.scope = name, headers, questionnaire, scope
        self.definitions = catalog.metric_definitions()
        self.stored = stored
        self.problems: list[Problem] = []

    def problem(self, row: PlanSheetRow, column: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(f"{self.name}, sheet '{PLAN_SHEET}', row {row.number}, column '{column}'",
                                     message, hint))

    def read(self, row: PlanSheetRow) -> tuple[Finding | None, dict[str, Any]]:
        """(the stored action or None for a new one, the values to write)."""
        cells = {f: v for f, v in row.cells.items() if f not in PLACE_FIELDS}
        if row.action_id is None:
            return self._read_new(row, cells)
        finding = self.stored.get(row.action_id)
        if finding is None:
            self.problem(row, "ID", f"action {row.action_id} is not an action of this assessment",
                         "clear the ID to add it as a new action, or import into the assessment it came from")
            return None, {}
        if not self._same_place(row, finding):
            return finding, {}
        changed = self._changes(row, cells, finding)
        if changed and not self._same_version(row, finding):
            return finding, {}
        return finding, changed

    def _read_new(self, row: PlanSheetRow, cells: dict[str, Any]) -> tuple[Finding | None, dict[str, Any]]:
        place = self._place(row)
        values, problems = read_action(cells, self.definitions)
        for p in problems:
            self.problem(row, self.headers.get(p.field, p.field), p.message, p.hint)
        if values is None or place is None:
            return None, {}
        if not values.get("title"):
            self.problem(row, "Action", "a new action needs a title", "say what will be done")
            return None, {}
        twin = next((f for f in self.stored.values() if (f.question_id, f.environment, f.title)
                     == (place["question_id"], place["environment"], values["title"])), None)
        if twin is not None:  # added by an earlier import of this workbook
            if self._changes(row, cells, twin):
                self.problem(row, "ID", f"action {twin.id} with this question and title exists already",
                             "write a fresh workbook and edit the action's row there")
            return twin, {}
        self._check_promises(row, values.get("promises", ()))
        return None, {**values, **place}

    def _changes(self, row: PlanSheetRow, cells: dict[str, Any], finding: Finding) -> dict[str, Any]:
        """The fields whose cells differ from the stored action (after the reading rules)."""
        values, problems = read_action(cells, self.definitions, finding.model_dump())
        for p in problems:
            self.problem(row, self.headers.get(p.field, p.field), p.message, p.hint)
        if values is None:
            return {}
        changed = {f: v for f, v in values.items() if v != getattr(finding, f)}
        if "promises" in changed:
            self._check_promises(row, changed["promises"])
        return changed

    def _place(self, row: PlanSheetRow) -> dict[str, Any] | None:
        """The question and environment of a new row, or None after recording why they are wrong."""
        question = str(row.cells.get("question_id") or "").strip()
        env = str(row.cells.get("environment") or "").strip().upper() or None
        if not question:
            self.problem(row, "Question", "a new action needs its question", "e.g. ACC-01 (the row has no ID)")
            return None
        found = action_target_problems(self.questionnaire, self.scope, [(question, env)])
        for where, message in found:
            self.problem(row, "Question" if env is None or "unknown question" in message else "Env",
                         f"{where}: {message}")
        return None if found else {"question_id": question, "environment": env}

    def _check_promises(self, row: PlanSheetRow, promises) -> None:
        for where, message in promise_problems(self.questionnaire, self.scope, promises):
            self.problem(row, self.headers["promises"], f"{where}: {message}")

    def _same_version(self, row: PlanSheetRow, finding: Finding) -> bool:
        text = "" if row.version is None else str(row.version).strip()
        try:
            version = int(float(text)) if text else None
        except ValueError:
            version = None
        if version is None:
            self.problem(row, "Version", f"'{text}' is not the version the app wrote" if text else
                         "the hidden Version column is empty", "edit a workbook written by the app")
            return False
        if version != finding.version:
            self.problem(row, "ID", f"action {finding.id} was changed in the app by {finding.updated_by} on "
                         f"{finding.updated_at:%Y-%m-%d %H:%M} since this workbook was written",
                         "write a fresh workbook and make the edit there")
            return False
        return True

    def _same_place(self, row: PlanSheetRow, finding: Finding) -> bool:
        same = True
        for field, column, stored in (("question_id", "Question", finding.question_id),
                                      ("environment", "Env", finding.environment)):
            if field in row.cells:
                given = str(row.cells[field] or "").strip() or None
                if (given.upper() if given and field == "environment" else given) != stored:
                    self.problem(row, column, f"'{given or ''}' differs from the action's {stored or 'every environment'}",
                                 "an action stays on its question; add a new row without an ID instead")
                    same = False
        return same
