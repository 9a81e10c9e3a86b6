"""What the questionnaire view needs beyond storage: progress, navigation, and the revision keys
the app re-scores a loaded assessment by (services.assessment_scoring.scorecard_of).

No Streamlit here. The counts (answered, confirmed, to confirm) are services.completion's;
"to do" means a pair without a confirmed answer (unanswered, or carried and not confirmed yet).
"""

from __future__ import annotations

from catalog.models import Environment, Question, Questionnaire
from scoring.model import Scope
from services.assessment_records import AssessmentDetail
from services.completion import (
    Pair,
    Progress,
    QuestionnaireProgress,
    is_answered,
    is_confirmed,
    progress,
    responses_by_pair,
)
from storage.records import StoredResponse

__all__ = ["Pair", "Progress", "QuestionnaireProgress", "is_answered", "is_confirmed", "progress", "responses_by_pair",
           "environments_of", "next_unanswered", "revision", "evidence_revision"]


def environments_of(question: Question, scope: Scope) -> tuple[Environment, ...]:
    """The environments of `scope` the question applies to, IT before OT."""
    return tuple(env for env in scope.environments if env in question.applies_to)


def next_unanswered(questionnaire: Questionnaire, scope: Scope, responses: dict[Pair, StoredResponse],
                    after: str | None = None, section: str | None = None) -> str | None:
    """The next question with a pair still to do (unanswered, or carried and not confirmed):
    first in `section` after `after` and then from its start, then in the following sections
    (wrapping around). Without `section`, in questionnaire order after `after`, wrapping."""
    order = [q for q in questionnaire.questions if environments_of(q, scope)]
    if section is not None:
        inside = [q for q in order if q.section == section]
        ids = [q.id for q in inside]
        start = ids.index(after) + 1 if after in ids else 0
        first = _first_to_do(inside[start:] + inside[:start], scope, responses)
        if first is not None or not inside:
            return first
        after = inside[-1].id
    ids = [q.id for q in order]
    start = ids.index(after) + 1 if after in ids else 0
    return _first_to_do(order[start:] + order[:start], scope, responses)


def _first_to_do(questions: list[Question], scope: Scope, responses: dict[Pair, StoredResponse]) -> str | None:
    for question in questions:
        if any(not is_confirmed(responses.get((question.id, env))) for env in environments_of(question, scope)):
            return question.id
    return None


def revision(detail: AssessmentDetail) -> tuple:
    """Changes whenever anything the score depends on changes: response versions, target
    overrides, evidence imports, status (a final assessment is scored from its snapshot)."""
    return (
        detail.assessment.status,
        tuple(sorted((r.question_id, r.environment, r.version) for r in detail.responses)),
        tuple(sorted((t.question_id, t.environment, t.target) for t in detail.targets)),
        evidence_revision(detail),
    )


def evidence_revision(detail: AssessmentDetail) -> tuple[int, ...]:
    """Ids of the evidence imports: metrics change only when this changes."""
    return tuple(sorted(e.id for e in detail.evidence))
