"""Helpers for the real-browser tests: waiting for Streamlit and reading its widgets."""

from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError

RUNNING = "[data-testid='stStatusWidget']"


def wait_idle(page, timeout_ms: int = 30_000) -> None:
    """Wait until the app has drawn its main block and no script run is in progress."""
    page.wait_for_selector("[data-testid='stMainBlockContainer'] h3", timeout=timeout_ms)
    page.wait_for_function(f"() => !document.querySelector(\"{RUNNING}\")", timeout=timeout_ms)


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
