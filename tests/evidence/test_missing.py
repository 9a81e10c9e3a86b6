"""A missing metric says why: the dataset to import, or the field that would make it computable
and how to supply it (map a column, or set a default), or the fact about the evidence."""

from __future__ import annotations

import datetime as dt

import pytest

from evidence.dataset import read_dataset
from evidence.metrics import compute_metrics, metric_set_json
from evidence.pooling import pool_metrics
from services.content import get_catalog

AS_OF = dt.date(2026, 11, 30)


def reasons(**files: str) -> dict[str, str | None]:
    frames = {d: read_dataset(t.encode(), d, name=f"{d}.csv").frame for d, t in files.items()}
    result = compute_metrics(frames, AS_OF, get_catalog().metric_definitions())
    return {n: r.missing_reason for n, r in result.metrics.items()}


def test_an_absent_dataset_is_named() -> None:
    found = reasons(asset_inventory="Asset ID,Name\nA1,x\n")
    assert found["governed_access_pct"] == "no access_paths evidence: import the remote and privileged access paths file"
    assert found["restore_coverage_pct"] == "no restore_tests evidence: import the restore tests file"


def test_a_blank_field_is_named_with_how_to_supply_it() -> None:
    found = reasons(asset_inventory="Asset ID,Name\nA1,x\n")
    assert found["critical_asset_owner_pct"] == (
        "no asset rated critical: criticality is blank in every row of asset_inventory; map a column to it "
        '(columns: {"Your header": criticality}) or set a default (fields: {criticality: {default: critical}})')


def test_a_field_with_values_but_none_qualifying_is_a_fact_not_a_mapping_gap() -> None:
    found = reasons(asset_inventory="Asset ID,Name,Criticality\nA1,x,low\n")
    assert found["critical_asset_owner_pct"] == "no asset rated critical: no row of asset_inventory has criticality critical"


def test_exercise_medians_need_rows_in_the_window_and_the_measured_field() -> None:
    assert reasons(exercises="Exercise ID,Date\nX1,2020-01-01\n")["exercise_detect_minutes_median"] == (
        "no exercise in the 365 days up to the as-of date: exercises has no such row")
    found = reasons(exercises="Exercise ID,Date,Detect minutes\nX1,2026-06-01,\n")
    assert found["exercise_detect_minutes_median"].startswith("no exercise in the 365 days up to the as-of date with "
                                                              "detect_minutes: detect_minutes is blank in every row of exercises")
    assert found["exercises_last_12_months"] is None  # computable: a count of 1


def test_values_have_no_reason_and_the_json_carries_it_only_when_missing() -> None:
    frames = {"asset_inventory": read_dataset(b"Asset ID,Name,Criticality,Owner\nA1,x,critical,Ana\n", "asset_inventory", name="a.csv").frame}
    result = compute_metrics(frames, AS_OF, get_catalog().metric_definitions())
    assert result.metrics["critical_asset_owner_pct"].missing_reason is None
    data = metric_set_json(result)["metrics"]
    assert "missing_reason" not in data["critical_asset_owner_pct"]
    assert data["exercises_last_12_months"]["missing_reason"].startswith("no exercises evidence")


@pytest.mark.parametrize("members", [2, 5])
def test_pooled_metrics_say_which_site_lacks_what(members) -> None:
    definitions = get_catalog().metric_definitions()
    sets = [(f"Site {i}", compute_metrics({"asset_inventory": read_dataset(b"Asset ID,Name\nA1,x\n", "asset_inventory",
                                                                           name="a.csv").frame}, AS_OF, definitions))
            for i in range(members)]
    pooled = pool_metrics(sets, definitions, as_of=AS_OF)
    reason = pooled.metrics["critical_asset_owner_pct"].missing_reason
    assert reason.startswith("Site 0: no asset rated critical")
    if members > 3:
        assert reason.endswith("and 2 more")
