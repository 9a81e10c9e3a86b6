"""How scripts/test.sh spreads the suite over pytest-xdist workers (one per core).

Each work unit runs whole on one worker. A unit is a test module, except where several modules
share an expensive session set-up: those modules form one unit so the set-up is built once, not
once per worker. The units that take longest are handed out first, so no worker is left with a
long unit at the end while the other idles. `SHARED_SETUPS` is checked against the fixtures the
tests really use by a test of its own (tests/test_scheduling.py), so the table cannot drift.

(xdist's own `xdist_group` marker cannot be used: it renames node ids in a way pytest 9 ignores.)

The order is set on the collection itself (`in_schedule_order`, from tests/conftest.py), not in the
scheduler: xdist sends a worker indexes into the scheduler's copy of the collection and the worker
runs its own items at those indexes, so a scheduler-side sort made workers run other tests than the
ones scheduled (units were split over both workers and their set-ups built twice).
"""

from __future__ import annotations

import pytest
from xdist.scheduler import LoadScopeScheduling

GROUPS = {
    "tests/ui/browser/": "demo-app",
    "tests/exports/test_consistency.py": "demo-reports",
    "tests/exports/test_deck.py": "demo-reports",
    "tests/exports/test_oscal.py": "demo-reports",
    "tests/exports/test_streamed_workbook.py": "demo-reports",
    "tests/exports/test_pdf.py": "board-pdfs",
    "tests/exports/test_pdf_charts.py": "board-pdfs",
    "tests/exports/test_pdf_parts.py": "board-pdfs",
    "tests/security/test_memory.py": "hostile-files",
    "tests/security/test_workbooks.py": "hostile-files",
}
"""Path prefix → the unit of every module under it.
- demo-app: one demo database and one `streamlit run app.py` per session (tests/ui/browser);
- demo-reports: the demo organisation loaded once and its report contexts (`demo_reports`);
- board-pdfs: the board PDFs rendered once (`site_report`, `letter_final_report`, `enterprise_report`);
- hostile-files: every hostile file through every entry point (`hostile_runs`)."""
SHARED_SETUPS = {"demo_reports": "demo-reports", "site_report": "board-pdfs", "letter_final_report": "board-pdfs",
                 "enterprise_report": "board-pdfs", "hostile_runs": "hostile-files"}
"""Session fixture → the unit its users must be in."""
FIRST = ("demo-app", "tests/security/test_markdown_injection_browser.py", "tests/security/test_exposure_browser.py",
         "tests/security/test_sign_in_browser.py", "demo-reports", "hostile-files", "board-pdfs")
"""Units handed out first, longest first (about 2 min down to 15 s of one worker on a quiet 2-core
machine: real browsers and app servers, a demo load, PDFs); every other unit follows in collection
order. The first worker spends most of the run on demo-app while the other takes the rest of this
list and the modules after it, so the two finish within seconds of each other.
tests/security/test_chart_browser_offline.py is not among them: after its figure that names URLs,
later charts drawn in the same process were seen to hang (the report tests then time out), so it
keeps its place after the export tests, as in one process."""


def unit(nodeid: str) -> str:
    """The work unit of a test: its group, or its module."""
    module = nodeid.split("::", 1)[0]
    return next((group for prefix, group in GROUPS.items() if module.startswith(prefix)), module)


def in_schedule_order(items: list[pytest.Item]) -> list[pytest.Item]:
    """The collection with the units of `FIRST` first, in that order; every other test keeps its
    collection place (a stable sort)."""
    rank = {name: index for index, name in enumerate(FIRST)}
    return sorted(items, key=lambda item: rank.get(unit(item.nodeid), len(FIRST)))


class SharedSetupScheduling(LoadScopeScheduling):
    """xdist's load-by-scope scheduling with `unit` as the scope, units handed out in the order of
    the collection (already `in_schedule_order`: `FIRST` first)."""

    def __init__(self, config: pytest.Config, log=None) -> None:
        config.option.loadscopereorder = False  # the collection's order, not xdist's by-size one
        super().__init__(config, log)

    def _split_scope(self, nodeid: str) -> str:
        return unit(nodeid)


def strays(items: list[pytest.Item]) -> list[str]:
    """Tests that use a shared set-up but sit outside its unit (it would be built again on another
    worker), each with the fix."""
    return [f"{item.nodeid} uses {name}: add its module to GROUPS as {group!r}"
            for item in items for name, group in SHARED_SETUPS.items()
            if name in getattr(item, "fixturenames", ()) and unit(item.nodeid) != group]
