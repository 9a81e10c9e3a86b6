"""Snapshots read back as the engine's Scorecard and MetricSet, trend points as models, and
`scorecard trend --json` keeps its documented shape (docs/deployment.md "Trends")."""

from __future__ import annotations

import json
from datetime import date

from click.testing import CliRunner

from cli import scorecard
from services import answers
from services import trend_series as trends
from services.assessment_scoring import score_assessment
from services.assessments import create_assessment, finalize_assessment, load_assessment
from services.evidence_imports import import_evidence
from services.trend_points import RollupPoint, SnapshotPoint
from tests.services.helpers import ADMIN, CONTENT, plant_with_assessment

EXCEPTIONS = b"exception_id,title,risk_rating,opened,status\nE1,Legacy HMI,high,2025-10-01,open\n"
SITE_POINT = ["assessment_id", "site", "as_of", "scope", "overall", "functions", "cpg_implemented_pct", "metrics",
              "delta"]
ROLLUP_POINT = ["as_of", "sites", "overall", "functions", "cpg_implemented_pct", "metrics", "delta"]
OVERALL = ["claimed", "verified", "target", "completion", "confidence"]
DELTA = ["since", "verified", "claimed", "cpg_implemented_pct", "functions", "metrics"]


def _final(ctx, site: str | None, as_of: date, level: int, *, evidence: bool) -> int:
    if site == "Plant North":
        a = plant_with_assessment(ctx, as_of=as_of) if as_of == date(2025, 12, 31) else \
            create_assessment(ctx, ADMIN, site=site, scope="IT+OT", as_of=as_of)
    else:
        a = create_assessment(ctx, ADMIN, site=None, scope="IT", as_of=as_of)
    answers.save_response(ctx, ADMIN, a.id, "GOV-01", "IT", {"current": level}, expected_version=0)
    if evidence:
        import_evidence(ctx, ADMIN, a.id, "exceptions", EXCEPTIONS, name="exceptions.csv")
    finalize_assessment(ctx, ADMIN, a.id)
    return a.id


def test_a_snapshot_reads_back_as_the_scorecard_it_was_made_from(ctx) -> None:
    a = plant_with_assessment(ctx)
    answers.save_response(ctx, ADMIN, a.id, "GOV-01", "IT", {"current": 3}, expected_version=0)
    before = score_assessment(ctx, ADMIN, a.id)
    finalize_assessment(ctx, ADMIN, a.id)
    snapshot = load_assessment(ctx, ADMIN, a.id).snapshot
    assert snapshot.scorecard == before  # the typed Scorecard, not its JSON
    assert snapshot.metrics is None  # finalised without evidence (stored as {} as before)
    (point,) = trends.site_trend(ctx, ADMIN, "Plant North")
    assert isinstance(point, SnapshotPoint) and point.as_of == a.as_of and point.delta is None
    assert point.functions == {fid: node.combined.verified for fid, node in before.functions.items()}


def test_trend_json_keeps_its_shape(ctx, db_url, monkeypatch) -> None:
    q4 = _final(ctx, "Plant North", date(2025, 12, 31), 2, evidence=True)
    q1 = _final(ctx, "Plant North", date(2026, 3, 31), 4, evidence=False)
    shared = _final(ctx, None, date(2026, 3, 31), 3, evidence=False)
    monkeypatch.setenv("SCORECARD_DB_URL", db_url)
    monkeypatch.setenv("SCORECARD_CONTENT_DIR", str(CONTENT))
    result = CliRunner().invoke(scorecard, ["trend", "--json"], catch_exceptions=False)
    data = json.loads(result.output)
    assert list(data) == ["sites", "rollup", "weights"]
    assert list(data["sites"]) == ["(enterprise)", "Plant North"]
    first, second = data["sites"]["Plant North"]
    assert list(first) == SITE_POINT and list(first["overall"]) == OVERALL and first["delta"] is None
    assert (first["assessment_id"], first["site"], first["as_of"], first["scope"]) == (q4, "Plant North",
                                                                                       "2025-12-31", "IT+OT")
    assert first["metrics"]["high_risk_exception_age_median_days"] == 91.0 and second["metrics"] == {}
    assert list(second["delta"]) == DELTA and second["delta"]["since"] == "2025-12-31"
    assert second["delta"]["verified"] == round(second["overall"]["verified"] - first["overall"]["verified"], 2)
    latest = data["rollup"][-1]
    assert list(latest) == ROLLUP_POINT and list(latest["overall"]) == OVERALL
    assert latest["sites"] == {"(enterprise)": {"as_of": "2026-03-31", "assessment_id": shared, "weight": 4},
                               "Plant North": {"as_of": "2026-03-31", "assessment_id": q1, "weight": 3}}
    assert data["weights"] == {"criticality": {"critical": 4, "high": 3, "medium": 2, "low": 1}, "enterprise": 4}
    rollup = trends.enterprise_rollup(ctx, ADMIN)
    assert all(isinstance(p, RollupPoint) for p in rollup)
    assert [p.as_json()["as_of"] for p in rollup] == [p["as_of"] for p in data["rollup"]]
