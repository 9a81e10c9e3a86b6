"""Rule 9: readiness for the disruption scenarios defined in the questionnaire.

Readiness = plain mean of the verified levels of the scenario's answered responses (every
question of the scenario, every environment in scope), 0–5; per environment likewise; None when
none is answered. Each of the scenario's metrics is shown with its RAG status (rules.rag_status,
on the overall value), "missing" when the evidence does not provide it.
"""

from __future__ import annotations

from collections.abc import Sequence

from catalog.models import Environment, MetricDefinition, Questionnaire
from evidence.metric_set import MetricSet
from scoring import rules
from scoring.model import ResponseScore, ScenarioScore
from scoring.rollup import mean


def score_scenarios(
    questionnaire: Questionnaire,
    scores: dict[tuple[str, Environment], ResponseScore],
    metrics: MetricSet | None,
    definitions: dict[str, MetricDefinition],
    environments: Sequence[Environment],
) -> dict[str, ScenarioScore]:
    out: dict[str, ScenarioScore] = {}
    for scenario in questionnaire.scenarios:
        verified: dict[Environment, list[int]] = {env: [] for env in environments}
        for qid in scenario.questions:
            for env in environments:
                rs = scores.get((qid, env))
                if rs is not None and rs.verified is not None:
                    verified[env].append(rs.verified)
        everything = [v for env in environments for v in verified[env]]
        out[scenario.id] = ScenarioScore.model_construct(
            id=scenario.id,
            name=scenario.name,
            readiness=mean(everything),
            by_environment={env: mean(verified[env]) for env in environments},
            metrics={name: _status(metrics, definitions, name) for name in scenario.metrics},
            answered=len(everything),
            questions=len(scenario.questions),
        )
    return out


def _status(metrics: MetricSet | None, definitions: dict[str, MetricDefinition], name: str) -> str:
    result = None if metrics is None else metrics.metrics.get(name)
    if result is None:
        return "missing"
    return rules.rag_status(definitions.get(name), result.value, result.status)
