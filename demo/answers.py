"""What the demo assessors answer, derived from whatever questionnaire is loaded (never hard-coded
question ids), plus the findings and target agreements that go with the answers.

A response's level = the estate's maturity for that environment and quarter + its overclaim + a
per-question offset (drawn once per estate, question and environment, so a plant's strong and
weak spots persist from quarter to quarter) + a small per-quarter jitter, rounded and clipped to
0–5. About 2% of answers are NA (the same ones every quarter) with a reason.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from catalog.models import Question, Questionnaire
from demo.registers import rng
from demo.story import Estate, maturity

NA_SHARE = 0.02
NOTES = {
    0: "Not in place; no owner yet.",
    1: "Ad hoc: depends on individuals, nothing written down.",
    2: "Partly in place; documented for the main systems only.",
    3: "Defined and applied across the site; evidence reviewed.",
    4: "Measured and reviewed quarterly by the site lead.",
    5: "Optimised; improvements tracked with the group CISO.",
}
OWNERS = ("OT engineering lead", "IT infrastructure manager", "Plant manager", "CISO office", "Maintenance manager")


@dataclass(frozen=True)
class Answer:
    question_id: str
    environment: str
    current: int | None
    na_reason: str = ""
    notes: str = ""


def pairs(questionnaire: Questionnaire, scope: str) -> list[tuple[Question, str]]:
    environments = ("IT", "OT") if scope == "IT+OT" else (scope,)
    return [(q, env) for q in questionnaire.questions for env in environments if env in q.applies_to]


def answers(questionnaire: Questionnaire, estate: Estate, quarter: int) -> list[Answer]:
    out = []
    for question, env in pairs(questionnaire, estate.scope):
        fixed = rng(estate.key, "question", question.id, env)
        offset, na_draw, note_draw = float(fixed.normal(0, 0.7)), fixed.random(), fixed.random()
        if na_draw < NA_SHARE:
            out.append(Answer(question.id, env, None, na_reason=f"No {env} systems in scope for this practice at this site"))
            continue
        jitter = float(rng(estate.key, "jitter", question.id, env, quarter).normal(0, 0.12))
        level = maturity(estate, quarter, env) + estate.overclaim[quarter] + offset + jitter
        current = int(np.clip(round(level), 0, 5))
        out.append(Answer(question.id, env, current, notes=NOTES[current] if note_draw < 0.35 else ""))
    return out


def responses_csv(items: list[Answer]) -> bytes:
    """The answers in the responses file format of `scorecard responses import`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["question_id", "environment", "current", "na_reason", "notes"])
    for a in items:
        writer.writerow([a.question_id, a.environment, "NA" if a.current is None else a.current, a.na_reason, a.notes])
    return buffer.getvalue().encode("utf-8")


def largest_gaps(questionnaire: Questionnaire, items: list[Answer], count: int) -> list[tuple[Answer, int]]:
    """The answers furthest below their default target, heaviest consequence first: (answer, target)."""
    scored = []
    for a in items:
        if a.current is None:
            continue
        question = questionnaire.question(a.question_id)
        target = questionnaire.default_target(question, a.environment)
        gap = target - a.current
        if gap > 0:
            scored.append((-(gap * question.weight * question.consequence), a.question_id, a.environment, a, target))
    scored.sort(key=lambda s: s[:3])
    return [(a, target) for *_, a, target in scored[:count]]


def finding_title(question: Question, environment: str, target: int) -> str:
    """A concrete action: the first clause of what the target level looks like for this question."""
    described = question.levels[target].split(";")[0].strip().rstrip(".")
    if len(described) > 150:
        described = described[:147].rsplit(" ", 1)[0].rstrip(",") + "…"
    return f"{environment}, reach level {target}: {described[0].lower()}{described[1:]}"


def finding_owner(estate: Estate, question_id: str) -> str:
    return OWNERS[int(rng(estate.key, "owner", question_id).integers(0, len(OWNERS)))]


def due(as_of: date, quarters: int) -> date:
    return as_of + timedelta(days=91 * quarters)
