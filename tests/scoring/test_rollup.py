"""Rules 2–5: what is averaged, weighted means at the leaves, averages of averages above them."""

from __future__ import annotations

import pytest

from scoring.model import Scope
from tests.scoring.conftest import answer, metric_set, run


def _t(triple):
    return (triple.claimed, triple.verified, triple.target)


def test_subcategory_is_the_weighted_mean_of_its_answered_questions(catalog):
    # GV.OC-01 ← GOV-01 (weight 2) and GOV-02 (weight 1).
    card = run(catalog, [answer("GOV-01", "IT", 5), answer("GOV-02", "IT", 2)])
    assert card.subcategories["GV.OC-01"].by_environment["IT"].claimed == pytest.approx((2 * 5 + 1 * 2) / 3)
    # GOV-01's target (4, its own) and GOV-02's (3, profile default) weigh the same way.
    assert card.subcategories["GV.OC-01"].by_environment["IT"].target == pytest.approx((2 * 4 + 3) / 3)
    assert card.subcategories["GV.OC-01"].answered == 2


@pytest.mark.parametrize(
    "responses",
    [
        [],
        [answer("GOV-02", "IT")],  # a target alone is not an answer
        [answer("GOV-02", "IT", "NA"), answer("GOV-02", "OT", "NA")],
    ],
)
def test_nothing_answered_is_no_score_not_zero(catalog, responses):
    card = run(catalog, responses)
    for node in ("GV.RM-01", "GV.RM", "GV.RM-02"):
        scores = card.subcategories.get(node) or card.categories[node]
        assert _t(scores.combined) == (None, None, None)
        assert all(_t(t) == (None, None, None) for t in scores.by_environment.values())
    assert (card.overall.claimed, card.overall.verified, card.overall.target) == (None, None, None)


def test_na_and_unanswered_are_left_out_of_means(catalog):
    with_na = run(catalog, [answer("GOV-01", "IT", 4), answer("GOV-02", "IT", "NA")])
    alone = run(catalog, [answer("GOV-01", "IT", 4)])
    assert with_na.subcategories["GV.OC-01"].by_environment["IT"].claimed == 4
    assert with_na.overall.claimed == alone.overall.claimed == 4


def test_parents_average_their_scored_children_not_their_questions(catalog):
    # GV.OC-01 gets two answers, GV.RM-01 one: the function is the mean of the two categories,
    # so the larger category does not dominate.
    card = run(catalog, [answer("GOV-01", "IT", 5), answer("GOV-02", "IT", 1)])
    oc = card.categories["GV.OC"].by_environment["IT"].claimed  # (2·5 + 1)/3 = 11/3
    rm = card.categories["GV.RM"].by_environment["IT"].claimed  # 1
    assert oc == pytest.approx(11 / 3) and rm == 1
    assert card.functions["GV"].by_environment["IT"].claimed == pytest.approx((11 / 3 + 1) / 2)
    assert card.functions["PR"].by_environment["IT"].claimed is None
    # Overall = mean of scored functions only (PR has no score, so it is GV's).
    assert card.by_environment["IT"].claimed == pytest.approx((11 / 3 + 1) / 2)


def test_category_ignores_unscored_subcategories(catalog):
    card = run(catalog, [answer("GOV-02", "IT", 2)])
    assert card.subcategories["GV.RM-02"].combined.claimed is None
    assert card.categories["GV.RM"].by_environment["IT"].claimed == 2


@pytest.mark.parametrize(
    ("it", "ot", "combined"),
    [
        (4, 2, 3.0),
        (4, None, 4.0),  # only the environment that has a score counts
        (None, 1, 1.0),
        (None, None, None),
    ],
)
def test_combined_is_the_mean_of_the_environment_scores_that_exist(catalog, it, ot, combined):
    card = run(catalog, [answer("ACC-01", "IT", it), answer("ACC-01", "OT", ot)])
    for nodes, key in ((card.subcategories, "PR.AA-01"), (card.categories, "PR.AA"), (card.functions, "PR")):
        assert nodes[key].combined.claimed == combined
    assert card.overall.claimed == combined


def test_combined_overall_is_the_mean_of_the_environment_overalls(catalog):
    card = run(catalog, [answer("GOV-02", "IT", 1), answer("ACC-01", "IT", 5), answer("ACC-02", "OT", 2)])
    assert card.by_environment["IT"].claimed == 3  # (GV 1 + PR 5) / 2
    assert card.by_environment["OT"].claimed == 2
    assert card.overall.claimed == 2.5


def test_claimed_verified_target_use_the_same_rollup(catalog):
    metrics = metric_set(governed_access_pct=(70, {"OT": 50}))
    card = run(catalog, [answer("ACC-01", "IT", 5, target=5), answer("ACC-01", "OT", 4)], metrics)
    assert _t(card.functions["PR"].by_environment["IT"]) == (5, 3, 5)  # 70 → up to 3
    assert _t(card.functions["PR"].by_environment["OT"]) == (4, 2, 4)  # 50 → floor 2
    assert _t(card.functions["PR"].combined) == (4.5, 2.5, 4.5)


@pytest.mark.parametrize(
    ("scope", "environments"),
    [(Scope.IT, ("IT",)), (Scope.OT, ("OT",)), (Scope.IT_OT, ("IT", "OT"))],
)
def test_only_environments_in_scope_are_reported(catalog, scope, environments):
    card = run(catalog, [], scope=scope)
    assert tuple(card.by_environment) == environments
    assert tuple(card.functions["GV"].by_environment) == environments
    assert tuple(card.cpg_goals["1.A"].status) == environments


def test_answered_counts_distinct_responses_at_or_below_a_node(catalog):
    # GOV-02 maps to GV.OC-01 and GV.RM-01: it counts once for GV.
    card = run(catalog, [answer("GOV-02", "IT", 3), answer("GOV-02", "OT", 3), answer("GOV-01", "IT", 3)])
    assert card.subcategories["GV.OC-01"].answered == 3
    assert card.subcategories["GV.RM-01"].answered == 2
    assert card.functions["GV"].answered == 3
    assert card.functions["PR"].answered == 0
