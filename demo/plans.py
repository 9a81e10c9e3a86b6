"""The demo estates' improvement plans (demo.story.PLANS), derived from the last finalised quarter's
scorecard, never from hard-coded question ids.

A plan has one action per questionnaire section with gaps, the most urgent sections first (largest
summed gap priority): it promises the target level of every gap response in the section, and, where
an evidence rule caps one of them below its target, the evidence that would lift that cap (the
metric capping most of them, at the lowest threshold that supports their targets). Actions carried
from earlier quarters promise their own question's target. Costs (in the group's currency, EUR),
effort and owners are drawn per estate and section, so every load is the same.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import date

from catalog.models import Questionnaire
from demo.answers import OWNERS
from demo.registers import rng
from demo.story import Estate, PlanStory
from scoring.model import Gap, Scorecard
from scoring.plan_model import Promise


@dataclass(frozen=True)
class ActionSpec:
    question_id: str
    environment: str | None
    title: str
    owner: str
    due: date
    promises: tuple[Promise, ...]
    evidence_metric: str | None
    evidence_value: float | None
    cost: float
    effort_days: float


def section_actions(questionnaire: Questionnaire, estate: Estate, story: PlanStory, card: Scorecard) -> list[ActionSpec]:
    """The plan's new actions, most urgent section first (module docstring)."""
    by_section: dict[str, list[Gap]] = {}
    for gap in card.gaps:
        by_section.setdefault(gap.section, []).append(gap)
    ranked = sorted(by_section.items(), key=lambda item: (-sum(g.priority for g in item[1]), item[0]))
    ranked = ranked[:math.ceil(len(ranked) * story.coverage)]
    titles = {s.id: s.title for s in questionnaire.sections}
    out = []
    for index, (section, gaps) in enumerate(ranked):
        lead = gaps[0]
        environments = {g.environment for g in gaps}
        metric, value = _evidence(questionnaire, card, gaps)
        draw = rng(estate.key, "plan", section)
        described = questionnaire.question(lead.question_id).levels[lead.target].split(";")[0].strip().rstrip(".")
        more = f" (and {len(gaps) - 1} more practice{'s' if len(gaps) > 2 else ''})" if len(gaps) > 1 else ""
        out.append(ActionSpec(
            question_id=lead.question_id,
            environment=next(iter(environments)) if len(environments) == 1 else None,
            title=f"{titles.get(section, section)}: {described[0].lower()}{described[1:]}{more}",
            owner=OWNERS[int(draw.integers(0, len(OWNERS)))],
            due=story.due[min(index * len(story.due) // len(ranked), len(story.due) - 1)],
            promises=tuple(Promise(question_id=g.question_id, environment=g.environment, level=g.target) for g in gaps),
            evidence_metric=metric, evidence_value=value,
            cost=float(5000 * int(draw.integers(3, 25)) * max(1, len(gaps) // 3)),
            effort_days=float(5 * int(draw.integers(2, 16))),
        ))
    return out


def carried_promise(questionnaire: Questionnaire, question_id: str, environment: str | None) -> tuple[Promise, ...]:
    """What an action carried from an earlier quarter promises: its question at its default target."""
    question = questionnaire.question(question_id)
    envs = [environment] if environment else list(question.applies_to)
    return tuple(Promise(question_id=question_id, environment=env, level=questionnaire.default_target(question, env))
                 for env in envs)


def carried_cost(estate: Estate, question_id: str) -> tuple[float, float]:
    draw = rng(estate.key, "carried", question_id)
    return float(5000 * int(draw.integers(2, 12))), float(5 * int(draw.integers(1, 8)))


def _evidence(questionnaire: Questionnaire, card: Scorecard, gaps: list[Gap]) -> tuple[str | None, float | None]:
    """The metric capping most of these gaps below target, and the lowest value that supports the
    highest of their targets (None, None when no cap binds)."""
    wanted = {(g.question_id, g.environment): g.target for g in gaps}
    binding = [c for c in card.caps if (c.question_id, c.environment) in wanted
               and c.cap_level < wanted[(c.question_id, c.environment)]]
    if not binding:
        return None, None
    metric = Counter(c.metric for c in binding).most_common(1)[0][0]
    level = max(wanted[(c.question_id, c.environment)] for c in binding if c.metric == metric)
    for rule in questionnaire.evidence_rules:
        if rule.metric == metric:
            supporting = [step.threshold for step in rule.steps if step.level >= level]
            if supporting:
                return metric, (min(supporting) if rule.direction == "higher_is_better" else max(supporting))
    return None, None
