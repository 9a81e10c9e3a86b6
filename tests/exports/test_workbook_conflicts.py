"""A stale offline workbook never reverts what was changed in the app after its export: through the
services and the CLI, against a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from errors import ConflictError
from services import answers
from services.assessments import load_assessment
from services.audit_log import list_audit
from services.questionnaire_workbook import export_workbook, import_workbook
from storage import responses as stored_responses
from tests.services.helpers import ADMIN, ASSESSOR, plant_with_assessment

APP_USER = ASSESSOR  # bob edits in the app; alice (ADMIN) imports the workbook


@pytest.fixture
def answered(ctx):
    a = plant_with_assessment(ctx)
    for qid, env, current in (("GOV-01", "IT", 2), ("GOV-01", "OT", 1), ("GOV-02", "IT", 3)):
        answers.save_response(ctx, ADMIN, a.id, qid, env, {"current": current, "notes": f"noted {qid}"},
                              expected_version=0)
    return a


def _stored(ctx, assessment_id):
    return {(r.question_id, r.environment): r for r in load_assessment(ctx, ADMIN, assessment_id).responses}


def _edit(data: bytes, edits: dict[tuple[str, str], object]) -> bytes:
    """Set input cells like an assessor in Excel: {("GOV-01|OT", "Current"): 5}."""
    wb = load_workbook(io.BytesIO(data))
    sheet = wb["Governance"]
    header = [c.value for c in sheet[1]]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    for (key, column), value in edits.items():
        rows[key][header.index(column)].value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _app_edit(ctx, assessment_id, qid, env, changes):
    version = _stored(ctx, assessment_id)[(qid, env)].version
    return answers.save_response(ctx, APP_USER, assessment_id, qid, env, changes, expected_version=version)


def test_an_untouched_stale_workbook_leaves_the_apps_change_alone(ctx, answered):
    data = export_workbook(ctx, ADMIN, answered.id)
    _app_edit(ctx, answered.id, "GOV-01", "OT", {"current": 4})
    audit_before = len(list_audit(ctx, ADMIN, assessment_id=answered.id))

    result = import_workbook(ctx, ADMIN, answered.id, data)
    assert result.changes == () and result.changed_in_app == ("GOV-01 (OT)",)
    kept = _stored(ctx, answered.id)[("GOV-01", "OT")]
    assert (kept.current, kept.updated_by, kept.version) == (4, "bob", 2)
    assert len(list_audit(ctx, ADMIN, assessment_id=answered.id)) == audit_before


def test_a_conflict_is_listed_kept_as_in_the_app_and_applied_only_when_chosen(ctx, answered):
    data = _edit(export_workbook(ctx, ADMIN, answered.id),
                 {("GOV-01|OT", "Current"): 5, ("GOV-02|IT", "Current"): 4, ("GOV-01|IT", "Notes"): "seen RACI"})
    _app_edit(ctx, answered.id, "GOV-01", "OT", {"current": 4})
    _app_edit(ctx, answered.id, "GOV-01", "IT", {"target": 5})  # another part of a row the workbook edits

    preview = import_workbook(ctx, ADMIN, answered.id, data, dry_run=True)
    [conflict] = preview.conflicts
    assert (conflict.question_id, conflict.environment, conflict.field, conflict.old, conflict.new) == (
        "GOV-01", "OT", "current", 4, 5)
    assert conflict.conflict.startswith("changed in the app by bob on ") and "(version 1 → 2)" in conflict.conflict

    applied = import_workbook(ctx, ADMIN, answered.id, data)
    assert applied == preview
    stored = _stored(ctx, answered.id)
    assert (stored[("GOV-01", "OT")].current, stored[("GOV-01", "OT")].updated_by) == (4, "bob")
    assert stored[("GOV-02", "IT")].current == 4
    assert (stored[("GOV-01", "IT")].notes, stored[("GOV-01", "IT")].target) == ("seen RACI", 5)

    # Checked again, only the conflict is left; the user chooses to overwrite it.
    again = import_workbook(ctx, ADMIN, answered.id, data, dry_run=True)
    assert [(c.question_id, c.field) for c in again.changes] == [("GOV-01", "current")]
    import_workbook(ctx, ADMIN, answered.id, data, apply_conflicts=True, expected=again)
    overwritten = _stored(ctx, answered.id)[("GOV-01", "OT")]
    assert (overwritten.current, overwritten.updated_by) == (5, "alice")
    entry = list_audit(ctx, ADMIN, assessment_id=answered.id)[-1]
    assert (entry.entity_key, entry.action, entry.old_value, entry.new_value) == ("GOV-01/OT", "import", {"current": 4},
                                                                                {"current": 5})


def test_applying_a_preview_after_the_answers_moved_writes_nothing(ctx, answered):
    data = _edit(export_workbook(ctx, ADMIN, answered.id), {("GOV-02|IT", "Current"): 5})
    preview = import_workbook(ctx, ADMIN, answered.id, data, dry_run=True)
    _app_edit(ctx, answered.id, "GOV-02", "IT", {"current": 1})  # saved after the preview was shown
    with pytest.raises(ConflictError, match="changed since answers.xlsx was checked"):
        import_workbook(ctx, ADMIN, answered.id, data, name="answers.xlsx", apply_conflicts=True, expected=preview)
    assert _stored(ctx, answered.id)[("GOV-02", "IT")].current == 1


def test_control_characters_the_export_drops_are_not_imported_as_changes(db, ctx, answered):
    with db.write() as session:  # text stored before the answer rules dropped control characters
        stored_responses.save(session, answered.id, "GOV-01", "OT", {"notes": "Line\x07 2 walkdown\x1b"},
                              expected_version=1, user="legacy", now=datetime(2026, 1, 5, tzinfo=UTC))
    data = export_workbook(ctx, ADMIN, answered.id)
    result = import_workbook(ctx, ADMIN, answered.id, data)
    assert result.changes == ()
    assert _stored(ctx, answered.id)[("GOV-01", "OT")].notes == "Line\x07 2 walkdown\x1b"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_cli_lists_conflicts_and_applies_them_only_with_the_flag(ctx, db_url, answered, tmp_path, monkeypatch):
    from cli import scorecard
    from tests.services.helpers import CONTENT

    monkeypatch.setenv("SCORECARD_DB_URL", db_url)
    monkeypatch.setenv("SCORECARD_CONTENT_DIR", str(CONTENT))
    book = tmp_path / "answers.xlsx"
    book.write_bytes(_edit(export_workbook(ctx, ADMIN, answered.id), {("GOV-01|OT", "Current"): 5}))
    _app_edit(ctx, answered.id, "GOV-01", "OT", {"current": 4})
    runner = CliRunner()

    result = runner.invoke(scorecard, ["questionnaire-workbook", "import", str(answered.id), str(book), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["responses_changed"], report["conflicts"]) == (0, 1)
    assert report["changes"][0]["conflict"].startswith("changed in the app by bob")
    assert _stored(ctx, answered.id)[("GOV-01", "OT")].current == 4

    result = runner.invoke(scorecard, ["questionnaire-workbook", "import", str(answered.id), str(book)])
    assert "CONFLICT: changed in the app by bob" in result.stdout
    assert "1 conflicting response(s) left as in the app" in result.stderr
    result = runner.invoke(scorecard, ["questionnaire-workbook", "import", str(answered.id), str(book),
                                       "--apply-conflicts"])
    assert result.exit_code == 0 and "1 response(s) changed" in result.stderr
    assert _stored(ctx, answered.id)[("GOV-01", "OT")].current == 5
