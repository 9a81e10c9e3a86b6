"""Journey 3 in a real browser against `streamlit run app.py` on the demo database: the CIO
dashboard shows numbers for the demo enterprise and for a plant, with charts drawn and the
environment filter working. Expected numbers come from the same services, read independently."""

from __future__ import annotations

import re

import pytest

from services import trend_series as trends
from services.access import local_admin
from services.assessment_scoring import score_assessment
from services.assessments import list_assessments
from tests.ui.browser.helpers import open_view, wait_idle

pytestmark = pytest.mark.browser
VIEWER = local_admin("browser-test")
NUMBER = re.compile(r"^\d\.\d\d$")


def _metric(page, label: str, expected: str | None = None, timeout_ms: int = 15_000) -> str:
    """The value of the st.metric labelled `label`. With `expected`, read again until it shows that
    or `timeout_ms` has passed: a rerun redraws the caption before the metrics below it."""
    box = page.locator("[data-testid='stMetric']").filter(
        has=page.locator("[data-testid='stMetricLabel']", has_text=re.compile(f"^{label}$")))
    value = box.first.locator("[data-testid='stMetricValue']").inner_text().strip()
    waited = 0
    while expected is not None and value != expected and waited < timeout_ms:
        page.wait_for_timeout(250)
        waited += 250
        value = box.first.locator("[data-testid='stMetricValue']").inner_text().strip()
    return value


def _final(ctx, **where):
    found = [a for a in list_assessments(ctx, VIEWER, **where) if a.status == "final"]
    return max(found, key=lambda a: (a.as_of, a.id))


def test_enterprise_dashboard_shows_the_demo_numbers(app_url, page, browser_ctx) -> None:
    enterprise = _final(browser_ctx, enterprise=True)
    # The enterprise headline is the criticality-weighted roll-up: the enterprise trend's latest point.
    expected = trends.enterprise_rollup(browser_ctx, VIEWER)[-1].overall
    open_view(page, app_url, "dashboard", enterprise.id)
    page.get_by_role("radio", name="Enterprise", exact=True).click()
    wait_idle(page)
    page.get_by_role("heading", name=re.compile(r"\(enterprise\)$")).wait_for()
    assert _metric(page, "Verified", f"{expected.verified:.2f}") == f"{expected.verified:.2f}"
    assert _metric(page, "Claimed", f"{expected.claimed:.2f}") == f"{expected.claimed:.2f}"
    assert _metric(page, "Completion") == "100 %"
    page.get_by_text(re.compile(r"^Maturity criticality-weighted across 4 sites")).first.wait_for()
    page.locator(".js-plotly-plot").first.wait_for()
    assert page.locator(".js-plotly-plot").count() >= 2
    page.get_by_role("tab", name="Sites compared").click()
    page.get_by_text("Sites compared: claimed, verified and target").wait_for()


def test_plant_dashboard_with_the_environment_filter(app_url, page, browser_ctx) -> None:
    plant = _final(browser_ctx, site="Northfield Assembly")
    card = score_assessment(browser_ctx, VIEWER, plant.id)
    open_view(page, app_url, "dashboard", plant.id)
    page.get_by_role("radio", name="Selected assessment").click()
    wait_idle(page)
    page.get_by_role("heading", name="Northfield Assembly").wait_for()
    assert _metric(page, "Verified", f"{card.overall.verified:.2f}") == f"{card.overall.verified:.2f}"
    assert NUMBER.match(_metric(page, "Target"))
    page.get_by_text("Resilience metrics").wait_for()
    assert page.locator("[data-testid='stMetric']").count() > 6  # headline figures and metric tiles
    page.get_by_role("radio", name="OT", exact=True).click()
    wait_idle(page)
    page.get_by_text("scope OT").first.wait_for()
    ot = f"{card.by_environment['OT'].verified:.2f}"
    assert _metric(page, "Verified", ot) == ot
