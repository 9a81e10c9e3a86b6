"""Rule 1: verified = min(current, every applicable cap); missing metrics cap nothing."""

from __future__ import annotations

import pytest

from catalog.models import CapStep, EvidenceRule
from tests.scoring.conftest import answer, metric_set, run

DOC = "critical_asset_documentation_pct"
ACCESS = "governed_access_pct"


def _response(card, qid, env):
    return next(r for r in card.responses if (r.question_id, r.environment) == (qid, env))


@pytest.mark.parametrize(
    ("current", "metrics", "verified", "caps", "verified_by_evidence"),
    [
        (4, None, 4, 0, False),  # no evidence at all: nothing capped, nothing verified
        (4, {ACCESS: 90}, 4, 0, False),  # another metric: GOV-01's rule metric is missing
        (4, {DOC: 90}, 4, 0, True),  # cap 4 does not bind a claim of 4
        (5, {DOC: 90}, 4, 1, True),  # cap 4 binds a claim of 5
        (5, {DOC: 10}, 1, 1, True),  # below every step: the floor
        (0, {DOC: 10}, 0, 0, True),  # a cap never raises a claim
        (3, {DOC: (90, {"IT": 60, "OT": 99})}, 2, 1, True),  # the environment's own value wins
        (3, {DOC: (60, {"OT": 99})}, 2, 1, True),  # no IT value: the overall value is used
        (3, {DOC: (99, {"IT": None})}, 3, 0, False),  # IT value unknown: missing, not capped
        (3, {DOC: None}, 3, 0, False),  # computed without a value: missing
    ],
)
def test_verified_is_the_claim_capped_by_evidence(catalog, current, metrics, verified, caps, verified_by_evidence):
    card = run(catalog, [answer("GOV-01", "IT", current)], metric_set(**metrics) if metrics is not None else None)
    rs = _response(card, "GOV-01", "IT")
    assert (rs.claimed, rs.verified, len(rs.caps), rs.verified_by_evidence) == (current, verified, caps, verified_by_evidence)
    assert len(card.caps) == caps


def test_every_binding_cap_is_recorded_and_the_lowest_wins(catalog, questionnaire):
    second = EvidenceRule(metric=ACCESS, questions=("GOV-01",), steps=(CapStep(threshold=90, level=3),), floor=2)
    q = questionnaire.model_copy(update={"evidence_rules": (*questionnaire.evidence_rules, second)})
    card = run(catalog, [answer("GOV-01", "OT", 5)], metric_set(**{DOC: (80, {"OT": 86}), ACCESS: 50}), questionnaire=q)
    rs = _response(card, "GOV-01", "OT")
    assert rs.verified == 2
    assert [(c.metric, c.value, c.threshold, c.cap_level, c.claimed, c.verified) for c in rs.caps] == [
        (DOC, 86, "≥ 85 → up to 4", 4, 5, 2),
        (ACCESS, 50, "below 90 → up to 2", 2, 5, 2),
    ]
    assert rs.caps[0].reason == (
        "critical_asset_documentation_pct = 86 (OT; ≥ 85 → up to 4): claimed 5, evidence supports at most 4"
    )
    assert "(overall; below 90 → up to 2)" in rs.caps[1].reason


def test_unanswered_and_na_responses_are_never_capped(catalog):
    card = run(catalog, [answer("GOV-01", "IT", "NA")], metric_set(**{DOC: 10}))
    assert card.caps == ()
    assert _response(card, "GOV-01", "IT").verified is None
    assert _response(card, "GOV-01", "OT").state == "unanswered"


def test_lower_is_better_rule_caps_high_values(catalog, questionnaire):
    rule = EvidenceRule(
        metric="high_risk_exception_age_median_days",
        questions=("GOV-02",),
        direction="lower_is_better",
        steps=(CapStep(threshold=30, level=5), CapStep(threshold=90, level=3)),
        floor=1,
    )
    q = questionnaire.model_copy(update={"evidence_rules": (rule,)})
    rows = [(10, 5), (60, 3), (200, 1)]
    for days, verified in rows:
        card = run(catalog, [answer("GOV-02", "IT", 5)], metric_set(high_risk_exception_age_median_days=days), questionnaire=q)
        assert _response(card, "GOV-02", "IT").verified == verified
