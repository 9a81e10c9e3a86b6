"""Every built-in preset reads a sample file written in its tool's own format (delimiter, quoting,
encoding, date style, title or #TYPE lines), and the metrics it gives equal a computation from the
metric definitions done here, independently, on the raw file (csv module, no evidence reader).

The samples under tests/data/presets/ were authored for these tests from each tool's documented
export columns; none is a copy of a third-party file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
from pathlib import Path

import pytest

from errors import EvidenceError
from evidence.mapping import parse_mapping
from evidence.schemas import get_schema
from services.context import configured_context
from services.evidence_files import check_file, metrics_from_frames
from services.evidence_presets import get_preset, list_presets
from tests.conftest import PROJECT_ROOT

CONTEXT = configured_context()  # the shipped content; no database is read

DATA = PROJECT_ROOT / "tests" / "data" / "presets"
AS_OF = dt.date(2026, 11, 30)
SAMPLES = {
    "snipe-it-assets": "snipe-it-assets.csv",
    "glpi-computers": "glpi-computers.csv",
    "netbox-devices": "netbox-devices.csv",
    "lansweeper-assets": "lansweeper-assets.csv",
    "servicenow-cmdb-ci": "servicenow-cmdb-ci.csv",
    "runzero-assets": "runzero-assets.csv",
    "zeek-cip-identity": "cip_identity.log",
    "zeek-known-modbus": "known_modbus.log",
    "zeek-s7comm-known-devices": "s7comm_known_devices.log",
    "veeam-restore-sessions": "veeam-restore-sessions.csv",
    "risk-register-accepted": "risk-register-accepted.csv",
    "policy-exception-log": "policy-exception-log.csv",
    "firewall-rules-access-paths": "firewall-rules-access-paths.csv",
    "firewall-zones-boundaries": "firewall-zones-boundaries.csv",
    "exercise-timeline": "exercise-timeline.csv",
}


def raw_rows(name: str, encoding: str = "utf-8-sig", delimiter: str = ",", skip: int = 0) -> list[dict[str, str]]:
    """The sample's rows as the csv module reads them (the independent side of each check)."""
    text = (DATA / name).read_bytes().decode(encoding)
    lines = text.splitlines()[skip:]
    return list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter=delimiter))


def zeek_rows(name: str) -> list[dict[str, str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    fields = next(line for line in lines if line.startswith("#fields")).split("\t")[1:]
    return [dict(zip(fields, line.split("\t"), strict=True)) for line in lines if line and not line.startswith("#")]


def metrics(dataset: str, preset: str, extra: bytes | None = None, time_zone: str | None = None, **frames):
    mapping = parse_mapping(extra, get_schema(dataset), "extra.yaml") if extra else None
    result = check_file(DATA / SAMPLES[preset], dataset, mapping=mapping, preset=preset, time_zone=time_zone)
    assert result.ok, result.listed_problems()
    return result, metrics_from_frames(CONTEXT, {dataset: result.frame, **frames}, AS_OF)


def pct(numerator: int, denominator: int) -> float:
    return 100 * numerator / denominator


def test_every_preset_has_a_sample_and_every_sample_loads() -> None:
    assert {p.id for p in list_presets()} == set(SAMPLES)
    for preset in list_presets():
        result = check_file(DATA / SAMPLES[preset.id], preset.dataset, preset=preset.id)
        assert result.ok and result.kept_rows > 0, (preset.id, result.listed_problems())
        assert preset.cannot_supply, preset.id  # each preset says what its tool cannot supply


def test_snipe_it_with_its_criticality_custom_field() -> None:
    rows = raw_rows("snipe-it-assets.csv")
    critical = [r for r in rows if r["Criticality"] == "critical"]
    _, m = metrics("asset_inventory", "snipe-it-assets")
    assert m.metrics["critical_asset_owner_pct"].value == pytest.approx(pct(sum(bool(r["Checked Out"]) for r in critical), len(critical)))
    assert m.metrics["critical_asset_documentation_pct"].value == 0.0  # no dependencies or recovery requirement in Snipe-IT


def test_glpi_semicolons_quotes_and_trailing_delimiter() -> None:
    rows = raw_rows("glpi-computers.csv", delimiter=";")
    result, _ = metrics("asset_inventory", "glpi-computers")
    assert result.frame["asset_id"].tolist() == [r["Inventory number"] for r in rows]
    assert result.frame["owner"].tolist()[:2] == ["Hélène Roux", "François Petit"]
    assert result.frame["site"].iloc[0] == "Entité racine > Usine Lyon"


def test_netbox_leaves_planned_devices_out_and_a_role_map_gives_environment() -> None:
    rows = [r for r in raw_rows("netbox-devices.csv") if r["Status"] not in ("Planned", "Inventory")]
    extra = (b"fields:\n  environment: {from: Role, values: {PLC: OT, Industrial switch: OT, Firewall: OT, Server: IT}}\n"
             b"  criticality: {from: Role, values: {PLC: critical, Industrial switch: critical, Firewall: critical, Server: high}}\n")
    result, m = metrics("asset_inventory", "netbox-devices", extra)
    assert result.kept_rows == len(rows) and result.filtered_rows == 1
    critical = [r for r in rows if r["Role"] != "Server"]
    assert m.metrics["critical_asset_owner_pct"].value == 0.0 and m.metrics["critical_asset_owner_pct"].by_environment["OT"] == 0.0
    assert len(critical) == 3


def test_lansweeper_us_date_times_and_the_domain_is_not_the_environment() -> None:
    rows = [r for r in raw_rows("lansweeper-assets.csv") if r["Statename"] == "Active"]
    result, _ = metrics("asset_inventory", "lansweeper-assets")
    seen = [dt.datetime.strptime(r["Lastseen"], "%m/%d/%Y %I:%M:%S %p").date() for r in rows]
    assert [d.date() for d in result.frame["last_verified"]] == seen
    assert result.frame["environment"].isna().all()  # "Domain" PLANTNET was not read as an environment
    assert "environment" not in result.assumed


def test_servicenow_business_criticality_and_retired_items() -> None:
    rows = [r for r in raw_rows("servicenow-cmdb-ci.csv") if r["install_status"] not in ("Retired", "Stolen", "Absent", "On order")]
    critical = [r for r in rows if r["busines_criticality"] == "1 - most critical"]
    _, m = metrics("asset_inventory", "servicenow-cmdb-ci")
    assert m.metrics["critical_asset_owner_pct"].value == pct(sum(bool(r["owned_by"]) for r in critical), len(critical))
    assert m.metrics["critical_asset_documentation_pct"].missing_reason is None


def test_runzero_epoch_times_and_end_of_support() -> None:
    rows = raw_rows("runzero-assets.csv")
    extra = b"fields:\n  criticality: {set: critical}\n"
    result, m = metrics("asset_inventory", "runzero-assets", extra)
    as_of = dt.datetime(AS_OF.year, AS_OF.month, AS_OF.day, tzinfo=dt.UTC).timestamp()
    ended = sum(1 for r in rows if r["eol_os"] and int(r["eol_os"]) < as_of)
    assert m.metrics["unsupported_critical_assets_pct"].value == pytest.approx(pct(ended, len(rows)))
    assert result.frame["last_verified"].iloc[0].date() == dt.datetime.fromtimestamp(int(rows[0]["last_seen"]), dt.UTC).date()


@pytest.mark.parametrize(("preset", "log", "key"), [("zeek-cip-identity", "cip_identity.log", "serial_number"),
                                                    ("zeek-known-modbus", "known_modbus.log", "host"),
                                                    ("zeek-s7comm-known-devices", "s7comm_known_devices.log", "module_serial")])
def test_zeek_identity_logs_one_asset_per_device(preset, log, key) -> None:
    rows = zeek_rows(log)
    latest = {}
    for r in rows:
        if r[key] not in latest or float(r["ts"]) >= float(latest[r[key]]["ts"]):
            latest[r[key]] = r
    result, m = metrics("asset_inventory", preset, b"fields:\n  criticality: {set: critical}\n")
    assert sorted(result.frame["asset_id"]) == sorted(latest)
    assert result.merged_rows == len(rows) - len(latest)
    days = {k: dt.datetime.fromtimestamp(float(r["ts"]), dt.UTC).date() for k, r in latest.items()}
    assert {a: d.date() for a, d in zip(result.frame["asset_id"], result.frame["last_verified"], strict=True)} == days
    assert set(result.frame["environment"]) == {"OT"}
    assert m.metrics["critical_asset_owner_pct"].value == 0.0


def test_veeam_restore_sessions_in_powershell_export_format() -> None:
    rows = [r for r in raw_rows("veeam-restore-sessions.csv", encoding="ascii", skip=1) if r["State"] == "Stopped"]
    _, m = metrics("restore_tests", "veeam-restore-sessions", b"fields:\n  critical: {set: yes}\n")
    latest: dict[str, tuple[dt.date, bool]] = {}
    for r in rows:
        day = dt.datetime.strptime(r["CreationTime"], "%m/%d/%Y %I:%M:%S %p").date()
        if r["Name"] not in latest or day > latest[r["Name"]][0]:
            latest[r["Name"]] = (day, r["Result"] == "Success")
    assert m.metrics["restore_success_pct"].value == pytest.approx(pct(sum(ok for _, ok in latest.values()), len(latest)))


def test_a_veeam_backup_session_export_is_refused_as_not_restores() -> None:
    with pytest.raises(EvidenceError) as refused:
        check_file(DATA / "veeam-backup-sessions.csv", "restore_tests", preset="veeam-restore-sessions")
    problem = refused.value.problems[0]
    assert "a backup job, not restores" in problem.message and "JobType" in problem.location
    assert "where" in problem.hint


def test_risk_register_keeps_accepted_risks_only() -> None:
    rows = [r for r in raw_rows("risk-register-accepted.csv", encoding="cp1252", skip=1) if r["Treatment"] == "Accept"]
    ratings = {"Very High": "critical", "High": "high", "Significant": "high", "Moderate": "medium"}
    open_high = [r for r in rows if r["Status"] != "Closed" and ratings[r["Residual Risk"]] in ("critical", "high")]
    _, m = metrics("exceptions", "risk-register-accepted")
    ages = [(AS_OF - dt.datetime.strptime(r["Date Raised"], "%d/%m/%Y").date()).days for r in open_high]
    assert m.metrics["open_high_risk_exceptions"].value == len(open_high)
    assert m.metrics["high_risk_exception_age_max_days"].value == max(ages)
    assert m.metrics["high_risk_exception_age_median_days"].value == statistics.median(ages)
    overdue = [r for r in rows if r["Status"] != "Closed" and dt.datetime.strptime(r["Review Date"], "%d/%m/%Y").date() < AS_OF]
    assert m.metrics["exceptions_overdue_review"].value == len(overdue)
    missing = [r for r in rows if r["Status"] != "Closed" and not (r["Risk Owner"] and r["Acceptance Rationale"] and r["Monitoring Plan"])]
    assert m.metrics["exceptions_missing_governance"].value == len(missing)


def test_policy_exception_log_from_excel_for_mac() -> None:
    text = (DATA / "policy-exception-log.csv").read_bytes().decode("mac_roman").replace("\r", "\n")
    rows = list(csv.DictReader(io.StringIO(text)))
    result, m = metrics("exceptions", "policy-exception-log")
    assert result.encoding == "mac_roman" and "Lötstation" in result.frame["title"].iloc[0]
    open_rows = [r for r in rows if r["Status"] not in ("Revoked", "Rejected", "Withdrawn", "Closed")]
    high = [r for r in open_rows if r["Risk Rating"] in ("Critical", "High")]
    assert m.metrics["open_high_risk_exceptions"].value == len(high)
    ages = [(AS_OF - dt.datetime.strptime(r["Date Approved"], "%m/%d/%Y").date()).days for r in high]
    assert m.metrics["high_risk_exception_age_max_days"].value == max(ages)


def test_firewall_rules_as_access_paths() -> None:
    rows = [r for r in raw_rows("firewall-rules-access-paths.csv") if r["Action"] == "allow"]
    extra = b"fields:\n  approved: {set: yes}\n  mfa: {set: yes}\n"
    result, m = metrics("access_paths", "firewall-rules-access-paths", extra)

    def governed(r) -> bool:
        return (r["Schedule"] not in ("", "none") and r["Source User"] not in ("", "any", "none")
                and r["Log Forwarding"] not in ("", "none"))

    assert m.metrics["governed_access_pct"].value == pytest.approx(pct(sum(governed(r) for r in rows), len(rows)))
    assert dict(zip(result.frame["path_id"], result.frame["path_type"], strict=True))["eng-ssh-jump"] == "jump_host"


def test_firewall_zones_as_boundaries_with_the_critical_zones_named() -> None:
    rows = raw_rows("firewall-zones-boundaries.csv")
    extra = b'fields:\n  critical: {from: Name, values: {OT-DMZ: yes, OT-Cell-Press: yes, OT-Cell-Paint: yes, "*": no}}\n'
    _, m = metrics("zone_boundaries", "firewall-zones-boundaries", extra)
    critical = [r for r in rows if r["Name"].startswith("OT-")]
    monitored = [r for r in critical if r["Log Setting"] not in ("", "none")]
    assert m.metrics["critical_boundary_monitoring_pct"].value == pytest.approx(pct(len(monitored), len(critical)))


@pytest.mark.parametrize(("time_zone", "last_date"), [(None, dt.date(2026, 10, 28)), ("America/Chicago", dt.date(2026, 10, 27))])
def test_exercise_timeline_events_become_exercises(time_zone, last_date) -> None:
    rows = raw_rows("exercise-timeline.csv")
    result, m = metrics("exercises", "exercise-timeline", time_zone=time_zone)
    assert result.events == len(rows) and result.total_rows == len({r["Exercise"] for r in rows})
    assert result.frame["date"].iloc[-1].date() == last_date  # 23:30 at -05:00 is the next day in UTC

    def at(r):
        return dt.datetime.fromisoformat(r["Timestamp"])

    detect = {"Detected", "Alert raised"}
    times = {}
    for r in rows:
        times.setdefault(r["Exercise"], {}).setdefault(r["Phase"], at(r))
    minutes = []
    for phases in times.values():
        start = phases["Exercise start"]
        found = next((t for p, t in phases.items() if p in detect), None)
        minutes.append((found - start).total_seconds() / 60)
    assert m.metrics["exercise_detect_minutes_median"].value == statistics.median(minutes)
    assert m.metrics["exercises_last_12_months"].value == 3


def test_a_user_mapping_overrides_and_cancels_a_preset_rule(tmp_path: Path) -> None:
    cancel = parse_mapping(b'where: {"Status": ~}\n', get_schema("asset_inventory"), "own.yaml")
    result = check_file(DATA / "netbox-devices.csv", "asset_inventory", mapping=cancel, preset="netbox-devices")
    assert result.filtered_rows == 0 and result.kept_rows == 5


def test_preset_for_another_dataset_is_refused() -> None:
    with pytest.raises(EvidenceError, match="is for asset_inventory, not exceptions"):
        check_file(DATA / "snipe-it-assets.csv", "exceptions", preset="snipe-it-assets")
    with pytest.raises(EvidenceError, match="no evidence preset named 'snipeit'"):
        get_preset("snipeit")


def test_scorecard_validate_checks_presets_with_lines_and_key_paths(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cli import scorecard

    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: evidence-preset\nid: bad\nname: Bad\nversion: 1\nsource: here\nlicence: Apache-2.0\n"
                   "date: 2026-12-04\ndataset: asset_inventory\ntool: T\nexport: E\nfile: F\ncannot_supply: []\n"
                   "mapping:\n  columns: {Crit: critcality}\n  fields:\n    site: {sett: North}\n", encoding="utf-8")
    out = CliRunner().invoke(scorecard, ["validate", str(bad)])
    assert out.exit_code == 1
    assert "bad.yaml line 14: mapping.columns.Crit: 'critcality' is not a field of asset_inventory (did you mean 'criticality'?)" in out.output
    assert "bad.yaml line 16: mapping.fields.site.sett: unknown key" in out.output
    whole = CliRunner().invoke(scorecard, ["validate"])
    assert whole.exit_code == 0 and f"{len(SAMPLES)} evidence presets" in whole.output
