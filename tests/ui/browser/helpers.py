"""Helpers for the real-browser tests: waiting for Streamlit and reading its widgets."""

from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError

RUNNING = "[data-testid='stStatusWidget']"
LOADING = "[data-testid='stSkeleton']"
"""What Streamlit draws in place of an element whose code is still loading (a level row's buttons,
a chart, a grid: each element type's code is fetched and started on its first use in the page)."""


def wait_idle(page, timeout_ms: int = 30_000) -> None:
    """Wait until the app has drawn its main block, no script run is in progress and every element
    is in place (a key pressed while an element is still loading would pass over it)."""
    page.wait_for_selector("[data-testid='stMainBlockContainer'] h3", timeout=timeout_ms)
    page.wait_for_function(f"() => !document.querySelector(\"{RUNNING}\") && !document.querySelector(\"{LOADING}\")",
                           timeout=timeout_ms)


DRAWN = f"""() => !document.querySelector("{LOADING}")
  && [...document.querySelectorAll("[data-testid='stPlotlyChart']")]
       .filter(chart => chart.getClientRects().length)  // shown (a hidden tab's charts draw when it opens)
       .every(chart => chart.querySelector(".main-svg"))"""
PAINTED = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def wait_drawn(page, timeout_ms: int = 30_000) -> None:
    """Wait until nothing shown is still loading (no skeleton), every shown chart is drawn, and the
    browser has painted a frame since: by then every image and style the page shows has been asked
    for (an element's resources are requested when it is inserted and styled, before that paint)."""
    page.wait_for_function(DRAWN, timeout=timeout_ms)
    page.evaluate(PAINTED)


def open_view(page, base_url: str, view: str, assessment_id: int) -> None:
    path = "" if view == "home" else view
    page.goto(f"{base_url}/{path}?assessment={assessment_id}")
    wait_idle(page)


def grid_cells(page, column: str, attempts: int = 5) -> list[str]:
    """Text of the cells of the st.dataframe that has `column` (the grid keeps an accessible copy
    of its visible cells in the DOM). A rerun may replace the grid while it is read: then wait for
    the app to settle and read again."""
    for attempt in range(attempts):
        try:
            header = page.locator("[role='columnheader']").filter(has_text=column)
            grid = page.locator("[data-testid='stDataFrame']").filter(has=header).first
            grid.scroll_into_view_if_needed()
            cells = grid.locator("[role='gridcell']")
            cells.first.wait_for(state="attached")
            return cells.all_inner_texts()
        except PlaywrightError:
            if attempt == attempts - 1:
                raise
            page.wait_for_timeout(500)
            wait_idle(page)
    return []


def grid_cells_when(page, column: str, ready, timeout_ms: int = 15_000) -> list[str]:
    """grid_cells, read again until `ready(cells)` holds or `timeout_ms` has passed (an action's
    follow-up rerun may redraw the grid after the app first looks idle); returns the last read."""
    waited = 0
    cells = grid_cells(page, column)
    while not ready(cells) and waited < timeout_ms:
        page.wait_for_timeout(250)
        waited += 250
        wait_idle(page)
        cells = grid_cells(page, column)
    return cells
