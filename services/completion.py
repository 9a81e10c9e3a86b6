"""How complete a questionnaire is: answered, confirmed and applicable (question, environment) pairs.

No Streamlit and no storage here: the counts are computed from stored responses already read.
"Answered" means a current level or N/A was given. "Confirmed" means answered and not carried: an
answer copied forward from the previous assessment is "to confirm" until someone edits it or
confirms it unchanged, so a copied assessment does not look finished before anyone looked at it.
Completion counts confirmed answers over the applicable pairs of the assessment's scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from catalog.models import Environment, Questionnaire
from scoring.applicability import applicable_pairs
from scoring.model import Scope
from storage.records import StoredResponse

Pair = tuple[str, Environment]


@dataclass(frozen=True)
class Progress:
    answered: int
    """Confirmed answers (a level or N/A, not carried)."""
    applicable: int
    flagged: int = 0
    """Marked for review."""
    to_confirm: int = 0
    """Carried from the previous assessment and not confirmed yet (not counted in `answered`)."""

    @property
    def fraction(self) -> float:
        """0–1; an empty scope counts as complete."""
        return 1.0 if self.applicable == 0 else self.answered / self.applicable

    @property
    def complete(self) -> bool:
        return self.answered >= self.applicable

    @property
    def unanswered(self) -> int:
        """Pairs with neither a confirmed nor a carried answer."""
        return self.applicable - self.answered - self.to_confirm


@dataclass(frozen=True)
class QuestionnaireProgress:
    overall: Progress
    by_section: dict[str, Progress]
    by_question: dict[str, Progress]


def is_answered(response: StoredResponse | None) -> bool:
    return response is not None and (response.na or response.current is not None)


def is_confirmed(response: StoredResponse | None) -> bool:
    """Answered and not a carried answer waiting for confirmation."""
    return is_answered(response) and not response.carried


def responses_by_pair(responses: Iterable[StoredResponse]) -> dict[Pair, StoredResponse]:
    """Stored responses by (question id, environment)."""
    return {(r.question_id, r.environment): r for r in responses}


def progress(questionnaire: Questionnaire, scope: Scope, responses: dict[Pair, StoredResponse]) -> QuestionnaireProgress:
    """Confirmed / applicable overall, per section and per question, with the flagged (marked for
    review) and to-confirm (carried) counts."""
    counts: dict[str, list[int]] = {}
    sections: dict[str, list[int]] = {s.id: [0, 0, 0, 0] for s in questionnaire.sections}
    total = [0, 0, 0, 0]
    for question, env in applicable_pairs(questionnaire, scope):
        response = responses.get((question.id, env))
        answered = is_answered(response)
        confirmed = int(answered and not response.carried)
        carried = int(answered and not confirmed)
        flagged = int(response is not None and response.flagged)
        for bucket in (counts.setdefault(question.id, [0, 0, 0, 0]),
                       sections.setdefault(question.section, [0, 0, 0, 0]), total):
            bucket[0] += confirmed
            bucket[1] += 1
            bucket[2] += flagged
            bucket[3] += carried
    return QuestionnaireProgress(
        overall=Progress(*total),
        by_section={k: Progress(*v) for k, v in sections.items()},
        by_question={k: Progress(*v) for k, v in counts.items()},
    )
