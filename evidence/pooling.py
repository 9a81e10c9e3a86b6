"""Resilience metrics of several members (sites, the shared IT) pooled into one MetricSet.

    pool_metrics(members: [(label, MetricSet | None)], definitions, as_of=…) -> MetricSet | None

Each metric is computed from the rows of every member at once, by pooling the members' tallies
(evidence.tally) the way the metric declares (`combine`): counts are summed, the oldest is the
oldest of any member, a median is the median of all members' rows, a share is Σ numerators over
Σ denominators. Per environment likewise, from the members' per-environment tallies. Never a mean
of members' values, weighted or not: a board reading "oldest open high-risk exception" must find
that exception in some plant's register.

- Members without a MetricSet (no evidence) contribute nothing; a member whose dataset for the
  metric is absent contributes nothing to it (its value is missing, never 0). None when no member
  has metrics; a metric is missing when no member has rows for it.
- `by_site` keeps each member's own value, under its label.
- Status: the RAG rule of the metric's definition on the pooled value; a metric without a
  definition keeps the worst status any member reported (red < amber < green).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from catalog.models import MetricDefinition
from evidence.metric_set import MetricResult, MetricSet, Status, Tallies
from evidence.tally import pool

WORST_FIRST: tuple[Status, ...] = ("red", "amber", "green")


def pool_metrics(members: Sequence[tuple[str, MetricSet | None]], definitions: Mapping[str, MetricDefinition],
                 *, as_of: date) -> MetricSet | None:
    """The members' metrics pooled by the rules of the module docstring."""
    present = [(label, metrics) for label, metrics in members if metrics is not None]
    if not present:
        return None
    names = list(dict.fromkeys([*(n for n in definitions if any(n in m.metrics for _, m in present)),
                                *(n for _, m in present for n in m.metrics)]))
    out = {}
    for name in names:
        results = [(label, m.metrics[name]) for label, m in present if name in m.metrics]
        out[name] = _pooled(name, results, definitions.get(name))
    return MetricSet(as_of=as_of, metrics=out)


def _pooled(name: str, results: list[tuple[str, MetricResult]], definition: MetricDefinition | None) -> MetricResult:
    for label, r in results:
        if r.value is not None and r.tallies is None:
            raise ValueError(f"metric {name} of {label} has a value but no tallies to pool; "
                             "recompute it from the stored evidence (services.evidence_imports)")
    tallied = [r.tallies for _, r in results if r.tallies is not None]
    overall = pool(t.overall for t in tallied)
    environments = list(dict.fromkeys(e for t in tallied for e in t.by_environment))
    by_environment = {e: pool(t.by_environment.get(e) for t in tallied) for e in environments}
    value = overall.value if overall is not None else None
    if value is None:
        status: Status = "missing"
    elif definition is not None:
        status = definition.rag(value)
    else:
        status = _worst(r.status for _, r in results)
    reasons = list(dict.fromkeys(f"{label}: {r.missing_reason}" for label, r in results if r.missing_reason))
    return MetricResult.model_construct(
        name=name, value=value, status=status,
        missing_reason=("; ".join(reasons[:3]) + (f" and {len(reasons) - 3} more" if len(reasons) > 3 else "")
                        if value is None and reasons else None),
        by_environment={e: t.value for e, t in by_environment.items()},
        by_site={label: r.value for label, r in results}, parts={},
        tallies=None if overall is None else Tallies.model_construct(
            overall=overall, by_environment=by_environment,
            by_site={label: r.tallies.overall for label, r in results if r.tallies is not None}),
    )


def _worst(statuses) -> Status:
    known = [s for s in statuses if s in WORST_FIRST]
    return min(known, key=WORST_FIRST.index) if known else "missing"
