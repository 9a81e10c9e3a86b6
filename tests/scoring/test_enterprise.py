"""The enterprise roll-up (scoring.enterprise): table tests of each rule and the identity property."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from errors import ScorecardError
from scoring.enterprise import Member, roll_up, weighted_mean, worst_status
from scoring.model import Scope, Scorecard
from tests.scoring.conftest import answer, run
from tests.scoring.test_properties import CATALOG, all_values, assessments

QUESTIONS = {"IT": ("GOV-01", "GOV-02", "ACC-01"), "OT": ("GOV-01", "GOV-02", "ACC-01", "ACC-02")}


def uniform(level: int, scope: Scope = Scope.IT_OT, skip: tuple[tuple[str, str], ...] = ()) -> Scorecard:
    """Every applicable question answered at `level` (no evidence: verified = claimed = level)."""
    responses = [answer(q, env, level) for env in scope.environments for q in QUESTIONS[env]
                 if (q, env) not in skip]
    return run(CATALOG, responses, scope=scope)


@pytest.fixture(scope="module")
def plant() -> Scorecard:
    return uniform(2)  # IT+OT, all level 2


@pytest.fixture(scope="module")
def office() -> Scorecard:
    return uniform(4, Scope.IT)  # IT only, all level 4


@pytest.mark.parametrize(("pairs", "expected"), [
    ([(2.0, 4), (4.0, 2)], (8 + 8) / 6),
    ([(None, 4), (4.0, 2)], 4.0),  # a member without a value leaves the mean; the rest renormalise
    ([(None, 4), (None, 1)], None),
    ([], None),
    ([(1.0, 1), (2.0, 1), (3.0, 2)], 2.25),
])
def test_weighted_mean(pairs, expected):
    assert weighted_mean(pairs) == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize(("statuses", "expected"), [
    (["implemented", "not_implemented", "in_progress"], "not_implemented"),
    (["implemented", "in_progress"], "in_progress"),
    (["implemented", "not_assessed"], "implemented"),  # a site that did not assess it does not count
    (["not_assessed", "not_assessed"], "not_assessed"),
])
def test_worst_status(statuses, expected):
    assert worst_status(statuses) == expected


def test_scores_are_weighted_means_per_node_and_environment(plant, office):
    rolled = roll_up([Member("Plant", 4, plant), Member("Office", 2, office)])
    assert rolled.scope == Scope.IT_OT
    # Overall combined: weighted mean of the members' own overall verified.
    assert rolled.overall.verified == pytest.approx((plant.overall.verified * 4 + office.overall.verified * 2) / 6)
    assert rolled.overall.verified == pytest.approx((2 * 4 + 4 * 2) / 6)
    # IT: both members; OT: the plant only (the office has no OT to contribute).
    assert rolled.by_environment["IT"].verified == pytest.approx((2 * 4 + 4 * 2) / 6)
    assert rolled.by_environment["OT"].verified == pytest.approx(2.0)
    gv = rolled.functions["GV"]
    assert gv.combined.claimed == pytest.approx((2 * 4 + 4 * 2) / 6)
    assert gv.by_environment["OT"].verified == pytest.approx(2.0)
    assert gv.answered == plant.functions["GV"].answered + office.functions["GV"].answered
    # Targets are means of targets too (access targets 4, governance 3 or 4).
    assert rolled.overall.target == pytest.approx((plant.overall.target * 4 + office.overall.target * 2) / 6)
    pr_aa_02 = rolled.subcategories["PR.AA-02"]  # OT-only question: the office has no score there
    assert pr_aa_02.by_environment["OT"].verified == pytest.approx(2.0)
    assert pr_aa_02.by_environment["IT"].verified is None  # nobody scored it in IT: None, not 0


def test_a_node_nobody_scored_stays_none(office):
    empty = run(CATALOG, [], scope=Scope.IT)
    rolled = roll_up([Member("Empty", 4, empty), Member("Office", 1, office)])
    assert rolled.overall.verified == pytest.approx(4.0)  # the empty member has no value: left out
    nobody = roll_up([Member("A", 4, empty), Member("B", 2, empty)])
    assert nobody.overall.verified is None and nobody.functions["GV"].combined.verified is None


def test_completion_and_confidence_pool_the_counts(plant, office):
    half = uniform(3, Scope.IT, skip=(("GOV-02", "IT"), ("ACC-01", "IT")))
    rolled = roll_up([Member("Plant", 4, plant), Member("Half", 1, half)])
    o = rolled.overall
    assert (o.applicable, o.answered, o.not_applicable) == (7 + 3, 7 + 1, 0)
    assert o.completion == pytest.approx(8 / 10)  # not the criticality-weighted (4·1 + 1·⅓)/5
    assert o.confidence == 0.0  # no evidence anywhere


def test_cpg_status_is_the_worst_site_and_pct_the_weighted_mean(plant, office):
    rolled = roll_up([Member("Office", 4, office), Member("Plant", 1, plant)])
    assert office.cpg_goals["2.B"].status["IT"] == "implemented" and plant.cpg_goals["2.B"].status["IT"] != "implemented"
    assert rolled.cpg_goals["2.B"].status["IT"] == worst_status(
        [office.cpg_goals["2.B"].status["IT"], plant.cpg_goals["2.B"].status["IT"]])
    assert rolled.cpg_goals["2.B"].status["OT"] == plant.cpg_goals["2.B"].status["OT"]  # only the plant assessed OT
    assert rolled.cpg_implemented_pct == pytest.approx(
        (office.cpg_implemented_pct * 4 + plant.cpg_implemented_pct * 1) / 5)
    assert rolled.cpg_implemented_pct_by_environment["OT"] == pytest.approx(plant.cpg_implemented_pct_by_environment["OT"])


def test_gaps_are_labelled_with_their_site_and_ranked(plant, office):
    low = uniform(1, Scope.IT)
    rolled = roll_up([Member("Office", 1, office), Member("Plant", 4, plant), Member("Branch", 2, low)])
    assert {g.site for g in rolled.gaps} == {"Plant", "Branch"}  # the office meets every target
    assert len(rolled.gaps) == len(plant.gaps) + len(low.gaps)
    priorities = [g.priority for g in rolled.gaps]
    assert priorities == sorted(priorities, reverse=True)
    top = rolled.gaps[0]
    assert (top.site, top.question_id, top.environment) == ("Branch", "ACC-01", "IT")  # gap 3 × 3 × 5
    # Equal priority and gap: the heavier (more critical) site comes first.
    tied = roll_up([Member("Light", 1, plant), Member("Heavy", 4, plant)])
    assert [g.site for g in tied.gaps[:4]] == ["Heavy", "Heavy", "Light", "Light"]  # ACC-01 IT, OT at each


def test_caps_responses_and_scenarios(plant, office):
    rolled = roll_up([Member("Plant", 3, plant), Member("Office", 1, office)])
    assert {r.site for r in rolled.responses} == {"Plant", "Office"}
    assert len(rolled.responses) == len(plant.responses) + len(office.responses)
    ransomware = rolled.scenarios["ransomware"]
    assert ransomware.readiness == pytest.approx(
        (plant.scenarios["ransomware"].readiness * 3 + office.scenarios["ransomware"].readiness) / 4)
    assert ransomware.answered == plant.scenarios["ransomware"].answered + office.scenarios["ransomware"].answered
    assert ransomware.metrics["restore_success_pct"] == "missing"


def test_scenario_metric_statuses_are_the_pooled_metrics_statuses(plant, office):
    """The scenario table must show the status the metric table shows: the pooled metric's."""
    from evidence.metric_set import MetricResult, MetricSet

    pooled = MetricSet(as_of=date(2026, 9, 30), metrics={"restore_success_pct": MetricResult(
        name="restore_success_pct", value=90.0, status="amber")})
    rolled = roll_up([Member("Plant", 3, plant), Member("Office", 1, office)], metrics=pooled)
    assert rolled.scenarios["ransomware"].metrics == {"critical_asset_documentation_pct": "missing",
                                                      "restore_success_pct": "amber"}


def test_as_of_is_the_latest_member_unless_given(plant, office):
    later = office.model_copy(update={"as_of": date(2027, 1, 1)})
    assert roll_up([Member("P", 1, plant), Member("O", 1, later)]).as_of == date(2027, 1, 1)
    assert roll_up([Member("P", 1, plant)], as_of=date(2026, 12, 31)).as_of == date(2026, 12, 31)


@pytest.mark.parametrize(("members", "message"), [
    ([], "no member scorecards"),
    ([("A", 0)], "weight 0 is not positive"),
    ([("A", -1)], "weight -1 is not positive"),
])
def test_bad_members_are_refused_with_a_reason(plant, members, message):
    with pytest.raises(ScorecardError) as error:
        roll_up([Member(site, weight, plant) for site, weight in members])
    assert message in str(error.value)


def test_members_of_different_questionnaires_are_refused(plant):
    other = plant.model_copy(update={"questionnaire_id": "other"})
    with pytest.raises(ScorecardError, match="different questionnaires"):
        roll_up([Member("A", 1, plant), Member("B", 1, other)])


def _close(a, b) -> bool:
    return a is None and b is None or a is not None and b is not None and a == pytest.approx(b)


@settings(max_examples=40, deadline=None)
@given(assessments(), st.integers(1, 4), st.lists(st.sampled_from([1, 2, 3, 4]), min_size=4, max_size=4))
def test_roll_up_of_identical_scorecards_is_the_scorecard(drawn, copies, weights):
    responses, metrics = drawn
    card = run(CATALOG, responses.values(), metrics)
    rolled = roll_up([Member(f"site {i}", weights[i], card) for i in range(copies)])
    for (where, kind, value), (where2, kind2, value2) in zip(all_values(rolled), all_values(card), strict=True):
        assert (where, kind) == (where2, kind2) and _close(value, value2), (where, kind, value, value2)
    for mine, theirs in ((rolled.overall, card.overall), *((rolled.by_environment[e], card.by_environment[e]) for e in card.by_environment)):
        assert mine.completion == pytest.approx(theirs.completion) and mine.confidence == pytest.approx(theirs.confidence)
        assert (mine.answered, mine.applicable, mine.not_applicable) == (
            copies * theirs.answered, copies * theirs.applicable, copies * theirs.not_applicable)
    assert {k: g.status for k, g in rolled.cpg_goals.items()} == {k: g.status for k, g in card.cpg_goals.items()}
    assert _close(rolled.cpg_implemented_pct, card.cpg_implemented_pct)
    assert {k: s.metrics for k, s in rolled.scenarios.items()} == {k: s.metrics for k, s in card.scenarios.items()}
    assert all(_close(rolled.scenarios[k].readiness, s.readiness) for k, s in card.scenarios.items())
    assert (rolled.scope, rolled.as_of, rolled.questionnaire_version) == (card.scope, card.as_of, card.questionnaire_version)
    assert len(rolled.gaps) == copies * len(card.gaps) and len(rolled.caps) == copies * len(card.caps)
    # Each copy's gaps, stripped of the site label, are the original list in its order.
    for i in range(copies):
        own = tuple(g.model_copy(update={"site": ""}) for g in rolled.gaps if g.site == f"site {i}")
        assert own == card.gaps


def test_every_criticality_has_a_weight_and_is_the_evidence_scale():
    from catalog.models import CRITICALITIES
    from evidence.schemas import get_schema
    from scoring.enterprise import CRITICALITY_WEIGHTS, weight_of

    assert tuple(CRITICALITY_WEIGHTS) == CRITICALITIES
    assert get_schema("asset_inventory").field("criticality").allowed == CRITICALITIES
    assert [weight_of(c) for c in CRITICALITIES] == [4, 3, 2, 1] and weight_of(None) == 4
