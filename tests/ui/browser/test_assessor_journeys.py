"""Journeys 1 and 2 in a real browser against `streamlit run app.py` on the demo database.

1. An assessor answers a question; the answer is saved without any save button and is still
   there after reloading the page.
2. An evidence file with errors shows each problem with its row and column; a valid file is
   imported and its metrics appear with their RAG status.
"""

from __future__ import annotations

from datetime import date

import pytest

from services.access import local_admin
from services.assessments import create_assessment, load_assessment
from tests.ui.browser.helpers import grid_cells, grid_cells_when, open_view, wait_idle
from tests.ui.browser.questionnaire_steps import settle

pytestmark = pytest.mark.browser
ADMIN = local_admin("browser-test")

BAD = ("asset_id,name,environment,criticality,owner,dependencies,recovery_requirement\n"
       "B1,PLC 1,OT,critical,Ana,power,4h\n"
       "B2,HMI 2,OT,Hgh,Raj,,\n")
GOOD = ("asset_id,name,environment,criticality,owner,dependencies,recovery_requirement\n"
        "G1,PLC 1,OT,critical,Ana,power,4h\n"
        "G2,HMI 2,OT,critical,Raj,plc,8h\n"
        "G3,Server,IT,high,Lee,,\n")


@pytest.fixture
def fresh_draft(browser_ctx, request):
    """An empty draft of a demo plant, dated after every demo quarter (one per test)."""
    day = date(2030, 1, 1 + len(request.node.name) % 27)
    return create_assessment(browser_ctx, ADMIN, site="Northfield Assembly", scope="IT+OT", as_of=day,
                             title=f"browser {request.node.name}")


def test_an_answer_is_saved_at_once_and_survives_a_reload(app_url, page, browser_ctx, fresh_draft) -> None:
    open_view(page, app_url, "questionnaire", fresh_draft.id)
    page.get_by_text("0 of 120").first.wait_for()
    settle(page)  # a click while the first run is still drawing can be lost (seen once in ten full runs)
    it_levels = page.locator("[data-testid='stButtonGroup']").first  # GOV-01, IT: the first level picker
    it_levels.get_by_role("radio", name="3", exact=True).click()
    page.get_by_text("IT claims 3").first.wait_for()  # drawn from storage (the "Saved" toast may be gone by now)
    wait_idle(page)
    saved = {(r.question_id, r.environment): r for r in load_assessment(browser_ctx, ADMIN, fresh_draft.id).responses}
    assert saved[("GOV-01", "IT")].current == 3
    page.reload()
    wait_idle(page)
    page.get_by_text("1 of 120").first.wait_for()
    # The counter can render before the question body after a reload: wait for the text, then check.
    claims = page.get_by_text("IT claims 3")
    claims.wait_for(state="visible")
    assert claims.is_visible()
    chosen = page.locator("[data-testid='stButtonGroup']").first.locator("button[aria-checked='true']")
    assert chosen.inner_text().strip() == "3"


def test_evidence_with_an_error_then_a_valid_file_shows_metrics(app_url, page, browser_ctx, fresh_draft, tmp_path) -> None:
    bad, good = tmp_path / "inventory-bad.csv", tmp_path / "inventory.csv"
    bad.write_text(BAD, encoding="utf-8")
    good.write_text(GOOD, encoding="utf-8")
    open_view(page, app_url, "evidence", fresh_draft.id)
    page.locator("input[type='file']").set_input_files(str(bad))
    page.get_by_text("1 problem(s) in 1 of 2 rows").wait_for()
    cells = grid_cells(page, "What is allowed")
    assert cells[:3] == ["3", "criticality", "'Hgh' is not one of critical, high, medium, low"]
    assert page.get_by_role("button", name="Import").is_disabled()
    page.locator("input[type='file']").set_input_files(str(good))  # replaces the uploaded file
    page.get_by_text("3 rows, all valid.").wait_for()
    page.get_by_role("button", name="Import").click()
    page.get_by_text("Imported 3 rows of inventory.csv").wait_for()
    wait_idle(page)
    metrics = grid_cells_when(page, "Green if", lambda cells: "100.0 %" in cells)
    documented = metrics.index("Critical assets fully documented")
    assert metrics[documented + 1: documented + 3] == ["100.0 %", "Green"]
    (stored,) = load_assessment(browser_ctx, ADMIN, fresh_draft.id).evidence
    assert stored.file_name == "inventory.csv" and stored.row_count == 3
