"""Journey 5 in a real browser against `streamlit run app.py` on the demo database: the board PDF
and the analyst workbook are prepared and downloaded through the browser, and the files are
opened: a real PDF (pypdf reads its text) and a real XLSX (openpyxl reads its sheets)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from pypdf import PdfReader

from services.access import local_admin
from services.assessments import list_assessments
from tests.pdf_text import page_texts
from tests.ui.browser.helpers import open_view, wait_idle

pytestmark = pytest.mark.browser
VIEWER = local_admin("browser-test")


def _download(page, label: str, folder: Path) -> Path:
    """Click "Prepare <label>", wait for the file, download it through the browser."""
    button = page.get_by_role("button", name="Download").filter(has_text=label.split()[-1].lower())
    prepare = page.get_by_role("button", name=f"Prepare {label}")
    # The view draws its file buttons after its heading (the report context loads first): wait for
    # them before looking. A click that lands while the page is still rerunning (after the subject
    # switch) can be lost with the rerun: click again if no file is offered within a minute, at
    # most twice more.
    for attempt in range(3):
        prepare.or_(button).first.wait_for(timeout=60_000)
        wait_idle(page)
        if button.first.is_visible():
            break
        prepare.click()
        try:
            button.first.wait_for(timeout=60_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    with page.expect_download(timeout=60_000) as info:
        button.first.click()
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_board_pdf_and_workbook_of_the_enterprise_download_as_real_files(app_url, page, browser_ctx, tmp_path) -> None:
    enterprise = max(list_assessments(browser_ctx, VIEWER, enterprise=True), key=lambda a: (a.as_of, a.id))
    open_view(page, app_url, "reports", enterprise.id)
    page.get_by_role("radio", name="Enterprise", exact=True).click()
    wait_idle(page)

    pdf = _download(page, "board PDF", tmp_path)
    assert pdf.name.endswith("-board-report-a4.pdf")
    reader = PdfReader(pdf)
    text = "\n".join(page_texts(pdf.read_bytes()))
    assert len(reader.pages) > 3
    assert "Halvorsen Industrial Group" in text and "Northfield Assembly" in text

    xlsx = _download(page, "analyst workbook", tmp_path)
    assert xlsx.name.endswith("-analyst-workbook.xlsx")
    wb = load_workbook(xlsx, read_only=True)
    assert {"Summary", "Functions", "CPG goals", "Sites"} <= set(wb.sheetnames)
    sites = [row[0] for row in wb["Sites"].iter_rows(min_row=2, values_only=True)]
    assert "Northfield Assembly" in sites
