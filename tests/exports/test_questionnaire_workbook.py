"""Offline questionnaire workbook: structure, protection, round trip, validation of every cell,
and the comparison with answers changed in the app since the export (conflicts)."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from errors import ResponseError
from exports.questionnaire_workbook import (
    COL,
    FORMAT_WITHOUT_VERSIONS,
    StoredAnswer,
    render_questionnaire_workbook,
    sheet_title,
)
from scoring.model import Response, Scope
from services.questionnaire_import import read_questionnaire_workbook
from tests.exports import fixtures

EXPORTED_AT = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)


def stored(question_id, environment, version=1, by="ada", at=EXPORTED_AT, **values) -> StoredAnswer:
    return StoredAnswer(Response(question_id=question_id, environment=environment, **values), version, by, at)


STORED = (
    stored("GOV-01", "IT", current=3, notes=fixtures.FORMULA_PAYLOADS[0]),
    stored("GOV-01", "OT", version=4, current=2, notes=fixtures.HTML_PAYLOAD),
    stored("DAT-01", "IT", na=True, na_reason="Run by the group data centre"),
    stored("IAM-01", "OT", version=2, current=4, target=5, notes="@SUM(1,1)"),
)


def changed_in_app(answers, key, version_step=1, by="cy", **values):
    """`answers` after someone changed one answer in the app (its version goes up)."""
    out = []
    for a in answers:
        if (a.response.question_id, a.response.environment) == key:
            a = StoredAnswer(a.response.model_copy(update=values), a.version + version_step, by,
                             datetime(2026, 9, 15, 14, 30, tzinfo=UTC))
        out.append(a)
    return tuple(out)


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
CUR, REASON, TARGET, NOTES, VERSION, EXPORTED = (
    chr(64 + COL[c]) for c in ("Current", "NA reason", "Target", "Notes", "Version", "Exported"))


def test_structure_protection_and_hidden_ids():
    wb = load_workbook(io.BytesIO(export()))
    assert wb.sheetnames == ["Instructions", GOV, IAM, DAT, REC, "_meta"]
    assert wb["_meta"].sheet_state == "veryHidden"
    assert wb.security.lockStructure
    ws = wb[IAM]
    assert ws.protection.sheet
    assert all(ws.column_dimensions[c].hidden for c in ("A", VERSION, EXPORTED))
    assert ws[f"{VERSION}3"].protection.locked and ws[f"{EXPORTED}3"].protection.locked
    rows = list(ws.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["IAM-01|IT", "IAM-01|OT"]
    assert [r[COL["Version"] - 1] for r in rows[1:]] == [0, 2]  # not answered yet; stored version 2
    assert all(len(r[COL["Exported"] - 1].split()) == 3 for r in rows[1:])
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
    assert result.conflicts == () and result.changed_in_app == ()
    assert result.responses_changed() == 4
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
    assert f"sheet '{GOV}' row 2, column 'Current': '7' is not a maturity level (use 0–5, N/A or blank)" in lines
    assert f"sheet '{GOV}' row 2, column 'Target': 'high' is not a maturity level (use 0–5 or blank)" in lines
    assert (f"sheet '{IAM}' row 2, column 'NA reason': N/A needs a reason "
            "(say why the practice does not apply here)") in lines
    assert (f"sheet '{DAT}' row 3, column 'NA reason': a reason is given but the answer is level 2, not N/A "
            "(set current to N/A or clear the reason)") in lines
    assert f"sheet '{REC}' row 2, column 'Current': '=1+1' is not a maturity level (use 0–5, N/A or blank)" in lines
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
        f"sheet '{GOV}' row 4: unknown question 'NOPE-9' in questionnaire 'fixture-qn' (do not edit or add rows)",
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


def test_na_saved_without_a_reason_earlier_does_not_block_an_untouched_row():
    na_blank = stored("GOV-01", "IT", na=True)
    answers = (*[a for a in STORED if (a.response.question_id, a.response.environment) != ("GOV-01", "IT")], na_blank)
    data = export(stored=answers)
    assert reimport(data, stored=answers).changes == ()
    # Its notes may be edited offline: the answer itself is not changed, so it is not judged again.
    result = reimport(edited(data, {(GOV, f"{NOTES}2"): "asked the plant manager"}), stored=answers)
    assert [(c.field, c.new) for c in result.changes] == [("notes", "asked the plant manager")]
    # A new N/A typed in the workbook still needs its reason.
    with pytest.raises(ResponseError, match="N/A needs a reason"):
        reimport(edited(export(), {(GOV, f"{CUR}2"): "NA"}))


@pytest.mark.parametrize("spelling", ["NA", "n/a", " Not applicable ", "N/A"])
def test_every_spelling_of_na_is_read_the_same(spelling):
    result = reimport(edited(export(), {(REC, f"{CUR}2"): spelling, (REC, f"{REASON}2"): "No PLCs in IT"}))
    assert {(c.field, c.new) for c in result.changes} == {("na", True), ("na_reason", "No PLCs in IT")}


# --- A stale workbook never reverts what the app changed since the export ------------------------


def test_an_untouched_stale_workbook_changes_nothing_and_names_what_the_app_changed():
    data = export()
    now = changed_in_app(STORED, ("GOV-01", "IT"), current=4, notes="re-checked in the app")
    result = reimport(data, stored=now)
    assert result.changes == ()
    assert result.changed_in_app == ("GOV-01 (IT)",)
    assert result.items(with_conflicts=True) == []


def test_an_answer_changed_in_both_places_is_a_conflict_applied_only_on_request():
    data = edited(export(), {(GOV, f"{CUR}2"): 5, (GOV, f"{CUR}3"): 1})
    now = changed_in_app(STORED, ("GOV-01", "IT"), current=4)
    result = reimport(data, stored=now)
    clean = [(c.question_id, c.environment, c.field, c.old, c.new) for c in result.changes if not c.conflict]
    assert clean == [("GOV-01", "OT", "current", 2, 1)]
    [conflict] = result.conflicts
    assert (conflict.question_id, conflict.environment, conflict.field, conflict.old, conflict.new) == (
        "GOV-01", "IT", "current", 4, 5)
    assert conflict.conflict == "changed in the app by cy on 2026-09-15 14:30 UTC after the export (version 1 → 2)"
    assert conflict.location == f"sheet '{GOV}' row 2"
    assert result.items() == [{"question_id": "GOV-01", "environment": "OT", "current": 1}]
    assert result.responses_changed() == 1 and result.conflicting_responses() == 1
    assert {"question_id": "GOV-01", "environment": "IT", "current": 5} in result.items(with_conflicts=True)


def test_parts_of_an_answer_are_compared_on_their_own():
    # The app changed only the target (or only flagged it for review: a new version, same values);
    # the workbook changed the level or the notes: no conflict, each side keeps its change.
    data = edited(export(), {(GOV, f"{NOTES}2"): "seen the RACI", (IAM, f"{CUR}3"): 5})
    now = changed_in_app(STORED, ("GOV-01", "IT"), target=5)
    now = changed_in_app(now, ("IAM-01", "OT"))
    result = reimport(data, stored=now)
    assert result.conflicts == ()
    assert sorted(result.items(), key=lambda i: i["question_id"]) == [
        {"question_id": "GOV-01", "environment": "IT", "notes": "seen the RACI"},
        {"question_id": "IAM-01", "environment": "OT", "current": 5},
    ]
    assert result.changed_in_app == ("GOV-01 (IT)",)
    # The N/A reason goes with the level: the app set a level, the workbook edited the N/A's reason.
    data = edited(export(), {(DAT, f"{REASON}2"): "Group data centre, contract DC-7"})
    now = changed_in_app(STORED, ("DAT-01", "IT"), na=False, na_reason="", current=2)
    result = reimport(data, stored=now)
    assert {(c.field, c.old, c.new) for c in result.conflicts} == {
        ("current", 2, None), ("na", False, True), ("na_reason", "", "Group data centre, contract DC-7")}
    assert result.items() == []


def test_both_sides_reaching_the_same_value_is_no_change():
    data = edited(export(), {(GOV, f"{CUR}2"): 4})
    assert reimport(data, stored=changed_in_app(STORED, ("GOV-01", "IT"), current=4)).changes == ()


def test_control_characters_dropped_at_export_are_not_changes():
    noisy = (stored("GOV-01", "IT", current=3, notes="Checked\x07 the register\x0b, line 2\x1f"),
             stored("DAT-01", "IT", na=True, na_reason="Group\x00 data centre"))
    data = export(stored=noisy)
    assert load_workbook(io.BytesIO(data))[GOV][f"{NOTES}2"].value == "Checked the register, line 2"
    assert reimport(data, stored=noisy).changes == ()
    result = reimport(edited(data, {(GOV, f"{NOTES}2"): "Checked the register, lines 2 and 3"}), stored=noisy)
    assert [(c.field, c.new) for c in result.changes] == [("notes", "Checked the register, lines 2 and 3")]


def test_a_workbook_without_versions_shows_every_difference_as_a_conflict():
    wb = load_workbook(io.BytesIO(edited(export(), {(GOV, f"{CUR}3"): 1})))
    meta = wb["_meta"]
    meta["B1"] = FORMAT_WITHOUT_VERSIONS  # a workbook exported before versions were recorded
    for title in (GOV, IAM, DAT, REC):
        wb[title].delete_cols(COL["Version"], 2)
    out = io.BytesIO()
    wb.save(out)
    result = reimport(out.getvalue())
    assert [(c.question_id, c.environment, c.field, c.new) for c in result.conflicts] == [("GOV-01", "OT", "current", 1)]
    assert result.conflicts[0].conflict == "the workbook does not record the answer it was exported with"
    assert result.items() == []


def test_altered_hidden_cells_make_the_row_a_conflict_rather_than_a_silent_revert():
    data = edited(export(), {(GOV, f"{VERSION}2"): "latest", (GOV, f"{CUR}2"): 2})
    result = reimport(data, stored=changed_in_app(STORED, ("GOV-01", "IT"), current=4))
    assert [(c.field, c.old, c.new) for c in result.conflicts] == [("current", 4, 2)]
    assert result.items() == []
