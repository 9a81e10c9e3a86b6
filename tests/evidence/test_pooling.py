"""Tallies and pooling (evidence.tally, evidence.pooling): a metric of several members equals the
metric of all their rows at once, by its declared combine rule — never a mean of member values."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.models import MetricDefinition
from errors import ContentError
from evidence.calculations import CALCULATIONS
from evidence.metric_set import MetricResult, MetricSet
from evidence.metrics import compute_metrics
from evidence.pooling import pool_metrics
from evidence.tally import Tally, pool
from services.content import get_catalog

AS_OF = dt.date(2026, 9, 30)
DEFINITIONS = get_catalog().metric_definitions()
values = st.lists(st.integers(min_value=0, max_value=900).map(float), max_size=40)


@given(values)
def test_the_median_of_a_distribution_is_numpys(xs) -> None:
    expected = float(np.median(xs)) if xs else None
    assert Tally.distribution(np.array(xs)).value == expected


@given(values, st.integers(min_value=1, max_value=5), st.sampled_from(["median", "max", "sum", "ratio"]))
def test_pooling_the_parts_of_a_split_is_the_tally_of_the_whole(xs, parts, kind) -> None:
    def tally(chunk: list[float]) -> Tally:
        array = np.array(chunk, dtype=float)
        return {"median": Tally.distribution, "max": Tally.largest,
                "sum": lambda a: Tally.count(len(a)),
                "ratio": lambda a: Tally.ratio(int((a > 450).sum()), len(a))}[kind](array)

    chunks = [xs[i::parts] for i in range(parts)]
    assert pool(tally(c) for c in chunks) == tally(xs)


def test_tallies_of_different_rules_do_not_pool() -> None:
    with pytest.raises(ValueError, match="combine differently"):
        pool([Tally.count(1), Tally.ratio(1, 2)])
    assert pool([None, None]) is None


def test_every_calculation_combines_as_the_shipped_definition_declares() -> None:
    assert {n: d.combine for n, d in DEFINITIONS.items()} == {n: c.combine for n, c in CALCULATIONS.items()}


def test_a_definition_declaring_another_rule_is_refused_with_the_fix() -> None:
    wrong = DEFINITIONS["high_risk_exception_age_max_days"].model_copy(update={"combine": "median"})
    with pytest.raises(ContentError) as caught:
        compute_metrics({}, AS_OF, {wrong.name: wrong})
    (problem,) = caught.value.problems
    assert problem.location == "metrics: high_risk_exception_age_max_days"
    assert "combine is median, but the calculation yields a max" in problem.message and problem.hint == "set combine: max"


# --- Members pooled equal all their rows at once -----------------------------------------------------

def _day(offset: int) -> str:
    return (AS_OF - dt.timedelta(days=offset)).isoformat()


rows = st.integers(min_value=0, max_value=30)


@st.composite
def estates(draw) -> dict[str, pd.DataFrame]:
    """Random evidence of one organisation; every row carries the member (0–2) it belongs to."""
    n_assets, n_paths, n_exc, n_exe = draw(rows), draw(rows), draw(rows), draw(rows)
    member = st.integers(min_value=0, max_value=2)
    blankable = st.sampled_from(["x", None])
    assets = pd.DataFrame({
        "asset_id": [f"A{i}" for i in range(n_assets)],
        "environment": draw(st.lists(st.sampled_from(["IT", "OT", None]), min_size=n_assets, max_size=n_assets)),
        "criticality": draw(st.lists(st.sampled_from(["critical", "high", "low"]), min_size=n_assets, max_size=n_assets)),
        "support_status": draw(st.lists(st.sampled_from(["supported", "unsupported"]), min_size=n_assets, max_size=n_assets)),
        **{f: draw(st.lists(blankable, min_size=n_assets, max_size=n_assets)) for f in ("owner", "dependencies", "recovery_requirement")},
        "member": draw(st.lists(member, min_size=n_assets, max_size=n_assets)),
    })
    flag = st.lists(st.booleans(), min_size=n_paths, max_size=n_paths)
    paths = pd.DataFrame({
        "path_id": [f"P{i}" for i in range(n_paths)],
        "environment": draw(st.lists(st.sampled_from(["IT", "OT"]), min_size=n_paths, max_size=n_paths)),
        **{f: draw(flag) for f in ("privileged", "approved", "mfa", "time_limited", "individually_attributed", "monitored")},
        "member": draw(st.lists(member, min_size=n_paths, max_size=n_paths)),
    })
    exceptions = pd.DataFrame({
        "exception_id": [f"E{i}" for i in range(n_exc)],
        "risk_rating": draw(st.lists(st.sampled_from(["critical", "high", "medium"]), min_size=n_exc, max_size=n_exc)),
        # some opened after the as-of date: they must count nowhere
        "opened": [_day(d) for d in draw(st.lists(st.integers(-20, 900), min_size=n_exc, max_size=n_exc))],
        "review_date": [_day(d) for d in draw(st.lists(st.integers(-60, 60), min_size=n_exc, max_size=n_exc))],
        "status": draw(st.lists(st.sampled_from(["open", "closed", None]), min_size=n_exc, max_size=n_exc)),
        "owner": draw(st.lists(blankable, min_size=n_exc, max_size=n_exc)),
        "justification": "j", "monitoring_plan": "m",
        "member": draw(st.lists(member, min_size=n_exc, max_size=n_exc)),
    })
    minutes = st.lists(st.one_of(st.none(), st.integers(1, 3000).map(float)), min_size=n_exe, max_size=n_exe)
    exercises = pd.DataFrame({
        "exercise_id": [f"X{i}" for i in range(n_exe)],
        "date": [_day(d) for d in draw(st.lists(st.integers(-10, 400), min_size=n_exe, max_size=n_exe))],
        **{f"{p}_minutes": draw(minutes) for p in ("detect", "escalate", "contain", "recover")},
        "member": draw(st.lists(member, min_size=n_exe, max_size=n_exe)),
    })
    restores = assets[assets["criticality"] == "critical"].head(draw(rows))
    restore_tests = pd.DataFrame({
        "test_id": [f"R{i}" for i in range(len(restores))], "date": _day(30), "item_id": restores["asset_id"].tolist(),
        "critical": True, "success": draw(st.lists(st.booleans(), min_size=len(restores), max_size=len(restores))),
        "member": restores["member"].tolist(),
    })
    return {"asset_inventory": assets, "access_paths": paths, "exceptions": exceptions, "exercises": exercises,
            "restore_tests": restore_tests}


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.drop(columns="member")
    for column in ("opened", "review_date", "date"):
        if column in out:
            out[column] = pd.to_datetime(out[column]).astype("datetime64[s]")
    return out


@settings(max_examples=25, deadline=None)
@given(estates())
def test_members_pooled_equal_every_row_at_once(estate) -> None:
    whole = compute_metrics({d: _typed(f) for d, f in estate.items()}, AS_OF, DEFINITIONS)
    members = [(f"site {m}", compute_metrics({d: _typed(f[f["member"] == m]) for d, f in estate.items()},
                                             AS_OF, DEFINITIONS)) for m in range(3)]
    pooled = pool_metrics(members, DEFINITIONS, as_of=AS_OF)
    for name, expected in whole.metrics.items():
        got = pooled.metrics[name]
        assert got.value == pytest.approx(expected.value), name
        assert got.status == expected.status, name
        assert got.by_environment == pytest.approx(expected.by_environment), name
        assert got.by_site == {label: m.metrics[name].value for label, m in members}


def test_pooling_is_not_a_mean_of_the_members() -> None:
    """Two plants: 1 of 1 critical assets documented and 0 of 9: the enterprise has 10 %, not 50 %;
    its oldest exception is the older plant's, not the average of both."""
    def plant(documented: int, critical: int, ages: list[int]) -> MetricSet:
        inventory = pd.DataFrame({"asset_id": [f"A{i}" for i in range(critical)], "criticality": "critical",
                                  **{f: ["x"] * documented + [None] * (critical - documented)
                                     for f in ("owner", "dependencies", "recovery_requirement")}})
        exceptions = pd.DataFrame({"exception_id": [f"E{a}" for a in ages], "risk_rating": "high",
                                   "opened": pd.to_datetime([_day(a) for a in ages]).astype("datetime64[s]")})
        return compute_metrics({"asset_inventory": inventory, "exceptions": exceptions}, AS_OF, DEFINITIONS)

    pooled = pool_metrics([("A", plant(1, 1, [815, 10])), ("B", plant(0, 9, [100]))], DEFINITIONS, as_of=AS_OF).metrics
    assert pooled["critical_asset_documentation_pct"].value == 10.0
    assert pooled["high_risk_exception_age_max_days"].value == 815.0
    assert pooled["high_risk_exception_age_median_days"].value == 100.0  # of 10, 100, 815
    assert pooled["open_high_risk_exceptions"].value == 3.0
    assert pooled["critical_asset_documentation_pct"].by_site == {"A": 100.0, "B": 0.0}


def test_a_member_without_evidence_contributes_nothing_and_none_at_all_is_none() -> None:
    assert pool_metrics([("A", None)], DEFINITIONS, as_of=AS_OF) is None
    empty = compute_metrics({}, AS_OF, DEFINITIONS)
    pooled = pool_metrics([("A", empty), ("B", None)], DEFINITIONS, as_of=AS_OF)
    assert all(m.value is None and m.status == "missing" for m in pooled.metrics.values())


def test_metric_without_a_definition_keeps_the_worst_reported_status() -> None:
    def one(numerator: int, status: str) -> MetricSet:
        tally = Tally.ratio(numerator, 10)
        result = MetricResult(name="retired_pct", value=tally.value, status=status,
                              tallies={"overall": tally.model_dump()})
        return MetricSet(as_of=AS_OF, metrics={"retired_pct": result})

    rolled = pool_metrics([("A", one(9, "green")), ("B", one(4, "red"))], {}, as_of=AS_OF)
    assert rolled.metrics["retired_pct"].value == 65.0
    assert rolled.metrics["retired_pct"].status == "red"


def test_a_value_without_tallies_is_refused_rather_than_averaged() -> None:
    legacy = MetricSet(as_of=AS_OF, metrics={"open_high_risk_exceptions": MetricResult(
        name="open_high_risk_exceptions", value=4.0, status="green")})
    with pytest.raises(ValueError, match="no tallies"):
        pool_metrics([("A", legacy)], DEFINITIONS, as_of=AS_OF)


def test_tallies_survive_the_json_a_snapshot_stores() -> None:
    metrics = compute_metrics({"exceptions": pd.DataFrame({"exception_id": ["E1", "E2"], "risk_rating": "high",
                                                           "opened": [_day(5), _day(9)]})}, AS_OF, DEFINITIONS)
    again = MetricSet.model_validate(metrics.model_dump(mode="json"))
    assert again == metrics
    assert again.metrics["high_risk_exception_age_median_days"].tallies.overall == Tally(
        combine="median", values=(5.0, 9.0), counts=(1, 1))


def test_definition_field_is_required_in_content() -> None:
    with pytest.raises(ValueError, match="combine"):
        MetricDefinition(name="m", label="M", description="d", unit="count", dataset="x",
                         direction="lower_is_better", green=1, amber=2)
