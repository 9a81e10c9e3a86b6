"""Screenshots of the CIO views at 1440×900 and 390×844, each with its colour-vision simulations
(tests/ui/browser/vision.py), to look at before calling a screen done.

    .venv/bin/python scripts/screens.py OUT_DIR            # a fresh demo database
    .venv/bin/python scripts/screens.py OUT_DIR --db URL   # an existing one

Starts `streamlit run app.py` headless on a free port and stops it at the end.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.ui.browser.helpers import wait_idle  # noqa: E402
from tests.ui.browser.server import SCORECARD, app_env, run_cli, running_app  # noqa: E402
from tests.ui.browser.vision import write_simulations  # noqa: E402

SIZES = {"wide": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
SITE = "Riverside Castings"


def shots(page, base: str, out: Path, size: str, draft_id: int) -> None:
    def save(name: str) -> None:
        page.wait_for_timeout(1500)
        path = out / f"{name}-{size}.png"
        # Streamlit scrolls inside its main block, not the document: grow the viewport to it.
        viewport = page.viewport_size
        tall = page.evaluate("() => document.querySelector(\"[data-testid='stMain']\").scrollHeight")
        page.set_viewport_size({"width": viewport["width"], "height": max(viewport["height"], tall)})
        page.wait_for_timeout(800)
        page.screenshot(path=str(path), full_page=True)
        page.set_viewport_size(viewport)
        write_simulations(path)
        print(path)

    page.goto(f"{base}/dashboard")
    wait_idle(page, 60_000)
    page.get_by_role("radio", name="Enterprise", exact=True).click()
    wait_idle(page, 60_000)
    save("dashboard-enterprise")
    page.get_by_role("tab", name=re.compile("gaps", re.I)).click()
    save("gaps-enterprise")
    # The site through the URL (its draft, the latest assessment): the sidebar is folded on a phone.
    page.goto(f"{base}/dashboard?assessment={draft_id}")
    wait_idle(page, 60_000)
    page.get_by_role("radio", name=re.compile("latest")).click()
    wait_idle(page, 60_000)
    save("dashboard-site")
    page.get_by_role("radio", name="OT", exact=True).click()
    wait_idle(page, 60_000)
    save("dashboard-site-ot")
    page.get_by_role("tab", name=re.compile("CPG")).click()
    save("cpg-site-ot")
    page.get_by_role("tab", name=re.compile("gaps", re.I)).click()
    save("gaps-site-ot")
    page.goto(f"{base}/reports")
    wait_idle(page, 60_000)
    save("reports")
    page.goto(f"{base}/dashboard?assessment={draft_id}")
    wait_idle(page, 60_000)
    page.get_by_role("radio", name="Selected assessment").click()
    wait_idle(page, 60_000)
    save("dashboard-draft")
    page.goto(f"{base}/trends")
    wait_idle(page, 60_000)
    save("trends")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--db", help="database URL (default: a fresh demo database)")
    parser.add_argument("--size", choices=[*SIZES, "both"], default="both")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db
        if url is None:
            url = f"sqlite:///{tmp}/demo.db"
            run_cli([str(SCORECARD), "db", "upgrade"], app_env(url))
            run_cli([str(SCORECARD), "demo", "load"], app_env(url))
        from playwright.sync_api import sync_playwright

        from services.access import local_admin
        from services.assessments import list_assessments
        from services.context import Context, get_catalog
        from storage.engine import Database

        db = Database(url)
        draft_id = max(list_assessments(Context(db, get_catalog()), local_admin("screens"), site=SITE),
                       key=lambda a: (a.as_of, a.id)).id
        db.dispose()

        with running_app(app_env(url), Path(tmp) / "streamlit.log") as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for size, viewport in SIZES.items():
                if args.size in (size, "both"):
                    page = browser.new_context(viewport=viewport).new_page()
                    page.set_default_timeout(60_000)
                    shots(page, base, args.out, size, draft_id)
            browser.close()


if __name__ == "__main__":
    main()
