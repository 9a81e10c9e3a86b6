"""The enterprise roll-up: several sites' Scorecards combined into one Scorecard-shaped result.

Pure: the caller chooses the members (which assessment of which site) and their weights; the
services layer passes `weight_of(criticality)` (critical 4, high 3, medium 2, low 1,
enterprise-wide shared IT 4) for the report and the enterprise trend alike, so they agree.

The criticality weighting is for maturity only: scores are judgements on a 0–5 scale per site,
and a critical plant's judgement should count for more. Resilience metrics are measurements of
rows and are never weighted: they are pooled from the members' evidence (evidence.pooling).

Rules (each "weighted mean" uses the members' weights, over the members that have a value there;
None when none has, never 0):
- scores: every CSF node's and CPG goal's claimed / verified / target, combined and per
  environment, and the overall ones = weighted mean of the members' own figures at that place. A
  site that did not assess OT contributes nothing to OT. Node `answered` counts are summed.
- completion and confidence are pooled counts, not criticality-weighted: they say how much of the
  enterprise's questionnaire is answered and evidenced. completion = Σ(answered + NA) ÷
  Σ applicable (weighted by each member's applicable responses); confidence = Σ evidenced ÷
  Σ answered (weighted by each member's answered responses). answered / NA / applicable are sums.
- CPG % implemented (overall and per environment) = weighted mean of the members' percentages.
- CPG goal status per environment = the worst status among the members that assessed that goal
  there (not implemented < in progress < implemented), "not_assessed" when none did: a board must
  see a goal that is not implemented at any plant, not an average that hides it.
- scenarios: readiness (overall and per environment) = weighted mean; each metric's RAG status is
  the pooled metric's status when `metrics` (the pooled MetricSet) is given, so the scenario table
  and the metric table agree; else the worst known one among members (red < amber < green;
  "missing" only when missing everywhere); answered and questions are summed.
- gaps, caps and responses: the union of the members', each labelled with its site. Gaps are
  ranked by priority, then larger gap, then heavier member weight, then member order, then the
  member's own rank — so the most critical site's gap comes first among equals.
- scope: IT+OT when the members cover both; `as_of` the latest member's unless given.

Property (tested): rolling up n copies of one scorecard gives that scorecard's scores, statuses,
percentages, completion and confidence; counts are n times the original, and gap, cap and response
lists are n labelled copies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from catalog.models import ENVIRONMENTS, Criticality, Environment
from errors import Problem, ScorecardError
from evidence.metric_set import MetricSet
from scoring.model import (
    GoalScore,
    GoalStatus,
    NodeScore,
    Overall,
    ScenarioScore,
    Scope,
    Scorecard,
    Triple,
)

STATUS_ORDER: tuple[GoalStatus, ...] = ("not_implemented", "in_progress", "implemented")
"""Worst first; "not_assessed" is not a status of a goal that was assessed."""
RAG_ORDER = ("red", "amber", "green")
CRITICALITY_WEIGHTS: dict[Criticality, int] = {"critical": 4, "high": 3, "medium": 2, "low": 1}
"""A site's weight in the maturity roll-up: its criticality for production."""
ENTERPRISE_WEIGHT = 4
"""The enterprise-wide assessment's weight: shared IT services every plant depends on."""


def weight_of(criticality: Criticality | None) -> int:
    """The roll-up weight of a site of this criticality (None: the enterprise-wide assessment)."""
    return ENTERPRISE_WEIGHT if criticality is None else CRITICALITY_WEIGHTS[criticality]


@dataclass(frozen=True)
class Member:
    """One scorecard in the roll-up: `site` labels its gaps, caps and responses; `weight` > 0."""

    site: str
    weight: float
    scorecard: Scorecard


def weighted_mean(pairs: Iterable[tuple[float | None, float]]) -> float | None:
    """Σ value × weight ÷ Σ weight over the pairs whose value is not None; None when none is."""
    known = [(v, w) for v, w in pairs if v is not None]
    total = sum(w for _, w in known)
    return sum(v * w for v, w in known) / total if total else None


def roll_up(members: Sequence[Member], *, as_of: date | None = None, metrics: MetricSet | None = None) -> Scorecard:
    """The members combined by the rules of the module docstring; `metrics` are the members'
    metrics pooled (evidence.pooling), for the scenarios' metric statuses."""
    _check(members)
    cards = [m.scorecard for m in members]
    environments = tuple(e for e in ENVIRONMENTS if any(e in c.scope.environments for c in cards))
    scope = Scope.IT_OT if len(environments) == 2 else Scope(environments[0])
    versions = sorted({c.questionnaire_version for c in cards})
    return Scorecard.model_construct(
        questionnaire_id=cards[0].questionnaire_id,
        questionnaire_version=", ".join(versions),
        scope=scope,
        as_of=as_of or max(c.as_of for c in cards),
        overall=roll_up_overall(members),
        by_environment={e: _overall(members, lambda c, e=e: c.by_environment.get(e)) for e in environments},
        functions=_nodes(members, lambda c: c.functions),
        categories=_nodes(members, lambda c: c.categories),
        subcategories=_nodes(members, lambda c: c.subcategories),
        cpg_goals=_goals(members),
        cpg_implemented_pct=weighted_mean((m.scorecard.cpg_implemented_pct, m.weight) for m in members),
        cpg_implemented_pct_by_environment={
            e: weighted_mean((m.scorecard.cpg_implemented_pct_by_environment.get(e), m.weight) for m in members)
            for e in environments
        },
        gaps=_gaps(members),
        scenarios=_scenarios(members, metrics),
        caps=tuple(c.model_copy(update={"site": m.site}) for m in members for c in m.scorecard.caps),
        responses=tuple(r.model_copy(update={"site": m.site}) for m in members for r in m.scorecard.responses),
    )


def roll_up_overall(members: Sequence[Member]) -> Overall:
    """The roll-up's `overall` alone (the same rule as in `roll_up`), for callers that need only
    the headline of many hypothetical roll-ups (scoring.projection)."""
    return _overall(members, lambda c: c.overall)


def roll_up_verified(members: Iterable[tuple[float | None, float]]) -> float | None:
    """`roll_up_overall(...).verified` from each member's (overall verified score, weight) alone,
    for callers that vary one member at a time (scoring.projection's action values)."""
    return weighted_mean(members)


def _check(members: Sequence[Member]) -> None:
    if not members:
        raise ScorecardError("nothing to roll up", [Problem("enterprise", "no member scorecards",
                                                            "assess at least one site or the shared IT")])
    problems = [Problem(f"member {m.site!r}", f"weight {m.weight} is not positive", "use a weight above 0")
                for m in members if not m.weight > 0]
    questionnaires = {m.scorecard.questionnaire_id for m in members}
    if len(questionnaires) > 1:
        problems.append(Problem("enterprise", f"members use different questionnaires: {', '.join(sorted(questionnaires))}",
                                "roll up assessments of one questionnaire only"))
    if problems:
        raise ScorecardError("these scorecards cannot be rolled up", problems)


def _weighted_triple(pairs: Iterable[tuple[Triple | None, float]]) -> Triple:
    """The weighted mean of each of claimed, verified and target over the (triple, weight) pairs."""
    found = [(t, w) for t, w in pairs if t is not None]
    return Triple.model_construct(
        claimed=weighted_mean((t.claimed, w) for t, w in found),
        verified=weighted_mean((t.verified, w) for t, w in found),
        target=weighted_mean((t.target, w) for t, w in found),
    )


def _overall(members: Sequence[Member], get: Callable[[Scorecard], Overall | None]) -> Overall:
    found = [(get(m.scorecard), m.weight) for m in members]
    found = [(o, w) for o, w in found if o is not None]
    answered = sum(o.answered for o, _ in found)
    not_applicable = sum(o.not_applicable for o, _ in found)
    applicable = sum(o.applicable for o, _ in found)
    # confidence × answered recovers each member's count of evidenced answers.
    evidenced = sum(o.confidence * o.answered for o, _ in found)
    return Overall.model_construct(
        claimed=weighted_mean((o.claimed, w) for o, w in found),
        verified=roll_up_verified((o.verified, w) for o, w in found),
        target=weighted_mean((o.target, w) for o, w in found),
        completion=(answered + not_applicable) / applicable if applicable else 0.0,
        confidence=evidenced / answered if answered else 0.0,
        answered=answered,
        not_applicable=not_applicable,
        applicable=applicable,
    )


def _ids(members: Sequence[Member], get) -> list[str]:
    """Node ids in the first member's order, then any only later members have."""
    seen: dict[str, None] = {}
    for m in members:
        seen.update(dict.fromkeys(get(m.scorecard)))
    return list(seen)


def _envs(nodes: Iterable) -> list[Environment]:
    present = {e for n in nodes for e in n.by_environment}
    return [e for e in ENVIRONMENTS if e in present]


def _nodes(members: Sequence[Member], get: Callable[[Scorecard], dict[str, NodeScore]]) -> dict[str, NodeScore]:
    tables = [(get(m.scorecard), m.weight) for m in members]
    out = {}
    for node_id in _ids(members, get):
        present = [(table[node_id], w) for table, w in tables if node_id in table]
        nodes = [n for n, _ in present]
        out[node_id] = NodeScore.model_construct(
            id=node_id,
            title=nodes[0].title,
            combined=_weighted_triple((n.combined, w) for n, w in present),
            by_environment={e: _weighted_triple((n.by_environment.get(e), w) for n, w in present)
                            for e in _envs(nodes)},
            answered=sum(n.answered for n in nodes),
        )
    return out


def worst_status(statuses: Iterable[GoalStatus]) -> GoalStatus:
    """The worst assessed status, "not_assessed" when none was assessed."""
    assessed = [s for s in statuses if s != "not_assessed"]
    return min(assessed, key=STATUS_ORDER.index) if assessed else "not_assessed"


def _goals(members: Sequence[Member]) -> dict[str, GoalScore]:
    tables = [(m.scorecard.cpg_goals, m.weight) for m in members]
    out = {}
    for goal_id in _ids(members, lambda c: c.cpg_goals):
        present = [(table[goal_id], w) for table, w in tables if goal_id in table]
        goals = [g for g, _ in present]
        envs = _envs(goals)
        out[goal_id] = GoalScore.model_construct(
            id=goal_id,
            title=goals[0].title,
            combined=_weighted_triple((g.combined, w) for g, w in present),
            by_environment={e: _weighted_triple((g.by_environment.get(e), w) for g, w in present) for e in envs},
            status={e: worst_status(g.status.get(e, "not_assessed") for g in goals) for e in envs},
        )
    return out


def _worst_rag(statuses: Iterable[str]) -> str:
    known = [s for s in statuses if s in RAG_ORDER]
    return min(known, key=RAG_ORDER.index) if known else "missing"


def _scenarios(members: Sequence[Member], pooled: MetricSet | None) -> dict[str, ScenarioScore]:
    out = {}
    for sid in _ids(members, lambda c: c.scenarios):
        present = [(m.scorecard.scenarios[sid], m.weight) for m in members if sid in m.scorecard.scenarios]
        first = present[0][0]
        envs = _envs(s for s, _ in present)
        metrics = list(dict.fromkeys(name for s, _ in present for name in s.metrics))
        out[sid] = ScenarioScore.model_construct(
            id=sid,
            name=first.name,
            readiness=weighted_mean((s.readiness, w) for s, w in present),
            by_environment={e: weighted_mean((s.by_environment.get(e), w) for s, w in present) for e in envs},
            metrics={name: _metric_status(name, pooled, [s for s, _ in present]) for name in metrics},
            answered=sum(s.answered for s, _ in present),
            questions=sum(s.questions for s, _ in present),
        )
    return out


def _metric_status(name: str, pooled: MetricSet | None, scenarios: list[ScenarioScore]) -> str:
    if pooled is not None:
        result = pooled.metrics.get(name)
        return "missing" if result is None else result.status
    return _worst_rag(s.metrics.get(name, "missing") for s in scenarios)


def _gaps(members: Sequence[Member]):
    ranked = [
        (-g.priority, -g.consequence, -g.gap, -m.weight, index, rank, g.model_copy(update={"site": m.site}))
        for index, m in enumerate(members)
        for rank, g in enumerate(m.scorecard.gaps)
    ]
    ranked.sort(key=lambda r: r[:6])
    return tuple(r[-1] for r in ranked)
