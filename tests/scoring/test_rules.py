"""Table-driven tests of the scoring policy (scoring/rules.py), one table per rule."""

from __future__ import annotations

import pytest

from catalog.models import CapStep, EvidenceRule, MetricDefinition
from scoring import rules
from scoring.model import Response

HIGHER = EvidenceRule(
    metric="critical_asset_documentation_pct",
    questions=("Q",),
    steps=(CapStep(threshold=95, level=5), CapStep(threshold=85, level=4), CapStep(threshold=70, level=3), CapStep(threshold=50, level=2)),
    floor=1,
)
LOWER = EvidenceRule(
    metric="high_risk_exception_age_median_days",
    questions=("Q",),
    direction="lower_is_better",
    steps=(CapStep(threshold=30, level=5), CapStep(threshold=60, level=4), CapStep(threshold=90, level=3), CapStep(threshold=180, level=2)),
    floor=0,
)


@pytest.mark.parametrize(
    ("rule", "value", "level", "words"),
    [
        (HIGHER, 100, 5, "≥ 95 → up to 5"),
        (HIGHER, 95, 5, "≥ 95 → up to 5"),  # the threshold itself passes
        (HIGHER, 94.99, 4, "≥ 85 → up to 4"),
        (HIGHER, 85, 4, "≥ 85 → up to 4"),
        (HIGHER, 72, 3, "≥ 70 → up to 3"),
        (HIGHER, 50, 2, "≥ 50 → up to 2"),
        (HIGHER, 49.9, 1, "below 50 → up to 1"),
        (HIGHER, 0, 1, "below 50 → up to 1"),
        (LOWER, 0, 5, "≤ 30 → up to 5"),
        (LOWER, 30, 5, "≤ 30 → up to 5"),
        (LOWER, 30.5, 4, "≤ 60 → up to 4"),
        (LOWER, 90, 3, "≤ 90 → up to 3"),
        (LOWER, 180, 2, "≤ 180 → up to 2"),
        (LOWER, 181, 0, "above 180 → up to 0"),
    ],
)
def test_cap_for_takes_the_first_step_passed_else_the_floor(rule, value, level, words):
    assert rules.cap_for(rule, value) == (level, words)


def test_cap_threshold_words_keep_decimals_when_content_has_them():
    rule = HIGHER.model_copy(update={"steps": (CapStep(threshold=92.5, level=4),)})
    assert rules.cap_for(rule, 93) == (4, "≥ 92.5 → up to 4")
    assert rules.cap_for(rule, 90) == (1, "below 92.5 → up to 1")


@pytest.mark.parametrize(
    ("response", "state"),
    [
        (None, "unanswered"),
        (Response(question_id="Q", environment="IT"), "unanswered"),
        (Response(question_id="Q", environment="IT", target=4), "unanswered"),
        (Response(question_id="Q", environment="IT", current=0), "answered"),
        (Response(question_id="Q", environment="OT", current=5), "answered"),
        (Response(question_id="Q", environment="OT", na=True, na_reason="no OT here"), "na"),
    ],
)
def test_state_of(response, state):
    assert rules.state_of(response) == state


@pytest.mark.parametrize(
    ("levels", "status"),
    [
        ([], "not_assessed"),
        ([3], "implemented"),
        ([5, 3, 4], "implemented"),
        ([3, 2], "in_progress"),
        ([1], "in_progress"),
        ([0, 1], "in_progress"),
        ([0], "not_implemented"),
        ([0, 0], "not_implemented"),
    ],
)
def test_goal_status(levels, status):
    assert rules.goal_status(levels) == status


def test_goal_status_thresholds_are_policy():
    strict = rules.Policy(implemented_level=4, in_progress_level=2)
    assert rules.goal_status([3], strict) == "in_progress"
    assert rules.goal_status([1], strict) == "not_implemented"
    assert rules.goal_status([4, 5], strict) == "implemented"


@pytest.mark.parametrize(
    ("target", "verified", "weight", "consequence", "gap", "priority"),
    [
        (4, 2, 3, 5, 2, 30.0),
        (3, 3, 2, 4, 0, 0.0),
        (2, 4, 1, 1, 0, 0.0),  # above target: no negative gap
        (5, 0, 3, 5, 5, 75.0),  # the largest priority possible
        (1, 0, 1, 1, 1, 1.0),
    ],
)
def test_gap_and_priority(target, verified, weight, consequence, gap, priority):
    assert rules.gap_of(target, verified) == gap
    assert rules.gap_priority(gap, weight, consequence) == priority


def _definition(direction, green, amber):
    return MetricDefinition(
        name="m", label="M", description="d", unit="pct", dataset="x", combine="ratio", direction=direction, green=green, amber=amber
    )


@pytest.mark.parametrize(
    ("direction", "value", "status"),
    [
        ("higher_is_better", 95, "green"),
        ("higher_is_better", 94.9, "amber"),
        ("higher_is_better", 80, "amber"),
        ("higher_is_better", 79, "red"),
        ("higher_is_better", None, "missing"),
        ("lower_is_better", 5, "green"),
        ("lower_is_better", 5.1, "amber"),
        ("lower_is_better", 15, "amber"),
        ("lower_is_better", 16, "red"),
        ("lower_is_better", None, "missing"),
    ],
)
def test_rag_status(direction, value, status):
    definition = _definition(direction, 95, 80) if direction == "higher_is_better" else _definition(direction, 5, 15)
    assert rules.rag_status(definition, value) == status


def test_rag_status_without_definition_keeps_the_reported_status():
    assert rules.rag_status(None, 12.0, "amber") == "amber"
    assert rules.rag_status(None, None, "amber") == "missing"


@pytest.mark.parametrize(
    ("question_id", "environment", "response_target", "expected"),
    [
        ("GOV-01", "IT", None, 4),  # the question's own target
        ("GOV-02", "OT", None, 3),  # the profile default
        ("ACC-01", "OT", None, 4),  # the section's default
        ("ACC-01", "IT", 5, 5),  # the response's target wins
        ("GOV-02", "IT", 0, 0),  # a target of 0 is a target, not blank
    ],
)
def test_target_precedence(questionnaire, question_id, environment, response_target, expected):
    question = questionnaire.question(question_id)
    response = Response(question_id=question_id, environment=environment, target=response_target)
    assert rules.target_of(questionnaire, question, response, environment) == expected
