"""Real exports end to end (click runner, real database on both backends): a site's time zone
decides the date of an offset date-time; a preset is stored with the import and recalled next
quarter; `scorecard evidence presets` lists and shows them; `metrics --preset` and the missing
metric's reason."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli import scorecard
from services.access import Actor
from services.context import Context, configured_context, get_catalog
from services.evidence_imports import import_evidence, site_time_zone
from services.mapping_files import previous_mapping
from services.sites import add_site, list_sites
from tests.conftest import PROJECT_ROOT

PRESETS = PROJECT_ROOT / "tests" / "data" / "presets"
ADMIN = Actor(user="ada", role="admin", all_sites=True)


@pytest.fixture
def run(db_url, monkeypatch):
    monkeypatch.setenv("SCORECARD_DB_URL", db_url)
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(scorecard, list(map(str, args)), catch_exceptions=False)

    return invoke


def test_sites_get_a_time_zone_on_the_command_line(run) -> None:
    assert run("site", "add", "Plant Dayton", "--country", "US", "--criticality", "high", "--time-zone", "America/New_York").exit_code == 0
    refused = run("site", "add", "Plant Mars", "--country", "XX", "--criticality", "low", "--time-zone", "Mars/Olympus")
    assert refused.exit_code == 1 and "'Mars/Olympus' is not a time zone" in refused.output
    assert run("site", "add", "Plant Graz", "--country", "AT", "--criticality", "high").exit_code == 0
    zones = {s["name"]: s["time_zone"] for s in json.loads(run("site", "list", "--json").output)}
    assert zones == {"Plant Dayton": "America/New_York", "Plant Graz": "UTC"}
    assessment = run("assessment", "create", "--site", "Plant Dayton", "--scope", "IT+OT", "--as-of", "2026-03-31").output.strip()
    assert site_time_zone(configured_context(), int(assessment)) == "America/New_York"


def test_the_site_time_zone_reaches_the_stored_rows(db) -> None:
    from datetime import date

    from services.assessments import create_assessment
    from services.stored_evidence import evidence_as_of
    from storage import assessments as store

    ctx = Context(db, get_catalog())
    add_site(ctx, ADMIN, "Plant Dayton", country="US", criticality="high", time_zone="America/New_York")
    add_site(ctx, ADMIN, "Plant Graz", country="AT", criticality="high")
    data = b"exercise_id,date,detect_minutes\nX1,2026-02-10T23:30:00-05:00,30\n"
    days = {}
    for site in ("Plant Dayton", "Plant Graz"):
        a = create_assessment(ctx, ADMIN, site=site, scope="IT+OT", as_of=date(2026, 3, 31))
        import_evidence(ctx, ADMIN, a.id, "exercises", data, name="ex.csv")
        with db.read() as session:
            frame = evidence_as_of(session, store.get(session, a.id))["exercises"]
        days[site] = frame["date"].iloc[0].date().isoformat()
    assert days == {"Plant Dayton": "2026-02-10", "Plant Graz": "2026-02-11"}
    assert {s.name: s.time_zone for s in list_sites(ctx, ADMIN)} == {"Plant Dayton": "America/New_York", "Plant Graz": "UTC"}


def test_a_preset_is_stored_with_the_import_and_recalled(db) -> None:
    from datetime import date

    from services.assessments import create_assessment

    ctx = Context(db, get_catalog())
    add_site(ctx, ADMIN, "Plant Coventry", country="GB", criticality="high", time_zone="Europe/London")
    a = create_assessment(ctx, ADMIN, site="Plant Coventry", scope="IT+OT", as_of=date(2026, 11, 30))
    stored = import_evidence(ctx, ADMIN, a.id, "exceptions", PRESETS / "risk-register-accepted.csv", preset="risk-register-accepted")
    assert stored.row_count == 4 and stored.mapping["preset"] == "risk-register-accepted"
    recalled = previous_mapping(ctx, ADMIN, a.id, "exceptions")
    assert recalled is not None and recalled.preset == "risk-register-accepted"


def test_cli_presets_check_import_and_metrics_with_reasons(run, tmp_path) -> None:
    listing = run("evidence", "presets")
    assert listing.exit_code == 0 and "veeam-restore-sessions" in listing.output and "zeek-cip-identity" in listing.output
    shown = run("evidence", "presets", "veeam-restore-sessions")
    assert "the tool cannot supply:" in shown.output and "duration:" in shown.output and "Get-VBRRestoreSession" in shown.output
    data = json.loads(run("evidence", "presets", "--dataset", "exceptions", "--json").output)
    assert {d["id"] for d in data} == {"risk-register-accepted", "policy-exception-log"}
    checked = run("evidence", "check", "asset_inventory", PRESETS / "cip_identity.log", "--preset", "zeek-cip-identity")
    assert checked.exit_code == 0
    assert "header: row 7 (rows 1–6 above it skipped)" in checked.output and "read as Zeek log cip_identity" in checked.output
    assert "environment: set to 'OT' in every row" in checked.output
    wrong = run("evidence", "check", "restore_tests", PRESETS / "veeam-backup-sessions.csv", "--preset", "veeam-restore-sessions")
    assert wrong.exit_code == 1 and "backup jobs, not restore tests" in wrong.output
    metrics = run("metrics", "--evidence", f"asset_inventory={PRESETS / 'snipe-it-assets.csv'}",
                  "--preset", "asset_inventory=snipe-it-assets",
                  "--evidence", f"restore_tests={PRESETS / 'veeam-restore-sessions.csv'}",
                  "--preset", "restore_tests=veeam-restore-sessions", "--as-of", "2026-11-30")
    assert metrics.exit_code == 0
    assert "why: no restore test of a critical item in the 365 days up to the as-of date: critical is no in every row of restore_tests" in metrics.output
    assert "fields: {critical: {default: yes}}" in metrics.output
    bad = run("metrics", "--evidence", f"asset_inventory={PRESETS / 'snipe-it-assets.csv'}", "--preset", "snipe-it-assets",
              "--as-of", "2026-11-30")
    assert bad.exit_code == 2 and "expected DATASET=PRESET" in bad.output
