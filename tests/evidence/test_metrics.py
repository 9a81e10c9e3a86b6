"""Metrics, table-tested on the fixtures (hand-computed, as of 2026-11-25) and on small edge cases."""

from __future__ import annotations

import datetime as dt

import pytest

from catalog.models import MetricDefinition
from errors import ContentError, EvidenceError
from evidence.dataset import read_dataset
from evidence.metrics import compute_metrics, metric_set_json, rag_status
from services.content import get_catalog

AS_OF = dt.date(2026, 11, 25)
FILES = {
    "asset_inventory": "inventory_messy.csv",
    "access_paths": "access_paths.csv",
    "zone_boundaries": "zone_boundaries.csv",
    "exceptions": "exceptions.csv",
    "exercises": "exercises.csv",
    "restore_tests": "restore_tests.csv",
}


@pytest.fixture(scope="module")
def definitions():
    return get_catalog().metric_definitions()


@pytest.fixture(scope="module")
def frames(evidence_data):
    return {d: read_dataset(evidence_data / f, d).accepted() for d, f in FILES.items()}


@pytest.fixture(scope="module")
def result(frames, definitions):
    return metric_set_json(compute_metrics(frames, AS_OF, definitions))["metrics"]


# name: (value, by_environment, by_site)
EXPECTED = {
    "critical_asset_documentation_pct": (66.67, {"IT": 100.0, "OT": 50.0}, {"North": 50.0, "South": 100.0}),
    "critical_asset_owner_pct": (100.0, {"IT": 100.0, "OT": 100.0}, {"North": 100.0, "South": 100.0}),
    "critical_asset_dependencies_pct": (66.67, {"IT": 100.0, "OT": 50.0}, {"North": 50.0, "South": 100.0}),
    "critical_asset_recovery_requirement_pct": (100.0, {"IT": 100.0, "OT": 100.0}, {"North": 100.0, "South": 100.0}),
    "unsupported_critical_assets_pct": (33.33, {"IT": 0.0, "OT": 50.0}, {"North": 50.0, "South": 0.0}),
    "governed_access_pct": (40.0, {"IT": 0.0, "OT": 66.67}, {"North": 50.0, "South": 33.33}),
    "privileged_governed_access_pct": (50.0, {"IT": 0.0, "OT": 100.0}, {"North": 100.0, "South": 33.33}),
    "critical_boundary_monitoring_pct": (66.67, {}, {"North": 50.0, "South": 100.0}),
    "open_high_risk_exceptions": (3.0, {}, {}),  # E-1, E-2, E-3 (blank status = open); not E-5 closed, E-6 future
    "high_risk_exception_age_median_days": (328.0, {}, {}),  # ages 328, 54, 360
    "high_risk_exception_age_max_days": (360.0, {}, {}),
    "high_risk_exceptions_over_90_days": (2.0, {}, {}),
    "exceptions_overdue_review": (2.0, {}, {}),  # E-2 (high), E-4 (medium)
    "exceptions_missing_governance": (2.0, {}, {}),  # E-2 no monitoring plan, E-3 no owner
    "exercise_detect_minutes_median": (60.0, {}, {}),  # X-1 (364 days old), X-2, X-3; not X-4 (365), X-5 (future)
    "exercise_escalate_minutes_median": (30.0, {}, {}),  # 20, 40 (X-2 blank)
    "exercise_contain_minutes_median": (300.0, {}, {}),  # 200, 400
    "exercise_recover_minutes_median": (1750.0, {}, {}),  # 1500, 2000
    "exercises_last_12_months": (3.0, {}, {}),
    "restore_success_pct": (66.67, {}, {}),  # PLC-001 latest pass, HMI-001 latest fail, R-6 (no item) pass
    "restore_coverage_pct": (66.67, {"IT": 0.0, "OT": 100.0}, {"North": 100.0, "South": 0.0}),
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_fixture_metrics(result, name) -> None:
    value, by_environment, by_site = EXPECTED[name]
    assert result[name]["value"] == value
    assert result[name]["by_environment"] == by_environment
    assert result[name]["by_site"] == by_site


def test_every_defined_metric_is_computed_and_tested(result, definitions) -> None:
    assert set(result) == set(definitions) == set(EXPECTED)


def test_statuses_follow_the_content_thresholds(result) -> None:
    assert result["critical_asset_owner_pct"]["status"] == "green"  # 100 ≥ 98
    assert result["critical_asset_documentation_pct"]["status"] == "red"  # 66.67 < 80
    assert result["unsupported_critical_assets_pct"]["status"] == "red"  # 33.33 > 15
    assert result["open_high_risk_exceptions"]["status"] == "green"  # 3 ≤ 5
    assert result["exceptions_overdue_review"]["status"] == "amber"  # 0 < 2 ≤ 5
    assert result["exercises_last_12_months"]["status"] == "amber"  # 2 ≤ 3 < 4
    assert result["exercise_recover_minutes_median"]["status"] == "amber"  # 1440 < 1750 ≤ 4320


def test_documentation_parts(frames, definitions) -> None:
    metric = compute_metrics(frames, AS_OF, definitions).metrics["critical_asset_documentation_pct"]
    assert {k: round(v, 2) for k, v in metric.parts.items()} == {"owner_pct": 100.0, "dependencies_pct": 66.67, "recovery_requirement_pct": 100.0}


def test_absent_datasets_are_missing_never_zero(definitions) -> None:
    metrics = compute_metrics({}, AS_OF, definitions).metrics
    assert all(m.value is None and m.status == "missing" for m in metrics.values())


def test_restore_coverage_needs_the_inventory(frames, definitions) -> None:
    metrics = compute_metrics({"restore_tests": frames["restore_tests"]}, AS_OF, definitions).metrics
    assert metrics["restore_coverage_pct"].status == "missing"
    assert metrics["restore_success_pct"].value is not None


def frames_of(dataset: str, csv: str) -> dict:
    return {dataset: read_dataset(csv.encode(), dataset, name="t.csv").accepted()}


@pytest.mark.parametrize(
    ("dataset", "csv", "name", "value"),
    [
        # empty datasets: shares have no denominator (missing), counts are 0
        ("asset_inventory", "asset_id,criticality\n", "critical_asset_documentation_pct", None),
        ("asset_inventory", "asset_id,criticality\nA1,high\n", "unsupported_critical_assets_pct", None),
        ("access_paths", "path_id,privileged\nP1,no\n", "privileged_governed_access_pct", None),
        ("access_paths", "path_id,privileged\nP1,no\n", "governed_access_pct", 0.0),  # blank booleans are no
        ("zone_boundaries", "boundary_id,critical\nB1,no\n", "critical_boundary_monitoring_pct", None),
        ("exceptions", "exception_id,opened\n", "open_high_risk_exceptions", 0.0),
        ("exceptions", "exception_id,opened\n", "high_risk_exception_age_median_days", None),
        ("exceptions", "exception_id,opened,risk_rating\nE1,2026-08-27,high\n", "high_risk_exceptions_over_90_days", 0.0),  # 90 days
        ("exceptions", "exception_id,opened,risk_rating\nE1,2026-08-26,high\n", "high_risk_exceptions_over_90_days", 1.0),  # 91 days
        ("exceptions", "exception_id,opened,review_date\nE1,2026-01-01,2026-11-25\n", "exceptions_overdue_review", 0.0),  # due today
        ("exceptions", "exception_id,opened,review_date\nE1,2026-01-01,\n", "exceptions_overdue_review", 0.0),
        ("exceptions", "exception_id,opened,owner,justification,monitoring_plan\nE1,2026-01-01,a,b,c\n", "exceptions_missing_governance", 0.0),
        ("exercises", "exercise_id,date\n", "exercises_last_12_months", 0.0),
        ("exercises", "exercise_id,date,detect_minutes\nX1,2026-01-01,\n", "exercise_detect_minutes_median", None),
        ("exercises", "exercise_id,date,detect_minutes\nX1,2026-11-25,10\nX2,2026-11-24,20\n", "exercise_detect_minutes_median", 15.0),
        ("restore_tests", "test_id,date,critical,success\nR1,2026-01-01,no,yes\n", "restore_success_pct", None),
        # the latest date decides; any failure on that date fails the item
        ("restore_tests", "test_id,date,item_id,critical,success\nR1,2026-05-01,A,y,n\nR2,2026-06-01,A,y,y\nR3,2026-06-01,A,y,n\n", "restore_success_pct", 0.0),
        ("restore_tests", "test_id,date,item_id,critical,success\nR1,2026-05-01,A,y,n\nR2,2026-06-01,A,y,y\n", "restore_success_pct", 100.0),
        ("restore_tests", "test_id,date,item_id,critical,success\nR1,2025-11-25,A,y,y\n", "restore_success_pct", None),  # 365 days: outside
    ],
)
def test_edge_cases(definitions, dataset, csv, name, value) -> None:
    metric = compute_metrics(frames_of(dataset, csv), AS_OF, definitions).metrics[name]
    assert metric.value == value
    assert (metric.status == "missing") == (value is None)


def test_groups_list_every_site_even_without_denominator(definitions) -> None:
    csv = "asset_id,site,environment,criticality,owner\nA1,North,OT,critical,x\nA2,South,IT,low,\nA3,,OT,critical,\n"
    metric = compute_metrics(frames_of("asset_inventory", csv), AS_OF, definitions).metrics["critical_asset_owner_pct"]
    assert metric.value == 50.0
    assert metric.by_site == {"North": 100.0, "South": None}  # A3 has no site: overall only
    assert metric.by_environment == {"IT": None, "OT": 50.0}
    assert metric.value_for("IT") is None and metric.value_for("OT") == 50.0


def test_frames_reloaded_with_other_types_give_the_same_metrics(frames, definitions) -> None:
    loose = {d: f.astype(object).where(f.notna(), None) for d, f in frames.items()}
    assert compute_metrics(loose, AS_OF, definitions) == compute_metrics(frames, AS_OF, definitions)
    partial = {"asset_inventory": frames["asset_inventory"][["asset_id", "criticality", "owner"]]}
    metric = compute_metrics(partial, AS_OF, definitions).metrics["critical_asset_documentation_pct"]
    assert metric.value == 0.0  # dependencies and recovery requirement absent: blank


def _definition(direction: str, green: float, amber: float) -> MetricDefinition:
    return MetricDefinition(name="m", label="M", description="d", unit="pct", dataset="x", combine="ratio", direction=direction, green=green, amber=amber)


@pytest.mark.parametrize(
    ("direction", "value", "status"),
    [("higher_is_better", 95, "green"), ("higher_is_better", 94.99, "amber"), ("higher_is_better", 80, "amber"),
     ("higher_is_better", 79.9, "red"), ("higher_is_better", None, "missing"),
     ("lower_is_better", 5, "green"), ("lower_is_better", 5.01, "amber"), ("lower_is_better", 15, "amber"),
     ("lower_is_better", 15.5, "red"), ("lower_is_better", None, "missing")],
)
def test_rag_rule(direction, value, status) -> None:
    green, amber = (95, 80) if direction == "higher_is_better" else (5, 15)
    assert rag_status(_definition(direction, green, amber), value) == status


def test_unknown_metric_or_dataset(definitions) -> None:
    with pytest.raises(ContentError, match="without a calculation"):
        compute_metrics({}, AS_OF, {"made_up_pct": _definition("higher_is_better", 1, 0)})
    with pytest.raises(EvidenceError, match="unknown dataset"):
        compute_metrics({"assets": None}, AS_OF, definitions)


def test_json_shape_rounds_to_two_decimals(result) -> None:
    item = result["governed_access_pct"]
    assert set(item) == {"value", "status", "by_environment", "by_site"}
    assert item["by_site"]["South"] == 33.33
