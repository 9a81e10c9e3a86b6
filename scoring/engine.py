"""`score()`: questionnaire + responses + metrics → Scorecard. Pure and deterministic.

It reads no file, clock or database: everything it needs is passed in, and the same inputs give
the same Scorecard. docs/methodology.md explains each rule; the modules beside this one implement
them (caps, rollup, goals, gaps, scenarios, overall) with the policy in rules.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from catalog.models import Framework, MetricDefinition, Questionnaire
from errors import ContentError, Problem
from evidence.metric_set import MetricSet
from scoring import rules
from scoring.applicability import applicable_pairs, index_responses
from scoring.caps import rules_by_question, score_response
from scoring.gaps import rank_gaps
from scoring.goals import implemented_pct, score_goals
from scoring.model import Response, Scope, Scorecard
from scoring.overall import overalls
from scoring.rollup import CsfRollup
from scoring.scenarios import score_scenarios


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
    _check_frameworks(questionnaire, csf, cpg)
    environments = scope.environments
    indexed = index_responses(questionnaire, scope, responses)
    rules_of = rules_by_question(questionnaire)
    questions = {q.id: q for q in questionnaire.questions}

    scores = [
        score_response(questionnaire, q, env, indexed.get((q.id, env)), rules_of.get(q.id, []), metrics)
        for q, env in applicable_pairs(questionnaire, scope)
    ]
    answered = [rs for rs in scores if rs.state == "answered"]

    nodes, rolled = CsfRollup(csf, environments).run(answered, questions)
    overall, by_environment = overalls(scores, rolled)
    goals = score_goals(cpg, answered, questions, environments, policy)
    pct, pct_by_env = implemented_pct(goals, environments)
    by_pair = {(rs.question_id, rs.environment): rs for rs in scores}

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
        gaps=rank_gaps(answered, questions),
        scenarios=score_scenarios(questionnaire, by_pair, metrics, definitions or {}, environments),
        caps=tuple(cap for rs in scores for cap in rs.caps),
        responses=tuple(scores),
    )


def _check_frameworks(questionnaire: Questionnaire, csf: Framework, cpg: Framework) -> None:
    """The frameworks passed in must be the ones the questionnaire's references are written in."""
    problems = [
        Problem(f"questionnaire '{questionnaire.id}': frameworks.{role}", f"binds '{wanted}' but '{given.id}' was given")
        for role, wanted, given in (("csf", questionnaire.frameworks.csf, csf), ("cpg", questionnaire.frameworks.cpg, cpg))
        if wanted != given.id
    ]
    if problems:
        raise ContentError("scoring was given the wrong frameworks", problems)
