"""Rule 6: CPG goal scores, statuses, and the CSET-comparable "% of goals implemented".

A goal's score per environment is the question-weighted mean of the answered responses mapped to
it (like a CSF subcategory). Its status per environment comes from rules.goal_status over the
verified levels of those responses. The implemented share counts (goal, environment) pairs:
implemented ÷ assessed × 100, None when no goal was assessed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence

from catalog.models import Environment, Framework, Question
from scoring import rules
from scoring.model import GoalScore, GoalStatus, ResponseScore
from scoring.rollup import NONE3, combine, triple, weighted_leaves


def score_goals(
    framework: Framework,
    answered: Sequence[ResponseScore],
    questions: dict[str, Question],
    environments: Sequence[Environment],
    policy: rules.Policy = rules.DEFAULT_POLICY,
    only: Collection[str] | None = None,
) -> dict[str, GoalScore]:
    """A GoalScore for every goal of the framework (unassessed ones included); `only`: for these
    goals alone, and then `answered` need hold only the answered responses mapped to them."""
    leaves = weighted_leaves(answered, questions, lambda q: q.cpg)
    levels: dict[tuple[str, Environment], list[int]] = defaultdict(list)
    for rs in answered:
        for goal in questions[rs.question_id].cpg:
            levels[(goal, rs.environment)].append(rs.verified)
    out: dict[str, GoalScore] = {}
    for node in framework.nodes:
        if node.kind != "goal" or (only is not None and node.id not in only):
            continue
        by_env = {env: leaves.get((node.id, env), NONE3) for env in environments}
        out[node.id] = GoalScore.model_construct(
            id=node.id,
            title=node.title,
            combined=triple(combine(by_env)),
            by_environment={env: triple(s) for env, s in by_env.items()},
            status={env: rules.goal_status(levels.get((node.id, env), []), policy) for env in environments},
        )
    return out


def implemented_pct(
    goals: dict[str, GoalScore], environments: Sequence[Environment]
) -> tuple[float | None, dict[Environment, float | None]]:
    """% implemented over assessed (goal, environment) pairs: overall and per environment."""
    by_env = {env: _pct([g.status[env] for g in goals.values()]) for env in environments}
    overall = _pct([g.status[env] for g in goals.values() for env in environments])
    return overall, by_env


def _pct(statuses: list[GoalStatus]) -> float | None:
    assessed = [s for s in statuses if s != "not_assessed"]
    if not assessed:
        return None
    return 100.0 * sum(1 for s in assessed if s == "implemented") / len(assessed)
