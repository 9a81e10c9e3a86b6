"""`score()`: questionnaire + responses + metrics → Scorecard. Pure and deterministic.

It reads no file, clock or database: everything it needs is passed in, and the same inputs give
the same Scorecard. docs/methodology.md explains each rule; the modules beside this one implement
them (caps, rollup, goals, gaps, scenarios, overall) with the policy in rules.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from catalog.models import Environment, Framework, MetricDefinition, Questionnaire
from errors import ContentError, Problem
from evidence.metric_set import MetricSet
from scoring import rules
from scoring.applicability import Pair, applicable_pairs, index_responses
from scoring.caps import rules_by_question, score_response
from scoring.gaps import rank_gaps
from scoring.goals import implemented_pct, score_goals
from scoring.model import Response, ResponseScore, Scope, Scorecard
from scoring.overall import overalls
from scoring.rollup import KINDS, CsfRollup, Scores, combine
from scoring.scenarios import score_scenarios

HEADLINE_KINDS = ("function", "category")
"""The CSF node kinds a headline scorecard (`scorecard_of(headline=True)`) carries."""


def score(
    questionnaire: Questionnaire,
    csf: Framework,
    cpg: Framework,
    responses: Iterable[Response],
    metrics: MetricSet | None,
    *,
    scope: Scope,
    as_of: date,
    definitions: dict[str, MetricDefinition] | None = None,
    policy: rules.Policy = rules.DEFAULT_POLICY,
) -> Scorecard:
    """Score one assessment.

    - `csf` / `cpg`: the frameworks the questionnaire binds (questionnaire.frameworks.csf / .cpg).
    - `responses`: at most one per applicable (question, environment); missing ones are
      unanswered. Unknown questions, environments outside the scope or the question's
      `applies_to`, duplicates and NA-with-a-level raise one ResponseError listing them all.
    - `metrics`: computed evidence metrics, or None when no evidence was given (nothing is capped,
      nothing is verified).
    - `definitions`: metric definitions by name (Catalog.metric_definitions()), used for the RAG
      status of scenario metrics.
    - `as_of`: the date the assessment describes; recorded, never compared with a clock.
    """
    check_frameworks(questionnaire, csf, cpg)
    indexed = index_responses(questionnaire, scope, responses)
    scores = response_scores(questionnaire, scope, indexed, metrics)
    return scorecard_of(questionnaire, csf, cpg, scores, metrics, scope=scope, as_of=as_of,
                        definitions=definitions, policy=policy)


def response_scores(questionnaire: Questionnaire, scope: Scope, indexed: dict[Pair, Response],
                    metrics: MetricSet | None) -> list[ResponseScore]:
    """Every applicable (question, environment)'s ResponseScore, in `applicable_pairs` order;
    `indexed`: the checked responses by pair (scoring.applicability.index_responses)."""
    rules_of = rules_by_question(questionnaire)
    return [
        score_response(questionnaire, q, env, indexed.get((q.id, env)), rules_of.get(q.id, []), metrics)
        for q, env in applicable_pairs(questionnaire, scope)
    ]


def scorecard_of(
    questionnaire: Questionnaire,
    csf: Framework,
    cpg: Framework,
    scores: Sequence[ResponseScore],
    metrics: MetricSet | None,
    *,
    scope: Scope,
    as_of: date,
    definitions: dict[str, MetricDefinition] | None = None,
    policy: rules.Policy = rules.DEFAULT_POLICY,
    headline: bool = False,
    rollup: CsfRollup | None = None,
    numbers: tuple[dict[str, dict[Environment, Scores]], dict[str, int]] | None = None,
) -> Scorecard:
    """The Scorecard of scored responses (`response_scores`). `headline`: only what a projected
    point reads (overalls, functions, categories, CPG goals, responses); subcategories, gaps,
    scenarios and caps are left empty. `rollup`: a CsfRollup of `csf` for the scope, to reuse, and
    `numbers` its `node_scores` and `answered_counts` of these scores (see CsfRollup.run)."""
    environments = scope.environments
    questions = {q.id: q for q in questionnaire.questions}
    answered = [rs for rs in scores if rs.state == "answered"]
    rollup = rollup or CsfRollup(csf, environments)
    nodes, rolled = rollup.run(answered, questions, HEADLINE_KINDS if headline else KINDS, numbers)
    overall, by_environment = overalls(scores, rolled)
    goals = score_goals(cpg, answered, questions, environments, policy)
    pct, pct_by_env = implemented_pct(goals, environments)
    if headline:
        gaps, scenarios, caps = (), {}, ()
    else:
        by_pair = {(rs.question_id, rs.environment): rs for rs in scores}
        gaps = rank_gaps(answered, questions)
        scenarios = score_scenarios(questionnaire, by_pair, metrics, definitions or {}, environments)
        caps = tuple(cap for rs in scores for cap in rs.caps)
    return Scorecard.model_construct(
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        scope=scope,
        as_of=as_of,
        overall=overall,
        by_environment=by_environment,
        functions=nodes["function"],
        categories=nodes["category"],
        subcategories=nodes["subcategory"],
        cpg_goals=goals,
        cpg_implemented_pct=pct,
        cpg_implemented_pct_by_environment=pct_by_env,
        gaps=gaps,
        scenarios=scenarios,
        caps=caps,
        responses=tuple(scores),
    )


def verified_of(rollup: CsfRollup, per_env: dict[str, dict[Environment, Scores]]) -> float | None:
    """The overall verified score of the CSF roll-up's node scores (`CsfRollup.node_scores`): what
    `scorecard_of` makes `overall.verified` (scoring.overall combines the environments' overalls),
    without building NodeScores, goals, gaps or scenarios."""
    return combine(rollup.overall(per_env))[1]


def check_frameworks(questionnaire: Questionnaire, csf: Framework, cpg: Framework) -> None:
    """The frameworks passed in must be the ones the questionnaire's references are written in."""
    problems = [
        Problem(f"questionnaire '{questionnaire.id}': frameworks.{role}", f"binds '{wanted}' but '{given.id}' was given")
        for role, wanted, given in (("csf", questionnaire.frameworks.csf, csf), ("cpg", questionnaire.frameworks.cpg, cpg))
        if wanted != given.id
    ]
    if problems:
        raise ContentError("scoring was given the wrong frameworks", problems)
