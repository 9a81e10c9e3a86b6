"""Offline questionnaire workbook: structure, protection, round trip, validation of every cell."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from errors import ResponseError
from exports.questionnaire_import import read_questionnaire_workbook
from exports.questionnaire_workbook import COL, render_questionnaire_workbook, sheet_title
from scoring.model import Response, Scope
from tests.exports import fixtures

STORED = (
    Response(question_id="GOV-01", environment="IT", current=3, notes=fixtures.FORMULA_PAYLOADS[0]),
    Response(question_id="GOV-01", environment="OT", current=2, notes=fixtures.HTML_PAYLOAD),
    Response(question_id="DAT-01", environment="IT", na=True, na_reason="Run by the group data centre"),
    Response(question_id="IAM-01", environment="OT", current=4, target=5, notes="@SUM(1,1)"),
)


def export(scope=Scope.IT_OT, stored=STORED) -> bytes:
    return render_questionnaire_workbook(fixtures.questionnaire(), scope, stored, assessment_id="42",
                                         assessment_label="Lyon IT+OT 2026-09-30")


def reimport(data: bytes, scope=Scope.IT_OT, stored=STORED, assessment_id="42"):
    return read_questionnaire_workbook(data, fixtures.questionnaire(), scope, stored, assessment_id=assessment_id,
                                       name="answers.xlsx")


def edited(data: bytes, edits: dict[tuple[str, str], object]) -> bytes:
    """Change cells like a user would: {(sheet, 'F3'): value}."""
    wb = load_workbook(io.BytesIO(data))
    for (sheet, ref), value in edits.items():
        wb[sheet][ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOV, IAM, DAT, REC = ("Governance, roles and oversight", "Identity and privileged access",
                      "Data protection and backups", "Recovery of controller logic")
CUR, REASON, TARGET, NOTES = (chr(64 + COL[c]) for c in ("Current", "NA reason", "Target", "Notes"))


def test_structure_protection_and_hidden_ids():
    wb = load_workbook(io.BytesIO(export()))
    assert wb.sheetnames == ["Instructions", GOV, IAM, DAT, REC, "_meta"]
    assert wb["_meta"].sheet_state == "veryHidden"
    assert wb.security.lockStructure
    ws = wb[IAM]
    assert ws.protection.sheet and ws.column_dimensions["A"].hidden
    rows = list(ws.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["IAM-01|IT", "IAM-01|OT"]
    assert rows[2][COL["Current"] - 1] == 4 and rows[2][COL["Target"] - 1] == 5
    assert rows[2][COL["Default target"] - 1] == 3
    assert rows[1][COL["Level 3"] - 1].startswith("IAM-01 level 3")
    assert not ws[f"{CUR}2"].protection.locked and ws["C2"].protection.locked
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists == {f"{CUR}2:{CUR}3": '"0,1,2,3,4,5,NA"', f"{TARGET}2:{TARGET}3": '"0,1,2,3,4,5"'}
    assert list(wb[DAT].iter_rows(values_only=True))[1][COL["Current"] - 1] == "NA"


def test_scope_limits_rows():
    wb = load_workbook(io.BytesIO(export(Scope.OT)))
    keys = [r[0] for name in wb.sheetnames[1:-1] for r in list(wb[name].iter_rows(values_only=True))[1:]]
    assert keys == ["GOV-01|OT", "IAM-01|OT", "DAT-01|OT", "REC-01|OT"]


def test_untouched_round_trip_changes_nothing_and_keeps_payloads():
    data = export()
    assert reimport(data).changes == ()
    wb = load_workbook(io.BytesIO(data))
    cell = wb[GOV][f"{NOTES}2"]
    assert cell.value == fixtures.FORMULA_PAYLOADS[0] and cell.data_type == "s"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert not any(b"<f>" in archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))


def test_round_trip_changes_exactly_the_edited_answers():
    data = edited(export(), {(GOV, f"{CUR}3"): 4, (REC, f"{CUR}2"): "NA", (REC, f"{REASON}2"): "No PLCs in IT",
                             (IAM, f"{NOTES}2"): "=HYPERLINK(\"x\")", (DAT, f"{TARGET}3"): "4"})
    result = reimport(data)
    assert {(c.question_id, c.environment, c.field, c.old, c.new) for c in result.changes} == {
        ("GOV-01", "OT", "current", 2, 4),
        ("REC-01", "IT", "na", False, True),
        ("REC-01", "IT", "na_reason", "", "No PLCs in IT"),
        ("IAM-01", "IT", "notes", "", '=HYPERLINK("x")'),
        ("DAT-01", "OT", "target", None, 4),
    }
    by_key = {(r.question_id, r.environment): r for r in result.responses}
    assert set(by_key) == {("GOV-01", "OT"), ("REC-01", "IT"), ("IAM-01", "IT"), ("DAT-01", "OT")}
    assert by_key[("GOV-01", "OT")].notes == fixtures.HTML_PAYLOAD  # unchanged fields carried whole
    assert by_key[("REC-01", "IT")].na and by_key[("REC-01", "IT")].current is None
    # Storage receives only the changed fields, so an answer edited in the app after the export is
    # not reverted by a row whose notes alone were edited offline.
    items = {(i["question_id"], i["environment"]): i for i in result.items()}
    assert items[("GOV-01", "OT")] == {"question_id": "GOV-01", "environment": "OT", "current": 4}
    assert items[("IAM-01", "IT")] == {"question_id": "IAM-01", "environment": "IT", "notes": '=HYPERLINK("x")'}
    assert set(items[("REC-01", "IT")]) == {"question_id", "environment", "na", "na_reason"}


def test_every_bad_cell_is_reported_at_once():
    data = edited(export(), {(GOV, f"{CUR}2"): 7, (GOV, f"{TARGET}2"): "high", (IAM, f"{CUR}2"): "NA",
                             (DAT, f"{CUR}3"): 2, (DAT, f"{REASON}3"): "why", (REC, f"{CUR}2"): "=1+1"})
    with pytest.raises(ResponseError) as caught:
        reimport(data)
    lines = caught.value.lines()
    assert f"sheet '{GOV}' row 2, column 'Current': 7 is not a level (0–5, NA or blank)" in lines
    assert f"sheet '{GOV}' row 2, column 'Target': 'high' is not a level (0–5 or blank)" in lines
    assert f"sheet '{IAM}' row 2, column 'NA reason': NA needs a reason (say why it does not apply)" in lines
    assert any(line.startswith(f"sheet '{DAT}' row 3, column 'NA reason': a reason is given") for line in lines)
    assert f"sheet '{REC}' row 2, column 'Current': '=1+1' is not a level (0–5, NA or blank)" in lines
    assert len(lines) == 5


def test_foreign_or_broken_workbooks_are_refused():
    with pytest.raises(ResponseError, match="made for another assessment"):
        reimport(export(), assessment_id="43")
    with pytest.raises(ResponseError, match="made for another assessment"):
        reimport(export(), scope=Scope.IT)
    with pytest.raises(ResponseError, match="not an Excel workbook"):
        reimport(b"question_id,current\nGOV-01,3\n")
    from openpyxl import Workbook

    plain = io.BytesIO()
    Workbook().save(plain)
    with pytest.raises(ResponseError, match="not a questionnaire workbook"):
        reimport(plain.getvalue())
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as archive:  # a zip whose content-types part is not XML
        archive.writestr("[Content_Types].xml", "<Types><broken")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ResponseError, match="not an Excel workbook"):
        reimport(damaged.getvalue())


def test_tampered_keys_are_reported():
    wb = load_workbook(io.BytesIO(export()))
    wb.security.lockStructure = False
    ws = wb[GOV]
    ws["A3"] = "GOV-01|IT"
    ws["A4"] = "NOPE-9|IT"
    ws["B4"] = "x"
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(ResponseError) as caught:
        reimport(out.getvalue())
    assert caught.value.lines() == [
        f"sheet '{GOV}' row 3: GOV-01 (IT) appears twice (first at sheet '{GOV}' row 2)",
        f"sheet '{GOV}' row 4: unknown question 'NOPE-9' (do not edit or add rows)",
    ]


def test_zip_bomb_is_refused(monkeypatch):
    from tabular import limits

    monkeypatch.setattr(limits, "MAX_UNCOMPRESSED_BYTES", 1000)
    with pytest.raises(ResponseError, match="possible zip bomb"):
        reimport(export())


def test_sheet_titles_are_excel_safe_and_unique():
    used: set[str] = set()
    assert sheet_title("Zones/conduits: [OT]?", used) == "Zones conduits   OT"
    assert sheet_title("Zones/conduits: [OT]?", used) == "Zones conduits   OT (2)"
    assert len(sheet_title("x" * 40, used)) == 31


def test_na_saved_without_a_reason_in_the_app_does_not_block_the_reimport():
    na_blank = Response(question_id="GOV-01", environment="IT", na=True)
    stored = (*[r for r in STORED if (r.question_id, r.environment) != ("GOV-01", "IT")], na_blank)
    result = reimport(export(stored=stored), stored=stored)
    assert result.changes == ()
    # A new N/A typed in the workbook still needs its reason.
    with pytest.raises(ResponseError, match="NA needs a reason"):
        reimport(edited(export(), {(GOV, f"{CUR}2"): "NA"}))
