"""Journey 5 in AppTest: the analyst workbook made in the page is a real XLSX with the dashboard's
numbers; the offline questionnaire workbook goes out, comes back edited, shows its diff and is
applied only on "Apply"; wrong files, viewers and final assessments get a message, not a traceback.
(The board PDF is downloaded and parsed in tests/ui/browser/test_reports_browser.py.)"""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from services.answers import save_response
from services.assessments import load_assessment
from tests.ui.conftest import ADMIN, VIEWER, texts
from tests.ui.dashboard_seed import *  # noqa: F403 - the seeded database fixtures
from ui.components.report_files import PREPARED_KEY

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _button(at, label: str):
    return next(b for b in at.main.button if b.label == label)


def _prepared(at, key: str):
    return at.session_state[PREPARED_KEY][key]


def test_analyst_workbook_of_the_enterprise_is_a_real_workbook(seeded, open_page) -> None:
    at = open_page("reports")
    _button(at, "Prepare analyst workbook").click()
    at.run()
    assert not at.exception
    prepared = _prepared(at, "analyst-xlsx")
    assert prepared.file_name.endswith("-analyst-workbook.xlsx")
    assert [b.label for b in at.main.download_button][0].startswith(f"Download {prepared.file_name}")
    wb = load_workbook(BytesIO(prepared.data), read_only=True)
    assert {"Summary", "Functions", "Sites"} <= set(wb.sheetnames)
    summary = [[c for c in row if c is not None] for row in wb["Summary"].iter_rows(values_only=True)]
    # The enterprise's verified maturity: the criticality-weighted roll-up (4·4 + 2·4 + 1·2) / 10.
    assert any(any(isinstance(c, float) and abs(c - 2.6) < 1e-9 for c in row) for row in summary)


def test_questionnaire_workbook_round_trip_with_diff_before_apply(seeded, open_page) -> None:
    ctx, ids = seeded
    at = open_page("reports")  # sidebar: Plant North's Q3 draft
    _button(at, "Prepare questionnaire workbook").click()
    at.run()
    exported = _prepared(at, "questionnaire-workbook")
    wb = load_workbook(BytesIO(exported.data))
    sheet = wb[wb.sheetnames[1]]
    header = [c.value for c in sheet[1]]
    key_col, current_col = header.index("Key") + 1, header.index("Current") + 1
    key = sheet.cell(row=2, column=key_col).value
    sheet.cell(row=2, column=current_col).value = 5
    edited = BytesIO()
    wb.save(edited)

    at.main.file_uploader[0].set_value([("answers.xlsx", edited.getvalue(), XLSX)])
    at.run()
    assert not at.exception
    diff = next(d.value for d in at.main.dataframe if "Workbook" in d.value.columns)
    question, env = key.split("|")
    assert diff[["Question", "Env", "Field", "Stored", "Workbook"]].values.tolist() == [[question, env, "Current", "1", "5"]]
    stored = {(r.question_id, r.environment): r.current for r in load_assessment(ctx, VIEWER, ids.north_q3).responses}
    assert stored[(question, env)] == 1  # nothing written before Apply

    _button(at, "Apply 1 changed answer").click()
    at.run()
    assert any("Imported 1 changed answer" in s for s in texts(at.main.success))
    stored = {(r.question_id, r.environment): r.current for r in load_assessment(ctx, VIEWER, ids.north_q3).responses}
    assert stored[(question, env)] == 5
    # The page shows the result, not the old preview: the same file now matches the stored answers.
    assert not [b for b in at.main.button if b.label.startswith("Apply")]
    assert any("nothing to import" in s for s in texts(at.main.success))


def test_answers_changed_in_the_app_since_the_export_are_conflicts_overwritten_only_by_choice(seeded, open_page) -> None:
    ctx, ids = seeded
    at = open_page("reports")
    _button(at, "Prepare questionnaire workbook").click()
    at.run()
    wb = load_workbook(BytesIO(_prepared(at, "questionnaire-workbook").data))
    sheet = wb[wb.sheetnames[1]]
    header = [c.value for c in sheet[1]]
    key_col, current_col = header.index("Key") + 1, header.index("Current") + 1
    conflict_key, clean_key = sheet.cell(row=2, column=key_col).value, sheet.cell(row=3, column=key_col).value
    sheet.cell(row=2, column=current_col).value = 5
    sheet.cell(row=3, column=current_col).value = 4
    edited = BytesIO()
    wb.save(edited)
    versions = {(r.question_id, r.environment): r.version for r in load_assessment(ctx, VIEWER, ids.north_q3).responses}
    conflict_pair = tuple(conflict_key.split("|"))
    save_response(ctx, ADMIN.model_copy(update={"user": "cy"}), ids.north_q3, *conflict_pair, {"current": 2},
                  expected_version=versions[conflict_pair])  # changed in the app after the export

    def current(pair):
        return {(r.question_id, r.environment): r.current
                for r in load_assessment(ctx, VIEWER, ids.north_q3).responses}.get(pair)

    at.main.file_uploader[0].set_value([("answers.xlsx", edited.getvalue(), XLSX)])
    at.run()
    assert not at.exception
    conflicts = next(d.value for d in at.main.dataframe if "App change" in d.value.columns)
    assert conflicts[["Question", "Env", "Field", "In the app", "Workbook"]].values.tolist() == [
        [*conflict_pair, "Current", "2", "5"]]
    assert conflicts["App change"][0].startswith("changed in the app by cy")
    assert any("changed in the app after this workbook was exported" in w for w in texts(at.main.warning))
    _button(at, "Apply 1 changed answer").click()
    at.run()
    assert current(tuple(clean_key.split("|"))) == 4 and current(conflict_pair) == 2

    # Checked again, only the conflict is left: nothing to apply until the user chooses to overwrite.
    assert any("Nothing to apply unless" in i for i in texts(at.main.info))
    at.main.checkbox[0].check().run()
    _button(at, "Apply 1 changed answer").click()
    at.run()
    assert not at.exception and current(conflict_pair) == 5


def test_a_workbook_of_another_assessment_is_refused_with_reasons(seeded, open_page) -> None:
    _, ids = seeded
    at = open_page("reports", assessment_id=ids.south_q3)
    _button(at, "Prepare questionnaire workbook").click()
    at.run()
    other = _prepared(at, "questionnaire-workbook").data
    at = open_page("reports")  # Plant North's draft
    at.main.file_uploader[0].set_value([("south.xlsx", other, XLSX)])
    at.run()
    assert not at.exception
    assert texts(at.main.error) == ["the workbook was made for another assessment or questionnaire"]


def test_a_file_that_is_not_a_workbook_gets_a_message(seeded, open_page) -> None:
    at = open_page("reports")
    at.main.file_uploader[0].set_value([("answers.xlsx", b"not a zip at all", XLSX)])
    at.run()
    assert not at.exception and len(at.main.error) == 1


def test_final_assessment_cannot_take_an_import(seeded, open_page) -> None:
    _, ids = seeded
    at = open_page("reports", assessment_id=ids.south_q3)
    assert any("This assessment is final" in i for i in texts(at.main.info))
    assert not at.main.file_uploader


def test_viewer_may_download_but_not_import(seeded, open_page) -> None:
    at = open_page("reports", actor=VIEWER)
    _button(at, "Prepare analyst workbook").click()
    at.run()
    assert _prepared(at, "analyst-xlsx").data[:2] == b"PK"
    at.main.file_uploader[0].set_value([("answers.xlsx", b"PK whatever", XLSX)])
    at.run()
    assert not at.exception
    assert any("may not import answers" in e for e in texts(at.main.error))


def test_board_deck_and_oscal_documents_are_real_files(seeded, open_page) -> None:
    import json

    from pptx import Presentation

    from tests.exports.oscal_schema import errors

    at = open_page("reports")
    for label in ("Prepare board deck", "Prepare OSCAL assessment results", "Prepare OSCAL POA&M"):
        _button(at, label).click()
        at.run()
        assert not at.exception
    deck = _prepared(at, "board-pptx")
    assert deck.file_name.endswith("-board-deck.pptx")
    overall = next(s.chart for slide in Presentation(BytesIO(deck.data)).slides for s in slide.shapes
                   if s.name == "chart:overall")
    verified = next(s for s in overall.plots[0].series if s.name == "Verified")
    assert verified.values[0] == pytest.approx(2.6)  # the enterprise roll-up, as in the workbook
    results = json.loads(_prepared(at, "oscal-ar").data)
    assert errors(results) == [] and _prepared(at, "oscal-ar").file_name.endswith("-oscal-assessment-results.json")
    # The enterprise rolls up Plant North's final Q2, which has no open action: a message, no file.
    assert "oscal-poam" not in at.session_state[PREPARED_KEY]
    assert any("no open action" in e for e in texts(at.main.error))

    at.session_state["reports.subject"] = "site"  # Plant North's latest: the Q3 draft with its finding
    at.run()
    _button(at, "Prepare OSCAL POA&M").click()
    at.run()
    poam = json.loads(_prepared(at, "oscal-poam").data)
    assert errors(poam) == []
    assert [i["title"] for i in poam["plan-of-action-and-milestones"]["poam-items"]] == ["Name an OT risk owner"]
