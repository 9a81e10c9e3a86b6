"""Rule 7: the ranked gap list, what to fix first.

Gap per answered response = max(0, target − verified) levels; priority = gap × question weight ×
consequence (0–75). Only responses with a gap > 0 are listed. Order: priority, highest first; ties
by higher consequence (what a failure costs production outweighs how far the answer is from its
target), then larger gap, then questionnaire order, then IT before OT, so the ranking is
deterministic and each step of it is a column a reader can see.
"""

from __future__ import annotations

from collections.abc import Sequence

from catalog.models import ENVIRONMENTS, Question
from scoring import rules
from scoring.model import Gap, ResponseScore


def rank_gaps(answered: Sequence[ResponseScore], questions: dict[str, Question]) -> tuple[Gap, ...]:
    order = {qid: i for i, qid in enumerate(questions)}
    gaps: list[Gap] = []
    for rs in answered:
        gap = rules.gap_of(rs.target, rs.verified)
        if gap <= 0:
            continue
        q = questions[rs.question_id]
        gaps.append(
            Gap.model_construct(
                question_id=q.id,
                environment=rs.environment,
                section=q.section,
                text=q.text,
                target=rs.target,
                verified=rs.verified,
                gap=gap,
                weight=q.weight,
                consequence=q.consequence,
                priority=rules.gap_priority(gap, q.weight, q.consequence),
                csf=q.csf,
                cpg=q.cpg,
                cap_reasons=tuple(cap.reason for cap in rs.caps),
            )
        )
    gaps.sort(key=lambda g: (-g.priority, -g.consequence, -g.gap, order[g.question_id],
                             ENVIRONMENTS.index(g.environment)))
    return tuple(gaps)
