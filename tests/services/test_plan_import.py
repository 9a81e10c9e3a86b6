"""Importing an edited Plan sheet of the analyst workbook: changes, additions, every problem with
its row and column and nothing written, conflicts with edits made in the app, and re-imports."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from errors import ScorecardError
from services import answers, reports
from services.assessments import finalize_assessment, load_assessment
from services.plan_import import import_plan
from tests.services.helpers import ADMIN, ASSESSOR, VIEWER, plant_with_assessment


def planned(db, ctx):
    a = plant_with_assessment(ctx)
    answers.save_response(ctx, ADMIN, a.id, "ACC-01", "OT", {"current": 2}, expected_version=0)
    answers.add_finding(ctx, ADMIN, a.id, question_id="ACC-01", environment="OT", title="Jump host for vendors", owner="OT lead",
                        due_date=date(2026, 9, 30), plan={"promises": "ACC-01 OT 4", "cost": 40000})
    return a


def workbook(ctx, a):
    data = reports.report(ctx, ADMIN, "xlsx", assessment_id=a.id)
    return load_workbook(BytesIO(data))


def columns(ws) -> dict[str, int]:
    return {cell.value: cell.column for cell in ws[1]}


def saved(wb) -> bytes:
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def test_edits_and_new_rows_are_applied_and_audited(db, ctx) -> None:
    a = planned(db, ctx)
    wb = workbook(ctx, a)
    ws = wb["Plan"]
    col = columns(ws)
    assert ws.column_dimensions["B"].hidden and ws.cell(1, 2).value == "Version"
    ws.cell(2, col["Cost"], 32500)
    ws.cell(2, col["Due"], datetime(2026, 12, 31))
    ws.cell(2, col["Promises"], "ACC-01 OT 4; GOV-01 OT → 3")
    row = ws.max_row + 1
    for header, value in {"Question": "GOV-02", "Env": "IT", "Action": "Risk board minutes", "Owner": "CISO",
                          "Due": "2026-11-30", "Status": "open", "Promises": "GOV-02 IT 3", "Cost": "5 000"}.items():
        ws.cell(row, col[header], value)
    done = import_plan(ctx, ASSESSOR, a.id, data=saved(wb), name="plan.xlsx")
    assert (done.changed, done.added, done.unchanged) == (1, 1, 0)
    first, new = load_assessment(ctx, ADMIN, a.id).findings
    assert (first.cost, first.due_date, first.version, len(first.promises)) == (32500.0, date(2026, 12, 31), 2, 2)
    assert (new.question_id, new.environment, new.title, new.cost, new.updated_by) == (
        "GOV-02", "IT", "Risk board minutes", 5000.0, "bob")
    again = import_plan(ctx, ASSESSOR, a.id, data=saved(wb), name="plan.xlsx")
    assert (again.changed, again.added, again.unchanged) == (0, 0, 2)  # importing twice changes nothing


def test_every_problem_is_listed_with_row_and_column_and_nothing_is_written(db, ctx) -> None:
    a = planned(db, ctx)
    wb = workbook(ctx, a)
    ws = wb["Plan"]
    col = columns(ws)
    ws.cell(2, col["Cost"], -3)
    ws.cell(2, col["Status"], "someday")
    row = ws.max_row + 1
    for header, value in {"Question": "NOPE-9", "Action": "x", "Promises": "GOV-01 IT 9", "Evidence metric": "unicorns",
                          "Evidence value": 3}.items():
        ws.cell(row, col[header], value)
    ws.cell(row + 1, col["ID"], "999")
    ws.cell(row + 1, col["Action"], "not ours")
    with pytest.raises(ScorecardError) as raised:
        import_plan(ctx, ADMIN, a.id, data=saved(wb), name="plan.xlsx")
    problems = [str(p) for p in raised.value.problems]
    expected = [("row 2, column 'Status'", "'someday' is not a status"),
                ("row 2, column 'Cost'", "'-3' is not a number"),
                (f"row {row}, column 'Question'", "unknown question 'NOPE-9'"),
                (f"row {row}, column 'Promises'", "'GOV-01 IT 9' is not a promise"),
                (f"row {row}, column 'Evidence metric'", "'unicorns' is not a metric"),
                (f"row {row + 1}, column 'ID'", "action 999 is not an action of this assessment")]
    for where, what in expected:
        assert any(f"plan.xlsx, sheet 'Plan', {where}" in p and what in p for p in problems), (where, problems)
    (unchanged,) = load_assessment(ctx, ADMIN, a.id).findings
    assert (unchanged.cost, unchanged.status, unchanged.version) == (40000.0, "open", 1)


def test_an_action_changed_in_the_app_since_the_export_is_a_conflict(db, ctx) -> None:
    a = planned(db, ctx)
    wb = workbook(ctx, a)
    (action,) = load_assessment(ctx, ADMIN, a.id).findings
    answers.update_finding(ctx, ASSESSOR, a.id, action.id, {"owner": "Plant manager"}, expected_version=1)
    ws = wb["Plan"]
    ws.cell(2, columns(ws)["Cost"], 1)
    with pytest.raises(ScorecardError, match="was changed in the app by bob"):
        import_plan(ctx, ADMIN, a.id, data=saved(wb), name="plan.xlsx")
    assert load_assessment(ctx, ADMIN, a.id).findings[0].cost == 40000.0


@pytest.mark.parametrize(("edit", "message"), [
    (lambda ws, col: ws.cell(2, col["Question"], "GOV-01"), "an action stays on its question"),
    (lambda ws, col: ws.delete_cols(1), "no 'ID' column"),
])
def test_structure_problems_are_refused(db, ctx, edit, message) -> None:
    a = planned(db, ctx)
    wb = workbook(ctx, a)
    edit(wb["Plan"], columns(wb["Plan"]))
    with pytest.raises(ScorecardError, match=message):
        import_plan(ctx, ADMIN, a.id, data=saved(wb), name="plan.xlsx")


def test_refused_for_a_viewer_a_final_assessment_and_a_file_that_is_no_workbook(db, ctx) -> None:
    a = planned(db, ctx)
    data = saved(workbook(ctx, a))
    with pytest.raises(ScorecardError, match="may not import plans"):
        import_plan(ctx, VIEWER, a.id, data=data, name="plan.xlsx")
    with pytest.raises(ScorecardError, match="is not an Excel workbook"):
        import_plan(ctx, ADMIN, a.id, data=b"PK not really", name="plan.xlsx")
    finalize_assessment(ctx, ADMIN, a.id)
    with pytest.raises(ScorecardError, match="is final"):
        import_plan(ctx, ADMIN, a.id, data=data, name="plan.xlsx")
