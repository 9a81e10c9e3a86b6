"""Rules 2 and 6–9: completion, CPG goals, gaps, confidence and scenarios on the mini questionnaire."""

from __future__ import annotations

import pytest

from errors import ContentError, ResponseError
from scoring import score
from scoring.model import Scope
from tests.scoring.conftest import AS_OF, answer, metric_set, run

DOC = "critical_asset_documentation_pct"


@pytest.mark.parametrize(
    ("responses", "scope", "completion", "counts"),
    [
        ([], Scope.IT_OT, 0.0, (0, 0, 7)),  # 3 IT + 4 OT applicable pairs (ACC-02 is OT only)
        ([], Scope.IT, 0.0, (0, 0, 3)),
        ([answer("GOV-01", "IT", 3), answer("GOV-02", "IT", "NA")], Scope.IT, 2 / 3, (1, 1, 3)),
        ([answer("ACC-02", "OT", 0)], Scope.OT, 1 / 4, (1, 0, 4)),
        ([answer("ACC-02", "OT", target=3)], Scope.OT, 0.0, (0, 0, 4)),  # a target alone
    ],
)
def test_completion_counts_answered_and_na_over_applicable(catalog, responses, scope, completion, counts):
    card = run(catalog, responses, scope=scope)
    o = card.overall
    assert o.completion == pytest.approx(completion)
    assert (o.answered, o.not_applicable, o.applicable) == counts


@pytest.mark.parametrize(
    ("responses", "metrics", "confidence"),
    [
        ([answer("GOV-01", "IT", 3)], None, 0.0),
        ([answer("GOV-01", "IT", 3)], {DOC: 90}, 1.0),
        ([answer("GOV-01", "IT", 3), answer("GOV-02", "IT", 3)], {DOC: 90}, 0.5),  # GOV-02 has no rule
        ([answer("GOV-01", "IT", 3), answer("ACC-01", "IT", 3)], {DOC: 90}, 0.5),  # ACC-01's metric missing
        ([answer("GOV-01", "IT", 3), answer("GOV-01", "OT", "NA")], {DOC: 90}, 1.0),  # NA is not answered
        ([], {DOC: 90}, 0.0),
    ],
)
def test_confidence_is_the_share_of_answers_evidence_can_check(catalog, responses, metrics, confidence):
    card = run(catalog, responses, metric_set(**metrics) if metrics else None)
    assert card.overall.confidence == pytest.approx(confidence)


@pytest.mark.parametrize(
    ("levels", "status"),
    [
        ({"GOV-01": 3, "GOV-02": 4}, "implemented"),
        ({"GOV-01": 3, "GOV-02": 2}, "in_progress"),
        ({"GOV-01": 0, "GOV-02": 1}, "in_progress"),
        ({"GOV-01": 0, "GOV-02": 0}, "not_implemented"),
        ({"GOV-01": 0}, "not_implemented"),
        ({}, "not_assessed"),
    ],
)
def test_cpg_goal_status_per_environment(catalog, levels, status):
    card = run(catalog, [answer(qid, "OT", level) for qid, level in levels.items()])
    assert card.cpg_goals["1.A"].status == {"IT": "not_assessed", "OT": status}


def test_cpg_status_uses_verified_levels(catalog):
    card = run(catalog, [answer("GOV-01", "IT", 4)], metric_set(**{DOC: 60}))  # cap 2
    assert card.cpg_goals["1.A"].status["IT"] == "in_progress"


def test_cpg_implemented_pct_counts_assessed_goal_environment_pairs(catalog):
    responses = [answer("GOV-01", "IT", 3), answer("GOV-01", "OT", 2), answer("ACC-01", "IT", 4), answer("ACC-02", "OT", 0)]
    card = run(catalog, responses)
    # 1.A IT implemented, 1.A OT in progress, 2.B IT implemented, 2.B OT not implemented, 3.C unassessed.
    assert card.cpg_implemented_pct == pytest.approx(50.0)
    assert card.cpg_implemented_pct_by_environment == {"IT": 100.0, "OT": 0.0}
    assert run(catalog, []).cpg_implemented_pct is None


def test_gaps_are_ranked_by_priority_with_references_and_cap_reasons(catalog):
    responses = [answer("GOV-01", "IT", 4), answer("GOV-02", "IT", 1), answer("ACC-01", "OT", 3), answer("ACC-02", "OT", 4)]
    card = run(catalog, responses, metric_set(**{DOC: 72}))
    got = [(g.question_id, g.environment, g.target, g.verified, g.gap, g.priority) for g in card.gaps]
    assert got == [
        ("ACC-01", "OT", 4, 3, 1, 15.0),  # 1 × weight 3 × consequence 5
        ("GOV-01", "IT", 4, 3, 1, 6.0),  # 1 × 2 × 3, capped from 4 to 3
        ("GOV-02", "IT", 3, 1, 2, 4.0),  # 2 × 1 × 2
    ]
    first = card.gaps[1]
    assert (first.csf, first.cpg, first.section) == (("GV.OC-01",), ("1.A",), "governance")
    assert first.cap_reasons == (card.caps[0].reason,)
    assert all(g.question_id != "ACC-02" for g in card.gaps)  # verified 4 ≥ target 4: no gap


def test_equal_priorities_rank_by_consequence_then_gap_then_questionnaire_order_then_environment(catalog):
    # ACC-02 OT: gap 1 × 1 × 4 = 4; GOV-02 IT and OT: gap 2 × 1 × 2 = 4. ACC-02's consequence (4)
    # outranks GOV-02's (2) although its gap is smaller; GOV-02's two environments go IT first.
    responses = [answer("ACC-02", "OT", 3), answer("GOV-02", "OT", 1), answer("GOV-02", "IT", 1)]
    card = run(catalog, responses)
    assert [(g.question_id, g.environment) for g in card.gaps] == [("ACC-02", "OT"), ("GOV-02", "IT"), ("GOV-02", "OT")]


def test_scenario_readiness_is_the_mean_verified_level_with_metric_statuses(catalog):
    responses = [answer("GOV-01", "IT", 5), answer("GOV-01", "OT", 2), answer("ACC-01", "OT", 4), answer("ACC-01", "IT", "NA")]
    card = run(catalog, responses, metric_set(**{DOC: (82, {"IT": 90})}))
    s = card.scenarios["ransomware"]
    assert s.readiness == pytest.approx((4 + 2 + 4) / 3)  # GOV-01 IT capped 5 → 4
    assert s.by_environment == {"IT": 4.0, "OT": 3.0}
    assert s.metrics == {DOC: "amber", "restore_success_pct": "missing"}  # 82: amber (≥ 80)
    assert (s.answered, s.questions) == (3, 2)
    assert run(catalog, []).scenarios["ransomware"].readiness is None


@pytest.mark.parametrize(
    ("responses", "message"),
    [
        ([answer("NOPE-01", "IT", 3)], "unknown question 'NOPE-01'"),
        ([answer("ACC-02", "IT", 3)], "does not apply to IT"),
        ([answer("GOV-01", "IT", 3), answer("GOV-01", "IT", 2)], "duplicate response"),
    ],
)
def test_bad_responses_raise_one_error_listing_every_problem(catalog, responses, message):
    with pytest.raises(ResponseError) as err:
        run(catalog, [*responses, answer("GOV-02", "OT", 2)], scope=Scope.IT)
    lines = err.value.lines()
    assert any(message in line for line in lines)
    assert any("not in the assessment's scope IT" in line for line in lines)  # GOV-02 OT, too


def test_na_with_a_level_is_refused(catalog):
    from scoring.model import Response

    with pytest.raises(ResponseError, match="problem"):
        run(catalog, [Response(question_id="GOV-01", environment="IT", current=3, na=True, na_reason="x")])


def test_the_frameworks_must_be_those_the_questionnaire_binds(catalog, questionnaire):
    with pytest.raises(ContentError) as err:
        score(questionnaire, catalog.framework("mini-cpg"), catalog.framework("mini-cpg"), [], None, scope=Scope.IT, as_of=AS_OF)
    assert "binds 'mini-csf' but 'mini-cpg' was given" in str(err.value)


def test_the_same_inputs_give_the_same_scorecard(catalog):
    responses = [answer("GOV-01", "IT", 4), answer("ACC-01", "OT", 2), answer("GOV-02", "OT", "NA")]
    metrics = metric_set(**{DOC: 72})
    assert run(catalog, responses, metrics).model_dump() == run(catalog, list(reversed(responses)), metrics).model_dump()
