"""Driving the questionnaire in a real browser: its controls, and the checks after every step."""

from __future__ import annotations

import re

from playwright.sync_api import Error as PlaywrightError

from tests.ui.browser.helpers import wait_idle

TRACEBACK = "[data-testid='stException']"


APP = "[data-testid='stApp']"
WATCH = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    window.__scriptStates = 0;
    if (window.__scriptWatch) window.__scriptWatch.disconnect();
    window.__scriptWatch = new MutationObserver(records => { window.__scriptStates += records.length; });
    window.__scriptWatch.observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
}"""
QUIET_MS = 1000
"""A run drawn within one browser frame never changes the script-state attribute (React renders
"running" and "notRunning" as one update): after this long with the app idle, such a run has ended.
A slower run is seen running, so this grace applies only to runs faster than a frame."""
RAN = f"""() => document.querySelector("[data-testid='stApp']").getAttribute("data-test-script-state") === "notRunning"
    && (window.__scriptStates > 0 || performance.now() - window.__actedAt > {QUIET_MS})"""


def watch(page) -> None:
    """Start counting the app's script-state changes from now (`act` waits for one)."""
    page.evaluate(WATCH)


def act(page, action, timeout_ms: int = 30_000, step: str = "") -> None:
    """Do `action` and wait until the script run (or fragment run) it started has ended: the app's
    script state changed at least once and is "notRunning" again, or stayed "notRunning" for
    QUIET_MS after the action (a run faster than a frame). (Streamlit shows its running indicator
    only after a delay, so a fast fragment run cannot be awaited by it.)"""
    watch(page)
    action()
    page.evaluate("() => { window.__actedAt = performance.now(); }")
    try:
        page.wait_for_function(RAN, timeout=timeout_ms)
    except PlaywrightError as error:
        page.screenshot(path=f"/tmp/act-failed-{step.replace(' ', '_').replace(':', '')}.png")
        raise AssertionError(f"{step or 'an action'} started no run that ended: {error}") from None


def settle(page) -> None:
    """Wait for whatever run is in progress to end (after a reload, or an action without `act`)."""
    page.wait_for_timeout(150)
    wait_idle(page)
    page.wait_for_function(f"() => document.querySelector(\"{APP}\").getAttribute('data-test-script-state') "
                           "=== 'notRunning'")


def no_traceback(page, step: str) -> None:
    tracebacks = page.locator(TRACEBACK)
    assert tracebacks.count() == 0, f"after {step}: {tracebacks.first.inner_text()[:600]}"
    errors = page.locator("[data-testid='stAlertContentError']")
    assert errors.count() == 0, f"after {step}: {errors.first.inner_text()[:300]}"


def shown_question(page) -> str:
    """The id of the question on the right ("#### IAM-02 · …")."""
    heading = page.locator("[data-testid='stMainBlockContainer'] h4").filter(has_text=" · ").first
    return heading.inner_text().split(" · ")[0].strip()


def wait_question(page, question_id: str, timeout_ms: int = 20_000) -> str:
    """The shown question once it is `question_id` (or whatever it is after `timeout_ms`): a run
    that was already under way when an action started may end before the action's own run."""
    waited = 0
    while (shown := shown_question(page)) != question_id and waited < timeout_ms:
        page.wait_for_timeout(250)
        waited += 250
    settle(page)
    return shown


def nth(env: str) -> int:
    """The answer inputs are drawn IT first, then OT (for a question of both)."""
    return 0 if env == "IT" else 1


def pick_level(page, env: str, level: str) -> None:
    group = page.locator("[data-testid='stButtonGroup']").nth(nth(env))
    group.get_by_role("radio", name=level, exact=True).click()


OPENS_MS = 500
"""A clicked selectbox shows its list within a frame or two; one that has not after this long took
the click as focus only, and is opened from the keyboard instead."""


def choose(page, label: str, option: str, index: int = 0, attempts: int = 3) -> None:
    """Open the `index`th selectbox labelled `label` and click the option `option` (exactly, else
    the first containing it). A list redrawn while it opens is opened again."""
    for attempt in range(attempts):
        box = page.get_by_role("combobox", name=label, exact=True).nth(index)
        try:
            box.scroll_into_view_if_needed()
            box.click()
            options = page.get_by_role("option")
            try:
                options.first.wait_for(timeout=OPENS_MS)
            except PlaywrightError:  # focused but not opened (the click landed while it scrolled)
                box.press("ArrowDown")
                options.first.wait_for(timeout=3000)
            exact = options.filter(has_text=re.compile(rf"^{re.escape(option)}$"))
            (exact if exact.count() else options.filter(has_text=option)).first.click(timeout=5000)
            return
        except PlaywrightError:
            if attempt == attempts - 1:
                raise
            page.keyboard.press("Escape")
            settle(page)


def button(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
