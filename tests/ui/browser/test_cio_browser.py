"""The CIO's dashboard in a real browser on the demo (issue 14, items 6–12): drafts never pose as
results, every chart obeys the environment filter, the answer comes first, gaps fit a 1440 px
screen with owner/due/status first, the CPG grid reads in greyscale and for colour-blind viewers,
the sidebar follows a reopen, and a 390 px phone shows the controls and the first chart early.

Expected numbers come from the services, read independently of the page."""

from __future__ import annotations

import re
from io import BytesIO

import numpy as np
import pytest
from PIL import Image

from services import reports
from services.access import local_admin
from services.assessments import list_assessments
from tests.finalising import finalise
from tests.ui.browser.helpers import wait_drawn, wait_idle
from tests.ui.browser.vision import VIEWS, distance, simulate

pytestmark = pytest.mark.browser
VIEWER = local_admin("browser-test")
SITE = "Riverside Castings"  # the demo site whose latest assessment is a draft
PHONE = {"width": 390, "height": 844}

FIGURE = """title => { const g = [...document.querySelectorAll('.js-plotly-plot')]
  .find(p => p.layout && p.layout.meta && String(p.layout.meta.title || '').startsWith(title));
  return g ? g.data.map(t => ({name: t.name, x: t.x, y: t.y, text: t.text})) : null; }"""


def _draft(ctx):
    return max(list_assessments(ctx, VIEWER, site=SITE), key=lambda a: (a.as_of, a.id))


def _chart(page, title: str, timeout_ms: int = 20_000):
    """The plotly chart titled `title` (its title is drawn above it: the figure keeps it in
    layout.meta)."""
    page.wait_for_function(f"() => ({FIGURE})({title!r}) !== null", timeout=timeout_ms)
    index = page.evaluate("""title => [...document.querySelectorAll('.js-plotly-plot')]
      .findIndex(p => p.layout && p.layout.meta && String(p.layout.meta.title || '').startsWith(title))""", title)
    return page.locator(".js-plotly-plot").nth(index)


def _figure(page, title: str, timeout_ms: int = 20_000):
    page.wait_for_function(f"() => ({FIGURE})({title!r}) !== null", timeout=timeout_ms)
    return page.evaluate(FIGURE, title)


def _trace(page, title: str, name: str, timeout_ms: int = 30_000) -> dict:
    """The trace `name` of the figure titled `title`, read again until the rerun has drawn it (the
    caption above a chart is redrawn before the chart)."""
    for _ in range(timeout_ms // 250):
        found = [t for t in _figure(page, title) or [] if t["name"] == name]
        if found:
            return found[0]
        page.wait_for_timeout(250)
    raise AssertionError(f"no trace {name!r} in {title!r}")


def _open_site(page, app_url: str, draft_id: int) -> None:
    """The dashboard of the draft's site, its latest final assessment, opened by its link."""
    page.goto(f"{app_url}/dashboard?assessment={draft_id}&show=site")
    wait_idle(page, 60_000)
    assert page.get_by_role("radio", name=f"{SITE}: latest final").get_attribute("aria-checked") == "true"
    page.get_by_text("Site, latest final assessment").first.wait_for()
    wait_idle(page, 60_000)


def test_site_view_shows_the_latest_final_and_a_selected_draft_only_as_provisional(app_url, page, browser_ctx) -> None:
    draft = _draft(browser_ctx)
    assert draft.status == "draft"
    final = reports.site_context(browser_ctx, VIEWER, SITE)
    assert final.meta.status == "final"
    _open_site(page, app_url, draft.id)
    page.get_by_text(f"as of {final.meta.as_of:%d %b %Y}").first.wait_for()
    # The answer first: the final assessment's sentence, above the figures.
    answer = page.get_by_text(final.answer, exact=True)
    answer.wait_for()
    figures = page.locator("[data-testid='stMetric']").first
    assert answer.bounding_box()["y"] < figures.bounding_box()["y"]
    trend = next(t for t in _figure(page, "Overall maturity over time") if t["name"] == "Verified")
    assert not any("draft" in str(x) for x in trend["x"])
    assert trend["y"][-1] == pytest.approx(final.headline.overall.verified)

    page.get_by_role("radio", name="Selected assessment").click()
    wait_idle(page, 60_000)
    page.get_by_text(re.compile(r"^Provisional \(draft, \d+ % complete\): verified")).first.wait_for()
    stub = _trace(page, "Overall maturity over time", "Draft (provisional)")
    assert stub["x"][-1].endswith("draft") and stub["text"][-1].endswith("provisional")


def test_every_chart_obeys_the_environment_filter(app_url, page, browser_ctx) -> None:
    final = reports.site_context(browser_ctx, VIEWER, SITE)
    _open_site(page, app_url, _draft(browser_ctx).id)
    page.get_by_role("radio", name="OT", exact=True).click()
    wait_idle(page, 60_000)
    page.get_by_text("scope OT").first.wait_for()
    ot = [t.by_environment["OT"].verified for t in final.trend]
    for _ in range(40):  # the rerun redraws the figure after the caption
        trend = next(t for t in _figure(page, "Overall maturity over time") if t["name"] == "Verified")
        if trend["y"][-1] == pytest.approx(ot[-1]):
            break
        page.wait_for_timeout(250)
    assert trend["y"] == pytest.approx(ot)
    assert trend["y"][-1] != pytest.approx(final.headline.overall.verified)  # not the IT + OT figure
    bars = {t["name"]: t for t in _figure(page, "Claimed, verified and target")}
    assert bars["Verified"]["y"] == ["OT", "Overall"]


def test_gaps_put_owner_due_and_status_first_without_sideways_scrolling(app_url, page, browser_ctx) -> None:
    _open_site(page, app_url, _draft(browser_ctx).id)
    page.get_by_role("tab", name="Top gaps & owners").click()
    header = page.locator("[role='columnheader']").filter(has_text="Owner")
    header.first.wait_for(state="attached")  # the grid's accessible copy of its cells is hidden
    grid = page.locator("[data-testid='stDataFrame']").filter(has=header).first
    grid.scroll_into_view_if_needed()
    names = grid.locator("[role='columnheader']").all_inner_texts()
    assert [n.strip() for n in names[:4]] == ["Rank", "Owner", "Due", "Status"]
    assert "Conseq." in [n.strip() for n in names]  # the tie-breaker is shown
    widths = grid.evaluate("""g => { const s = g.querySelector('.dvn-scroller');
                                     return s ? [s.scrollWidth, s.clientWidth] : [0, 0]; }""")
    assert widths[0] <= widths[1] + 2, widths
    cells = " ".join(grid.locator("[role='gridcell']").all_inner_texts())
    assert "overdue" in cells  # the demo has overdue actions, flagged
    assert "_pct" not in cells  # why capped in metric titles


def test_cpg_grid_reads_in_greyscale_and_for_colour_blind_viewers(app_url, page, browser_ctx) -> None:
    _open_site(page, app_url, _draft(browser_ctx).id)
    page.get_by_role("tab", name="CPG 2.0 goals").click()
    chart = _chart(page, "CISA CPG 2.0 goals")
    chart.scroll_into_view_if_needed()
    wait_drawn(page)
    notes = chart.evaluate("g => g.data[1].text")  # the cell words: one text trace, a word per shape
    assert {n.split(" ", 1)[0] for n in notes} <= {"●", "◐", "○", "–"}  # a symbol with every status word
    shapes = chart.evaluate("g => g.layout.shapes.map(s => s.fillcolor)")
    fills = sorted(set(shapes))
    assert len(fills) >= 3
    image = np.asarray(Image.open(BytesIO(chart.screenshot())).convert("RGB"), dtype=float)
    pixels = {tuple(p) for p in image.reshape(-1, 3)[:: 7].round().astype(int)}
    # Each status fill is really drawn, and stays apart from every other in each simulated view.
    drawn = [f for f in fills if any(distance(np.array(p), _rgb(f)) < 6 for p in pixels)]
    assert len(drawn) == len(fills), (fills, drawn)
    for view in VIEWS:
        seen = [simulate(_rgb(f), view) for f in drawn]
        gaps = [distance(a, b) for i, a in enumerate(seen) for b in seen[i + 1:]]
        assert min(gaps) > 30, (view, fills, gaps)
    implemented = _rgb(next(f for f in fills if f == shapes[notes.index(next(n for n in notes if n.startswith("●")))]))
    assert implemented[1] > implemented[0] and implemented[1] > implemented[2]  # green, not blue


def _rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


def test_sidebar_says_draft_after_a_reopen(app_url, page, browser_ctx) -> None:
    oldest = min(list_assessments(browser_ctx, VIEWER, site="Lakeside Components"), key=lambda a: a.as_of)
    page.goto(f"{app_url}/admin?assessment={oldest.id}")
    wait_idle(page, 60_000)
    chosen = page.locator("[data-testid='stSidebar']").get_by_role("combobox", name="Assessment")
    assert chosen.input_value().endswith(f"final (#{oldest.id})")
    try:
        page.get_by_label("Reason for reopening (goes into the audit log)").fill("Browser test: sidebar follows")
        page.keyboard.press("Tab")
        wait_idle(page)
        page.get_by_role("button", name="Reopen as draft").click()
        page.get_by_text(f"Assessment #{oldest.id} reopened as a draft").wait_for()
        wait_idle(page)
        for _ in range(20):  # the selectbox is redrawn by the rerun after the change
            label = chosen.input_value()
            if "final" not in label:
                break
            page.wait_for_timeout(250)
        assert label.endswith(f"draft (#{oldest.id})"), label
    finally:
        finalise(browser_ctx, VIEWER, oldest.id)  # the demo as it was for the other tests (review, then final)


def test_phone_shows_the_controls_the_tabs_and_the_first_chart_early(app_url, chromium, browser_ctx) -> None:
    context = chromium.new_context(viewport=PHONE)
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        _open_site(page, app_url, _draft(browser_ctx).id)
        for radio in page.get_by_role("radio").all():
            box = radio.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], radio.inner_text()
        tabs = page.get_by_role("tab").all()
        assert len(tabs) >= 5
        for tab in tabs:
            tab.scroll_into_view_if_needed()
            box = tab.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], tab.inner_text()
        first_chart = page.locator(".js-plotly-plot").first
        first_chart.wait_for()
        main = page.locator("[data-testid='stMain']")
        main.evaluate("m => m.scrollTo(0, 0)")
        top = first_chart.evaluate("c => c.getBoundingClientRect().top")
        # Six headline figures two to a row: the first chart within two screens, not six figures down.
        assert top < 2 * PHONE["height"], top
    finally:
        context.close()


LEGEND_CLEAR = """plot => {
  const box = el => el && el.getBoundingClientRect();
  const inside = box(plot), legend = box(plot.querySelector('.legend')), area = box(plot.querySelector('.nsewdrag'));
  const title = plot.querySelector('.gtitle');
  if (!legend || !area || legend.height === 0) return null;
  return {legendTop: legend.top - inside.top, legendBottom: legend.bottom, areaTop: area.top,
          areaBottom: area.bottom, legendAbove: legend.bottom <= area.top + 1 || legend.top >= area.bottom - 1,
          titleText: title ? title.textContent : ''};
}"""


@pytest.fixture
def phone(chromium):
    """A page in a 390 × 844 viewport."""
    context = chromium.new_context(viewport=PHONE)
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


def test_on_a_phone_no_legend_covers_its_chart_or_title(app_url, phone) -> None:
    page = phone
    page.goto(f"{app_url}/dashboard")
    wait_idle(page, 60_000)
    page.get_by_text("Path to target: verified maturity").first.wait_for()  # the title, as a heading
    plots = page.locator(".js-plotly-plot")
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .legend').length >= 3")
    checked = 0
    for index in range(plots.count()):
        found = plots.nth(index).evaluate(LEGEND_CLEAR)
        if found is None:
            continue
        checked += 1
        assert found["legendTop"] >= 0, found  # not cut off at the top of the figure
        assert found["legendAbove"], found  # above (or below) the plot area, never over it
        assert found["titleText"] == "", found  # the title is a heading outside the figure
    assert checked >= 3


@pytest.mark.parametrize("view", ["reports", "plan"])
def test_on_a_phone_every_choice_is_on_screen(app_url, phone, view) -> None:
    page = phone
    page.goto(f"{app_url}/{view}")
    wait_idle(page, 60_000)
    page.locator("[data-testid='stButtonGroup'] button").first.wait_for()
    radios = page.locator("[data-testid='stButtonGroup'] button").all()
    assert radios
    for radio in radios:
        box = radio.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (view, radio.inner_text())
