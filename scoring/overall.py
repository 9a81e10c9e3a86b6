"""Rules 2 and 8: completion and confidence, with the overall scores, per environment and combined.

- completion = (answered + NA) ÷ applicable responses, 0–1 (0 when nothing applies);
- confidence = answered responses whose question has evidence rules and all their metrics present
  ÷ answered responses, 0–1 (0 when nothing is answered);
- the overall claimed / verified / target come from the CSF rollup (mean of scored functions), and
  combined = mean of the environment overalls that exist.
"""

from __future__ import annotations

from collections.abc import Sequence

from catalog.models import Environment
from scoring.model import Overall, ResponseScore
from scoring.rollup import Scores, combine


def overall_of(scores: Sequence[ResponseScore], rolled: Scores) -> Overall:
    answered = sum(1 for rs in scores if rs.state == "answered")
    not_applicable = sum(1 for rs in scores if rs.state == "na")
    evidenced = sum(1 for rs in scores if rs.state == "answered" and rs.verified_by_evidence)
    applicable = len(scores)
    return Overall.model_construct(
        claimed=rolled[0],
        verified=rolled[1],
        target=rolled[2],
        completion=(answered + not_applicable) / applicable if applicable else 0.0,
        confidence=evidenced / answered if answered else 0.0,
        answered=answered,
        not_applicable=not_applicable,
        applicable=applicable,
    )


def overalls(
    scores: Sequence[ResponseScore], rolled: dict[Environment, Scores]
) -> tuple[Overall, dict[Environment, Overall]]:
    """The combined Overall and one per environment in scope."""
    by_env = {env: overall_of([rs for rs in scores if rs.environment == env], s) for env, s in rolled.items()}
    return overall_of(scores, combine(rolled)), by_env
