"""What the questionnaire view needs beyond storage: progress, navigation, and the revision keys
the app re-scores a loaded assessment by (services.assessment_scoring.scorecard_of).

No Streamlit here. "Answered" means a current level or NA was given; progress counts answered
responses over the applicable (question, environment) pairs of the assessment's scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from catalog.models import Environment, Question, Questionnaire
from scoring.applicability import applicable_pairs
from scoring.model import Scope
from services.assessment_records import AssessmentDetail
from storage.records import StoredResponse

Pair = tuple[str, Environment]


@dataclass(frozen=True)
class Progress:
    answered: int
    applicable: int
    flagged: int = 0

    @property
    def fraction(self) -> float:
        """0–1; an empty scope counts as complete."""
        return 1.0 if self.applicable == 0 else self.answered / self.applicable

    @property
    def complete(self) -> bool:
        return self.answered >= self.applicable


@dataclass(frozen=True)
class QuestionnaireProgress:
    overall: Progress
    by_section: dict[str, Progress]
    by_question: dict[str, Progress]


def is_answered(response: StoredResponse | None) -> bool:
    return response is not None and (response.na or response.current is not None)


def responses_by_pair(responses: Iterable[StoredResponse]) -> dict[Pair, StoredResponse]:
    """Stored responses by (question id, environment), the shape `progress` and `next_unanswered` take."""
    return {(r.question_id, r.environment): r for r in responses}


def environments_of(question: Question, scope: Scope) -> tuple[Environment, ...]:
    """The environments of `scope` the question applies to, IT before OT."""
    return tuple(env for env in scope.environments if env in question.applies_to)


def progress(questionnaire: Questionnaire, scope: Scope, responses: dict[Pair, StoredResponse]) -> QuestionnaireProgress:
    """Answered / applicable overall, per section and per question; flagged counts marked-for-review."""
    counts: dict[str, list[int]] = {}
    sections: dict[str, list[int]] = {s.id: [0, 0, 0] for s in questionnaire.sections}
    total = [0, 0, 0]
    for question, env in applicable_pairs(questionnaire, scope):
        response = responses.get((question.id, env))
        answered, flagged = int(is_answered(response)), int(response is not None and response.flagged)
        for bucket in (counts.setdefault(question.id, [0, 0, 0]), sections.setdefault(question.section, [0, 0, 0]), total):
            bucket[0] += answered
            bucket[1] += 1
            bucket[2] += flagged
    return QuestionnaireProgress(
        overall=Progress(*total),
        by_section={k: Progress(*v) for k, v in sections.items()},
        by_question={k: Progress(*v) for k, v in counts.items()},
    )


def next_unanswered(questionnaire: Questionnaire, scope: Scope, responses: dict[Pair, StoredResponse],
                    after: str | None = None) -> str | None:
    """The first question after `after` (wrapping around) with an unanswered applicable pair."""
    order = [q for q in questionnaire.questions if environments_of(q, scope)]
    ids = [q.id for q in order]
    start = ids.index(after) + 1 if after in ids else 0
    for question in order[start:] + order[:start]:
        if any(not is_answered(responses.get((question.id, env))) for env in environments_of(question, scope)):
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
