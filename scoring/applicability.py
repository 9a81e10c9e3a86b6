"""Which (question, environment) pairs an assessment covers, and which responses are acceptable.

A question applies to an environment when the environment is in the assessment's scope and in
the question's `applies_to`. Responses must name a known question, an applicable environment, at
most once per pair, and an NA response carries no current level. `response_problems` returns every
problem so the engine can report them all at once. What a valid answer's values are (levels, N/A
and its reason) is `scoring.response_input`; every reader checks pairs here with `pair_problem`.
"""

from __future__ import annotations

from collections.abc import Iterable

from catalog.models import Environment, Question, Questionnaire
from errors import Problem, ResponseError
from scoring.model import Response, Scope
from scoring.response_input import NA_AND_LEVEL

Pair = tuple[str, Environment]


def applicable_pairs(questionnaire: Questionnaire, scope: Scope) -> list[tuple[Question, Environment]]:
    """Every applicable (question, environment), in questionnaire order then IT before OT."""
    return [
        (question, env)
        for question in questionnaire.questions
        for env in scope.environments
        if env in question.applies_to
    ]


def pair_problem(
    questionnaire: Questionnaire, questions: dict[str, Question], scope: Scope, question_id: str, environment: str
) -> str | None:
    """Why a response for (question_id, environment) cannot be accepted, or None when it can."""
    question = questions.get(question_id)
    if question is None:
        return f"unknown question '{question_id}' in questionnaire '{questionnaire.id}'"
    if environment not in scope.environments:
        return f"environment '{environment}' is not in the assessment's scope {scope.value}"
    if environment not in question.applies_to:
        return f"question '{question_id}' does not apply to {environment} (applies to {', '.join(question.applies_to)})"
    return None


def response_problems(
    questionnaire: Questionnaire, scope: Scope, responses: Iterable[Response]
) -> tuple[dict[Pair, Response], list[Problem]]:
    """Index responses by (question, environment) and list every problem found."""
    questions = {q.id: q for q in questionnaire.questions}
    indexed: dict[Pair, Response] = {}
    problems: list[Problem] = []
    for i, response in enumerate(responses):
        where = f"responses[{i}] ({response.question_id}, {response.environment})"
        message = pair_problem(questionnaire, questions, scope, response.question_id, response.environment)
        if message is not None:
            problems.append(Problem(where, message))
            continue
        if response.na and response.current is not None:
            problems.append(Problem(where, *NA_AND_LEVEL))
            continue
        key = (response.question_id, response.environment)
        if key in indexed:
            problems.append(Problem(where, "duplicate response for this question and environment"))
            continue
        indexed[key] = response
    return indexed, problems


def index_responses(questionnaire: Questionnaire, scope: Scope, responses: Iterable[Response]) -> dict[Pair, Response]:
    """Responses by (question, environment); raise one ResponseError listing every problem."""
    indexed, problems = response_problems(questionnaire, scope, responses)
    if problems:
        raise ResponseError(f"{len(problems)} problem(s) in responses; nothing was scored", problems)
    return indexed
