"""Journey 6 in a real browser on the demo: the Plan page of Riverside's draft (the plant that is
slipping) shows its verdict and path; leaving the best action out and a budget ceiling change the
plan; the selection is saved as a named plan and compared with the full one. Expected numbers come
from the services, read independently."""

from __future__ import annotations

import re

import pytest

from demo.story import DRAFT_AS_OF
from exports.formatting import money
from services import plan_edits, plans
from services.access import local_admin
from services.assessments import list_assessments
from tests.ui.browser.helpers import grid_cells_when, open_view, wait_idle

pytestmark = pytest.mark.browser
ACTOR = local_admin("browser-test")


def _metric(page, label: str) -> str:
    box = page.locator("[data-testid='stMetric']").filter(
        has=page.locator("[data-testid='stMetricLabel']", has_text=re.compile(f"^{label}")))
    return box.first.locator("[data-testid='stMetricValue']").inner_text().strip()


def _until(page, label: str, expected: str) -> None:
    for _ in range(40):
        wait_idle(page)
        if _metric(page, label) == expected:
            return
        page.wait_for_timeout(250)
    assert _metric(page, label) == expected


def test_plan_what_if_save_and_compare(app_url, page, browser_ctx) -> None:
    # The demo's own draft (other journeys may add drafts to the shared database).
    draft = min((a for a in list_assessments(browser_ctx, ACTOR, site="Riverside Castings")
                 if a.status == "draft" and a.as_of == DRAFT_AS_OF), key=lambda a: a.id)
    projection = plans.project(browser_ctx, ACTOR, draft.id)
    valued = projection.values
    counted = [a for a in projection.actions if a.state in ("scheduled", "slipped")]
    open_view(page, app_url, "plan", draft.id)
    page.get_by_role("heading", name="Plan: path to target").wait_for()
    assert _metric(page, "Actions in this plan") == f"{len(valued)} of {len(valued)}"
    assert _metric(page, "Cost") == money(sum(a.cost for a in counted if a.cost is not None))
    assert _metric(page, "Target due") == "At risk"
    page.locator(".js-plotly-plot").first.wait_for()
    page.get_by_text("Path to target: verified maturity").first.wait_for()

    best = valued[0]
    picker = page.locator("[data-testid='stMultiSelect']").filter(has_text="Leave out of this plan")
    picker.locator("input").click()
    page.get_by_role("option", name=re.compile(r"^#1 ")).click()
    page.keyboard.press("Escape")
    _until(page, "Actions in this plan", f"{len(valued) - 1} of {len(valued)}")
    left = sum(a.cost for a in counted if a.cost is not None and a.id != best.id)
    assert _metric(page, "Cost") == money(left)

    budget = page.get_by_role("spinbutton", name="Budget ceiling (0 = no ceiling)")
    budget.fill(str(int(valued[1].cost)))
    budget.press("Enter")
    _until(page, "Actions in this plan", f"1 of {len(valued)}")

    page.get_by_label("Save this selection as a named plan").fill("Board option A")
    page.get_by_role("button", name="Save plan").click()
    page.get_by_text("Plan saved; compare it below.").wait_for()
    (saved,) = [s for s in plan_edits.list_scenarios(browser_ctx, ACTOR, draft.id) if s.name == "Board option A"]
    assert [str(a) for a in saved.actions] == [valued[1].id] and saved.budget == valued[1].cost

    plan_b = page.get_by_role("combobox", name="Plan B")
    plan_b.click()
    plan_b.fill("Board")  # the box filters its options as one types
    page.get_by_role("option", name="Board option A").click()
    wait_idle(page)
    page.get_by_text("Plans compared: projected verified maturity").first.wait_for()
    cells = grid_cells_when(page, "Verified at end", lambda found: "Board option A" in found)
    assert "Every open action" in cells and "Board option A" in cells
