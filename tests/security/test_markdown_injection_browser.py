"""Issue 11 item 8: user text is shown as text, never as markup, in a real browser.

Every user text field gets a payload that, rendered as Markdown or as plotly's HTML subset, makes
the browser fetch a URL on evil.example (an image, a CSS paint server) or fakes a status badge:
organisation, site and user names, assessment title and assessor, notes, N/A and target reasons,
finding titles and owners, evidence file names, column headers and cell values of an upload, and
the error summary of a refused file. The test opens every view, every tab and the upload flow,
records every request the pages make, and requires that none leaves 127.0.0.1 and that the
payloads are on screen as the characters typed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import pytest

from services.access import Actor, local_admin
from services.answers import add_finding, save_response, set_target
from services.assessments import create_assessment
from services.context import Context, get_catalog
from services.evidence_imports import import_evidence
from services.sites import add_site
from storage.engine import Database
from storage.sites import organisation_id
from tests.finalising import finalise
from tests.ui.browser.helpers import wait_drawn, wait_idle
from tests.ui.browser.server import SCORECARD, app_env, run_cli, running_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]
EVIL = "evil.example"


def payload(tag: str) -> str:
    """Text that fetches http://evil.example/<tag>… if rendered as Markdown (image) or by plotly
    (a CSS paint server), links there, and draws a fake green "Final" badge."""
    return (f"{tag} ![i](http://{EVIL}/{tag}.png) :green-badge[Final] [more](http://{EVIL}/{tag}) "
            f'<span style="fill:url(http://{EVIL}/{tag}.svg#p)">x</span> :material/verified: $x$')


SITE = payload("site")
USER = payload("user")
CHART_SITE = f'<span style="fill:url(http://{EVIL}/chart.svg#p)">Plant</span> ![c](http://{EVIL}/chartsite.png)'
"""A second site whose name is mostly plotly markup (chart labels cut long names short)."""
UPLOAD_NAME = "inventory ![u](http:evil.example) :red-badge[Final].csv"
"""A file name cannot hold '/': 'http:evil.example' is still fetched as http://evil.example/."""


@dataclass(frozen=True)
class Hostile:
    url: str
    db: Database
    draft: int
    final: int


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hostile]:
    """A database whose every user text field holds a payload, and the app (local mode) on it."""
    tmp = tmp_path_factory.mktemp("hostile")
    db_url = f"sqlite:///{tmp / 'scorecard.db'}"
    env = app_env(db_url, HOME=str(tmp))
    run_cli([str(SCORECARD), "db", "upgrade"], env)
    db = Database(db_url)
    ctx = Context(db, get_catalog())
    with db.write() as session:
        organisation_id(session, ctx.now(), payload("organisation"))
    actor = Actor(user=USER, role="admin", all_sites=True)
    add_site(ctx, local_admin("setup"), SITE, country="DE", criticality="critical")
    add_site(ctx, local_admin("setup"), CHART_SITE, country="PL", criticality="high")
    finals = []
    for site in (None, SITE, CHART_SITE):  # enterprise-wide and both plants, one finalised quarter each
        a = create_assessment(ctx, actor, site=site, scope="IT+OT", as_of=date(2026, 3, 31), title=payload("title"))
        save_response(ctx, actor, a.id, "GOV-01", "IT", {"current": 2}, expected_version=0)
        finalise(ctx, actor, a.id)
        finals.append(a.id)
    draft = create_assessment(ctx, actor, site=SITE, scope="IT+OT", as_of=date(2026, 6, 30), assessor=payload("assessor"),
                              title=payload("title"))
    save_response(ctx, actor, draft.id, "GOV-01", "IT", {"current": 3, "notes": payload("notes")}, expected_version=0)
    save_response(ctx, actor, draft.id, "GOV-01", "OT", {"na": True, "na_reason": payload("na")}, expected_version=0)
    set_target(ctx, actor, draft.id, "GOV-01", "IT", 4, reason=payload("target"))
    add_finding(ctx, actor, draft.id, question_id="GOV-01", environment="IT", title=payload("finding"),
                owner=payload("owner"))
    import_evidence(ctx, actor, draft.id, "asset_inventory", _csv([
        ["asset_id", "name", "environment", "criticality", "owner"],
        ["A1", payload("asset"), "OT", "critical", payload("assetowner")],
    ]), name=f"{payload('file')}.csv")
    import_evidence(ctx, actor, draft.id, "exceptions", _csv([
        ["exception_id", "title", "owner", "risk_rating", "opened", "status"],
        ["E1", payload("exception"), payload("exceptionowner"), "high", "2026-01-05", "open"],
    ]), name="exceptions.csv")
    with running_app(env, tmp / "streamlit.log") as url:
        yield Hostile(url, db, draft.id, finals[1])
    db.dispose()


@pytest.fixture
def recorded(chromium, hostile) -> Iterator[tuple[object, list[str]]]:
    """A page whose every request is recorded; requests for any other host are cut off."""
    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    context.set_default_timeout(30_000)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    local = urlparse(hostile.url).netloc
    context.route(lambda url: urlparse(url).netloc != local and urlparse(url).scheme in ("http", "https"),
                  lambda route: route.abort())
    yield context.new_page(), requests
    context.close()


def _leaks(requests: list[str], app_url: str) -> list[str]:
    local = urlparse(app_url).netloc
    return [u for u in requests if urlparse(u).scheme in ("http", "https", "ws", "wss") and urlparse(u).netloc != local]


LATE_MS = 500
"""Grace before the last look at the recorded requests: a request the browser made just before is
reported to this process a moment later."""


def _visit(page, url: str) -> None:
    page.goto(url)
    wait_idle(page)
    wait_drawn(page)  # images and chart styles are asked for once drawn


def _click_tabs(page, names: list[str]) -> None:
    for name in names:
        page.get_by_role("tab", name=name).click()
        wait_drawn(page)  # a tab's charts are drawn when it is opened


def _assert_no_markup(page) -> None:
    assert page.locator(f"img[src*='{EVIL}']").count() == 0
    links = page.locator(f"a[href*='{EVIL}']")
    assert links.count() == 0, [links.nth(i).evaluate("e => e.parentElement.outerHTML") for i in range(links.count())]


def _wait_shown_as_typed(page, text: str) -> None:
    """Wait until `text` is on the page as those very characters (it may come with a rerun)."""
    page.locator("[data-testid='stMain']").get_by_text(text, exact=False).first.wait_for()


def test_no_user_text_becomes_markup_on_any_view(hostile, recorded) -> None:
    page, requests = recorded
    views = {
        "": [],
        "questionnaire": [],
        "evidence": [],
        "dashboard": ["CSF functions", "CPG 2.0 goals", "Top gaps & owners", "Exceptions & exercises",
                      "Sites compared"],
        "trends": ["Over time", "Sites side by side", "What changed"],
        "reports": [],
        "admin": ["Assessment status", "Thresholds and targets", "Audit log"],
    }
    for view, tabs in views.items():
        _visit(page, f"{hostile.url}/{view}?assessment={hostile.draft}")
        if view in ("questionnaire", "evidence", "dashboard", "reports"):  # their headings name the site
            _wait_shown_as_typed(page, ":green-badge[Final]")
        _click_tabs(page, tabs)
        _assert_no_markup(page)
        assert not _leaks(requests, hostile.url), (view, _leaks(requests, hostile.url))
    _visit(page, f"{hostile.url}/dashboard?assessment={hostile.draft}")  # the plant's own dashboard
    page.get_by_role("radio", name="latest", exact=False).first.click()
    wait_idle(page)
    _click_tabs(page, ["CSF functions", "CPG 2.0 goals"])
    _visit(page, f"{hostile.url}/admin?assessment={hostile.final}")  # "Finalised by <user>"
    finalised = page.get_by_text("Finalised by").first  # the caption; the override warning names the user too
    finalised.wait_for()
    assert USER.split()[0] in finalised.inner_text()
    page.wait_for_timeout(LATE_MS)
    assert not _leaks(requests, hostile.url), _leaks(requests, hostile.url)
    assert any(urlparse(u).netloc == urlparse(hostile.url).netloc for u in requests)  # the recorder works


def test_an_uploaded_file_shows_its_names_and_values_as_text(hostile, recorded, tmp_path: Path) -> None:
    page, requests = recorded
    hostile_header = f"owner ![h](http://{EVIL}/header.png)"
    hostile_value = f":green-badge[Final] ![v](http://{EVIL}/value.png)"
    upload = tmp_path / UPLOAD_NAME
    upload.write_bytes(_csv([
        ["asset_id", "name", "environment", "criticality", hostile_header],
        ["B1", payload("cell"), "OT", hostile_value, "Ana"],
        ["B2", "HMI", "OT", "critical", "Raj"],
    ]))
    _visit(page, f"{hostile.url}/evidence?assessment={hostile.draft}")
    page.locator("input[type='file']").set_input_files(str(upload))
    page.get_by_text("Columns not recognised").wait_for()  # the header as a selectbox label
    page.get_by_text("what do your codes mean?").wait_for()  # the cell value as a selectbox label
    wait_idle(page)
    wait_drawn(page)
    # As typed (an invisible word joiner keeps "http://" from becoming a link: see ui.text.md).
    labels = [label.replace("\u2060", "") for label in page.locator("[data-testid='stWidgetLabel']").all_inner_texts()]
    assert any(hostile_header in label for label in labels) and any(hostile_value in label for label in labels)
    broken = tmp_path / f"broken {UPLOAD_NAME}"
    broken.write_bytes(b"\x00\x01\x02 not a table")
    page.locator("input[type='file']").set_input_files(str(broken))  # refused: its error names the file
    page.locator("[data-testid='stAlert']").first.wait_for()
    wait_idle(page)
    wait_drawn(page)
    page.wait_for_timeout(LATE_MS)
    assert page.locator(f"img[src*='{EVIL}'], img[src*='http:evil']").count() == 0
    assert not _leaks(requests, hostile.url), _leaks(requests, hostile.url)
